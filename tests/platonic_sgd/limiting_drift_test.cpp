// Unit tests of theory/limiting_drift.hpp in double (floating point: tolerances are multiples of the
// double epsilon times the size of the compared terms, or of the central-difference error h^2).
//
// The force is checked against its definition, F(w) = -1/2 d/dw tr(H(theta) S) with S fixed, by a
// central difference of an independently assembled H(theta) = sum over parameters of <D_a, D_b>
// (D_a = A_j E_rs N_{j-1}, written out here again); the Lyapunov equation, the velocity's normal
// equations, and the clear failure on a point where the output map is not onto.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "entropic/model/model.hpp"
#include "entropic/gen/label_noise_points.hpp"
#include "platonic_sgd.hpp"

namespace entropic {
namespace {

using namespace platonic_sgd;

// H(theta)_ab = tr(D_a Sigma_x D_b^T) over all parameters, in the model's order (its Layout: layers in
// order, each W_j column-major).
MatD hessian_on_outputs(const LinearChain<double>& c, const MatD& sigma_x) {
  std::vector<MatD> D(c.layout.size());
  for (int j = 0; j < c.depth(); ++j)
    for (int r = 0; r < c.layout[j].rows; ++r)
      for (int s = 0; s < c.layout[j].cols; ++s) D[c.layout.at(j, r, s)] = c.A(j + 1).col(r) * c.N(j).row(s);
  MatD H(D.size(), D.size());
  for (std::size_t a = 0; a < D.size(); ++a)
    for (std::size_t b = 0; b < D.size(); ++b) H(a, b) = (D[a] * sigma_x * D[b].transpose()).trace();
  return H;
}

LinearChain<double> on_manifold(std::mt19937_64& rng, const std::vector<int>& widths, const MatD& Z, Teacher& t) {
  LinearChain<double> c = random_chain(rng, widths, std::vector<double>(widths.size() - 1, 1.0), Z);
  t.V = c.product();  // the chain's own product: on the manifold by definition
  return c;
}

// -1/2 d/dw tr(H(theta) S) by central differences along every orbit generator of every hidden layer,
// with the tolerance of the difference quotient: error ~ h^2 |f^(3)| + eps |f| / h with h = eps^(1/3).
struct FiniteDifference {
  std::vector<MatD> force;
  double tolerance;
};

FiniteDifference finite_difference_forces(const LinearChain<double>& c, const MatD& sigma_x, const MatD& S) {
  const double eps = std::numeric_limits<double>::epsilon(), h = std::cbrt(eps);
  FiniteDifference out{{}, 0};
  for (int i = 1; i < c.depth(); ++i) {
    const int w = c.layout[i - 1].rows;
    out.force.push_back(MatD::Zero(w, w));
    for (int a = 0; a < w; ++a)
      for (int b = 0; b < w; ++b) {
        auto moved = [&](double s) {
          LinearChain<double> m = c;
          MatD X = MatD::Zero(w, w);
          X(a, b) = s;
          m.W(i - 1) += X * c.W(i - 1);
          m.W(i) -= c.W(i) * X;
          return (hessian_on_outputs(m, sigma_x) * S).trace();
        };
        out.force.back()(a, b) = -0.5 * (moved(h) - moved(-h)) / (2 * h);
        out.tolerance = std::max(out.tolerance, 64 * h * h * (std::abs(moved(0)) + 1));
      }
  }
  return out;
}

TEST(LimitingDrift, ForceIsMinusHalfTheDerivativeOfTrHS) {
  std::mt19937_64 rng(11);
  for (const auto& widths : {std::vector<int>{2, 2, 2}, std::vector<int>{2, 3, 2}, std::vector<int>{2, 2, 3, 2}}) {
    Teacher t = default_teacher();
    const LinearChain<double> c = on_manifold(rng, widths, mat2(1.0, 1.0, 0.0, 2.0), t);
    const LimitingDrift<double> d = limiting_drift<double>(c, t.sigma_x(), t.sigma_eps());
    ASSERT_TRUE(d.failure.empty()) << d.failure;
    const MatD H = hessian_on_outputs(c, t.sigma_x());
    const double eps = std::numeric_limits<double>::epsilon();
    EXPECT_LE(d.lyapunov_residual, 1024 * eps * (H.norm() * d.fluctuation.norm()));
    EXPECT_LE((H - d.hessian).cwiseAbs().maxCoeff(), 1024 * eps * H.norm());
    const FiniteDifference fd = finite_difference_forces(c, t.sigma_x(), d.fluctuation);
    for (int i = 1; i < c.depth(); ++i) {
      EXPECT_LE((d.force[i - 1] - fd.force[i - 1]).cwiseAbs().maxCoeff(), fd.tolerance) << "layer " << i;
      // The same force from the orbit's action (no second derivatives of P), and the entropic force.
      const ActionForces<double> act = orbit_force_from_action(c, d, i);
      const double scale = 1024 * eps * (d.fluctuation.norm() * H.norm() * c.W(i - 1).norm() * c.W(i).norm() + 1);
      EXPECT_LE((d.force[i - 1] - act.force).cwiseAbs().maxCoeff(), scale) << "layer " << i;
      const MatD R = orbit_gradient<double>(c, t.sigma_x(), t.sigma_eps(), i);
      EXPECT_LE((act.phi1_derivative - R / 2).cwiseAbs().maxCoeff(), scale) << "layer " << i;
    }
  }
}

// The finite-difference check can fail: forces computed with the noise covariance Sigma_eps^2 in place
// of Sigma_eps differ from the finite difference built with the true S by far more than its tolerance.
TEST(LimitingDrift, WrongNoiseFailsTheFiniteDifferenceCheck) {
  std::mt19937_64 rng(13);
  Teacher t = default_teacher();
  const LinearChain<double> c = on_manifold(rng, {2, 2, 2}, MatD::Identity(2, 2), t);
  const MatD se = t.sigma_eps();
  const LimitingDrift<double> right = limiting_drift<double>(c, t.sigma_x(), se);
  const LimitingDrift<double> wrong = limiting_drift<double>(c, t.sigma_x(), MatD(se * se));
  const FiniteDifference fd = finite_difference_forces(c, t.sigma_x(), right.fluctuation);
  EXPECT_LE((right.force[0] - fd.force[0]).cwiseAbs().maxCoeff(), fd.tolerance);
  EXPECT_GT((wrong.force[0] - fd.force[0]).cwiseAbs().maxCoeff(), 100 * fd.tolerance);
}

// The velocity is the orbit combination whose components along every orbit direction are the forces:
// sum_l <w_k, w_l> Xi_l = F_k. Checked by forming sum_l Xi_l w_l and projecting it on each w_k.
TEST(LimitingDrift, VelocityReproducesTheForces) {
  std::mt19937_64 rng(12);
  Teacher t = default_teacher();
  const LinearChain<double> c = on_manifold(rng, {2, 2, 2, 2}, MatD::Identity(2, 2), t);
  const LimitingDrift<double> d = limiting_drift<double>(c, t.sigma_x(), t.sigma_eps());
  ASSERT_TRUE(d.failure.empty()) << d.failure;
  std::vector<MatD> v(c.depth());
  for (int j = 0; j < c.depth(); ++j) v[j] = MatD::Zero(c.layout[j].rows, c.layout[j].cols);
  for (int i = 1; i < c.depth(); ++i) {
    v[i - 1] += d.generator[i - 1] * c.W(i - 1);
    v[i] -= c.W(i) * d.generator[i - 1];
  }
  double scale = 0;
  for (const auto& f : d.force) scale = std::max(scale, f.norm());
  for (int i = 1; i < c.depth(); ++i)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b) {
        MatD X = MatD::Zero(2, 2);
        X(a, b) = 1;
        const double along = (v[i - 1].cwiseProduct(X * c.W(i - 1))).sum() - (v[i].cwiseProduct(c.W(i) * X)).sum();
        EXPECT_NEAR(along, d.force[i - 1](a, b), 1024 * std::numeric_limits<double>::epsilon() * (scale + 1));
      }
}

// Bad input: with both layers of rank 1, dP = dW_2 W_1 + W_2 dW_1 spans 3 of the 4 dimensions (rows
// along W_1's row space plus columns along W_2's column space): the output map is not onto, and the
// drift says so instead of returning numbers.
TEST(LimitingDrift, OutputMapNotOntoIsAnError) {
  Teacher t = default_teacher();
  const MatD I = MatD::Identity(2, 2);
  const LinearChain<double> c(I, I, I, {mat2(1.0, 2.0, 2.0, 4.0), mat2(1.0, 2.0, 2.0, 4.0)});
  const LimitingDrift<double> d = limiting_drift<double>(c, t.sigma_x(), t.sigma_eps());
  EXPECT_NE(d.failure.find("not onto"), std::string::npos) << d.failure;
}

// Bad shapes are named, not undefined behaviour: a 3 x 3 Sigma_x for 2 inputs, a layer that does not
// compose (refused by the chain itself: it is a deep_linear model), an M^I that is not square.
TEST(LimitingDrift, BadShapesAreRejectedWithTheirNames) {
  Teacher t = default_teacher();
  const MatD I = MatD::Identity(2, 2);
  LinearChain<double> c(I, I, I, {mat2(1.0, 0.5, 0.0, 1.0), mat2(1.0, 0.0, 0.3, 1.0)});
  try {
    limiting_drift<double>(c, MatD::Identity(3, 3), t.sigma_eps());
    ADD_FAILURE() << "a 3 x 3 Sigma_x was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Sigma_x is 3 x 3"), std::string::npos) << e.what();
  }
  try {
    const LinearChain<double> bad(I, I, I, {mat2(1.0, 0.5, 0.0, 1.0), MatD(MatD::Identity(2, 3))});
    ADD_FAILURE() << "a chain that does not compose was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("W_2 is 2 x 3"), std::string::npos) << e.what();
  }
  try {
    limiting_drift<double>(LinearChain<double>(I, MatD(MatD::Identity(3, 2)), I, c.weights()), t.sigma_x(),
                           t.sigma_eps());
    ADD_FAILURE() << "a 3 x 2 M^I was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("M^I must be square"), std::string::npos) << e.what();
  }
  try {
    limiting_drift<double>(c, mat2(1.0, 0.5, 0.0, 1.0), t.sigma_eps());
    ADD_FAILURE() << "a non-symmetric Sigma_x was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Sigma_x is not symmetric"), std::string::npos) << e.what();
  }
  try {
    limiting_drift<double>(c, mat2(1.0, 2.0, 2.0, 1.0), t.sigma_eps());
    ADD_FAILURE() << "an indefinite Sigma_x was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not positive definite"), std::string::npos) << e.what();
  }
}

