// The symmetry builders (symmetry/builders.hpp): the declared isometry flag agrees with the exact
// test M^T M = I, and the per-sample loss is exactly invariant on the models that have the symmetry
// (catalog section 0) and not invariant on models that lack it (negative controls).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "symmetry_support.hpp"

namespace entropic {
namespace {

using namespace entropic::testing;

bool exact_isometry(const Symmetry<Rational>& g) { return isometry_defect(g).isZero(0); }

// Rotations of the hidden space, from the generators' Cayley transform.
Mat<Rational> cayley(int h) { return *gen::cayley_rotation(h); }

// --- the isometry flag ---------------------------------------------------------------------------------

// Every builder on one layout: the MLP 2 -> 3 -> 2 with biases (W1, b1, W2, b2).
class IsometryFlag : public ::testing::Test {
 protected:
  std::unique_ptr<Model<Rational>> model =
      make_model<Rational>(mlp_spec({2, 3, 2}, ActivationKind::relu, true));
  const Layout& L = model->layout();
  int W1 = L.index("W1"), b1 = L.index("b1"), W2 = L.index("W2");

  void expect_flag(const Symmetry<Rational>& g, bool isometry) {
    EXPECT_EQ(g.isometry, isometry) << g.name;
    EXPECT_EQ(exact_isometry(g), isometry) << g.name;
  }
};

TEST_F(IsometryFlag, RescalingsAreNotIsometries) {
  expect_flag(layer_rescaling<Rational>(L, W1, b1, W2, Rational(2)), false);
  expect_flag(layer_rescaling<Rational>(L, W1, -1, W2, Rational(1, 3)), false);
  expect_flag(neuron_rescaling<Rational>(L, W1, b1, W2, 1, Rational(3, 2)), false);
  expect_flag(scale_symmetry<Rational>(L, Rational(-2)), false);
}

// s = 1 is the identity and s = -1 a reflection: both are isometries, and the flag must say so.
TEST_F(IsometryFlag, UnitRescalingsAreIsometries) {
  for (const Rational& s : {Rational(1), Rational(-1)}) {
    expect_flag(layer_rescaling<Rational>(L, W1, b1, W2, s), true);
    expect_flag(neuron_rescaling<Rational>(L, W1, b1, W2, 0, s), true);
    expect_flag(scale_symmetry<Rational>(L, s), true);
  }
}

TEST_F(IsometryFlag, GlIsAnIsometryExactlyForOrthogonalG) {
  Mat<Rational> G(3, 3);
  G << 1, 1, 0, 0, 1, 0, 0, 0, 2;  // invertible, not orthogonal
  expect_flag(gl_symmetry<Rational>(L, W1, b1, W2, G), false);
  // Cayley rotation with K = [[0, 1/2, 0], [-1/2, 0, 1/3], [0, -1/3, 0]]: exactly orthogonal.
  Mat<Rational> K = Mat<Rational>::Zero(3, 3);
  K(0, 1) = Rational(1, 2);
  K(1, 2) = Rational(1, 3);
  K = Mat<Rational>(K - K.transpose());
  const Mat<Rational> I = Mat<Rational>::Identity(3, 3);
  const Mat<Rational> R = (I - K) * (I + K).partialPivLu().inverse();
  ASSERT_EQ(Mat<Rational>(R.transpose() * R), I);
  expect_flag(gl_symmetry<Rational>(L, W1, b1, W2, R), true);
  Mat<Rational> D = I;
  D(1, 1) = -1;  // a reflection of one unit is orthogonal too
  expect_flag(gl_symmetry<Rational>(L, W1, b1, W2, D), true);
}

TEST_F(IsometryFlag, OrthogonalMapsAreIsometries) {
  Vec<Rational> ones = Vec<Rational>::Ones(L.size());
  expect_flag(translation<Rational>(L, ones, Rational(5, 2)), true);
  expect_flag(hidden_permutation<Rational>(L, W1, b1, W2, {2, 0, 1}), true);
  expect_flag(unit_sign_flip<Rational>(L, W1, b1, W2, 2), true);
  Mat<Rational> O(L.size(), 2);  // two independent, non-orthonormal columns
  for (int i = 0; i < L.size(); ++i) {
    O(i, 0) = Rational(i + 1, 3);
    O(i, 1) = i % 2 ? Rational(1) : Rational(-1, 2);
  }
  expect_flag(mirror<Rational>(O), true);
  expect_flag(orthogonal_map<Rational>(gl_symmetry<Rational>(L, W1, b1, W2,
                                                             Mat<Rational>::Identity(3, 3)).M,
                                       "identity"),
              true);
}

// orthogonal_map takes the caller's word for it; a matrix that is not orthogonal must not be
// declared an isometry.
TEST_F(IsometryFlag, OrthogonalMapOfANonOrthogonalMatrix) {
  Mat<Rational> M = Mat<Rational>::Identity(L.size(), L.size());
  M(0, 1) = 1;
  expect_flag(orthogonal_map<Rational>(M, "shear"), false);
}

// Over intervals the flag is decided without comparing enclosures (Boost terminates on an ambiguous
// comparison): an enclosure of a rotation is not a certified isometry, an exact one is.
TEST(IsometryFlagInterval, DecidedWithoutComparingEnclosures) {
  PrecisionScope scope(64);
  const auto model = make_model<Rational>(mlp_spec({2, 2, 1}, ActivationKind::linear, true));
  const Layout& L = model->layout();
  Mat<Rational> R(2, 2);
  R << Rational(3, 5), Rational(-4, 5), Rational(4, 5), Rational(3, 5);  // Cayley with K = [[0, 1/2], [-1/2, 0]]
  const auto enclosed = gl_symmetry<Interval>(L, 0, 1, 2, from_rational<Interval>(R));
  EXPECT_FALSE(enclosed.isometry);
  Mat<Rational> swap(2, 2);
  swap << 0, 1, 1, 0;
  EXPECT_TRUE(gl_symmetry<Interval>(L, 0, 1, 2, from_rational<Interval>(swap)).isometry);
  EXPECT_TRUE(scale_symmetry<Interval>(L, Interval(-1)).isometry);
  EXPECT_FALSE(scale_symmetry<Interval>(L, from_rational<Interval>(Rational(1, 3))).isometry);
}

RC_GTEST_PROP(IsometryFlagProperty, AgreesWithTheExactTestForRandomParameters, ()) {
  const auto model = make_model<Rational>(mlp_spec(hidden_widths(), ActivationKind::relu, true));
  const Layout& L = model->layout();
  const int W1 = L.index("W1"), b1 = L.index("b1"), W2 = L.index("W2");
  const int h = L[W1].rows;
  const Rational s = *gen::nonzero_rational(3, 3);
  const int k = *rc::gen::inRange(0, h);
  const Mat<Rational> O = *gen::matrix(L.size(), *gen::dimension(1, 2));
  std::vector<Symmetry<Rational>> all = {
      layer_rescaling<Rational>(L, W1, b1, W2, s),
      neuron_rescaling<Rational>(L, W1, b1, W2, k, s),
      scale_symmetry<Rational>(L, s),
      gl_symmetry<Rational>(L, W1, b1, W2, invertible(h)),
      gl_symmetry<Rational>(L, W1, b1, W2, cayley(h)),
      translation<Rational>(L, *gen::vector(L.size()), s),
      hidden_permutation<Rational>(L, W1, b1, W2, *gen::permutation(h)),
      unit_sign_flip<Rational>(L, W1, b1, W2, k),
  };
  if (Eigen::FullPivLU<Mat<Rational>>(Mat<Rational>(O.transpose() * O)).isInvertible())
    all.push_back(mirror<Rational>(O));
  for (const auto& g : all) {
    RC_LOG() << g.name << " declared " << g.isometry << "\n";
    RC_ASSERT(g.isometry == exact_isometry(g));
  }
}

// --- invariance of the loss: positive cases ---------------------------------------------------------

void expect_invariant(const Instance& in, const Symmetry<Rational>& g) {
  RC_LOG() << describe(in) << g.name << "\n";
  const Vec<Rational> defect = loss_invariance_defect(*in.model, in.data, in.theta, g);
  RC_LOG() << "defect " << gen::show(defect) << "\n";
  RC_ASSERT(defect.isZero(0));
}

// Rescaling (W_l, b_l, W_{l+1}) -> (s W_l, s b_l, W_{l+1}/s), s > 0, in positively homogeneous nets.
RC_GTEST_PROP(LossInvariance, LayerAndNeuronRescalingOfHomogeneousNets, (bool bias)) {
  const ActivationKind act = *rc::gen::element(ActivationKind::relu, ActivationKind::leaky_relu,
                                               ActivationKind::linear);
  const Instance in = instance(mlp_spec(hidden_widths(), act, bias));
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const Rational s = *gen::positive_rational(4, 4);
  expect_invariant(in, layer_rescaling<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), s));
  const int k = *rc::gen::inRange(0, in.width(l));
  expect_invariant(in,
                   neuron_rescaling<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), k, s));
}

