// The backward-error recursion against modified fields known in closed form or derived by hand.
#include <gtest/gtest.h>

#include "entropic/metrics/hessian.hpp"
#include "entropic/theory/modified_field.hpp"

#include "expansion_support.hpp"

namespace entropic {
namespace {

using J = Jet<Rational>;
using Q = Rational;

ModelSpec polynomial(int variables, std::vector<Monomial> terms) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {variables, 1};
  spec.polynomial = std::move(terms);
  return spec;
}

// A polynomial loss ignores the data; one sample fixes the mean.
DataSet<Rational> no_data() { return DataSet<Rational>{Mat<Q>::Zero(1, 1), Mat<Q>::Zero(1, 1)}; }

using test::vec;

// Explicit Euler on y' = y^2 (GD on l = -y^3/3) has the modified equation
//   y' = y^2 - h y^3 + h^2 3/2 y^4 - h^3 8/3 y^5 + h^4 31/6 y^6 - h^5 157/15 y^7 + ...
// (Hairer, Lubich, Wanner 2006, Sect. IX.1, Example 1.1).
TEST(ModifiedFieldExpansion, EulerOnYSquaredMatchesHairerLubichWanner) {
  const std::vector<Q> c = {Q(1), Q(-1), Q(3, 2), Q(-8, 3), Q(31, 6), Q(-157, 15)};
  const ModelSpec spec = polynomial(1, {Monomial{Q(-1, 3), {3}}});
  for (const Q y : {Q(1), Q(2, 3), Q(-5, 2)}) {
    const auto f = gradient_descent_modified_field<Q>(spec, no_data(), vec({y}), Q(0), 5);
    ASSERT_EQ(f.size(), 6u);
    Q power = y;
    for (int j = 0; j < 6; ++j) {
      power *= y;
      EXPECT_EQ(f[j][0], c[j] * power) << "f_" << j + 1 << " at y = " << y;
    }
  }
}

// GD on l = theta^4/4, f = -theta^3, f' = -3 theta^2, f'' = -6 theta, by hand:
//   f_2 = -1/2 f'f = -3/2 theta^5,
//   f_3 = 1/12 f''(f, f) + 1/3 f'f'f = -1/2 theta^7 - 3 theta^7 = -7/2 theta^7.
TEST(ModifiedFieldExpansion, QuarticLossByHand) {
  const ModelSpec spec = polynomial(1, {Monomial{Q(1, 4), {4}}});
  const Q t(3, 2);
  const auto f = gradient_descent_modified_field<Q>(spec, no_data(), vec({t}), Q(0), 2);
  EXPECT_EQ(f[0][0], -t * t * t);
  EXPECT_EQ(f[1][0], Q(-3, 2) * t * t * t * t * t);
  EXPECT_EQ(f[2][0], Q(-7, 2) * t * t * t * t * t * t * t);
}

// On a quadratic L_lambda = 1/2 theta^T A theta + lambda/2 ||theta||^2 GD is linear,
// theta' = (I - h A_lambda) theta with A_lambda = A + lambda I, and its modified field is
//   log(I - h A_lambda) / h theta = -sum_j h^{j-1} A_lambda^j / j theta:  f_j = -A_lambda^j theta / j.
TEST(ModifiedFieldExpansion, QuadraticWithWeightDecayIsTheMatrixLogarithm) {
  // 1/2 theta^T A theta with A = [[2, 1], [1, 3]]: theta_1^2 + theta_1 theta_2 + 3/2 theta_2^2.
  const ModelSpec spec = polynomial(2, {Monomial{Q(1), {2, 0}}, Monomial{Q(1), {1, 1}},
                                        Monomial{Q(3, 2), {0, 2}}});
  const Q lambda(1, 5);
  Mat<Q> A(2, 2);
  A << 2, 1, 1, 3;
  const Mat<Q> Al = A + lambda * Mat<Q>::Identity(2, 2);
  const Vec<Q> theta = vec({Q(1, 2), Q(-2, 3)});
  const int K = 6;
  const auto f = gradient_descent_modified_field<Q>(spec, no_data(), theta, lambda, K);
  Vec<Q> power = theta;
  for (int j = 1; j <= K + 1; ++j) {
    power = Al * power;
    EXPECT_EQ(f[j - 1], Vec<Q>(-power / Q(j))) << "f_" << j;
  }
}

// The recursion reads any step map: the exact flow of f is its own modified field. For y' = y^2
// the flow is y / (1 - h y) = y + h y^2 + h^2 y^3 + ..., so d_j = y^{j+1} must give f_1 = y^2 and
// f_j = 0 for j >= 2.
TEST(ModifiedFieldExpansion, ExactFlowIsItsOwnModifiedField) {
  const int count = 6;
  const JetSpace& s = JetSpace::of(1, count - 1);
  const J y = J::variable(s, 0, Q(3, 7));
  std::vector<FieldJet<Rational>> d;
  J power = y;
  for (int j = 1; j <= count; ++j) {
    power = power * y;
    d.push_back(FieldJet<Rational>::Constant(1, power));
  }
  const auto f = modified_field_jets(d, count);
  EXPECT_EQ(f[0][0], (y * y).truncated(count - 1));
  for (int j = 2; j <= count; ++j) {
    EXPECT_EQ(f[j - 1][0].order(), count - j) << "f_" << j;
    EXPECT_EQ(f[j - 1][0], J(0)) << "f_" << j << " = " << to_text(f[j - 1][0]);
  }
}

// A field with an exactly constant component, f = (y_2^2, 1), by hand: f'f = (2 y_2, 0),
// f''(f, f) = (2, 0), f'f'f = 0, so f_2 = (-y_2, 0) and f_3 = (1/6, 0).
TEST(ModifiedFieldExpansion, FieldWithAConstantComponent) {
  const JetSpace& s = JetSpace::of(2, 2);
  const J y2 = J::variable(s, 1, Q(-3, 2));
  FieldJet<Rational> f(2);
  f << y2 * y2, J(1);
  const auto m = modified_field_jets<Q>({f}, 3);
  EXPECT_EQ(value_at_point(m[1]), vec({Q(3, 2), Q(0)}));
  EXPECT_EQ(value_at_point(m[2]), vec({Q(1, 6), Q(0)}));
}

// The GD form of catalog E1, on a deep linear net [1, 2, 1] with weight decay:
//   f_2 = -1/2 H g,  f_3 = -(1/12 T[g, g] + 1/3 H^2 g),  g = grad L_lambda, H = Hessian of L_lambda.
TEST(ModifiedFieldExpansion, GradientDescentFormOnADeepLinearNet) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 2, 1};
  Mat<Q> X(2, 1), Y(2, 1);
  X << 1, Q(-1, 2);
  Y << Q(1, 3), 2;
  const DataSet<Q> data{X, Y};
  const Vec<Q> theta = vec({Q(1, 2), Q(-1), Q(2), Q(1, 3)});
  const Q lambda(1, 10);
  const auto f = gradient_descent_modified_field<Q>(spec, data, theta, lambda, 2);
  const Batch all = Model<Q>::all(data);
  const auto model = make_model<Q>(spec);
  const Vec<Q> g = model->gradient(theta, data) + lambda * theta;
  auto H = [&](const Vec<Q>& v) {
    return Vec<Q>(hessian_vector_product(spec, data, all, theta, v) + lambda * v);
  };
  const Vec<Q> Tgg = third_derivative(spec, data, all, theta, g, g);
  EXPECT_EQ(f[0], Vec<Q>(-g));
  EXPECT_EQ(f[1], Vec<Q>(-H(g) / Q(2)));
  EXPECT_EQ(f[2], Vec<Q>(-(Tgg / Q(12) + H(H(g)) / Q(3))));
}

