// Catalog T2(b) at lambda > 0 on a hand example: the gap between the phi_bar flow and SGD is in the
// increment eta dQ/dt, not in the flow map.
//
// The catalog: along -grad phi_bar_eta, eta dQ_A/dt = -eta lambda (2 + eta lambda) Q_A + eta^2 E g^T A g,
// versus E[Q_A'] - Q_A = -eta lambda (2 - eta lambda) Q_A + eta^2 E g^T A g for SGD; "they agree only at
// first order". Both formulas hold exactly, and eta dQ/dt - (E[Q'] - Q) = -2 eta^2 lambda^2 Q. But the
// flow over time eta multiplies Q by exp(-eta lambda (2 + eta lambda)) = 1 - 2 eta lambda + eta^2 lambda^2
// + O(eta^3) = (1 - eta lambda)^2 + O(eta^3): as a map, the phi_bar flow reproduces E[Q'|theta]
// through eta^2 at every lambda. (T2's stationary prefactor (1 + eta lambda/2) vs (1 - eta lambda/2),
// catalog T5, compares fixed points of the two and is a different statement.)
//
// Hand example: f = u w x (deep_linear [1, 1, 1], w = W1, u = W2), Q = w^2 - u^2 (layer rescaling),
// w = 1, u = 2 (Q = -3), x = (1, 2), y = (1, -1), batches of one sample with replacement, lambda = 1/2.
//     r_i = u w x_i - y_i = (1, 5); grad l_i = (r_i u x_i, r_i w x_i) = (2, 1), (20, 10);
//     theta^T A grad l_i = w g_w - u g_u = 2 - 2 = 0 and 20 - 20 = 0;
//     Q(grad l_i) = 4 - 1 = 3 and 400 - 100 = 300, so E g^T A g = 303/2.
// E Q(theta_1) = (1 - eta lambda)^2 Q + eta^2 E g^T A g = -3 + 3 eta + (-3/4 + 303/2) eta^2
//              = -3 + 3 eta + 603/4 eta^2 exactly.
// At eta = 1/2: eta dQ/dt = (1/2)(1/2)(9/4)(3) + (1/4)(303/2) = 27/16 + 606/16 = 633/16,
//               E[Q'] - Q  = (1/4)(7/4)(3) + (1/4)(303/2)   = 21/16 + 606/16 = 627/16,
//               difference 6/16 = 3/8 = -2 (1/4)(1/4)(-3).
#include <gtest/gtest.h>

#include "entropic/theory/charge_drift.hpp"
#include "entropic/theory/entropic_force.hpp"
#include "entropic/theory/flow.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

ModelSpec scalar_product() {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 1};
  return spec;
}

Mat<Rational> column(std::initializer_list<int> values) {
  Mat<Rational> m(static_cast<Eigen::Index>(values.size()), 1);
  Eigen::Index i = 0;
  for (int v : values) m(i++, 0) = v;
  return m;
}

struct HandExample {
  std::unique_ptr<Model<Rational>> model = make_model<Rational>(scalar_product());
  DataSet<Rational> data = finite_data<Rational>(column({1, 2}), column({1, -1}));
  Vec<Rational> theta = (Vec<Rational>(2) << 1, 2).finished();  // (w, u)
  Rational lambda = Rational(1, 2);
  BatchSampling singles{1, Sampling::with_replacement};
  ChargeForm<Rational> Q = charge_forms(
      layer_rescaling<Rational>(model->layout(), 0, -1, 1, Rational(2)), 2).front();
};

TEST(NoiseChargeFlow, HandExampleHypothesisAndForm) {
  const HandExample ex;
  EXPECT_EQ(ex.Q.matrix(), (Mat<Rational>(2, 2) << 1, 0, 0, -1).finished());
  EXPECT_EQ(ex.Q(ex.theta), -3);
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(ex.Q.bilinear(ex.theta, Vec<Rational>(ex.model->sample_gradient(ex.theta, ex.data.x(i), ex.data.y(i)))), 0);
}

// eta dQ/dt along -grad phi_bar (forward mode) against the SGD expectation at eta = 1/2.
TEST(NoiseChargeFlow, EulerIncrementDiffersFromTheStepByTwoEtaSquaredLambdaSquaredQ) {
  const HandExample ex;
  const Rational eta(1, 2);
  const Vec<Rational> v = -phi_bar_gradient(*ex.model, ex.data, ex.theta, eta, ex.lambda, ex.singles);
  using D = Dual<Rational>;
  Vec<D> moving(2);
  for (int i = 0; i < 2; ++i) moving[i] = D(ex.theta[i], v[i]);
  const Rational dQdt = ex.Q(moving).tangent();
  const SgdConfig<Rational> cfg{eta, ex.lambda, 0, false, {}};
  const Rational change = ex.singles.expectation<Rational>(ex.data.size(), [&](const Batch& b) {
    return ex.Q(sgd_map(*ex.model, ex.data, b, cfg, ex.theta));
  }) - ex.Q(ex.theta);
  EXPECT_EQ(eta * dQdt, Rational(633, 16));
  EXPECT_EQ(change, Rational(627, 16));
  EXPECT_EQ(eta * dQdt - change, Rational(3, 8));
}

// As series in eta: E Q(theta_1) = -3 + 3 eta + 603/4 eta^2 exactly, and Q along the phi_bar flow over
// time eta has the same coefficients through eta^2 (and a different one at eta^3).
TEST(NoiseChargeFlow, PhiBarFlowMapMatchesTheExpectedStepThroughEtaSquared) {
  const HandExample ex;
  const auto model = make_model<Ser>(scalar_product());
  const DataSet<Ser> data = from_rational<Ser>(ex.data);
  const Ser eta = Ser::variable(3), lambda(ex.lambda);
  const SgdConfig<Ser> cfg{eta, lambda, Ser(0), false, {}};
  const Ser stepped = ex.singles.expectation<Ser>(ex.data.size(), [&](const Batch& b) {
    const Vec<Ser> next = sgd_map(*model, data, b, cfg, from_rational<Ser>(ex.theta));
    return ex.Q(next);
  });
  // The field depends on eta: time and step size kept apart (theory/flow.hpp).
  using J = Jet<Rational>;
  const auto jet_model = make_model<J>(scalar_product());
  const DataSet<J> jet_data = lift<J>(ex.data);
  const Vec<Ser> y = modified_flow_series<Rational>(
      [&](const Vec<J>& z, const J& e) {
        return Vec<J>(-phi_bar_gradient(*jet_model, jet_data, z, e, J(ex.lambda), ex.singles));
      },
      ex.theta, 3);
  const Ser flowed = ex.Q(y);
  const Rational expected[] = {Rational(-3), Rational(3), Rational(603, 4)};
  for (int n = 0; n <= 2; ++n) {
    EXPECT_EQ(stepped[n], expected[n]) << "eta^" << n;
    EXPECT_EQ(flowed[n], expected[n]) << "eta^" << n;
  }
  EXPECT_EQ(stepped[3], 0);
  EXPECT_NE(flowed[3], 0);
}

}  // namespace
}  // namespace entropic
