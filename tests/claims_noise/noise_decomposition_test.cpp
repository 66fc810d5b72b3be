// Catalog T2(a) on instances small enough to do by hand: the entropic loss phi_bar_eta and the
// entropic force split into a discretization part and a noise part, for both samplings.
//
// Hand example: f = w x (deep_linear [1, 1]), l_i = 1/2 (w x_i - y_i)^2, at w = 1 with
//     x = (1, 1, 2), y = (0, 2, 1):  residuals r_i = w x_i - y_i = (1, -1, 1),
//     grad l_i = r_i x_i = (1, -1, 2),  H_i = x_i^2 = (1, 1, 4).
// Then grad L = 2/3, H = 2, L = (1/3)(1/2 + 1/2 + 1/2) = 1/2 and
//     Tr C = (1/3) ((1/3)^2 + (5/3)^2 + (4/3)^2) = 14/9.
// S = 2 with replacement (kappa = 1/2): the 9 ordered pairs give
//     sum_{i,j} ((a_i + a_j)/2)^2 = (1/4)(2 * 3 * sum a^2 + 2 (sum a)^2) = (1/4)(36 + 8) = 11,
//     E ||g_B||^2 = 11/9 = (2/3)^2 + (1/2)(14/9).
// S = 2 uniform subsets (kappa = (3-2)/(2*2) = 1/4): g_{01} = 0, g_{02} = 3/2, g_{12} = 1/2,
//     E ||g_B||^2 = (0 + 9/4 + 1/4)/3 = 5/6 = 4/9 + (1/4)(14/9).
// With lambda = 1/2, eta = 1/2 and replacement: grad L_lambda = 2/3 + 1/2 = 7/6, L_lambda = 3/4,
//     discretization part eta/4 (7/6)^2 = 49/288,  noise part eta/4 (1/2)(14/9) = 28/288,
//     phi_bar = 216/288 + 49/288 + 28/288 = 293/288.
// Forces, with (1/N) sum_i H_i grad l_i = (1 - 1 + 8)/3 = 8/3 and H grad L = 4/3:
//     discretization force -eta/2 (H + lambda)(grad L + lambda w) = -(1/4)(5/2)(7/6) = -35/48,
//     noise force -eta/2 kappa (8/3 - 4/3) = -(1/4)(1/2)(4/3) = -1/6,
//     entropic force -35/48 - 8/48 = -43/48.
#include <gtest/gtest.h>

#include "entropic/model/make_model.hpp"
#include "entropic/theory/entropic_force.hpp"