// docs/expansions.md, worked example: f = u w x on one sample x = 1, y = 1 at (w, u) = (1, 2)
// (theta = (W1, W2) = (w, u)). g = (2, 1), H = [[4, 3], [3, 1]], T[g, g] = (18, 24), so
// f_2 = -1/2 H g = (-11/2, -7/2) and f_3 = -(1/12 T[g, g] + 1/3 H^2 g) = (-139/6, -46/3);
// f_4 = (-233/2, -307/4) from the recursion carried out symbolically.
TEST(ModifiedFieldExpansion, WorkedExampleOfTheDocs) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 1};
  Mat<Q> X(1, 1), Y(1, 1);
  X << 1;
  Y << 1;
  const DataSet<Q> data{X, Y};
  const Vec<Q> theta = vec({Q(1), Q(2)});
  const auto f = gradient_descent_modified_field<Q>(spec, data, theta, Q(0), 3);
  EXPECT_EQ(f[0], vec({Q(-2), Q(-1)}));
  EXPECT_EQ(f[1], vec({Q(-11, 2), Q(-7, 2)}));
  EXPECT_EQ(f[2], vec({Q(-139, 6), Q(-46, 3)}));
  EXPECT_EQ(f[3], vec({Q(-233, 2), Q(-307, 4)}));

  // The same in certified arithmetic: every enclosure contains the exact value.
  PrecisionScope precision(96);
  const auto fi = gradient_descent_modified_field<Interval>(spec, data, theta, Q(0), 3);
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 2; ++i)
      EXPECT_TRUE(contains_zero(Interval(fi[j][i] - from_rational<Interval>(f[j][i])))) << "f_" << j + 1;
}