// GL between adjacent layers of a deep linear net (with or without embeddings), for any invertible G
// and for Cayley rotations; and between the layers of a linear MLP with biases.
RC_GTEST_PROP(LossInvariance, GlOnDeepLinearNets, ()) {
  ModelSpec spec = deep_linear_spec(hidden_widths());
  if (*rc::gen::arbitrary<bool>()) {
    spec.embed_in = *gen::matrix(spec.widths.front(), *gen::dimension(1, 2));
    spec.embed_out = *gen::matrix(*gen::dimension(1, 2), spec.widths.back());
  }
  const Instance in = instance(spec);
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const int h = in.width(l);
  expect_invariant(in, gl_symmetry<Rational>(in.layout(), in.w(l), -1, in.w(l + 1), invertible(h)));
  const Symmetry<Rational> rotation =
      gl_symmetry<Rational>(in.layout(), in.w(l), -1, in.w(l + 1), cayley(h));
  expect_invariant(in, rotation);
  expect_invariant(in, orthogonal_map<Rational>(rotation.M, "Cayley rotation"));
}

RC_GTEST_PROP(LossInvariance, GlOnLinearMlpWithBias, ()) {
  const Instance in = instance(mlp_spec(hidden_widths(), ActivationKind::linear, true));
  const int l = *rc::gen::inRange(1, in.spec.depth());
  expect_invariant(in, gl_symmetry<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1),
                                             invertible(in.width(l))));
}