namespace entropic {
namespace {

ModelSpec scalar_regression() {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1};
  return spec;
}

Mat<Rational> column(std::initializer_list<int> values) {
  Mat<Rational> m(static_cast<Eigen::Index>(values.size()), 1);
  Eigen::Index i = 0;
  for (int v : values) m(i++, 0) = v;
  return m;
}

struct HandExample {
  std::unique_ptr<Model<Rational>> model = make_model<Rational>(scalar_regression());
  DataSet<Rational> data = finite_data<Rational>(column({1, 1, 2}), column({0, 2, 1}));
  Vec<Rational> w = Vec<Rational>::Constant(1, Rational(1));
};

const BatchSampling kPairsWithReplacement{2, Sampling::with_replacement};
const BatchSampling kPairSubsets{2, Sampling::without_replacement};

TEST(NoiseDecomposition, HandExampleSecondMomentsForBothSamplings) {
  const HandExample ex;
  EXPECT_EQ(gradient_noise_trace(*ex.model, ex.data, ex.w), Rational(14, 9));
  EXPECT_EQ(gradient_covariance(*ex.model, ex.data, ex.w)(0, 0), Rational(14, 9));
  EXPECT_EQ(mean_squared_batch_gradient(*ex.model, ex.data, ex.w, Rational(0), kPairsWithReplacement),
            Rational(11, 9));
  EXPECT_EQ(mean_squared_batch_gradient(*ex.model, ex.data, ex.w, Rational(0), kPairSubsets),
            Rational(5, 6));
}

TEST(NoiseDecomposition, HandExamplePartsOfPhiBar) {
  const HandExample ex;
  const Rational eta(1, 2), lambda(1, 2);
  EXPECT_EQ(regularized_loss(*ex.model, ex.data, ex.w, lambda), Rational(3, 4));
  EXPECT_EQ(discretization_part(*ex.model, ex.data, ex.w, eta, lambda), Rational(49, 288));
  EXPECT_EQ(noise_part(*ex.model, ex.data, ex.w, eta, kPairsWithReplacement), Rational(28, 288));
  EXPECT_EQ(phi_bar(*ex.model, ex.data, ex.w, eta, lambda, kPairsWithReplacement), Rational(293, 288));
}

TEST(NoiseDecomposition, HandExampleForces) {
  const HandExample ex;
  const Rational eta(1, 2), lambda(1, 2);
  EXPECT_EQ(discretization_force(*ex.model, ex.data, ex.w, eta, lambda)[0], Rational(-35, 48));
  EXPECT_EQ(noise_force(*ex.model, ex.data, ex.w, eta, kPairsWithReplacement)[0], Rational(-1, 6));
  EXPECT_EQ(entropic_force(*ex.model, ex.data, ex.w, eta, lambda, kPairsWithReplacement)[0],
            Rational(-43, 48));
  EXPECT_EQ(phi_bar_gradient(*ex.model, ex.data, ex.w, eta, lambda, kPairsWithReplacement)[0],
            Rational(7, 6) + Rational(43, 48));
}

// Full-batch GD is the subset sampling with S = N: kappa = 0, no noise part, and phi_bar is the IGR
// loss L_lambda + eta/4 ||grad L_lambda||^2.
TEST(NoiseDecomposition, FullBatchHasOnlyTheDiscretizationPart) {
  const HandExample ex;
  const BatchSampling full{3, Sampling::without_replacement};
  const Rational eta(1, 2), lambda(1, 2);
  EXPECT_EQ(noise_part(*ex.model, ex.data, ex.w, eta, full), 0);
  EXPECT_EQ(noise_force(*ex.model, ex.data, ex.w, eta, full)[0], 0);
  EXPECT_EQ(phi_bar(*ex.model, ex.data, ex.w, eta, lambda, full),
            regularized_loss(*ex.model, ex.data, ex.w, lambda) +
                discretization_part(*ex.model, ex.data, ex.w, eta, lambda));
}

// Catalog T2(a): "both vanish at an interpolating minimum; at a label-noise minimum only the noise
// part survives". Product data {x_j} x {eps_m} with x = (1, 2), y = (3/2) x + eps, eps = (1, -1):
// at w = 3/2 the residual is -eps, grad l = -eps x, grad L = 0 (x and eps independent, E eps = 0) and
// Tr C = E[eps^2 x^2] = (1 + 4)/2 = 5/2; without label noise (eps = 0) every grad l_i is 0.
TEST(NoiseDecomposition, LabelNoiseMinimumKeepsOnlyTheNoisePart) {
  const auto model = make_model<Rational>(scalar_regression());
  const Vec<Rational> w = Vec<Rational>::Constant(1, Rational(3, 2));
  const Mat<Rational> xs = column({1, 2}), V = Mat<Rational>::Constant(1, 1, Rational(3, 2));
  const Rational eta(1, 3);
  const BatchSampling singles{1, Sampling::with_replacement};

  const DataSet<Rational> noisy = product_data<Rational>(xs, V, column({1, -1}));
  EXPECT_EQ(model->gradient(w, noisy), Vec<Rational>::Zero(1));
  EXPECT_EQ(discretization_part(*model, noisy, w, eta, Rational(0)), 0);
  EXPECT_EQ(gradient_noise_trace(*model, noisy, w), Rational(5, 2));
  EXPECT_EQ(noise_part(*model, noisy, w, eta, singles), eta / 4 * Rational(5, 2));

  const DataSet<Rational> clean = product_data<Rational>(xs, V, column({0}));
  EXPECT_EQ(discretization_part(*model, clean, w, eta, Rational(0)), 0);
  EXPECT_EQ(noise_part(*model, clean, w, eta, singles), 0);
}

}  // namespace
}  // namespace entropic
