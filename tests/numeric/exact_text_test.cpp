// Exact number text (numeric/exact_text.hpp) and the scalar kinds (numeric/kind.hpp): parsing
// without rounding, printing that reads back, and values entering each kind correctly rounded or
// enclosed.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

#include "entropic/numeric/kind.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic {
namespace {

Rational exact_value(const Real& x) {
  mpq_t m;
  mpq_init(m);
  mpfr_get_q(m, x.backend().data());
  Rational q;
  fmpq_set_mpq(q.backend().data(), m);
  mpq_clear(m);
  return q;
}

Rational pow2(int e) {
  Rational r(1);
  for (int i = 0; i < (e < 0 ? -e : e); ++i) r *= 2;
  return e < 0 ? Rational(1 / r) : r;
}

// --- parse_rational ------------------------------------------------------------------------------

TEST(ParseRational, ValidForms) {
  const std::pair<const char*, Rational> cases[] = {
      {"3/4", Rational(3, 4)},       {"-3/6", Rational(-1, 2)},   {"0/5", Rational(0)},
      {"007/010", Rational(7, 10)},  // leading zeros are decimal, not octal
      {"-0.125", Rational(-1, 8)},   {"1e-3", Rational(1, 1000)}, {"2.5E+2", Rational(250)},
      {"+7", Rational(7)},           {"007", Rational(7)},        {"0.0", Rational(0)},
      {"-0", Rational(0)},           {".5", Rational(1, 2)},      {"5.", Rational(5)},
      {"12.5e-1", Rational(5, 4)},   {"1e5", Rational(100000)},   {"0.1", Rational(1, 10)},
      {"-.25e1", Rational(-5, 2)},   {"123456789012345678901234567890",
                                      Rational(Integer("123456789012345678901234567890"))},
  };
  for (const auto& [text, value] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_rational(text), value);
  }
  // 0.1 is exactly one tenth, not the double nearest to it.
  EXPECT_NE(parse_rational("0.1"), Rational(0.1));
  // The exponent limit is on the value's scale, not on the digits written.
  EXPECT_EQ(parse_rational("1e100000"), Rational(mp::pow(Integer(10), 100000)));
}

TEST(ParseRational, InvalidFormsThrowParseError) {
  for (const char* text : {"", "1/0", "nan", "inf", "-inf", "1/2/3", "1.5/2", "--1", "+-1", "1e",
                           "1e+", "e5", ".", "-", "1e999999999", "1e100001", " 1", "1 ", "0x10",
                           "1,5", "3/-4", "/4", "4/", "1.2.3", "1e2.5"}) {
    SCOPED_TRACE(text);
    try {
      parse_rational(text);
      ADD_FAILURE() << "accepted \"" << text << "\"";
    } catch (const parse_error& e) {
      // The message quotes the offending text.
      EXPECT_NE(std::string(e.what()).find("\"" + std::string(text) + "\""), std::string::npos)
          << e.what();
    }
  }
  // parse_error is an invalid_argument, so callers that only know the standard type still catch it.
  EXPECT_THROW(parse_rational("x"), std::invalid_argument);
}

// --- to_text and round trips -----------------------------------------------------------------------

TEST(ToText, RationalIsExact) {
  EXPECT_EQ(to_text(Rational(3, 4)), "3/4");
  EXPECT_EQ(to_text(Rational(-7)), "-7");
  EXPECT_EQ(to_text(Rational(-6, 4)), "-3/2");
  EXPECT_EQ(to_text(Rational(0)), "0");
}

RC_GTEST_PROP(ToText, RationalRoundTrips, ()) {
  const Rational q = *gen::rational(1000000, 1000000);
  RC_ASSERT(parse_rational(to_text(q)) == q);
}

