// sgd_step against torch.optim.SGD (dampening 0), computed by hand in exact rationals:
//
//   d = g + lambda theta;  momentum: v = d on the first step, then v = beta v + d;
//   d = v, or d + beta v with nesterov;  theta <- theta - lr P d.
//
// Every example uses the linear model f(x) = w . x (deep_linear, widths [2, 1]), one sample
// x = (1, 2), y = 1, so g = r x with r = w_1 + 2 w_2 - 1, started at w = (1, 1), lr = 1/4.
#include <gtest/gtest.h>

#include "entropic/model/make_model.hpp"
#include "entropic/optim/sgd.hpp"

namespace entropic {
namespace {

Vec<Rational> vec(std::initializer_list<Rational> values) {
  Vec<Rational> v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const Rational& x : values) v[i++] = x;
  return v;
}

ModelSpec linear_spec() {
  ModelSpec s;
  s.kind = ModelKind::deep_linear;
  s.widths = {2, 1};
  return s;
}

class SgdByHand : public ::testing::Test {
 protected:
  std::unique_ptr<Model<Rational>> model = make_model<Rational>(linear_spec());
  DataSet<Rational> data = finite_data<Rational>(Mat<Rational>(vec({1, 2}).transpose()),
                                                 Mat<Rational>::Ones(1, 1));
  SgdConfig<Rational> cfg;
  SgdState<Rational> state{vec({1, 1}), Vec<Rational>()};

  void SetUp() override { cfg.lr = Rational(1, 4); }
  Vec<Rational> step() { return sgd_step(*model, data, {0}, cfg, state); }
};

// lambda = 1/2.
//   step 1: r = 2, g = (2, 4), d = g + theta/2 = (5/2, 9/2), theta = (1, 1) - (5/8, 9/8) = (3/8, -1/8)
//   step 2: r = 3/8 - 1/4 - 1 = -7/8, g = (-7/8, -7/4), d = g + theta/2 = (-11/16, -29/16),
//           theta = (3/8, -1/8) + (11/64, 29/64) = (35/64, 21/64)
TEST_F(SgdByHand, WeightDecay) {
  cfg.weight_decay = Rational(1, 2);
  EXPECT_EQ(step(), vec({2, 4}));  // sgd_step returns g_B, without weight decay
  EXPECT_EQ(state.theta, vec({Rational(3, 8), Rational(-1, 8)}));
  EXPECT_EQ(state.velocity.size(), 0);  // no momentum, no buffer
  EXPECT_EQ(step(), vec({Rational(-7, 8), Rational(-7, 4)}));
  EXPECT_EQ(state.theta, vec({Rational(35, 64), Rational(21, 64)}));
}

// lambda = 1/2, beta = 1/2 (heavy ball).
//   step 1: d = (5/2, 9/2), v = d (PyTorch's first buffer), theta = (3/8, -1/8)
//   step 2: d = (-11/16, -29/16), v = v/2 + d = (5/4 - 11/16, 9/4 - 29/16) = (9/16, 7/16),
//           theta = (3/8 - 9/64, -1/8 - 7/64) = (15/64, -15/64)
TEST_F(SgdByHand, Momentum) {
  cfg.weight_decay = Rational(1, 2);
  cfg.momentum = Rational(1, 2);
  step();
  EXPECT_EQ(state.velocity, vec({Rational(5, 2), Rational(9, 2)}));
  EXPECT_EQ(state.theta, vec({Rational(3, 8), Rational(-1, 8)}));
  step();
  EXPECT_EQ(state.velocity, vec({Rational(9, 16), Rational(7, 16)}));
  EXPECT_EQ(state.theta, vec({Rational(15, 64), Rational(-15, 64)}));
}

// lambda = 1/2, beta = 1/2, nesterov.
//   step 1: d = (5/2, 9/2), v = d, direction d + v/2 = (15/4, 27/4),
//           theta = (1 - 15/16, 1 - 27/16) = (1/16, -11/16)
//   step 2: r = 1/16 - 22/16 - 1 = -37/16, g = (-37/16, -37/8),
//           d = g + theta/2 = (-73/32, -159/32), v = v/2 + d = (-33/32, -87/32),
//           direction d + v/2 = (-179/64, -405/64), theta = (1/16 + 179/256, -11/16 + 405/256)
//           = (195/256, 229/256)
TEST_F(SgdByHand, Nesterov) {
  cfg.weight_decay = Rational(1, 2);
  cfg.momentum = Rational(1, 2);
  cfg.nesterov = true;
  step();
  EXPECT_EQ(state.velocity, vec({Rational(5, 2), Rational(9, 2)}));
  EXPECT_EQ(state.theta, vec({Rational(1, 16), Rational(-11, 16)}));
  step();
  EXPECT_EQ(state.velocity, vec({Rational(-33, 32), Rational(-87, 32)}));
  EXPECT_EQ(state.theta, vec({Rational(195, 256), Rational(229, 256)}));
}

// P = [[2, 1], [1, 1]] (SPD), no decay, no momentum.
//   step 1: g = (2, 4), P g = (8, 6), theta = (1 - 2, 1 - 3/2) = (-1, -1/2)
//   step 2: r = -1 - 1 - 1 = -3, g = (-3, -6), P g = (-12, -9), theta = (-1 + 3, -1/2 + 9/4) = (2, 7/4)
TEST_F(SgdByHand, Preconditioner) {
  Mat<Rational> P(2, 2);
  P << 2, 1, 1, 1;
  cfg.preconditioner = P;
  step();
  EXPECT_EQ(state.theta, vec({-1, Rational(-1, 2)}));
  step();
  EXPECT_EQ(state.theta, vec({2, Rational(7, 4)}));
}

// The preconditioner acts on the momentum direction; the buffer itself stays unpreconditioned.
// beta = 1/2:  step 1: v = g = (2, 4), theta = (1, 1) - (1/4) P v = (-1, -1/2)
//              step 2: g = (-3, -6), v = v/2 + g = (-2, -4), P v = (-8, -6), theta = (1, 1)
TEST_F(SgdByHand, PreconditionedMomentum) {
  Mat<Rational> P(2, 2);
  P << 2, 1, 1, 1;
  cfg.preconditioner = P;
  cfg.momentum = Rational(1, 2);
  step();
  EXPECT_EQ(state.velocity, vec({2, 4}));
  step();
  EXPECT_EQ(state.velocity, vec({-2, -4}));
  EXPECT_EQ(state.theta, vec({1, 1}));
}

TEST_F(SgdByHand, SgdMapStartsWithoutHistory) {
  cfg.weight_decay = Rational(1, 2);
  cfg.momentum = Rational(1, 2);
  EXPECT_EQ(sgd_map(*model, data, {0}, cfg, vec({1, 1})), vec({Rational(3, 8), Rational(-1, 8)}));
}

TEST_F(SgdByHand, RunSgdObservesEveryIterate) {
  cfg.weight_decay = Rational(1, 2);
  std::vector<Vec<Rational>> seen;
  const auto final_state =
      run_sgd(*model, data, BatchSchedule::full(), cfg, vec({1, 1}), 2,
              [&](int t, const SgdState<Rational>& s) {
                EXPECT_EQ(t, static_cast<int>(seen.size()));
                seen.push_back(s.theta);
              });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], vec({1, 1}));
  EXPECT_EQ(seen[1], vec({Rational(3, 8), Rational(-1, 8)}));
  EXPECT_EQ(seen[2], vec({Rational(35, 64), Rational(21, 64)}));
  EXPECT_EQ(final_state.theta, seen[2]);
}

