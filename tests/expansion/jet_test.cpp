// Jet<T> against expansions done by hand: products and their truncation orders, quotients,
// elementary functions, derivatives and antiderivatives, and a model's gradient evaluated on jets.
#include <gtest/gtest.h>

#include "entropic/model/make_model.hpp"
#include "entropic/numeric/jet.hpp"

namespace entropic {
namespace {

using J = Jet<Rational>;
using Q = Rational;

Q q(long p, long r = 1) { return Q(p, r); }

TEST(JetExpansion, MonomialsAreNumberedByDegreeThenLexicographically) {
  const JetSpace& s = JetSpace::of(2, 3);
  ASSERT_EQ(s.size(), 10);  // C(2 + 3, 3)
  const std::vector<std::string> names = {"1", "d1", "d2", "d1^2", "d1 d2", "d2^2",
                                          "d1^3", "d1^2 d2", "d1 d2^2", "d2^3"};
  for (int k = 0; k < s.size(); ++k) EXPECT_EQ(s.name(k), names[k]);
  EXPECT_EQ(s.index({1, 2}), 8);
  EXPECT_EQ(s.index({2, 2}), -1);  // degree 4 is beyond the cap
  EXPECT_EQ(s.product(s.index({1, 0}), s.index({0, 2})), s.index({1, 2}));
  // The numbering does not depend on the cap.
  const JetSpace& t = JetSpace::of(2, 5);
  for (int k = 0; k < s.size(); ++k) EXPECT_EQ(t.exponents(k), s.exponents(k));
}

TEST(JetExpansion, ProductOfPolynomials) {
  const JetSpace& s = JetSpace::of(2, 3);
  const J a = J::variable(s, 0, 1), b = J::variable(s, 1, 2);  // 1 + d1, 2 + d2
  const J p = a * a * (J(2) - b);                               // (1 + d1)^2 (-d2)
  EXPECT_EQ(p.coefficient({0, 0}), 0);
  EXPECT_EQ(p.coefficient({0, 1}), -1);
  EXPECT_EQ(p.coefficient({1, 1}), -2);
  EXPECT_EQ(p.coefficient({2, 1}), -1);
  EXPECT_EQ(p.order(), 3);
  EXPECT_EQ(to_text(p), "-d2 - 2 d1 d2 - d1^2 d2 + O(d^4)");
}

TEST(JetExpansion, ProductOrderGrowsWithTheValuationOfTheOtherFactor) {
  const JetSpace& s = JetSpace::of(1, 6);
  const J d = J::variable(s, 0);                    // d1 + O(d^7)
  const J a = (J(1) + d + d * d).truncated(2);      // 1 + d1 + d1^2 + O(d^3)
  EXPECT_EQ((d * a).order(), 3);                    // d1 (1 + d1 + d1^2) + O(d^4)
  EXPECT_EQ((d * d * a).order(), 4);
  EXPECT_EQ((a * a).order(), 2);
  EXPECT_EQ((J(0) * a).order(), J::kExact);         // the exact zero
  EXPECT_EQ((J(3) * a).order(), 2);
}

TEST(JetExpansion, TruncatingAConstantKeepsItExact) {
  EXPECT_TRUE(J(q(2, 3)).truncated(1).exact());
  EXPECT_EQ(J(q(2, 3)).truncated(0).derivative(0), J(0));
}

TEST(JetExpansion, QuotientIsTheGeometricSeries) {
  const JetSpace& s = JetSpace::of(2, 3);
  const J d1 = J::variable(s, 0), d2 = J::variable(s, 1);
  const J r = J(1) / (J(1) - d1 - d2);  // sum_k (d1 + d2)^k
  EXPECT_EQ(r.coefficient({0, 0}), 1);
  EXPECT_EQ(r.coefficient({1, 0}), 1);
  EXPECT_EQ(r.coefficient({1, 1}), 2);
  EXPECT_EQ(r.coefficient({2, 1}), 3);
  EXPECT_EQ(r.coefficient({0, 3}), 1);
  EXPECT_EQ((r * (J(1) - d1 - d2)), J(1));
  EXPECT_THROW(J(1) / d1, std::domain_error);
}

TEST(JetExpansion, ElementaryFunctionsComposeTheirTaylorSeries) {
  const JetSpace& s = JetSpace::of(2, 3);
  const J d1 = J::variable(s, 0), d2 = J::variable(s, 1);
  // exp(d1 + d2) = sum (d1 + d2)^k / k!: the d1^2 d2 coefficient is 3 / 3! = 1/2.
  const J e = exp(d1 + d2);
  EXPECT_EQ(e.coefficient({2, 1}), q(1, 2));
  EXPECT_EQ(e.coefficient({0, 2}), q(1, 2));
  // tanh x = x - x^3/3; log(1 + x) = x - x^2/2 + x^3/3; sqrt(4 + x) = 2 + x/4 - x^2/64 + x^3/512.
  EXPECT_EQ(tanh(d1).coefficient({3, 0}), q(-1, 3));
  EXPECT_EQ(tanh(d1).coefficient({2, 0}), 0);
  EXPECT_EQ(log(J(1) + d1).coefficient({2, 0}), q(-1, 2));
  EXPECT_EQ(log(J(1) + d1).coefficient({3, 0}), q(1, 3));
  const J r = sqrt(J(4) + d1);
  EXPECT_EQ(r.coefficient({0, 0}), 2);
  EXPECT_EQ(r.coefficient({1, 0}), q(1, 4));
  EXPECT_EQ(r.coefficient({2, 0}), q(-1, 64));
  EXPECT_EQ(r.coefficient({3, 0}), q(1, 512));
  EXPECT_EQ(r * r, J(4) + d1);
  // An irrational value needs Interval arithmetic.
  EXPECT_THROW(exp(J(1) + d1), not_rational);
}

TEST(JetExpansion, IntervalCoefficientsEncloseTheExactOnes) {
  PrecisionScope precision(128);
  using JI = Jet<Interval>;
  const JetSpace& s = JetSpace::of(1, 4);
  const JI d = JI::variable(s, 0, Interval(1) / Interval(3));
  // tanh(1/3 + d): a coefficient may be an enclosure of 0 that is not [0, 0]; no comparison throws.
  const JI t = tanh(d);
  const JI one_minus_t2 = JI(1) - tanh(JI(Interval(1) / Interval(3))) * tanh(JI(Interval(1) / Interval(3)));
  EXPECT_TRUE(contains_zero(Interval(t.coefficient({1}) - one_minus_t2.constant())));
  // tanh(d) at 0 = d - d^3/3: the even coefficients come out as enclosures of 0.
  const JI t0 = tanh(JI::variable(s, 0));
  EXPECT_TRUE(contains_zero(t0.coefficient({2})));
  EXPECT_TRUE(contains_zero(Interval(t0.coefficient({3}) + Interval(1) / Interval(3))));
  // exp(d) at 0: 1, 1, 1/2, 1/6, 1/24.
  const JI e = exp(JI::variable(s, 0));
  EXPECT_TRUE(contains_zero(Interval(e.coefficient({4}) - Interval(1) / Interval(24))));
}

TEST(JetExpansion, DerivativeAndAntiderivative) {
  const JetSpace& s = JetSpace::of(2, 4);
  const J d1 = J::variable(s, 0, 1), d2 = J::variable(s, 1, -1);  // x = 1 + d1, y = -1 + d2
  const J f = d1 * d1 * d2;                                      // x^2 y around (1, -1)
  const J fx = f.derivative(0);                                  // 2 x y
  EXPECT_EQ(fx.order(), 3);
  EXPECT_EQ(fx, (J(2) * d1 * d2).truncated(3));
  EXPECT_EQ(f.derivative(1), (d1 * d1).truncated(3));
  // The antiderivative in delta_2 vanishing at delta_2 = 0 of 2 x y is 2 x (-delta_2 + delta_2^2 / 2).
  const J F = fx.integral(s, 1);
  EXPECT_EQ(F.order(), 4);
  EXPECT_EQ(F.coefficient({0, 1}), -2);
  EXPECT_EQ(F.coefficient({0, 2}), 1);
  EXPECT_EQ(F.coefficient({1, 2}), 1);
  EXPECT_EQ(F.coefficient({1, 0}), 0);
}

TEST(JetExpansion, SubstitutionIntoJetsOfOtherVariables) {
  // a(delta) = 1 + delta - delta^2 + O(delta^3) at delta = e + e^2 (a jet in e): known through e^2.
  const JetSpace& s = JetSpace::of(1, 2);
  const J x = J::variable(s, 0);
  const J a = J(1) + x - x * x;
  const JetSpace& t = JetSpace::of(1, 5);
  const J e = J::variable(t, 0);
  Vec<J> z(1);
  z[0] = e + e * e;
  const J v = substitute(a, monomial_values(s, a.degree(), z), 1);
  EXPECT_EQ(v.order(), 2);
  EXPECT_EQ(v.coefficient({1}), 1);
  EXPECT_EQ(v.coefficient({2}), 0);  // e^2 - e^2
}

TEST(JetExpansion, BranchAtAKinkHasNoTaylorPolynomial) {
  const JetSpace& s = JetSpace::of(1, 2);
  EXPECT_EQ(branch_sign(J::variable(s, 0, q(1, 2))), 1);
  EXPECT_EQ(branch_sign(J(0)), 0);
  EXPECT_THROW(branch_sign(J::variable(s, 0)), kink_unresolved);
}

// The gradient of l = theta_1^2 theta_2 (a polynomial loss) evaluated on jets around (1, 2) is its
// Taylor polynomial: (2 x y, x^2) = (4 + 4 d1 + 2 d2 + 2 d1 d2, 1 + 2 d1 + d1^2).
TEST(JetExpansion, ModelGradientOnJetsIsItsTaylorPolynomial) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {2, 1};
  spec.polynomial = {Monomial{Q(1), {2, 1}}};
  const auto model = make_model<J>(spec);
  const JetSpace& s = JetSpace::of(2, 3);
  Vec<J> theta(2);
  theta << J::variable(s, 0, 1), J::variable(s, 1, 2);
  DataSet<J> data{Mat<J>::Zero(1, 1), Mat<J>::Zero(1, 1)};
  const Vec<J> g = model->gradient(theta, data);
  const J d1 = J::variable(s, 0), d2 = J::variable(s, 1);
  EXPECT_EQ(g[0], J(4) + J(4) * d1 + J(2) * d2 + J(2) * d1 * d2);
  EXPECT_EQ(g[1], J(1) + J(2) * d1 + d1 * d1);
}

}  // namespace
}  // namespace entropic
