// The hand-derived gradients of the rational models equal the forward-mode derivative of the batch
// loss on Dual<Rational> parameters, exactly, for random architectures, data, parameters and batches
// (with duplicate indices). ReLU kinks are hit whenever a pre-activation is exactly 0, which the
// small rationals of the generators make common; both sides must then follow PyTorch's convention.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model_support.hpp"

namespace entropic {
namespace {

using namespace entropic::testing;

void check_exact_gradient(const ModelSpec& spec, bool nonzero_theta = false) {
  const int n = *gen::dimension(1, 3);
  const DataSet<Rational> data = *gen::dataset(spec, n);
  const Vec<Rational> theta = *gen::parameters(spec);
  if (nonzero_theta) RC_PRE(!theta.isZero(0));
  const Batch batch = *batch_of(n);
  const Vec<Rational> hand = hand_gradient<Rational>(spec, theta, data, batch);
  const Vec<Rational> forward = forward_mode_gradient<Rational>(spec, theta, data, batch);
  RC_LOG() << spec.kind_name() << " " << spec.activation.name() << (spec.bias ? " +bias" : "")
           << "\ntheta " << gen::show_parameters(make_model<Rational>(spec)->layout(), theta)
           << "\nX " << gen::show(data.X) << "\nY " << gen::show(data.Y) << "\nbatch "
           << show_batch(batch) << "\nhand    " << gen::show(hand) << "\nforward "
           << gen::show(forward) << "\n";
  RC_ASSERT(hand == forward);
}

RC_GTEST_PROP(ExactGradient, DeepLinear, ()) { check_exact_gradient(any_deep_linear(false)); }

RC_GTEST_PROP(ExactGradient, DeepLinearWithEmbeddings, ()) {
  check_exact_gradient(any_deep_linear(true));
}

RC_GTEST_PROP(ExactGradient, MlpLinear, (bool bias)) {
  check_exact_gradient(mlp_spec(*widths(1, 3), ActivationKind::linear, bias));
}

RC_GTEST_PROP(ExactGradient, MlpRelu, (bool bias)) {
  check_exact_gradient(mlp_spec(*widths(2, 3), ActivationKind::relu, bias));
}

RC_GTEST_PROP(ExactGradient, MlpLeakyRelu, (bool bias)) {
  const Rational slope = abs(*gen::rational(3, 4));
  check_exact_gradient(mlp_spec(*widths(2, 3), ActivationKind::leaky_relu, bias, slope));
}

RC_GTEST_PROP(ExactGradient, MlpOddCubic, (bool bias)) {
  check_exact_gradient(mlp_spec(*widths(2, 3), ActivationKind::odd_cubic, bias));
}

RC_GTEST_PROP(ExactGradient, CosineSquare, ()) {
  check_exact_gradient(one_layer_spec(ModelKind::cosine_square, *gen::dimension(1, 3), 1), true);
}

RC_GTEST_PROP(ExactGradient, CenteredLinear, ()) {
  check_exact_gradient(one_layer_spec(ModelKind::centered_linear, *gen::dimension(1, 4), 1));
}

// The check has power: a gradient off in one entry is rejected. (A mutated prediction of the
// property above, on a fixed instance.)
TEST(ExactGradient, RejectsAPerturbedGradient) {
  const ModelSpec spec = mlp_spec({2, 2, 1}, ActivationKind::odd_cubic, true);
  Vec<Rational> theta(make_model<Rational>(spec)->parameter_count());
  for (int i = 0; i < theta.size(); ++i) theta[i] = Rational(i + 1, 3 + i % 2);
  Mat<Rational> X(2, 2), Y(2, 1);
  X << 1, Rational(-1, 2), Rational(1, 3), 2;
  Y << Rational(1, 4), -1;
  const DataSet<Rational> data = finite_data(X, Y);
  const Vec<Rational> forward = forward_mode_gradient<Rational>(spec, theta, data, {0, 1, 1});
  Vec<Rational> hand = hand_gradient<Rational>(spec, theta, data, {0, 1, 1});
  EXPECT_EQ(hand, forward);
  hand[3] += Rational(1, 1000000);
  EXPECT_NE(hand, forward);
  // The batch mean counts duplicates: {0, 1, 1} is not {0, 1}.
  EXPECT_NE(hand_gradient<Rational>(spec, theta, data, {0, 1}), forward);
}

}  // namespace
}  // namespace entropic