// A tanh net needs Interval arithmetic; f_2 = -1/2 H g holds to the enclosure width.
TEST(ModifiedFieldExpansion, TanhNetInIntervalArithmetic) {
  PrecisionScope precision(128);
  ModelSpec spec;
  spec.kind = ModelKind::mlp;
  spec.widths = {1, 2, 1};
  spec.activation.kind = ActivationKind::tanh;
  Mat<Q> X(1, 1), Y(1, 1);
  X << Q(1, 2);
  Y << Q(1, 3);
  const DataSet<Q> data{X, Y};
  const Vec<Q> theta = vec({Q(1, 2), Q(-1), Q(2), Q(1, 3)});
  EXPECT_THROW(gradient_descent_modified_field<Q>(spec, data, theta, Q(0), 1), not_rational);
  const auto f = gradient_descent_modified_field<Interval>(spec, data, theta, Q(1, 10), 2);
  const DataSet<Interval> di = from_rational<Interval>(data);
  const Vec<Interval> ti = from_rational<Interval>(theta);
  const Interval lambda = from_rational<Interval>(Q(1, 10));
  const Vec<Interval> g = make_model<Interval>(spec)->gradient(ti, di) + lambda * ti;
  const Vec<Interval> Hg = hessian_vector_product(spec, di, Model<Interval>::all(di), ti, g) + lambda * g;
  for (int i = 0; i < 4; ++i) {
    const Interval d = f[1][i] + Hg[i] / Interval(2);
    EXPECT_TRUE(contains_zero(d)) << to_text(d);
    EXPECT_LT(Real(width(d)), Real(1e-30));
  }
}

// Catalog N2's mechanism: f_3 = -1/12 grad(g^T H g) - 1/6 H^2 g, and the Jacobian of H^2 g is
// T[H g] + H T[g] + H^3 with T[v]_{jl} = sum_k T_jkl v_k, so curl f_3 = -1/6 [H, T[g]]_21.
// For l = theta1^2 theta2, curl f_3 = -2/3 theta1 (theta1^2 - 2 theta2^2) (symbolic), -2/3 at (1, 0).
Q curl_of_f3(const ModelSpec& spec, const Vec<Q>& theta, const Q& lambda) {
  const auto f = gradient_descent_modified_field_jets<Q>(spec, no_data(), theta, lambda, 2, 3);
  return f[2][1].coefficient({1, 0}) - f[2][0].coefficient({0, 1});
}

