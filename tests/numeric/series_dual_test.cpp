// Series<T, K> (truncated power series in eta), Dual<T> (forward-mode derivatives) and the
// elementary functions over every scalar kind. Reference expansions are the classical Maclaurin
// series (Abramowitz & Stegun 4.2.1, 4.1.24, 3.6.9, 4.5.64); the Real references are computed at a
// higher precision than the enclosures they are compared with.
#include <gtest/gtest.h>

#include <vector>

#include "entropic/numeric/kind.hpp"

namespace entropic {
namespace {

constexpr int K = 8;
using SeriesQ = Series<Rational, K>;

Rational factorial(int n) {
  Rational f(1);
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

// Binomial coefficient C(a, n) for rational a.
Rational binomial(const Rational& a, int n) {
  Rational c(1);
  for (int i = 0; i < n; ++i) c = c * (a - i) / Rational(i + 1);
  return c;
}

void expect_coefficients(const SeriesQ& s, const std::vector<Rational>& expected) {
  ASSERT_GE(s.order(), static_cast<int>(expected.size()) - 1);
  for (size_t n = 0; n < expected.size(); ++n)
    EXPECT_EQ(s[static_cast<int>(n)], expected[n]) << "coefficient of eta^" << n;
}

// --- Series: ring operations and truncation order -----------------------------------------------

TEST(Series, VariableIsEtaKnownToItsOrder) {
  const SeriesQ eta = SeriesQ::variable();
  EXPECT_EQ(eta.order(), K);
  EXPECT_FALSE(eta.exact());
  EXPECT_EQ(eta[0], 0);
  EXPECT_EQ(eta[1], 1);
  EXPECT_EQ(eta[K], 0);
  EXPECT_THROW(eta[K + 1], std::out_of_range);
  EXPECT_THROW(eta[-1], std::out_of_range);
  EXPECT_THROW(SeriesQ::variable(0), std::invalid_argument);
  // With a run-time order there is no default: the order must be given.
  EXPECT_THROW(Series<Rational>::variable(), std::invalid_argument);
  EXPECT_EQ(Series<Rational>::variable(3).order(), 3);
}

TEST(Series, ConstantsAreExact) {
  const SeriesQ c(Rational(2, 3));
  EXPECT_TRUE(c.exact());
  EXPECT_EQ(c.order(), SeriesQ::kExact);
  EXPECT_EQ(c[0], Rational(2, 3));
  EXPECT_EQ(c[1000], 0);  // an exact constant knows every coefficient
  EXPECT_EQ(c.degree(), 0);
}

TEST(Series, CoefficientsBeyondTheOrderAreDropped) {
  const SeriesQ s({1, 2, 3, 4}, 2);
  EXPECT_EQ(s.order(), 2);
  EXPECT_EQ(s.degree(), 2);
  EXPECT_EQ(s[2], 3);
  EXPECT_THROW(s[3], std::out_of_range);
  EXPECT_THROW(SeriesQ({1}, -1), std::invalid_argument);
}

TEST(Series, SumKeepsTheSmallestOrder) {
  const SeriesQ p({1, 2, 3}, SeriesQ::kExact);  // 1 + 2 eta + 3 eta^2, exact
  const Series<Rational> e1 = Series<Rational>::variable(1);
  const Series<Rational> sum = Series<Rational>({1, 2, 3}, Series<Rational>::kExact) + e1;
  EXPECT_EQ(sum.order(), 1);
  EXPECT_EQ(sum[0], 1);
  EXPECT_EQ(sum[1], 3);
  EXPECT_THROW(sum[2], std::out_of_range);  // the 3 eta^2 is not known to order 1
  const SeriesQ diff = p - p;
  EXPECT_TRUE(diff.exact());
  EXPECT_EQ(diff.leading_order(), -1);
  EXPECT_EQ(diff[5], 0);
}

TEST(Series, ProductOrderAndCoefficients) {
  // Exact polynomials multiply exactly: (1 + eta)(1 - eta) = 1 - eta^2.
  const SeriesQ a({1, 1}, SeriesQ::kExact), b({1, -1}, SeriesQ::kExact);
  const SeriesQ ab = a * b;
  EXPECT_TRUE(ab.exact());
  EXPECT_EQ(ab.degree(), 2);
  EXPECT_EQ(ab[1], 0);
  EXPECT_EQ(ab[2], -1);
  // Truncated operands: the product is known to the smaller order.
  const SeriesQ t3({1, 1}, 3), t5({2, 0, 1}, 5);
  const SeriesQ prod = t3 * t5;  // (1 + eta + O(eta^4)) (2 + eta^2 + O(eta^6))
  EXPECT_EQ(prod.order(), 3);
  expect_coefficients(prod, {2, 2, 1, 1});
  EXPECT_THROW(prod[4], std::out_of_range);
  // Products of eta with itself: eta^k + O(eta^{K+1}), and eta^{K+1} is beyond the order.
  const SeriesQ eta = SeriesQ::variable();
  SeriesQ power(1);
  for (int k = 1; k <= K + 1; ++k) power *= eta;
  EXPECT_EQ(power.order(), K);
  EXPECT_EQ(power.leading_order(), -1);  // every known coefficient of eta^{K+1} is 0
}

TEST(Series, GeometricSeriesFromDivision) {
  const SeriesQ eta = SeriesQ::variable();
  const SeriesQ q = SeriesQ(1) / (SeriesQ(1) - eta);  // sum eta^n
  EXPECT_EQ(q.order(), K);
  for (int n = 0; n <= K; ++n) EXPECT_EQ(q[n], 1) << n;
  // (1 + eta)/(1 - eta) = 1 + 2 sum_{n >= 1} eta^n
  const SeriesQ r = (SeriesQ(1) + eta) / (SeriesQ(1) - eta);
  EXPECT_EQ(r[0], 1);
  for (int n = 1; n <= K; ++n) EXPECT_EQ(r[n], 2) << n;
  // Division by an exact nonzero constant keeps the dividend's order.
  const SeriesQ half = eta / SeriesQ(2);
  EXPECT_EQ(half.order(), K);
  EXPECT_EQ(half[1], Rational(1, 2));
}

TEST(Series, DivisionByZeroConstantTermThrows) {
  const SeriesQ eta = SeriesQ::variable();
  EXPECT_THROW(SeriesQ(1) / eta, std::domain_error);
  EXPECT_THROW(eta / (eta * eta), std::domain_error);
  EXPECT_THROW(SeriesQ(1) / SeriesQ(0), std::domain_error);
  // Two exact polynomials have no truncation order for their quotient.
  EXPECT_THROW(SeriesQ({1, 1}, SeriesQ::kExact) / SeriesQ({1, -1}, SeriesQ::kExact),
               std::domain_error);
}

TEST(Series, EqualityAsFarAsBothAreKnown) {
  const SeriesQ a({1, 2, 3}, 2), b({1, 2, 3, 99}, 5), c({1, 2, 4}, 5);
  EXPECT_EQ(a, b);  // agree through eta^2, the order of a
  EXPECT_NE(a, c);
  EXPECT_NE(b, c);
}

// --- Series: elementary functions against their Maclaurin series --------------------------------

TEST(Series, ExpIsSumOfEtaToTheNOverNFactorial) {
  const SeriesQ e = exp(SeriesQ::variable());
  EXPECT_EQ(e.order(), K);
  for (int n = 0; n <= K; ++n) EXPECT_EQ(e[n], 1 / factorial(n)) << n;
  // exp(2 eta) = sum 2^n eta^n / n!
  const SeriesQ e2 = exp(SeriesQ(2) * SeriesQ::variable());
  Rational two_n(1);
  for (int n = 0; n <= K; ++n, two_n *= 2) EXPECT_EQ(e2[n], two_n / factorial(n)) << n;
}

TEST(Series, LogOfOnePlusEta) {
  const SeriesQ l = log(SeriesQ(1) + SeriesQ::variable());
  EXPECT_EQ(l[0], 0);
  for (int n = 1; n <= K; ++n) EXPECT_EQ(l[n], Rational(n % 2 ? 1 : -1, n)) << n;  // (-1)^{n+1}/n
  // log(exp(a)) = a for a = eta - eta^2/3.
  const SeriesQ a = SeriesQ::variable() - SeriesQ::variable() * SeriesQ::variable() / SeriesQ(3);
  EXPECT_EQ(log(exp(a)), a);
}

TEST(Series, SqrtOfOnePlusEtaIsBinomial) {
  const SeriesQ r = sqrt(SeriesQ(1) + SeriesQ::variable());
  for (int n = 0; n <= K; ++n) EXPECT_EQ(r[n], binomial(Rational(1, 2), n)) << n;
  EXPECT_EQ(r[2], Rational(-1, 8));  // 1 + eta/2 - eta^2/8 + eta^3/16 - ...
  EXPECT_EQ(r * r, SeriesQ(1) + SeriesQ::variable());
  // sqrt(4 + eta) = 2 sqrt(1 + eta/4): constant term from an exact rational square root.
  const SeriesQ r4 = sqrt(SeriesQ(4) + SeriesQ::variable());
  EXPECT_EQ(r4[0], 2);
  EXPECT_EQ(r4[1], Rational(1, 4));
  EXPECT_THROW(sqrt(SeriesQ::variable()), std::domain_error);  // zero constant term
  EXPECT_THROW(sqrt(SeriesQ(2) + SeriesQ::variable()), not_rational);
}

TEST(Series, TanhOfEta) {
  // tanh x = x - x^3/3 + 2 x^5/15 - 17 x^7/315 + ...
  const SeriesQ t = tanh(SeriesQ::variable());
  expect_coefficients(t, {0, 1, 0, Rational(-1, 3), 0, Rational(2, 15), 0, Rational(-17, 315), 0});
  EXPECT_EQ(t.order(), K);
}

// exp, log, sqrt and tanh of an exact constant are exact constants: a parameter that does not depend
// on eta yet must not truncate every later product to order 0.
TEST(Series, ElementaryFunctionsOfExactConstantsStayExact) {
  const SeriesQ eta = SeriesQ::variable();
  EXPECT_TRUE(exp(SeriesQ(0)).exact());
  EXPECT_TRUE(log(SeriesQ(1)).exact());
  EXPECT_TRUE(sqrt(SeriesQ(Rational(9, 4))).exact());
  EXPECT_TRUE(tanh(SeriesQ(0)).exact());
  EXPECT_EQ(sqrt(SeriesQ(Rational(9, 4)))[0], Rational(3, 2));
  // The case that matters: a constant factor times eta keeps eta's order.
  const SeriesQ step = exp(SeriesQ(0)) * eta + sqrt(SeriesQ(4)) * eta * eta;
  EXPECT_EQ(step.order(), K);
  EXPECT_EQ(step[1], 1);
  EXPECT_EQ(step[2], 2);
}

TEST(Series, CertifiedCoefficientsOverIntervals) {
  PrecisionScope scope(128);
  using SeriesI = Series<Interval, 4>;
  // exp(1/2 + eta) = e^{1/2} sum eta^n/n!: each coefficient encloses e^{1/2}/n!.
  const SeriesI e = exp(SeriesI(from_rational<Interval>(Rational(1, 2))) + SeriesI::variable());
  Real reference;
  {
    PrecisionScope finer(256);
    reference = exp(Real(Rational(1, 2)));
  }
  for (int n = 0; n <= 4; ++n) {
    const Interval expected = Interval(reference) / from_rational<Interval>(factorial(n));
    EXPECT_TRUE(overlap(e[n], expected)) << n;
    EXPECT_TRUE(contains(e[n], Real(reference / Real(factorial(n))))) << n;
  }
}

// --- branch decisions ------------------------------------------------------------------------------

TEST(Series, BranchSignIsTheSignOfTheFirstNonzeroCoefficient) {
  const SeriesQ eta = SeriesQ::variable();
  EXPECT_EQ(branch_sign(SeriesQ(0)), 0);
  EXPECT_EQ(branch_sign(SeriesQ(Rational(-1, 9))), -1);
  EXPECT_EQ(branch_sign(eta), 1);
  EXPECT_EQ(branch_sign(SeriesQ({0, 0, Rational(-1, 2), 5}, 4)), -1);
  EXPECT_EQ(branch_sign(eta - eta * eta), 1);            // positive for small eta > 0
  EXPECT_EQ(branch_sign(eta * eta * eta - eta), -1);
  EXPECT_TRUE(eta > SeriesQ(0));
  EXPECT_TRUE(eta * eta < eta);
  EXPECT_TRUE(SeriesQ(0) <= SeriesQ(0));
  EXPECT_FALSE(SeriesQ(0) < SeriesQ(0));
  // Every known coefficient zero: the sign is undecided (0), not positive.
  EXPECT_EQ(branch_sign(SeriesQ({0}, 3)), 0);
}

// --- Dual numbers --------------------------------------------------------------------------------

using DualQ = Dual<Rational>;

TEST(Dual, DerivativeOfPolynomialIsExact) {
  // p(x) = 3x^3 - 2x + 5, p'(x) = 9x^2 - 2; at x = 2/3:
  // p(2/3) = 3 (8/27) - 4/3 + 5 = 8/9 - 12/9 + 45/9 = 41/9;  p'(2/3) = 9 (4/9) - 2 = 2.
  const DualQ x(Rational(2, 3), 1);
  const DualQ p = DualQ(3) * x * x * x - DualQ(2) * x + DualQ(5);
  EXPECT_EQ(p.value(), Rational(41, 9));
  EXPECT_EQ(p.tangent(), 2);
}

TEST(Dual, DerivativeOfQuotient) {
  // f(x) = 1/(1 + x^2), f'(x) = -2x/(1 + x^2)^2; at x = 1/2: f = 4/5, f' = -1/(25/16) = -16/25.
  const DualQ x(Rational(1, 2), 1);
  const DualQ f = DualQ(1) / (DualQ(1) + x * x);
  EXPECT_EQ(f.value(), Rational(4, 5));
  EXPECT_EQ(f.tangent(), Rational(-16, 25));
}

TEST(Dual, ElementaryFunctionsAtRationalPoints) {
  EXPECT_EQ(exp(DualQ(0, 3)), DualQ(1, 3));          // exp'(0) = 1
  EXPECT_EQ(log(DualQ(1, 3)), DualQ(0, 3));          // log'(1) = 1
  EXPECT_EQ(tanh(DualQ(0, 3)), DualQ(0, 3));         // tanh'(0) = 1
  EXPECT_EQ(sqrt(DualQ(Rational(4, 9), 1)), DualQ(Rational(2, 3), Rational(3, 4)));  // 1/(2 sqrt x)
  EXPECT_THROW(exp(DualQ(1, 1)), not_rational);
}

TEST(Dual, ElementaryFunctionsCertifiedOverIntervals) {
  PrecisionScope scope(128);
  using DualI = Dual<Interval>;
  const Interval x0 = from_rational<Interval>(Rational(1, 3));
  // References from independent formulas at 256 bits:
  // exp' = exp, log'(x) = 1/x, tanh' = 1/cosh^2, sqrt'(x) = 1/(2 sqrt x).
  Real d_exp, d_log, d_tanh, d_sqrt;
  {
    PrecisionScope finer(256);
    const Real x(Rational(1, 3));
    d_exp = exp(x);
    d_log = 1 / x;
    d_tanh = 1 / (cosh(x) * cosh(x));
    d_sqrt = 1 / (2 * sqrt(x));
  }
  const Real tolerance = 64 * upper(Eigen::NumTraits<Interval>::epsilon());
  for (const auto& [name, got, reference] :
       {std::tuple{"exp", exp(DualI(x0, 1)).tangent(), d_exp},
        std::tuple{"log", log(DualI(x0, 1)).tangent(), d_log},
        std::tuple{"tanh", tanh(DualI(x0, 1)).tangent(), d_tanh},
        std::tuple{"sqrt", sqrt(DualI(x0, 1)).tangent(), d_sqrt}}) {
    EXPECT_TRUE(contains(got, reference)) << name << ": " << to_text(got);
    EXPECT_LE(width(got), tolerance * abs(reference)) << name;
  }
}

TEST(Dual, ChainRule) {
  // d/dx exp(x^2 - x) at x = 1: (2x - 1) exp(0) = 1.
  const DualQ x(1, 1);
  EXPECT_EQ(exp(x * x - x).tangent(), 1);
  // d/dx sqrt(x^2 + 9/16) at x = 1: x / sqrt(...) = 1/(5/4) = 4/5.
  EXPECT_EQ(sqrt(x * x + DualQ(Rational(9, 16))).tangent(), Rational(4, 5));
}

TEST(Dual, ComparisonsLookAtValuesOnly) {
  EXPECT_TRUE(DualQ(1, 5) < DualQ(2, -5));
  EXPECT_FALSE(DualQ(1, 5) < DualQ(1, 6));
  EXPECT_NE(DualQ(1, 5), DualQ(1, 6));  // equality does see the tangent
  EXPECT_EQ(branch_sign(DualQ(Rational(-1, 3), 100)), -1);
  EXPECT_EQ(branch_sign(DualQ(0, 1)), 0);
}

// Second derivatives from Dual<Dual<Rational>>: x = (x0 + e1) + e2 gives f(x).tangent().tangent() =
// f''(x0) and f(x).tangent().value() = f(x).value().tangent() = f'(x0).
using Dual2 = Dual<DualQ>;
Dual2 seed2(const Rational& x0) { return Dual2(DualQ(x0, 1), DualQ(1, 0)); }

TEST(Dual, NestedSecondDerivativeOfPolynomial) {
  // f = x^4 - 2x^2: f' = 4x^3 - 4x, f'' = 12x^2 - 4; at x = 1/2: f' = -3/2, f'' = -1.
  const Dual2 x = seed2(Rational(1, 2));
  const Dual2 f = x * x * x * x - Dual2(2) * x * x;
  EXPECT_EQ(f.value().value(), Rational(1, 16) - Rational(1, 2));
  EXPECT_EQ(f.value().tangent(), Rational(-3, 2));
  EXPECT_EQ(f.tangent().value(), Rational(-3, 2));
  EXPECT_EQ(f.tangent().tangent(), -1);
}

TEST(Dual, NestedSecondDerivativeOfQuotientAndSqrt) {
  // (1/x)'' = 2/x^3 = 16 at x = 1/2.
  const Dual2 f = Dual2(1) / seed2(Rational(1, 2));
  EXPECT_EQ(f.tangent().tangent(), 16);
  // sqrt(x)'' = -x^{-3/2}/4 = -1/32 at x = 4.
  const Dual2 r = sqrt(seed2(4));
  EXPECT_EQ(r.value().value(), 2);
  EXPECT_EQ(r.tangent().value(), Rational(1, 4));
  EXPECT_EQ(r.tangent().tangent(), Rational(-1, 32));
  // exp(x)'' = 1 and tanh(x)'' = -2 tanh sech^2 = 0 at x = 0.
  EXPECT_EQ(exp(seed2(0)).tangent().tangent(), 1);
  EXPECT_EQ(tanh(seed2(0)).tangent().tangent(), 0);
  EXPECT_EQ(tanh(seed2(0)).tangent().value(), 1);
}

// --- elementary functions on Rational: exact or refused ---------------------------------------------

TEST(Elementary, RationalValuesAreExactWhereRational) {
  EXPECT_EQ(elem::exp(Rational(0)), 1);
  EXPECT_EQ(elem::log(Rational(1)), 0);
  EXPECT_EQ(elem::tanh(Rational(0)), 0);
  EXPECT_EQ(elem::sqrt(Rational(0)), 0);
  EXPECT_EQ(elem::sqrt(Rational(9, 4)), Rational(3, 2));
  EXPECT_EQ(elem::sqrt(Rational(144, 169)), Rational(12, 13));
  // 10^140 is far beyond double; its square root 10^70 is still exact.
  const Integer ten70 = mp::pow(Integer(10), 70);
  EXPECT_EQ(elem::sqrt(Rational(ten70 * ten70)), Rational(ten70));
  EXPECT_EQ(elem::sqrt(Rational(Integer(1), ten70 * ten70)), Rational(Integer(1), ten70));
}

TEST(Elementary, IrrationalValuesThrowNotRational) {
  EXPECT_THROW(elem::exp(Rational(1)), not_rational);
  EXPECT_THROW(elem::log(Rational(2)), not_rational);
  EXPECT_THROW(elem::tanh(Rational(1, 2)), not_rational);
  EXPECT_THROW(elem::sqrt(Rational(2)), not_rational);
  EXPECT_THROW(elem::sqrt(Rational(4, 3)), not_rational);  // numerator square, denominator not
  EXPECT_THROW(elem::sqrt(Rational(8, 9)), not_rational);  // denominator square, numerator not
  // A negative argument is a domain error, not a request for more precision.
  try {
    elem::sqrt(Rational(-4));
    ADD_FAILURE() << "sqrt(-4) did not throw";
  } catch (const not_rational&) {
    ADD_FAILURE() << "sqrt(-4) reported as irrational";
  } catch (const std::domain_error&) {
  }
  // The message tells the user what to do.
  try {
    elem::exp(Rational(1, 3));
  } catch (const not_rational& e) {
    EXPECT_NE(std::string(e.what()).find("exp(1/3)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("interval:"), std::string::npos) << e.what();
  }
}

TEST(Elementary, IntervalBranchSign) {
  PrecisionScope scope(64);
  EXPECT_EQ(elem::branch_sign(from_rational<Interval>(Rational(1, 3))), 1);
  EXPECT_EQ(elem::branch_sign(from_rational<Interval>(Rational(-1, 3))), -1);
  EXPECT_EQ(elem::branch_sign(Interval(0)), 0);
  // 3 * enclosure(1/3) - 1 contains 0 but is not [0, 0]: the kink cannot be decided.
  const Interval straddle = Interval(3) * from_rational<Interval>(Rational(1, 3)) - Interval(1);
  ASSERT_TRUE(contains_zero(straddle));
  ASSERT_GT(width(straddle), Real(0));
  EXPECT_THROW(elem::branch_sign(straddle), kink_unresolved);
}

TEST(Elementary, DoubleAndRealDispatchToStd) {
  EXPECT_EQ(elem::exp(0.0), 1.0);
  EXPECT_EQ(elem::branch_sign(-0.0), 0);
  EXPECT_EQ(elem::branch_sign(-2.5), -1);
  PrecisionScope scope(64);
  EXPECT_EQ(elem::sqrt(Real(Rational(9, 4))), Real(Rational(3, 2)));
  EXPECT_EQ(elem::branch_sign(Real(-1)), -1);
}

}  // namespace
}  // namespace entropic