// theta -> theta + c 1 and the mirror through 1^perp on f = x^T (I - 11^T/d) theta.
RC_GTEST_PROP(LossInvariance, TranslationAndMirrorOfCenteredLinear, ()) {
  const Instance in = instance(one_layer_spec(ModelKind::centered_linear, *gen::dimension(1, 4), 1));
  const Vec<Rational> ones = Vec<Rational>::Ones(in.layout().size());
  expect_invariant(in, translation<Rational>(in.layout(), ones, *gen::rational()));
  expect_invariant(in, mirror<Rational>(Mat<Rational>(ones)));
}

// theta -> s theta on f = (x^T theta)^2 / ||theta||^2, any s != 0.
RC_GTEST_PROP(LossInvariance, ScaleOfCosineSquare, ()) {
  const Instance in = instance(one_layer_spec(ModelKind::cosine_square, *gen::dimension(1, 3), 1));
  RC_PRE(!in.theta.isZero(0));
  expect_invariant(in, scale_symmetry<Rational>(in.layout(), *gen::nonzero_rational(4, 4)));
}

RC_GTEST_PROP(LossInvariance, PermutationOfHiddenUnits, (bool bias)) {
  const ActivationKind act = *rc::gen::element(ActivationKind::relu, ActivationKind::leaky_relu,
                                               ActivationKind::odd_cubic, ActivationKind::linear);
  const Instance in = instance(mlp_spec(hidden_widths(), act, bias));
  const int l = *rc::gen::inRange(1, in.spec.depth());
  expect_invariant(in, hidden_permutation<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1),
                                                    *gen::permutation(in.width(l))));
}