TEST(ModifiedFieldExpansion, CurlOfTheSecondOrderFieldIsACommutator) {
  EXPECT_EQ(curl_of_f3(polynomial(2, {Monomial{Q(1), {2, 1}}}), vec({Q(1), Q(0)}), Q(0)), Q(-2, 3));
  const ModelSpec spec = polynomial(2, {Monomial{Q(1), {2, 1}}, Monomial{Q(-1, 2), {0, 3}},
                                        Monomial{Q(1, 3), {1, 2}}, Monomial{Q(1, 4), {4, 0}}});
  const DataSet<Q> data = no_data();
  const Batch all = Model<Q>::all(data);
  for (const Vec<Q>& theta : {vec({Q(1, 2), Q(-1, 3)}), vec({Q(2), Q(1)}), vec({Q(-1), Q(3, 4)})})
    for (const Q lambda : {Q(0), Q(1, 5)}) {
      const Vec<Q> g = make_model<Q>(spec)->gradient(theta, data) + lambda * theta;
      const Mat<Q> H = hessian(spec, data, all, theta) + lambda * Mat<Q>::Identity(2, 2);
      Mat<Q> Tg(2, 2);
      for (int l = 0; l < 2; ++l) Tg.col(l) = third_derivative(spec, data, all, theta, g, Vec<Q>(Mat<Q>::Identity(2, 2).col(l)));
      const Mat<Q> commutator = H * Tg - Tg * H;
      EXPECT_EQ(curl_of_f3(spec, theta, lambda), -commutator(1, 0) / 6);
      EXPECT_NE(commutator(1, 0), 0);
    }
}

// Why N2 needs a mixed, non-quadratic loss: on a quadratic (T = 0) and on a separable loss (H and
// T[g] diagonal) the curl of f_3 vanishes identically.
TEST(ModifiedFieldExpansion, QuadraticAndSeparableLossesHaveACurlFreeSecondOrderField) {
  const ModelSpec quadratic = polynomial(2, {Monomial{Q(1), {2, 0}}, Monomial{Q(1), {1, 1}},
                                             Monomial{Q(3, 2), {0, 2}}, Monomial{Q(-1), {1, 0}}});
  const ModelSpec separable = polynomial(2, {Monomial{Q(1), {3, 0}}, Monomial{Q(1, 4), {0, 4}},
                                             Monomial{Q(-2), {0, 2}}});
  for (const Vec<Q>& theta : {vec({Q(1, 2), Q(-1, 3)}), vec({Q(2), Q(1)})}) {
    EXPECT_EQ(curl_of_f3(quadratic, theta, Q(1, 3)), 0);
    EXPECT_EQ(curl_of_f3(separable, theta, Q(1, 3)), 0);
  }
}

TEST(ModifiedFieldExpansion, RejectsWhatItCannotExpand) {
  const ModelSpec spec = polynomial(1, {Monomial{Q(1, 4), {4}}});
  EXPECT_THROW(gradient_descent_modified_field<Q>(spec, no_data(), vec({Q(1), Q(2)}), Q(0), 1),
               std::invalid_argument);
  EXPECT_THROW(gradient_descent_modified_field<Q>(spec, no_data(), vec({Q(1)}), Q(0), -1),
               std::invalid_argument);
  // f_3 needs d_1 to degree 2.
  const auto d1 = gradient_descent_field_jet<Q>(spec, no_data(), vec({Q(1)}), Q(0), 1);
  EXPECT_THROW(modified_field_jets<Q>({d1}, 3), std::invalid_argument);
  // A ReLU kink at the point.
  ModelSpec relu;
  relu.kind = ModelKind::mlp;
  relu.widths = {1, 1, 1};
  relu.activation.kind = ActivationKind::relu;
  Mat<Q> X(1, 1), Y(1, 1);
  X << 1;
  Y << 1;
  EXPECT_THROW(gradient_descent_modified_field<Q>(relu, DataSet<Q>{X, Y}, vec({Q(0), Q(1)}), Q(0), 1),
               kink_unresolved);
}

}  // namespace
}  // namespace entropic
