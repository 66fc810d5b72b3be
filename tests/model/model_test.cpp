// Models by hand: a tiny deep linear net computed on paper, the kink conventions of ReLU and leaky
// ReLU (PyTorch's), and the errors Model::check and ModelSpec::validate raise.
#include <gtest/gtest.h>

#include <functional>

#include "model_support.hpp"

namespace entropic {
namespace {

using namespace entropic::testing;

Vec<Rational> vec(std::initializer_list<Rational> values) {
  Vec<Rational> v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const Rational& x : values) v[i++] = x;
  return v;
}

// Expects `fn` to throw std::invalid_argument whose message contains `needle`.
void expect_invalid_argument(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message \"" << e.what() << "\" does not mention \"" << needle << "\"";
  }
}

// --- a deep linear net on paper ---------------------------------------------------------------------

// widths [2, 1, 1]: f(x) = c (a x_1 + b x_2), theta = (W1 = [a b], W2 = [c]) = (1/2, -1, 2).
// At x = (1, 2), y = 3:
//   h = a x_1 + b x_2 = 1/2 - 2 = -3/2,   f = c h = -3,   r = f - y = -6,   l = r^2 / 2 = 18;
//   dl/da = r c x_1 = -12,   dl/db = r c x_2 = -24,   dl/dc = r h = 9.
TEST(DeepLinearByHand, LossAndGradient) {
  const auto model = make_model<Rational>(deep_linear_spec({2, 1, 1}));
  ASSERT_EQ(model->parameter_count(), 3);
  const Vec<Rational> theta = vec({Rational(1, 2), -1, 2});
  const Vec<Rational> x = vec({1, 2}), y = vec({3});
  EXPECT_EQ(model->output(theta, x), vec({-3}));
  EXPECT_EQ(model->sample_loss(theta, x, y), 18);
  EXPECT_EQ(model->sample_gradient(theta, x, y), vec({-12, -24, 9}));
}

// The same net between embeddings M_in = I_2 (so x is unchanged) and M_out = [1; -1]:
//   f = M_out (c h) = (-3, 3); at y = (0, 1): r = (-3, 2), l = (9 + 4)/2 = 13/2;
//   delta = M_out^T r = -3 - 2 = -5;  dl/da = delta c x_1 = -10, dl/db = delta c x_2 = -20,
//   dl/dc = delta h = 15/2.
TEST(DeepLinearByHand, WithEmbeddings) {
  ModelSpec spec = deep_linear_spec({2, 1, 1});
  spec.embed_in = Mat<Rational>::Identity(2, 2);
  Mat<Rational> out(2, 1);
  out << 1, -1;
  spec.embed_out = out;
  const auto model = make_model<Rational>(spec);
  const Vec<Rational> theta = vec({Rational(1, 2), -1, 2});
  const Vec<Rational> x = vec({1, 2}), y = vec({0, 1});
  EXPECT_EQ(model->output(theta, x), vec({-3, 3}));
  EXPECT_EQ(model->sample_loss(theta, x, y), Rational(13, 2));
  EXPECT_EQ(model->sample_gradient(theta, x, y), vec({-10, -20, Rational(15, 2)}));
}

// Batch loss is the mean over the batch with duplicates counted: with a second sample
// x' = (0, 1), y' = 0 (h' = -1, f' = -2, l' = 2), the batch {0, 0, 1} has loss (18 + 18 + 2)/3.
TEST(DeepLinearByHand, BatchMeanCountsDuplicates) {
  const auto model = make_model<Rational>(deep_linear_spec({2, 1, 1}));
  const Vec<Rational> theta = vec({Rational(1, 2), -1, 2});
  Mat<Rational> X(2, 2), Y(2, 1);
  X << 1, 2, 0, 1;
  Y << 3, 0;
  const DataSet<Rational> data = finite_data(X, Y);
  EXPECT_EQ(model->loss(theta, data, {0, 0, 1}), Rational(38, 3));
  EXPECT_EQ(model->loss(theta, data), 10);  // full batch: (18 + 2)/2
  // g' = r' (c x'_1, c x'_2, h') = -2 (0, 2, -1) = (0, -4, 2); mean of (g, g, g') = (-24, -52, 20)/3.
  EXPECT_EQ(model->gradient(theta, data, {0, 0, 1}), vec({-8, Rational(-52, 3), Rational(20, 3)}));
}

// --- kinks --------------------------------------------------------------------------------------------