RC_GTEST_PROP(LossInvariance, SignFlipOfOddActivations, (bool bias)) {
  const ActivationKind act = *rc::gen::element(ActivationKind::odd_cubic, ActivationKind::linear);
  const Instance in = instance(mlp_spec(hidden_widths(), act, bias));
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const int k = *rc::gen::inRange(0, in.width(l));
  expect_invariant(in, unit_sign_flip<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), k));
}

// --- negative controls: the same actions on models that lack the symmetry --------------------------

// One sample, 1 -> 2 -> 1 nets with biases: theta = (W1, b1, W2, b2) = ((1, -1/2), (1/3, 1),
// (2, -1), 1/4), x = 1, y = 1/2. Pre-activations z1 = (4/3, 1/2) are away from the kink.
Instance one_hidden_layer(ActivationKind act) {
  Mat<Rational> X(1, 1), Y(1, 1);
  X << 1;
  Y << Rational(1, 2);
  return fixed_instance(mlp_spec({1, 2, 1}, act, true),
                        vec({1, Rational(-1, 2), Rational(1, 3), 1, 2, -1, Rational(1, 4)}), X, Y);
}

void expect_not_invariant(const Instance& in, const Symmetry<Rational>& g) {
  const Vec<Rational> defect = loss_invariance_defect(*in.model, in.data, in.theta, g);
  EXPECT_FALSE(defect.isZero(0)) << describe(in) << g.name;
}

TEST(LossInvarianceNegative, RescalingNeedsPositiveHomogeneity) {
  const Instance cubic = one_hidden_layer(ActivationKind::odd_cubic);
  expect_not_invariant(cubic, layer_rescaling<Rational>(cubic.layout(), cubic.w(1), cubic.b(1),
                                                        cubic.w(2), Rational(2)));
  expect_not_invariant(cubic, neuron_rescaling<Rational>(cubic.layout(), cubic.w(1), cubic.b(1),
                                                         cubic.w(2), 0, Rational(2)));
  // ReLU is homogeneous only for s > 0.
  const Instance relu = one_hidden_layer(ActivationKind::relu);
  expect_not_invariant(relu, layer_rescaling<Rational>(relu.layout(), relu.w(1), relu.b(1),
                                                       relu.w(2), Rational(-1)));
}

// tanh(s z)/s != tanh(z): a certified counterexample, the enclosure of the defect excludes 0.
// Net 1 -> 1 -> 1 without bias, theta = (1, 1), x = 1, y = 0: l = tanh(1)^2/2 ~ 0.290 against
// l(2, 1/2) = (tanh(2)/2)^2/2 ~ 0.116.
TEST(LossInvarianceNegative, RescalingOfATanhNet) {
  PrecisionScope scope(64);
  const ModelSpec spec = mlp_spec({1, 1, 1}, ActivationKind::tanh, false);
  const auto model = make_model<Interval>(spec);
  const Layout& L = model->layout();
  const Symmetry<Interval> g = layer_rescaling<Interval>(L, 0, -1, 1, Interval(2));
  const DataSet<Interval> data{Mat<Interval>::Ones(1, 1), Mat<Interval>::Zero(1, 1)};
  const Vec<Interval> defect = loss_invariance_defect(*model, data, Vec<Interval>(Vec<Interval>::Ones(2)), g);
  EXPECT_FALSE(contains_zero(defect[0])) << to_text(defect[0]);
  EXPECT_TRUE(upper(defect[0]) < 0);
}

TEST(LossInvarianceNegative, SignFlipNeedsAnOddActivation) {
  for (ActivationKind act : {ActivationKind::relu, ActivationKind::leaky_relu}) {
    const Instance in = one_hidden_layer(act);
    expect_not_invariant(in, unit_sign_flip<Rational>(in.layout(), in.w(1), in.b(1), in.w(2), 0));
  }
}