// A step on Series<Rational> gives the exact expansion in eta: theta_1 = theta_0 - eta g(theta_0)
// and theta_2 = theta_1 - eta g(theta_1) = theta_0 - 2 eta g + eta^2 H g for this quadratic loss
// (H = x x^T, so H g = r |x|^2 x = 2 * 5 * (1, 2) = (10, 20)).
TEST(SgdOnSeries, TwoGradientStepsExpandExactly) {
  using S = Series<Rational, 3>;
  const auto model = make_model<S>(linear_spec());
  const DataSet<S> data = from_rational<S>(
      finite_data<Rational>(Mat<Rational>(vec({1, 2}).transpose()), Mat<Rational>::Ones(1, 1)));
  SgdConfig<S> cfg;
  cfg.lr = S::variable();
  SgdState<S> state{from_rational<S>(vec({1, 1})), Vec<S>()};
  sgd_step(*model, data, {0}, cfg, state);
  sgd_step(*model, data, {0}, cfg, state);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(state.theta[i].order(), 3);
    EXPECT_EQ(state.theta[i][0], 1);
    EXPECT_EQ(state.theta[i][1], -2 * (i + 1) * 2);  // -2 g_i with g = (2, 4)
    EXPECT_EQ(state.theta[i][2], 10 * (i + 1));      // (H g)_i
    EXPECT_EQ(state.theta[i][3], 0);                 // two steps of a quadratic: degree 2
  }
}

}  // namespace
}  // namespace entropic