// widths [1, 1, 1] with biases, theta = (w1, b1, w2, b2) = (1, -1, 2, 1/2), x = 1, y = 0:
// z1 = w1 x + b1 = 0 sits on the kink. a1 = sigma(0) = 0, f = w2 a1 + b2 = 1/2, r = 1/2.
//   dl/dw2 = r a1 = 0, dl/db2 = r = 1/2, delta1 = w2 r sigma'(0) = sigma'(0),
//   dl/dw1 = delta1 x, dl/db1 = delta1.
// PyTorch: relu'(0) = 0 (threshold_backward), leaky_relu'(0) = slope (leaky_relu_backward).
TEST(Kinks, ReluDerivativeAtZeroIsZero) {
  const auto model = make_model<Rational>(mlp_spec({1, 1, 1}, ActivationKind::relu, true));
  const Vec<Rational> theta = vec({1, -1, 2, Rational(1, 2)});
  EXPECT_EQ(model->sample_gradient(theta, vec({1}), vec({0})), vec({0, 0, 0, Rational(1, 2)}));
  EXPECT_EQ(activation_derivative(Activation{ActivationKind::relu, 0}, Rational(0)), 0);
  EXPECT_EQ(activate(Activation{ActivationKind::relu, 0}, Rational(-3)), 0);
  EXPECT_EQ(activate(Activation{ActivationKind::relu, 0}, Rational(3)), 3);
}

TEST(Kinks, LeakyReluDerivativeAtZeroIsTheSlope) {
  const Rational slope(1, 4);
  const auto model =
      make_model<Rational>(mlp_spec({1, 1, 1}, ActivationKind::leaky_relu, true, slope));
  const Vec<Rational> theta = vec({1, -1, 2, Rational(1, 2)});
  EXPECT_EQ(model->sample_gradient(theta, vec({1}), vec({0})),
            vec({Rational(1, 4), Rational(1, 4), 0, Rational(1, 2)}));
  const Activation leaky{ActivationKind::leaky_relu, slope};
  EXPECT_EQ(activation_derivative(leaky, Rational(0)), slope);
  EXPECT_EQ(activation_derivative(leaky, Rational(1, 100)), 1);
  EXPECT_EQ(activate(leaky, Rational(-2)), Rational(-1, 2));
}

TEST(Kinks, IntervalStraddlingZeroIsUnresolved) {
  PrecisionScope scope(64);
  const auto model = make_model<Interval>(mlp_spec({1, 1, 1}, ActivationKind::relu, true));
  // z1 = 3 * enclosure(1/3) - 1: exactly 0 in the reals, an enclosure straddling 0 in interval arithmetic.
  const Vec<Interval> theta = from_rational<Interval>(vec({3, -1, 2, 0}));
  const Vec<Interval> x = from_rational<Interval>(vec({Rational(1, 3)}));
  const Vec<Interval> y = from_rational<Interval>(vec({0}));
  EXPECT_THROW(model->sample_loss(theta, x, y), kink_unresolved);
  EXPECT_THROW(model->sample_gradient(theta, x, y), kink_unresolved);
  // Decided enclosures are fine: x = 1/2 puts z1 = 1/2 on the positive side.
  const Vec<Interval> x2 = from_rational<Interval>(vec({Rational(1, 2)}));
  EXPECT_NO_THROW(model->sample_gradient(theta, x2, y));
  // The same point in Rational is exactly on the kink and follows relu'(0) = 0.
  const auto exact = make_model<Rational>(mlp_spec({1, 1, 1}, ActivationKind::relu, true));
  EXPECT_EQ(exact->sample_gradient(vec({3, -1, 2, 0}), vec({Rational(1, 3)}), vec({0})),
            vec({0, 0, 0, 0}));
}

TEST(Kinks, SeriesDecidesByTheFirstNonzeroCoefficient) {
  using S = Series<Rational, 2>;
  const Activation relu{ActivationKind::relu, 0};
  const S eta = S::variable();
  EXPECT_EQ(activation_derivative(relu, S(eta * eta)), S(1));        // eta^2 > 0 for small eta
  EXPECT_EQ(activation_derivative(relu, S(S(0) - eta)), S(0));       // -eta < 0
  EXPECT_EQ(activate(relu, S(eta - eta * eta)), S(eta - eta * eta));
}

// --- Model::check ---------------------------------------------------------------------------------

class ModelCheck : public ::testing::Test {
 protected:
  // widths [2, 3, 1]: 2*3 + 3*1 = 9 parameters; 3 samples.
  std::unique_ptr<Model<Rational>> model = make_model<Rational>(deep_linear_spec({2, 3, 1}));
  Vec<Rational> theta = Vec<Rational>::Ones(9);
  DataSet<Rational> data = finite_data<Rational>(Mat<Rational>::Ones(3, 2), Mat<Rational>::Ones(3, 1));
};

TEST_F(ModelCheck, AcceptsAConsistentCall) {
  EXPECT_NO_THROW(model->check(theta, data, {0, 2, 2}));
  EXPECT_NO_THROW(model->gradient(theta, data));
}

TEST_F(ModelCheck, WrongParameterCount) {
  const Vec<Rational> short_theta = Vec<Rational>::Ones(8);
  expect_invalid_argument([&] { model->loss(short_theta, data, {0}); },
                          "parameters: model has 9 entries, got 8");
  expect_invalid_argument([&] { model->gradient(short_theta, data); }, "got 8");
}