// Widths above the dimensions make the orbit generators redundant (a stabiliser), yet they span the
// tangent space: the singular system is solved, in rationals too, and the rank equals the tangent
// dimension.
TEST(LimitingDrift, RedundantGeneratorsStillSpanTheTangentSpace) {
  Mat<Rational> W1(3, 2), W2(2, 3);
  W1 << 1, 0, 0, 1, 1, 1;
  W2 << 1, 2, 0, 0, 1, -1;
  const Mat<Rational> I = Mat<Rational>::Identity(2, 2);
  const LinearChain<Rational> c(I, I, I, {W1, W2});
  Mat<Rational> sx(2, 2), se(2, 2);
  sx << 2, 1, 1, 1;
  se << 1, Rational(1, 2), Rational(1, 2), 2;
  const LimitingDrift<Rational> d = limiting_drift<Rational>(c, sx, se);
  ASSERT_TRUE(d.failure.empty()) << d.failure;
  EXPECT_EQ(d.tangent_dimension, 12 - 4);
  EXPECT_EQ(d.orbit_rank, 8);  // 9 generators, one stabiliser direction
  EXPECT_EQ(d.lyapunov_residual, Rational(0));
}


}  // namespace
}  // namespace entropic

namespace entropic {
namespace {

// H and Sigma of the drift against the library's own backward pass, exactly (rational), on the finite
// product data sets of gen/label_noise_points.hpp: at the minimum V* = W_2 W_1 the per-sample
// gradient is g = J(x)^T (f - y) = -J(x)^T eps, so Sigma = E[g g^T] (the mean gradient is 0), and with
// unit residuals e_k, H = E_x sum_k (J^T e_k)(J^T e_k)^T. The chain is the model: the drift's
// coordinates are the model's parameters, in its order.
RC_GTEST_PROP(LimitingDrift, HessianAndNoiseCovarianceAreTheModelsOwn, ()) {
  const gen::FiniteLabelNoiseMinimum m = *gen::balanced_label_noise_minimum();
  const LinearChain<Rational> c = m.chain();
  const auto model = c.model();
  const Mat<Rational> V = m.W2 * m.W1;
  Mat<Rational> H = Mat<Rational>::Zero(8, 8), Sigma = Mat<Rational>::Zero(8, 8), sigma_x = Mat<Rational>::Zero(2, 2),
                sigma_eps = Mat<Rational>::Zero(2, 2);
  for (std::size_t j = 0; j < m.x.size(); ++j) {
    sigma_x += m.p[j] * m.x[j] * m.x[j].transpose();
    for (int k = 0; k < 2; ++k) {
      const Vec<Rational> g = model->sample_gradient(c.theta, m.x[j], Vec<Rational>(V * m.x[j] - Vec<Rational>::Unit(2, k)));
      H += m.p[j] * g * g.transpose();
    }
    for (std::size_t e = 0; e < m.eps.size(); ++e) {
      const Vec<Rational> g = model->sample_gradient(c.theta, m.x[j], Vec<Rational>(V * m.x[j] + m.eps[e]));
      Sigma += m.p[j] * m.p_eps[e] * g * g.transpose();
    }
  }
  for (std::size_t e = 0; e < m.eps.size(); ++e) sigma_eps += m.p_eps[e] * m.eps[e] * m.eps[e].transpose();
  const LimitingDrift<Rational> d = limiting_drift<Rational>(c, sigma_x, sigma_eps);
  RC_ASSERT(d.failure.empty());
  RC_ASSERT(d.hessian == H);
  RC_ASSERT(d.noise_covariance == Sigma);
}

}  // namespace
}  // namespace entropic
