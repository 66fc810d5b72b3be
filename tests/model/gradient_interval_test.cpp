// Gradients of the models that need irrational functions (tanh, softmax's exp/log, the norm's sqrt):
// the hand-derived gradient over Interval and the forward-mode derivative over Dual<Interval> both
// enclose the true gradient, so they must intersect; each must also be narrow, or the comparison
// would have no power.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model_support.hpp"

namespace entropic {
namespace {

using namespace entropic::testing;

constexpr unsigned kBits = 128;

// An enclosure is narrow when its width is at most 2^20 rounding units of the gradient's largest
// entry (or of 1). The scale is the whole gradient's, not the entry's: an entry that cancels to 0
// from large intermediate terms (a hidden unit of an odd_cubic net with sigma'(z) = 1 - z^2 = 0, fed
// by a delta of 1e18) carries their rounding, and the largest entry is of their size.
Real gradient_scale(const Vec<Interval>& g) {
  Real m(1);
  for (Eigen::Index j = 0; j < g.size(); ++j) m = std::max<Real>(m, abs(midpoint(g[j])));
  return m;
}
constexpr int kWidthFactor = 1 << 20;

// `exact`: the model is rational, so both enclosures must also contain the exact gradient.
void check_certified_gradient(const ModelSpec& spec, bool nonzero_theta = false, bool exact = false) {
  PrecisionScope scope(kBits);
  const int n = *gen::dimension(1, 3);
  const DataSet<Rational> data = *gen::dataset(spec, n);
  const Vec<Rational> theta = *gen::parameters(spec);
  if (nonzero_theta) RC_PRE(!theta.isZero(0));
  const Batch batch = *batch_of(n);
  const Vec<Interval> hand = hand_gradient<Interval>(spec, theta, data, batch);
  const Vec<Interval> forward = forward_mode_gradient<Interval>(spec, theta, data, batch);
  const Real bound = kWidthFactor * upper(Eigen::NumTraits<Interval>::epsilon()) * gradient_scale(hand);
  RC_LOG() << spec.kind_name() << " " << spec.activation.name() << (spec.bias ? " +bias" : "")
           << "\ntheta " << gen::show_parameters(make_model<Rational>(spec)->layout(), theta)
           << "\nX " << gen::show(data.X) << "\nY " << gen::show(data.Y) << "\nbatch "
           << show_batch(batch) << "\n";
  Vec<Rational> reference;
  if (exact) reference = hand_gradient<Rational>(spec, theta, data, batch);
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    RC_LOG() << j << ": hand " << to_text(hand[j]) << " forward " << to_text(forward[j]) << "\n";
    RC_ASSERT(overlap(hand[j], forward[j]));
    RC_ASSERT(width(hand[j]) <= bound);
    RC_ASSERT(width(forward[j]) <= bound);
    if (exact) {
      const Interval q = from_rational<Interval>(reference[j]);
      RC_ASSERT(overlap(hand[j], q));
      RC_ASSERT(overlap(forward[j], q));
    }
  }
}

RC_GTEST_PROP(CertifiedGradient, MlpTanh, (bool bias)) {
  check_certified_gradient(mlp_spec(*widths(2, 3), ActivationKind::tanh, bias));
}

RC_GTEST_PROP(CertifiedGradient, Softmax, (bool bias)) {
  check_certified_gradient(
      one_layer_spec(ModelKind::softmax, *gen::dimension(1, 3), *gen::dimension(2, 3), bias));
}

RC_GTEST_PROP(CertifiedGradient, NormalizedLinear, ()) {
  check_certified_gradient(
      one_layer_spec(ModelKind::normalized_linear, *gen::dimension(1, 3), *gen::dimension(1, 2)),
      true);
}

// The rational models agree over intervals too (the same code, another scalar), and both
// enclosures contain the exact gradient.
RC_GTEST_PROP(CertifiedGradient, MlpOddCubic, (bool bias)) {
  check_certified_gradient(mlp_spec(*widths(2, 3), ActivationKind::odd_cubic, bias), false, true);
}

// The comparison has power: a hand gradient mutated by 2^-100 no longer intersects the reference.
TEST(CertifiedGradient, RejectsAGradientOffBy2ToTheMinus100) {
  PrecisionScope scope(kBits);
  const ModelSpec spec = mlp_spec({2, 2, 1}, ActivationKind::tanh, true);
  Vec<Rational> theta(make_model<Rational>(spec)->parameter_count());
  for (int i = 0; i < theta.size(); ++i) theta[i] = Rational(i % 3 - 1, 2 + i);
  Mat<Rational> X(1, 2), Y(1, 1);
  X << Rational(1, 3), -1;
  Y << Rational(1, 2);
  const DataSet<Rational> data = finite_data(X, Y);
  const Vec<Interval> forward = forward_mode_gradient<Interval>(spec, theta, data, {0});
  Vec<Interval> hand = hand_gradient<Interval>(spec, theta, data, {0});
  for (int j = 0; j < theta.size(); ++j) EXPECT_TRUE(overlap(hand[j], forward[j])) << j;
  hand[0] += Interval(ldexp(Real(1), -100));
  EXPECT_FALSE(overlap(hand[0], forward[0]));
}

// Softmax cross-entropy at W = 0: every class has probability 1/C, so l = log C and the gradient
// is (1/C - [k = y]) x (reference: log 3 at 256 bits).
TEST(CertifiedGradient, SoftmaxAtZeroWeights) {
  PrecisionScope scope(kBits);
  const ModelSpec spec = one_layer_spec(ModelKind::softmax, 2, 3, true);
  const auto model = make_model<Interval>(spec);
  const Vec<Interval> theta = Vec<Interval>::Zero(model->parameter_count());
  Vec<Interval> x(2), y(1);
  x << from_rational<Interval>(Rational(1, 2)), Interval(-2);
  y << Interval(1);
  Real log3;
  {
    PrecisionScope finer(256);
    log3 = log(Real(3));
  }
  const Interval l = model->sample_loss(theta, x, y);
  EXPECT_TRUE(contains(l, log3)) << to_text(l);
  const Vec<Interval> g = model->sample_gradient(theta, x, y);
  // Layout: W1 (3 x 2, column-major), then b1 (3).
  const Rational p = Rational(1, 3);
  const Rational expected[] = {p / 2,     (p - 1) / 2, p / 2,  // column 0: x_0 = 1/2
                               -2 * p,    -2 * (p - 1), -2 * p,  // column 1: x_1 = -2
                               p,         p - 1,       p};       // bias
  for (int j = 0; j < 9; ++j) {
    EXPECT_TRUE(overlap(g[j], from_rational<Interval>(expected[j]))) << j << ": " << to_text(g[j]);
  }
}

// Softmax has no kink: two logits whose enclosures overlap (here identical, W's rows equal and x
// not dyadic, so z_1 - z_0 is [-w, w]) must not stop the computation. With equal logits and label 0:
// l = log 2 and grad W = (p - e_0) x^T = (-1/2, 1/2) x (reference: log 2 at 256 bits).
TEST(CertifiedGradient, SoftmaxWithTiedLogits) {
  PrecisionScope scope(kBits);
  const auto model = make_model<Interval>(one_layer_spec(ModelKind::softmax, 1, 2));
  Vec<Interval> theta(2), x(1), y(1);
  theta << from_rational<Interval>(Rational(1, 3)), from_rational<Interval>(Rational(1, 3));
  x << from_rational<Interval>(Rational(1, 3));
  y << Interval(0);
  Real log2;
  {
    PrecisionScope finer(256);
    log2 = log(Real(2));
  }
  const Interval l = model->sample_loss(theta, x, y);
  EXPECT_TRUE(contains(l, log2)) << to_text(l);
  const Vec<Interval> g = model->sample_gradient(theta, x, y);
  EXPECT_TRUE(overlap(g[0], from_rational<Interval>(Rational(-1, 6)))) << to_text(g[0]);
  EXPECT_TRUE(overlap(g[1], from_rational<Interval>(Rational(1, 6)))) << to_text(g[1]);
}

}  // namespace
}  // namespace entropic