TEST_F(ModelCheck, WrongInputDimension) {
  const auto wide = finite_data<Rational>(Mat<Rational>::Ones(3, 3), Mat<Rational>::Ones(3, 1));
  expect_invalid_argument([&] { model->gradient(theta, wide, {0}); },
                          "data.x: model expects inputs of dimension 2, got 3");
}

TEST_F(ModelCheck, WrongTargetDimension) {
  const auto tall = finite_data<Rational>(Mat<Rational>::Ones(3, 2), Mat<Rational>::Ones(3, 2));
  expect_invalid_argument([&] { model->loss(theta, tall, {0}); },
                          "data.y: model expects targets of dimension 1, got 2");
}

TEST_F(ModelCheck, BadBatchIndices) {
  expect_invalid_argument([&] { model->gradient(theta, data, {0, 3}); },
                          "batch: index 3 outside 0..2");
  expect_invalid_argument([&] { model->loss(theta, data, {-1}); }, "batch: index -1");
  expect_invalid_argument([&] { model->gradient(theta, data, {}); }, "batch: empty");
}

TEST(ModelData, FiniteDataRejectsMismatchedRows) {
  expect_invalid_argument(
      [] { finite_data<Rational>(Mat<Rational>::Ones(3, 2), Mat<Rational>::Ones(2, 1)); },
      "x has 3 rows but y has 2");
  expect_invalid_argument(
      [] { finite_data<Rational>(Mat<Rational>(0, 2), Mat<Rational>(0, 1)); }, "no samples");
}

TEST(ModelData, SoftmaxTargetsMustBeClassIndices) {
  PrecisionScope scope(64);
  const auto model = make_model<Interval>(one_layer_spec(ModelKind::softmax, 2, 3));
  const Vec<Interval> theta = Vec<Interval>::Zero(6);
  Vec<Interval> x = Vec<Interval>::Ones(2), y(1);
  for (const Rational& bad : {Rational(3), Rational(-1), Rational(1, 2)}) {
    y[0] = from_rational<Interval>(bad);
    expect_invalid_argument([&] { model->sample_gradient(theta, x, y); },
                            "softmax targets must be class indices 0..2");
  }
}

// --- ModelSpec::validate ------------------------------------------------------------------------------

TEST(ModelSpecValidate, RejectsInconsistentArchitectures) {
  expect_invalid_argument([] { make_model<Rational>(deep_linear_spec({2})); },
                          "needs at least two widths");
  expect_invalid_argument([] { make_model<Rational>(deep_linear_spec({2, 0, 1})); },
                          "model.widths[1] must be positive");
  expect_invalid_argument(
      [] { make_model<Rational>(mlp_spec({1, 2, 1}, ActivationKind::leaky_relu, false, -1)); },
      "slope must be >= 0");
  expect_invalid_argument([] { make_model<Rational>(one_layer_spec(ModelKind::softmax, 2, 1)); },
                          "softmax needs >= 2 classes");
  expect_invalid_argument(
      [] { make_model<Rational>(one_layer_spec(ModelKind::cosine_square, 3, 2)); },
      "has scalar output");
  ModelSpec deep_softmax = one_layer_spec(ModelKind::softmax, 2, 3);
  deep_softmax.widths = {2, 3, 3};
  expect_invalid_argument([&] { make_model<Rational>(deep_softmax); }, "has one layer");
  ModelSpec embedded_mlp = mlp_spec({2, 2, 1}, ActivationKind::relu, false);
  embedded_mlp.embed_in = Mat<Rational>::Identity(2, 2);
  expect_invalid_argument([&] { make_model<Rational>(embedded_mlp); },
                          "embeddings are only for deep_linear");
  ModelSpec bad_embedding = deep_linear_spec({2, 1});
  bad_embedding.embed_in = Mat<Rational>::Identity(3, 3);
  expect_invalid_argument([&] { make_model<Rational>(bad_embedding); },
                          "embed_in must have widths[0] rows");
}

TEST(ModelSpecValidate, DimensionsSeenFromTheData) {
  ModelSpec spec = deep_linear_spec({2, 4, 3});
  spec.embed_in = Mat<Rational>::Ones(2, 5);
  spec.embed_out = Mat<Rational>::Ones(6, 3);
  EXPECT_EQ(spec.input_dim(), 5);
  EXPECT_EQ(spec.output_dim(), 6);
  EXPECT_EQ(one_layer_spec(ModelKind::softmax, 4, 3).output_dim(), 1);
  // Mlp layout: W1, b1, W2, b2, ... in that order.
  const auto mlp = make_model<Rational>(mlp_spec({2, 3, 1}, ActivationKind::relu, true));
  EXPECT_EQ(mlp->parameter_count(), 6 + 3 + 3 + 1);
  EXPECT_EQ(mlp->layout()[1].name, "b1");
  EXPECT_EQ(mlp->layout()[2].offset, 9);
}

}  // namespace
}  // namespace entropic
