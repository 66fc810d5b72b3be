// FlintRational (the coefficient storage of Series<Rational>) against GMP's mpq, value by value:
// the two must be the same field, with the same canonical values, on word-size and multi-word
// numbers alike.
#include <gtest/gtest.h>

#include <vector>

#include "entropic/numeric/exact_text.hpp"
#include "entropic/numeric/flint_rational.hpp"
#include "entropic/numeric/series.hpp"

namespace entropic {
namespace {

// Word-size values, values around FLINT's inline limit 2^62, and multi-word values.
std::vector<Rational> samples() {
  const Rational big = parse_rational("123456789012345678901234567890/7");
  const Rational limit = Rational(mp::pow(mp::mpz_int(2), 62));
  return {Rational(0),      Rational(1),        Rational(-1),          Rational(3, 4),
          Rational(-22, 7), limit - 1,          limit,                 -limit - 1,
          big,              -big,               Rational(1) / big,     big * big / Rational(3)};
}

TEST(FlintRational, RoundTripsEveryValueExactly) {
  for (const Rational& q : samples()) EXPECT_EQ(FlintRational(q).to_rational(), q) << to_text(q);
}

TEST(FlintRational, ArithmeticIsGmpArithmetic) {
  const auto s = samples();
  for (const Rational& a : s) {
    for (const Rational& b : s) {
      const FlintRational fa(a), fb(b);
      EXPECT_EQ((fa + fb).to_rational(), a + b);
      EXPECT_EQ((fa - fb).to_rational(), a - b);
      EXPECT_EQ((fa * fb).to_rational(), a * b);
      EXPECT_EQ((-fa).to_rational(), -a);
      EXPECT_EQ(fa == fb, a == b);
      if (!b.is_zero()) {
        EXPECT_EQ((fa / fb).to_rational(), a / b);
      }
      FlintRational acc(Rational(5, 3));
      acc.add_product(fa, fb);
      EXPECT_EQ(acc.to_rational(), Rational(5, 3) + a * b);
    }
    EXPECT_EQ(FlintRational(a).sign(), a.sign());
    EXPECT_EQ(FlintRational(a).is_zero(), a.is_zero());
  }
}

TEST(FlintRational, DivisionByZeroThrowsInsteadOfAborting) {
  EXPECT_THROW(FlintRational(Rational(1)) / FlintRational(0), std::domain_error);
}

TEST(FlintRational, AliasedOperandsAreSafe) {
  FlintRational a(Rational(-7, 3));
  a += a;
  EXPECT_EQ(a.to_rational(), Rational(-14, 3));
  a *= a;
  EXPECT_EQ(a.to_rational(), Rational(196, 9));
  FlintRational b(a);
  b.add_product(b, b);
  EXPECT_EQ(b.to_rational(), Rational(196, 9) + Rational(196, 9) * Rational(196, 9));
}

// The series ring on multi-word coefficients: (1 + big eta)^2 (1 - big eta)^2 = 1 - 2 big^2 eta^2
// + big^4 eta^4, and a += a, a -= a in place.
TEST(FlintRational, SeriesWithMultiWordCoefficients) {
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
