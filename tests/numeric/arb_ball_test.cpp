// Interval as an Arb ball (numeric/arb_ball.hpp), against exact rational arithmetic, at random
// precisions (32 to 512 bits) as Arb tests its own functions:
//   - + - * / of two enclosures contain the exact result and are narrow: a rational moved by
//     2^(-bits/2) of the result's size lies outside (the negative control);
//   - the elementary functions contain values known exactly (exp(log q) = q, sqrt(q^2) = |q|,
//     tanh from exp) and are narrow;
//   - comparisons are certain or refused: disjoint balls order, identical ones are equal, and two
//     that overlap and differ throw interval_error, as the sign of a ball holding 0 does;
//   - [lo, hi] from its ends contains both ends and is no wider than the radius's 30 bits allow;
//     an empty or non-finite pair of ends is refused;
//   - the width of a rounded value follows the working precision in force.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <mpfr.h>

#include <limits>
#include <string>

#include "entropic/gen/generators.hpp"
#include "entropic/numeric/elementary.hpp"
#include "entropic/numeric/kind.hpp"

namespace entropic {
namespace {

rc::Gen<unsigned> precisions() { return rc::gen::inRange(32u, 513u); }

Rational abs_q(const Rational& q) { return q < 0 ? Rational(-q) : q; }
Rational size_of(const Rational& q) { return std::max(Rational(1), abs_q(q)); }

// The value of a Real, exactly.
Rational exactly(const Real& r) {
  mpq_t m;
  mpq_init(m);
  mpfr_get_q(m, r.backend().data());
  Rational q;
  fmpq_set_mpq(q.backend().data(), m);
  mpq_clear(m);
  return q;
}

// 2^-e as a rational.
Rational two_to_minus(unsigned e) { return Rational(1) / Rational(mp::pow(Integer(2), e)); }

// x contains q, is at most `slack` ulps of the precision wide relative to q's size, and excludes the
// neighbours q +- 2^(-bits/2) size(q) (the negative control: an enclosure that contains everything
// would pass the first test).
void check_encloses(const Interval& x, const Rational& q, unsigned bits, const std::string& what) {
  RC_LOG() << what << " = " << to_text(q) << ", enclosure " << to_text(x) << " at " << bits << " bits\n";
  RC_ASSERT(contains(x, q));
  RC_ASSERT(exactly(width(x)) <= size_of(q) * two_to_minus(bits - 8));
  const Rational step = size_of(q) * two_to_minus(bits / 2);
  RC_ASSERT(!contains(x, Rational(q + step)));
  RC_ASSERT(!contains(x, Rational(q - step)));
}

RC_GTEST_PROP(ArbBall, ArithmeticEnclosesTheExactRationalResult, ()) {
  const unsigned bits = *precisions();
  const Rational a = *gen::rational(999, 999), b = *gen::nonzero_rational(999, 999);
  const PrecisionScope precision(bits);
  const Interval x = from_rational<Interval>(a), y = from_rational<Interval>(b);
  check_encloses(x, a, bits, "a");
  check_encloses(x + y, a + b, bits, "a + b");
  check_encloses(x - y, a - b, bits, "a - b");
  check_encloses(x * y, a * b, bits, "a b");
  check_encloses(x / y, a / b, bits, "a / b");
  check_encloses(x * 3 - y / 7, a * 3 - b / 7, bits, "3a - b/7");  // the word-size operand paths
}

RC_GTEST_PROP(ArbBall, ElementaryFunctionsContainKnownValues, ()) {
  const unsigned bits = *precisions();
  const Rational q = *gen::positive_rational(99, 99), s = *gen::rational(99, 99);
  const PrecisionScope precision(bits);
  const Interval x = from_rational<Interval>(q), t = from_rational<Interval>(s);
  check_encloses(exp(log(x)), q, bits - 8, "exp(log q)");
  check_encloses(sqrt(t * t), abs_q(s), bits - 8, "sqrt(s^2)");
  check_encloses(elem::sqrt(x) * elem::sqrt(x), q, bits - 8, "sqrt(q)^2");
  // tanh(q) = (e^{2q} - 1) / (e^{2q} + 1): two enclosures of one number overlap, and each is narrow.
  const Interval e2 = exp(2 * x), by_exp = (e2 - 1) / (e2 + 1), direct = elem::tanh(x);
  RC_ASSERT(overlap(direct, by_exp));
  RC_ASSERT(Real(width(direct)) <= ldexp(Real(1), 8 - static_cast<int>(bits)));
  RC_ASSERT(!overlap(direct, by_exp + ldexp(Interval(1), -static_cast<int>(bits / 2))));
}

RC_GTEST_PROP(ArbBall, ComparisonsAreCertainOrRefused, ()) {
  const Rational a = *gen::rational(99, 99), b = *gen::rational(99, 99);
  const PrecisionScope precision(128);
  const Interval x = from_rational<Interval>(a), y = from_rational<Interval>(b);
  if (a != b) {
    RC_ASSERT((x < y) == (a < b));
    RC_ASSERT((x > y) == (a > b));
    RC_ASSERT(!(x == y));
  }
  RC_ASSERT(x == from_rational<Interval>(a));
  // A ball around a that also holds a +- 1 overlaps x and differs from it: no answer is certain.
  const Interval wide = x + Interval(-1, 1);
  RC_ASSERT_THROWS_AS((void)(wide < x), interval_error);
  RC_ASSERT_THROWS_AS((void)(wide == x), interval_error);
  RC_ASSERT_THROWS_AS((void)(x - wide).sign(), interval_error);
  RC_ASSERT(x.sign() == a.sign());
}

TEST(ArbBall, EndsEncloseAndAreRefusedWhenEmpty) {
  const PrecisionScope precision(128);
  const Real lo("-0.75"), hi("2.5");
  const Interval x(lo, hi);
  EXPECT_LE(lower(x), lo);
  EXPECT_GE(upper(x), hi);
  // The radius carries 30 bits: [lo, hi] widens by at most 2^-29 of its half-width at each end.
  const Real slack = ldexp((hi - lo) / 2, -29);
  EXPECT_GE(lower(x), lo - slack);
  EXPECT_LE(upper(x), hi + slack);
  EXPECT_TRUE(contains(x, Rational(-3, 4)));
  EXPECT_TRUE(contains(x, Rational(5, 2)));
  EXPECT_FALSE(contains(x, Rational(-3, 4) - Rational(1, 1000)));  // negative control
  EXPECT_EQ(Interval(Real(1), Real(1)), Interval(1));                 // a point is exact
  EXPECT_EQ(width(Interval(1)), 0);
  EXPECT_THROW(Interval(hi, lo), interval_error);
  EXPECT_THROW(Interval(2, 1), interval_error);
  EXPECT_THROW(Interval(0.0, std::numeric_limits<double>::infinity()), interval_error);
  // |x| of a ball that holds 0 starts at 0 (up to the radius's rounding), not at |mid| - rad.
  const Interval a = abs(x);
  EXPECT_TRUE(contains(a, Rational(0)));
  EXPECT_TRUE(contains(a, Rational(5, 2)));
  EXPECT_GE(lower(a), -ldexp(Real(hi), -28));
}

TEST(ArbBall, WidthFollowsTheWorkingPrecision) {
  for (unsigned bits : {64u, 128u, 256u, 1024u}) {
    const PrecisionScope precision(bits);
    EXPECT_EQ(working_precision_bits(), precision.bits());
    const Interval third = from_rational<Interval>(Rational(1, 3));
    EXPECT_GT(width(third), 0);
    EXPECT_LE(width(third), ldexp(Real(1), 1 - static_cast<int>(precision.bits())));
    EXPECT_GT(width(third), ldexp(Real(1), -8 - static_cast<int>(precision.bits())));  // not wider precision
  }
}

TEST(ArbBall, NonFiniteValuesAreSeen) {
  const PrecisionScope precision(128);
  EXPECT_TRUE(is_finite(Interval(1)));
  EXPECT_FALSE(is_finite(Interval(1) / Interval(0)));
  EXPECT_FALSE(is_finite(log(Interval(0))));
  EXPECT_FALSE(is_finite(Interval(std::numeric_limits<double>::quiet_NaN())));
}

}  // namespace
}  // namespace entropic