TEST(LossInvarianceNegative, RotationsNeedLinearity) {
  const Instance relu = one_hidden_layer(ActivationKind::relu);
  // The Cayley rotation with K = [[0, 1], [-1, 0]]: R = [[0, -1], [1, 0]].
  Mat<Rational> R(2, 2);
  R << 0, -1, 1, 0;
  expect_not_invariant(relu, gl_symmetry<Rational>(relu.layout(), relu.w(1), relu.b(1), relu.w(2), R));
  // A permutation of W1's rows alone (not of b1 and W2's columns) is an isometry but no symmetry.
  Mat<Rational> P = Mat<Rational>::Identity(relu.layout().size(), relu.layout().size());
  P.block(0, 0, 2, 2) << 0, 1, 1, 0;
  expect_not_invariant(relu, orthogonal_map<Rational>(P, "rows of W1 only"));
}

TEST(LossInvarianceNegative, TranslationAndScaleOfAPlainLinearModel) {
  Mat<Rational> X(1, 2), Y(1, 1);
  X << 1, 2;
  Y << 1;
  const Instance in = fixed_instance(deep_linear_spec({2, 1}), vec({1, Rational(1, 2)}), X, Y);
  expect_not_invariant(in, translation<Rational>(in.layout(), Vec<Rational>::Ones(2), Rational(1)));
  expect_not_invariant(in, scale_symmetry<Rational>(in.layout(), Rational(2)));
  expect_not_invariant(in, mirror<Rational>(Mat<Rational>(Vec<Rational>::Ones(2))));
}

// --- builder errors --------------------------------------------------------------------------------------

TEST(SymmetryBuilders, RejectMismatchedArguments) {
  const auto model = make_model<Rational>(mlp_spec({2, 3, 2}, ActivationKind::relu, true));
  const Layout& L = model->layout();
  EXPECT_THROW(gl_symmetry<Rational>(L, 0, 1, 2, Mat<Rational>::Identity(2, 2)), std::invalid_argument);
  EXPECT_THROW(translation<Rational>(L, Vec<Rational>::Ones(3), Rational(1)), std::invalid_argument);
  EXPECT_THROW(hidden_permutation<Rational>(L, 0, 1, 2, {1, 0}), std::invalid_argument);
  Mat<Rational> dependent(L.size(), 2);
  dependent.col(0) = Vec<Rational>::Ones(L.size());
  dependent.col(1) = 2 * Vec<Rational>::Ones(L.size());
  EXPECT_THROW(mirror<Rational>(dependent), std::invalid_argument);
}

TEST(SymmetryBuilders, ActionsMoveTheNamedEntries) {
  // 1 -> 2 -> 1 with biases; layout W1 (2x1) at 0, b1 at 2, W2 (1x2) at 4, b2 at 6.
  const Instance in = one_hidden_layer(ActivationKind::relu);
  const Layout& L = in.layout();
  const Vec<Rational> theta = vec({1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(layer_rescaling<Rational>(L, in.w(1), in.b(1), in.w(2), Rational(2)).act(theta),
            vec({2, 4, 6, 8, Rational(5, 2), 3, 7}));
  EXPECT_EQ(neuron_rescaling<Rational>(L, in.w(1), in.b(1), in.w(2), 1, Rational(2)).act(theta),
            vec({1, 4, 3, 8, 5, 3, 7}));
  // Unit 0 goes to position 1 and back: swap rows of W1 and b1, columns of W2.
  EXPECT_EQ(hidden_permutation<Rational>(L, in.w(1), in.b(1), in.w(2), {1, 0}).act(theta),
            vec({2, 1, 4, 3, 6, 5, 7}));
  EXPECT_EQ(unit_sign_flip<Rational>(L, in.w(1), in.b(1), in.w(2), 0).act(theta),
            vec({-1, 2, -3, 4, -5, 6, 7}));
  EXPECT_EQ(translation<Rational>(L, Vec<Rational>::Ones(7), Rational(-1)).act(theta),
            vec({0, 1, 2, 3, 4, 5, 6}));
}

}  // namespace
}  // namespace entropic
