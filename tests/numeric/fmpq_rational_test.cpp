// Rational (FLINT's fmpq behind a Boost number, numeric/fmpq_rational.hpp) against GMP's mpq through
// Boost's own backend, the independent implementation: the two must be the same field with the same
// canonical values and text, on word-size and multi-word numbers alike; conversions must be exact in
// and rounded once out; and small values must not allocate, which the same loop on GMP's mpq does.
#include <gtest/gtest.h>

#include <boost/multiprecision/gmp.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "entropic/numeric/exact_text.hpp"
#include "entropic/numeric/scalar.hpp"
#include "entropic/numeric/series.hpp"

namespace entropic {
namespace {

using Mpq = mp::number<mp::gmp_rational, mp::et_off>;

Mpq to_mpq(const Rational& q) {
  Mpq m;
  fmpq_get_mpq(m.backend().data(), q.backend().data());
  return m;
}

// Word-size values, values around FLINT's inline limit 2^62, and multi-word values.
std::vector<Rational> samples() {
  const Rational big = parse_rational("123456789012345678901234567890/7");
  const Rational limit = Rational(mp::pow(Integer(2), 62));
  return {Rational(0),      Rational(1),        Rational(-1),          Rational(3, 4),
          Rational(-22, 7), limit - 1,          limit,                 -limit - 1,
          big,              -big,               Rational(1) / big,     big * big / Rational(3)};
}

TEST(FmpqRational, ArithmeticIsGmpArithmetic) {
  const auto s = samples();
  for (const Rational& a : s) {
    const Mpq ma = to_mpq(a);
    EXPECT_EQ(a.str(), ma.str());
    EXPECT_EQ(to_text(a), ma.str());
    EXPECT_EQ(numerator(a), numerator(ma));
    EXPECT_EQ(denominator(a), denominator(ma));
    EXPECT_EQ(a.sign(), ma.sign());
    EXPECT_EQ(to_mpq(abs(a)), abs(ma));
    EXPECT_EQ(to_mpq(-a), -ma);
    for (const Rational& b : s) {
      const Mpq mb = to_mpq(b);
      EXPECT_EQ(to_mpq(a + b), ma + mb);
      EXPECT_EQ(to_mpq(a - b), ma - mb);
      EXPECT_EQ(to_mpq(a * b), ma * mb);
      if (!b.is_zero()) {
        EXPECT_EQ(to_mpq(a / b), ma / mb);
      }
      EXPECT_EQ(a == b, ma == mb);
      EXPECT_EQ(a < b, ma < mb);
      EXPECT_EQ(a > b, ma > mb);
      const int c = ma.compare(mb);  // mpq_cmp's sign
      EXPECT_EQ(a.compare(b), (c > 0) - (c < 0));
    }
    // Mixed with machine integers, on both sides of FLINT's word-size fast paths.
    for (long k : {0L, 1L, -3L, std::numeric_limits<long>::max(), std::numeric_limits<long>::min()}) {
      EXPECT_EQ(to_mpq(a + k), ma + k);
      EXPECT_EQ(to_mpq(a - k), ma - k);
      EXPECT_EQ(to_mpq(a * k), ma * k);
      EXPECT_EQ(a < k, ma < k);
      EXPECT_EQ(a == k, ma == k);
    }
  }
}

TEST(FmpqRational, AliasedOperandsAreSafe) {
  Rational a(-7, 3);
  a += a;
  EXPECT_EQ(a, Rational(-14, 3));
  a *= a;
  EXPECT_EQ(a, Rational(196, 9));
  a /= a;
  EXPECT_EQ(a, 1);
  a -= a;
  EXPECT_EQ(a, 0);
}

TEST(FmpqRational, ConstructionIsCanonicalAndRefusesWhatIsNotARational) {
  EXPECT_EQ(Rational(6, -4).str(), "-3/2");
  EXPECT_EQ(Rational(Integer(10), Integer(4)), Rational(5, 2));
  EXPECT_EQ(Rational("6/4"), Rational(3, 2));
  EXPECT_EQ(Rational("-12"), -12);
  EXPECT_THROW(Rational(1, 0), std::domain_error);
  EXPECT_THROW(Rational(Integer(1), Integer(0)), std::domain_error);
  EXPECT_THROW(Rational("1/0"), std::domain_error);
  EXPECT_THROW(Rational("one half"), std::domain_error);
  EXPECT_THROW(Rational(1) / Rational(0), std::overflow_error);
  EXPECT_THROW(Rational(std::numeric_limits<double>::quiet_NaN()), std::domain_error);
  EXPECT_THROW(Rational(std::numeric_limits<double>::infinity()), std::domain_error);
}

// A finite double is a dyadic rational: it enters exactly (as GMP's mpq_set_d has it), and a
// rational leaves for double rounded to nearest once, subnormals included.
TEST(FmpqRational, DoublesEnterExactlyAndLeaveRoundedToNearest) {
  const double values[] = {0.0, -0.0, 0.1, -2.5, 1e300, -1e-300, std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::min(), std::numeric_limits<double>::max(), 3.0 / 7};
  for (double d : values) {
    EXPECT_EQ(to_mpq(Rational(d)), Mpq(d)) << d;
    EXPECT_EQ(static_cast<double>(Rational(d)), d) << d;
  }
  EXPECT_EQ(static_cast<double>(Rational(1, 3)), 1.0 / 3.0);
  EXPECT_EQ(static_cast<double>(Rational(-2, 3)), -2.0 / 3.0);  // nearest, not truncated
  // Halfway between the two smallest subnormals rounds to even (0), just above it to denorm_min.
  const Rational tiny = Rational(std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(static_cast<double>(tiny / 2), 0.0);
  EXPECT_EQ(static_cast<double>(tiny / 2 + tiny / 1000), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(static_cast<long>(Rational(-7, 2)), -3);  // truncated toward 0
  EXPECT_EQ(static_cast<long>(Rational(mp::pow(Integer(10), 30))), std::numeric_limits<long>::max());
}

// Into Real: rounded once at the precision in force, which the conversion leaves alone (Boost's
// generic path would raise it to numeric_limits' digits). Out of Real: the exact dyadic value.
TEST(FmpqRational, RealsConvertAtTheWorkingPrecision) {
  const PrecisionScope scope(200);
  const unsigned digits = Real::default_precision();
  const Rational third(1, 3);
  const Real r(third);
  EXPECT_EQ(Real::default_precision(), digits);
  EXPECT_EQ(r.precision(), digits);
  mpfr_t ref;
  mpfr_init2(ref, mpfr_get_prec(r.backend().data()));
  mpfr_set_q(ref, to_mpq(third).backend().data(), MPFR_RNDN);
  EXPECT_EQ(mpfr_cmp(ref, r.backend().data()), 0);
  mpfr_clear(ref);
  const Rational back(r);
  mpq_t exact;
  mpq_init(exact);
  mpfr_get_q(exact, r.backend().data());
  EXPECT_EQ(to_mpq(back), Mpq(exact));
  mpq_clear(exact);
  EXPECT_NE(back, third);
  EXPECT_EQ(denominator(back), mp::pow(Integer(2), static_cast<unsigned>(msb(denominator(back)))));
  EXPECT_EQ(Real(back), r);
  EXPECT_THROW(Rational(Real(std::numeric_limits<double>::quiet_NaN())), std::domain_error);
  const Interval i(third);
  EXPECT_TRUE(contains(i, third));
  EXPECT_FALSE(contains(i, third + Rational(1, 1000000)));
}

// Allocation counting through both libraries' memory hooks.
long g_allocations = 0;
void* counting_malloc(size_t n) { ++g_allocations; return std::malloc(n); }
void* counting_calloc(size_t n, size_t m) { ++g_allocations; return std::calloc(n, m); }
void* counting_realloc(void* p, size_t n) { ++g_allocations; return std::realloc(p, n); }
void* counting_gmp_realloc(void* p, size_t, size_t n) { ++g_allocations; return std::realloc(p, n); }
void plain_free(void* p) { std::free(p); }
void plain_gmp_free(void* p, size_t) { std::free(p); }

template <class F>
long allocations_of(F&& f) {
  void* (*fa)(size_t);
  void* (*fc)(size_t, size_t);
  void* (*fr)(void*, size_t);
  void (*ff)(void*);
  __flint_get_memory_functions(&fa, &fc, &fr, &ff);
  void* (*ga)(size_t);
  void* (*gr)(void*, size_t, size_t);
  void (*gf)(void*, size_t);
  mp_get_memory_functions(&ga, &gr, &gf);
  __flint_set_memory_functions(counting_malloc, counting_calloc, counting_realloc, plain_free);
  mp_set_memory_functions(counting_malloc, counting_gmp_realloc, plain_gmp_free);
  g_allocations = 0;
  f();
  const long n = g_allocations;
  __flint_set_memory_functions(fa, fc, fr, ff);
  mp_set_memory_functions(ga, gr, gf);
  return n;
}

// One exact SGD-like update, theta <- theta - eta (theta x - y) x, on small values.
template <class Q>
Q small_updates(const Q& eta, const Q& x, const Q& y, int steps) {
  Q theta(1);
  for (int i = 0; i < steps; ++i) theta = theta - eta * (theta * x - y) * x;
  return theta;
}

TEST(FmpqRational, SmallValuesDoNotAllocate) {
  // eta x^2 = 1/4 keeps every iterate below 2^62: theta_k = 1 + (y/x - 1)(1 - (3/4)^k).
  const Rational eta(1, 4), x(1), y(3);
  Rational theta;
  EXPECT_EQ(allocations_of([&] { theta = small_updates(eta, x, y, 20); }), 0);
  EXPECT_EQ(theta.str(), small_updates(Mpq(1, 4), Mpq(1), Mpq(3), 20).str());
  // The controls: GMP's mpq allocates for the same loop, and multi-word values allocate here too.
  Mpq m;
  EXPECT_GT(allocations_of([&] { m = small_updates(Mpq(1, 4), Mpq(1), Mpq(3), 20); }), 0);
  const Rational big = parse_rational("123456789012345678901234567890123456789");
  EXPECT_GT(allocations_of([&] { theta = big * big * big; }), 0);
}

// The series ring on multi-word coefficients (the fused c += a b of the Cauchy product):
// (1 + big eta)^2 (1 - big eta)^2 = 1 - 2 big^2 eta^2 + big^4 eta^4, and a += a, a -= a in place.
TEST(FmpqRational, SeriesWithMultiWordCoefficients) {
  using S = Series<Rational>;
  const Rational big = parse_rational("98765432109876543210/3");
  const S eta = S::variable(6);
  const S p = (S(1) + S(big) * eta) * (S(1) + S(big) * eta) * (S(1) - S(big) * eta) *
              (S(1) - S(big) * eta);
  EXPECT_EQ(p[0], 1);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[2], -2 * big * big);
  EXPECT_EQ(p[3], 0);
  EXPECT_EQ(p[4], big * big * big * big);
  EXPECT_EQ(p[5], 0);
  S a = S(big) + eta;
  a += a;
  EXPECT_EQ(a[0], 2 * big);
  EXPECT_EQ(a[1], 2);
  a -= a;
  EXPECT_EQ(a.leading_order(), -1);
  EXPECT_EQ(a.order(), 6);
}

}  // namespace
}  // namespace entropic