TEST(ToText, DoubleIsShortestRoundTrip) {
  EXPECT_EQ(to_text(0.1), "0.1");
  EXPECT_EQ(to_text(-2.5), "-2.5");
  EXPECT_EQ(to_text(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(to_text(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(to_text(std::nan("")), "nan");
  for (double d : {0.1, 1.0 / 3.0, 1e-300, 5e-324, DBL_MAX, -DBL_MIN, 123456.789, 0.0}) {
    SCOPED_TRACE(d);
    EXPECT_EQ(from_rational<double>(parse_rational(to_text(d))), d);
  }
}

RC_GTEST_PROP(ToText, DoubleRoundTrips, (double d)) {
  RC_PRE(std::isfinite(d));
  RC_ASSERT(from_rational<double>(parse_rational(to_text(d))) == d);
}

TEST(ToText, RealRoundTripsAtItsPrecision) {
  for (unsigned bits : {53u, 64u, 256u}) {
    PrecisionScope scope(bits);
    for (const Rational& q : {Rational(1, 3), Rational(-22, 7), Rational(1, 1000000007),
                              Rational(Integer("98765432109876543210987"), 3)}) {
      const Real x(q);
      const std::string text = to_text(x);
      SCOPED_TRACE(std::to_string(bits) + " bits: " + text);
      EXPECT_EQ(Real(parse_rational(text)), x);
    }
  }
  PrecisionScope scope(64);
  EXPECT_EQ(to_text(Real(Rational(1, 4))), "2.5e-1");
  EXPECT_EQ(to_text(Real(0)), "0");
}

TEST(ToText, IntervalEndpointsEncloseAndReadBack) {
  PrecisionScope scope(80);
  for (const Rational& q : {Rational(1, 3), Rational(-2, 7), Rational(5), Rational(1, 1024)}) {
    const Interval x = from_rational<Interval>(q);
    const std::string text = to_text(x);
    SCOPED_TRACE(text);
    ASSERT_EQ(text.front(), '[');
    ASSERT_EQ(text.back(), ']');
    const auto comma = text.find(", ");
    ASSERT_NE(comma, std::string::npos);
    const Rational lo = parse_rational(text.substr(1, comma - 1));
    const Rational hi = parse_rational(text.substr(comma + 2, text.size() - comma - 3));
    // The printed endpoints are rounded outward: they enclose the interval, hence the value ...
    EXPECT_LE(lo, exact_value(lower(x)));
    EXPECT_GE(hi, exact_value(upper(x)));
    EXPECT_LE(lo, q);
    EXPECT_GE(hi, q);
    // ... and read back as an enclosure of the same interval.
    const Interval back = hull(from_rational<Interval>(lo), from_rational<Interval>(hi));
    EXPECT_TRUE(contains(back, x));
  }
  EXPECT_EQ(to_text(from_rational<Interval>(Rational(1, 2))), "[5e-1, 5e-1]");  // exact points print exactly
}

// --- ScalarKind -------------------------------------------------------------------------------------

TEST(ScalarKind, NamesCarryThePrecision) {
  PrecisionScope scope(128);
  EXPECT_EQ(ScalarKind<Rational>::name(), "rational");
  EXPECT_EQ(ScalarKind<double>::name(), "double");
  EXPECT_EQ(ScalarKind<Real>::name(), "real:" + std::to_string(scope.bits()));
  EXPECT_EQ(ScalarKind<Interval>::name(), "interval:" + std::to_string(scope.bits()));
  EXPECT_EQ((ScalarKind<Series<Rational, 2>>::name()), "series<rational>");
  EXPECT_EQ(ScalarKind<Dual<Dual<Rational>>>::name(), "dual<dual<rational>>");
  EXPECT_EQ(ScalarKind<Dual<Interval>>::evidence, Evidence::certified);
  EXPECT_EQ(ScalarKind<double>::evidence, Evidence::floating);
}

TEST(ScalarKind, PrecisionScopeRestores) {
  const unsigned before = working_precision_bits();
  {
    PrecisionScope scope(300);
    EXPECT_GE(working_precision_bits(), 300u);
    EXPECT_EQ(working_precision_bits(), scope.bits());
  }
  EXPECT_EQ(working_precision_bits(), before);
  EXPECT_THROW(set_working_precision(4), std::invalid_argument);
}

// IEEE division is correctly rounded, so p / q in double is the reference for the rational p/q.
RC_GTEST_PROP(ScalarKind, DoubleFromRationalMatchesIeeeDivision, ()) {
  const int p = *rc::gen::inRange(-1000000, 1000000);
  const int q = *rc::gen::inRange(1, 1000000);
  RC_ASSERT(from_rational<double>(Rational(p, q)) == double(p) / double(q));
}

TEST(ScalarKind, DoubleFromRationalIsCorrectlyRounded) {
  EXPECT_EQ(from_rational<double>(Rational(1, 3)), 1.0 / 3.0);
  EXPECT_EQ(from_rational<double>(Rational(-2, 3)), -2.0 / 3.0);  // mpq_get_d truncates toward 0
  const Rational ulp1 = pow2(-52);  // the spacing of doubles in [1, 2)
  // Ties go to even: 1 + ulp/2 -> 1, 1 + 3 ulp/2 -> 1 + 2 ulp.
  EXPECT_EQ(from_rational<double>(1 + ulp1 / 2), 1.0);
  EXPECT_EQ(from_rational<double>(1 + 3 * ulp1 / 2), 1.0 + 2 * std::ldexp(1.0, -52));
  // Just above the tie rounds up (truncation would give 1).
  EXPECT_EQ(from_rational<double>(1 + ulp1 / 2 + pow2(-80)), 1.0 + std::ldexp(1.0, -52));
  EXPECT_EQ(from_rational<double>(Rational(DBL_MAX)), DBL_MAX);
  EXPECT_EQ(from_rational<double>(pow2(1024)), std::numeric_limits<double>::infinity());
}

TEST(ScalarKind, DoubleFromRationalIsCorrectlyRoundedBelowTheNormalRange) {
  // Subnormals are spaced by the smallest one, u = 2^-1074. Rounding first to 53 bits and then to
  // the subnormal grid rounds twice; the result must be the double nearest to the rational.
  const Rational u = pow2(-1074);
  const double denorm_min = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(from_rational<double>(u), denorm_min);
  EXPECT_EQ(from_rational<double>(u / 2), 0.0);                 // tie between 0 and u: even is 0
  EXPECT_EQ(from_rational<double>(3 * u / 2), 2 * denorm_min);  // tie between u and 2u: even is 2u
  // u/2 + u 2^-60 is above the tie (nearest: u); at 53 bits it would round down onto the tie.
  EXPECT_EQ(from_rational<double>(u / 2 + u * pow2(-60)), denorm_min);
  // The same in the subnormal range away from 0: 5u + u/2 + tiny -> 6u.
  EXPECT_EQ(from_rational<double>(5 * u + u / 2 + u * pow2(-70)), 6 * denorm_min);
  EXPECT_EQ(from_rational<double>(-(u / 2 + u * pow2(-60))), -denorm_min);
  EXPECT_EQ(from_rational<double>(Rational(DBL_MIN)), DBL_MIN);
}

TEST(ScalarKind, RealFromRationalIsCorrectlyRounded) {
  PrecisionScope scope(64);
  // 1/3 lies in [1/4, 1/2), where 64-bit numbers are spaced by ulp = 2^(-2-63) = 2^-65: the
  // nearest one is within ulp/2 = 2^-66, and 1/3 itself is not representable.
  const Real x = from_rational<Real>(Rational(1, 3));
  Rational err = exact_value(x) - Rational(1, 3);
  if (err < 0) err = -err;
  EXPECT_LE(err, pow2(-66));
  EXPECT_GT(err, 0);
}

RC_GTEST_PROP(ScalarKind, IntervalEnclosesTheRational, ()) {
  const Rational q = *gen::rational(1000000, 1000000);
  PrecisionScope scope(*rc::gen::element(53u, 64u, 200u));
  const Interval x = from_rational<Interval>(q);
  RC_ASSERT(exact_value(lower(x)) <= q);
  RC_ASSERT(q <= exact_value(upper(x)));
  // Tight: at most one ulp wide.
  RC_ASSERT(width(x) <= abs(upper(x)) * upper(Eigen::NumTraits<Interval>::epsilon()));
}

TEST(ScalarKind, SeriesAndDualTakeTheirCoefficientKind) {
  const auto s = from_rational<Series<Rational, 3>>(Rational(2, 5));
  EXPECT_TRUE(s.exact());
  EXPECT_EQ(s[0], Rational(2, 5));
  const auto d = from_rational<Dual<Rational>>(Rational(2, 5));
  EXPECT_EQ(d.value(), Rational(2, 5));
  EXPECT_EQ(d.tangent(), 0);
  Mat<Rational> m(1, 2);
  m << Rational(1, 2), Rational(-3, 4);
  const Mat<double> md = from_rational<double>(m);
  EXPECT_EQ(md(0, 0), 0.5);
  EXPECT_EQ(md(0, 1), -0.75);
}

}  // namespace
}  // namespace entropic
