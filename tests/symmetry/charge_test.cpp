// Noether charges (catalog section 0): each builder's charge equals the catalog formula and the
// quadratic form theta^T A theta of the action's generator A; the gradient is orthogonal to the
// orbit, (A theta)^T grad l_i = 0 per sample; and theory/charge_law.hpp's one-step prediction
// matches a step computed by hand.
//
// The generator is read off the builder's own matrices, with no reference to its charge: for
// rescalings M(s) = diag(s on the incoming block, 1/s on the outgoing one, 1 elsewhere), so
// A = (M(s) - M(1/s)) / (s - 1/s) exactly; for GL, M(G) is linear in G on (W, b) and in G^{-1} on U.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "entropic/optim/sgd.hpp"
#include "entropic/theory/charge_drift.hpp"
#include "entropic/theory/charge_law.hpp"
#include "symmetry_support.hpp"

namespace entropic {
namespace {

using namespace entropic::testing;

const Rational kS(2);  // any s with s != +-1 identifies the generator

Mat<Rational> rescaling_generator(const Mat<Rational>& M_s, const Mat<Rational>& M_inv_s) {
  return (M_s - M_inv_s) / (kS - 1 / kS);
}

Rational quadratic_form(const Mat<Rational>& A, const Vec<Rational>& theta) {
  return theta.dot(A * theta);
}

// Sum of squares of the named block entries (the catalog's ||W_l||^2, ...), -1 meaning absent.
Rational block_norm2(const Instance& in, int block) {
  return block < 0 ? Rational(0) : Rational(in.layout().view(in.theta, block).squaredNorm());
}

// (A theta)^T grad l_i for every sample: zero when the loss is invariant along e^{tA}.
void expect_gradient_orthogonal_to_orbit(const Instance& in, const Mat<Rational>& A) {
  const Vec<Rational> tangent = A * in.theta;
  for (int i = 0; i < in.data.size(); ++i) {
    const Vec<Rational> g = in.model->sample_gradient(in.theta, in.data.x(i), in.data.y(i));
    RC_ASSERT(tangent.dot(g) == 0);
  }
}

RC_GTEST_PROP(Charge, LayerRescaling, (bool bias)) {
  const ActivationKind act = *rc::gen::element(ActivationKind::relu, ActivationKind::linear);
  const Instance in = instance(mlp_spec(hidden_widths(), act, bias));
  RC_LOG() << describe(in);
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const auto g = layer_rescaling<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), kS);
  const auto g_inv = layer_rescaling<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), 1 / kS);
  const Mat<Rational> A = rescaling_generator(g.M, g_inv.M);
  const Rational q = g.charge(in.theta)(0, 0);
  // Catalog: ||W_l||^2 + ||b_l||^2 - ||W_{l+1}||^2.
  RC_ASSERT(q == block_norm2(in, in.w(l)) + block_norm2(in, in.b(l)) - block_norm2(in, in.w(l + 1)));
  RC_ASSERT(q == quadratic_form(A, in.theta));
  RC_ASSERT(g.charge_degree == 2);
  expect_gradient_orthogonal_to_orbit(in, A);
}

RC_GTEST_PROP(Charge, NeuronRescaling, (bool bias)) {
  const Instance in = instance(mlp_spec(hidden_widths(), ActivationKind::relu, bias));
  RC_LOG() << describe(in);
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const int k = *rc::gen::inRange(0, in.width(l));
  const auto g = neuron_rescaling<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), k, kS);
  const auto g_inv =
      neuron_rescaling<Rational>(in.layout(), in.w(l), in.b(l), in.w(l + 1), k, 1 / kS);
  const Mat<Rational> A = rescaling_generator(g.M, g_inv.M);
  // Catalog: row k of W_l, b_l[k], column k of W_{l+1}.
  const auto W = in.layout().view(in.theta, in.w(l));
  const auto U = in.layout().view(in.theta, in.w(l + 1));
  Rational expected = Rational(W.row(k).squaredNorm()) - Rational(U.col(k).squaredNorm());
  if (in.b(l) >= 0) {
    const Rational bk = in.layout().view(in.theta, in.b(l))(k, 0);
    expected += bk * bk;
  }
  const Rational q = g.charge(in.theta)(0, 0);
  RC_ASSERT(q == expected);
  RC_ASSERT(q == quadratic_form(A, in.theta));
  expect_gradient_orthogonal_to_orbit(in, A);
}

RC_GTEST_PROP(Charge, Scale, ()) {
  const Instance in = instance(one_layer_spec(ModelKind::cosine_square, *gen::dimension(1, 3), 1));
  RC_PRE(!in.theta.isZero(0));
  const auto g = scale_symmetry<Rational>(in.layout(), kS);
  const Mat<Rational> A = rescaling_generator(g.M, scale_symmetry<Rational>(in.layout(), 1 / kS).M);
  RC_ASSERT(A == Mat<Rational>::Identity(in.layout().size(), in.layout().size()));
  RC_ASSERT(g.charge(in.theta)(0, 0) == in.theta.squaredNorm());  // catalog: ||theta||^2
  expect_gradient_orthogonal_to_orbit(in, A);                      // <theta, g> = 0 (T8)
}

RC_GTEST_PROP(Charge, Translation, ()) {
  const Instance in = instance(one_layer_spec(ModelKind::centered_linear, *gen::dimension(1, 4), 1));
  const Vec<Rational> ones = Vec<Rational>::Ones(in.layout().size());
  const auto g = translation<Rational>(in.layout(), ones, *gen::nonzero_rational());
  RC_ASSERT(g.charge_degree == 1);
  RC_ASSERT(g.charge(in.theta)(0, 0) == in.theta.sum());  // catalog: v^T theta
  // The generator of theta -> theta + c v is the constant field v: v^T grad l_i = 0 (T9).
  for (int i = 0; i < in.data.size(); ++i)
    RC_ASSERT(ones.dot(in.model->sample_gradient(in.theta, in.data.x(i), in.data.y(i))) == 0);
}

// GL between W = [W_l b_l] and U = W_{l+1}: charge U^T U - W W^T (catalog), entry (i, j) equal to
// -theta^T A_E theta for the generator A_E of E = E_ij; per sample W G_W^T = G_U^T U (catalog T7).
RC_GTEST_PROP(Charge, GlOfLinearLayers, (bool mlp_with_bias)) {
  const Instance in = instance(mlp_with_bias ? mlp_spec(hidden_widths(), ActivationKind::linear, true)
                                             : deep_linear_spec(hidden_widths()));
  RC_LOG() << describe(in);
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const int h = in.width(l), w = in.w(l), b = in.b(l), u = in.w(l + 1);
  const Layout& L = in.layout();
  const Mat<Rational> Q = gl_symmetry<Rational>(L, w, b, u, Mat<Rational>::Identity(h, h)).charge(in.theta);
  const Mat<Rational> I = Mat<Rational>::Identity(h, h);
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < h; ++j) {
      Mat<Rational> E = Mat<Rational>::Zero(h, h);
      Mat<Rational> A;
      if (i != j) {  // E nilpotent: (I + E)^{-1} = I - E
        E(i, j) = 1;
        A = (gl_symmetry<Rational>(L, w, b, u, I + E).M - gl_symmetry<Rational>(L, w, b, u, I - E).M) / Rational(2);
      } else {       // diagonal: the rescaling of unit i
        Mat<Rational> D = I, D_inv = I;
        D(i, i) = kS;
        D_inv(i, i) = 1 / kS;
        A = rescaling_generator(gl_symmetry<Rational>(L, w, b, u, D).M,
                                gl_symmetry<Rational>(L, w, b, u, D_inv).M);
      }
      RC_ASSERT(Q(i, j) == -quadratic_form(A, in.theta));
      expect_gradient_orthogonal_to_orbit(in, A);
    }
  // Matrix form, sample by sample.
  Mat<Rational> Wb(h, L[w].cols + (b >= 0 ? 1 : 0));
  for (int i = 0; i < in.data.size(); ++i) {
    const Vec<Rational> g = in.model->sample_gradient(in.theta, in.data.x(i), in.data.y(i));
    Mat<Rational> Gwb(h, Wb.cols());
    if (b >= 0) {
      Wb << L.view(in.theta, w), L.view(in.theta, b);
      Gwb << L.view(g, w), L.view(g, b);
    } else {
      Wb = L.view(in.theta, w);
      Gwb = L.view(g, w);
    }
    RC_ASSERT(Mat<Rational>(Wb * Gwb.transpose()) ==
              Mat<Rational>(Mat<Rational>(L.view(g, u)).transpose() * L.view(in.theta, u)));
  }
}

// The coordinates a builder says its charge reads (Symmetry::charge_support): moving any other
// coordinate leaves the charge unchanged, and the forms charge_forms polarizes on them equal the forms
// polarized on every coordinate, and give the charge back. A support missing one of its coordinates
// gives other forms (the negative control: the check sees a wrong support).
RC_GTEST_PROP(Charge, SupportHoldsEveryCoordinateTheChargeReads, (bool bias)) {
  const Instance in = instance(mlp_spec(hidden_widths(), ActivationKind::linear, bias));
  RC_LOG() << describe(in);
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const int h = in.width(l), P = in.layout().size();
  const int k = *rc::gen::inRange(0, h);
  const Layout& L = in.layout();
  const std::vector<Symmetry<Rational>> charges = {
      layer_rescaling<Rational>(L, in.w(l), in.b(l), in.w(l + 1), kS),
      neuron_rescaling<Rational>(L, in.w(l), in.b(l), in.w(l + 1), k, kS),
      gl_symmetry<Rational>(L, in.w(l), in.b(l), in.w(l + 1), Mat<Rational>::Identity(h, h))};
  for (const auto& sym : charges) {
    RC_ASSERT(!sym.charge_support.empty());
    RC_ASSERT(std::is_sorted(sym.charge_support.begin(), sym.charge_support.end()));
    const Mat<Rational> q = sym.charge(in.theta);
    for (int j = 0; j < P; ++j) {
      if (std::binary_search(sym.charge_support.begin(), sym.charge_support.end(), j)) continue;
      Vec<Rational> moved = in.theta;
      moved[j] += 1;
      RC_ASSERT(sym.charge(moved) == q);
    }
    Symmetry<Rational> everywhere = sym;
    everywhere.charge_support.clear();
    const auto forms = charge_forms(sym, P), full = charge_forms(everywhere, P);
    RC_ASSERT(forms.size() == full.size());
    for (size_t f = 0; f < forms.size(); ++f) {
      RC_ASSERT(forms[f].matrix() == full[f].matrix());
      RC_ASSERT(forms[f](in.theta) == q(forms[f].row, forms[f].col));
    }
    Symmetry<Rational> short_of_one = sym;
    short_of_one.charge_support.erase(short_of_one.charge_support.begin() +
                                      *rc::gen::inRange<size_t>(0, sym.charge_support.size()));
    bool differs = false;
    const auto fewer = charge_forms(short_of_one, P);
    for (size_t f = 0; f < forms.size(); ++f) differs = differs || fewer[f].matrix() != forms[f].matrix();
    RC_ASSERT(differs);
    Symmetry<Rational> repeated = sym;
    repeated.charge_support.push_back(sym.charge_support.back());
    RC_ASSERT_THROWS_AS(charge_forms(repeated, P), std::invalid_argument);
    Symmetry<Rational> outside = sym;
    outside.charge_support.push_back(P);
    RC_ASSERT_THROWS_AS(charge_forms(outside, P), std::invalid_argument);
  }
}

// Negative control: on an odd_cubic net, which is not positively homogeneous, the rescaling
// generator is not orthogonal to the gradient.
TEST(ChargeNegative, RescalingGeneratorOnANonHomogeneousNet) {
  Mat<Rational> X(1, 1), Y(1, 1);
  X << 1;
  Y << Rational(1, 2);
  const Instance in = fixed_instance(mlp_spec({1, 2, 1}, ActivationKind::odd_cubic, true),
                                     vec({1, Rational(-1, 2), Rational(1, 3), 1, 2, -1, Rational(1, 4)}),
                                     X, Y);
  const auto g = layer_rescaling<Rational>(in.layout(), in.w(1), in.b(1), in.w(2), kS);
  const auto g_inv = layer_rescaling<Rational>(in.layout(), in.w(1), in.b(1), in.w(2), 1 / kS);
  const Mat<Rational> A = rescaling_generator(g.M, g_inv.M);
  const Vec<Rational> grad = in.model->sample_gradient(in.theta, in.data.x(0), in.data.y(0));
  EXPECT_NE(Vec<Rational>(A * in.theta).dot(grad), 0);
}

// --- the one-step law (theory/charge_law.hpp) --------------------------------------------------------

// Deep linear 1 -> 1 -> 1, theta = (u, w) = (2, 1), one sample x = 1, y = 0, eta = 1/4, lambda = 1/2.
//   r = w u x - y = 2, g = (r w x, r u x) = (2, 4); rescaling charge Q = u^2 - w^2 = 3, Q(g) = 4 - 16.
//   Predicted: (1 - 1/8)^2 3 + (1/16)(-12) = 147/64 - 48/64 = 99/64.
//   Step: theta' = (7/8) theta - (1/4) g = (7/4 - 1/2, 7/8 - 1) = (5/4, -1/8); Q' = 25/16 - 1/64 = 99/64.
class ChargeLawByHand : public ::testing::Test {
 protected:
  Instance in = fixed_instance(deep_linear_spec({1, 1, 1}), vec({2, 1}), Mat<Rational>::Ones(1, 1),
                               Mat<Rational>::Zero(1, 1));
  Rational eta{1, 4}, lambda{1, 2};

  Vec<Rational> step() const {
    SgdConfig<Rational> cfg;
    cfg.lr = eta;
    cfg.weight_decay = lambda;
    return sgd_map(*in.model, in.data, {0}, cfg, in.theta);
  }
  Vec<Rational> grad() const { return in.model->gradient(in.theta, in.data); }
};

TEST_F(ChargeLawByHand, QuadraticCharge) {
  const auto rescaling = layer_rescaling<Rational>(in.layout(), 0, -1, 1, kS);
  ASSERT_EQ(grad(), vec({2, 4}));
  const Vec<Rational> next = step();
  ASSERT_EQ(next, vec({Rational(5, 4), Rational(-1, 8)}));
  const Mat<Rational> predicted = predicted_charge_after_step(rescaling, in.theta, grad(), eta, lambda);
  EXPECT_EQ(predicted(0, 0), Rational(99, 64));
  EXPECT_EQ(rescaling.charge(next)(0, 0), Rational(99, 64));
  // The GL charge of the same layers is a 1x1 matrix w^2 - u^2: the same law with the opposite sign.
  const auto gl = gl_symmetry<Rational>(in.layout(), 0, -1, 1, Mat<Rational>::Identity(1, 1));
  EXPECT_EQ(predicted_charge_after_step(gl, in.theta, grad(), eta, lambda)(0, 0), Rational(-99, 64));
  EXPECT_EQ(gl.charge(next)(0, 0), Rational(-99, 64));
}

// Negative control: ||theta||^2 is not a charge of this model, and the law then mispredicts.
//   Predicted: (49/64) 5 + (1/16)(4 + 16) = 245/64 + 80/64 = 325/64;  actual 25/16 + 1/64 = 101/64.
TEST_F(ChargeLawByHand, WrongSymmetryMispredicts) {
  const auto scale = scale_symmetry<Rational>(in.layout(), kS);
  EXPECT_EQ(predicted_charge_after_step(scale, in.theta, grad(), eta, lambda)(0, 0), Rational(325, 64));
  EXPECT_EQ(scale.charge(step())(0, 0), Rational(101, 64));
}

// Linear charge: centered_linear in d = 2, theta = (1, 3), v = 1, x = (1, 0), y = 0.
//   P x = (1/2, -1/2), f = 1/2 - 3/2 = -1, g = f P x = (-1/2, 1/2);
//   theta' = theta - (1/4)(g + theta/2) = (1 - 0, 3 - 1/2) = (1, 5/2), v^T theta' = 7/2 = (7/8) 4.
TEST(ChargeLaw, LinearChargeByHand) {
  Mat<Rational> X(1, 2), Y(1, 1);
  X << 1, 0;
  Y << 0;
  const Instance in = fixed_instance(one_layer_spec(ModelKind::centered_linear, 2, 1), vec({1, 3}), X, Y);
  const auto g = translation<Rational>(in.layout(), Vec<Rational>::Ones(2), Rational(1));
  const Vec<Rational> grad = in.model->gradient(in.theta, in.data);
  ASSERT_EQ(grad, vec({Rational(-1, 2), Rational(1, 2)}));
  SgdConfig<Rational> cfg;
  cfg.lr = Rational(1, 4);
  cfg.weight_decay = Rational(1, 2);
  const Vec<Rational> next = sgd_map(*in.model, in.data, {0}, cfg, in.theta);
  EXPECT_EQ(next, vec({1, Rational(5, 2)}));
  EXPECT_EQ(predicted_charge_after_step(g, in.theta, grad, cfg.lr, cfg.weight_decay)(0, 0), Rational(7, 2));
  EXPECT_EQ(g.charge(next)(0, 0), Rational(7, 2));
}

TEST(ChargeLaw, SymmetriesWithoutChargeAreRefused) {
  const auto model = make_model<Rational>(mlp_spec({1, 2, 1}, ActivationKind::relu, false));
  const auto perm = hidden_permutation<Rational>(model->layout(), 0, -1, 1, {1, 0});
  EXPECT_FALSE(perm.has_charge());
  const Vec<Rational> theta = Vec<Rational>::Ones(4);
  EXPECT_THROW(predicted_charge_after_step(perm, theta, theta, Rational(1), Rational(0)),
               std::invalid_argument);
}

// The law for every GL charge entry, on random deep linear nets and batches (catalog T7).
RC_GTEST_PROP(ChargeLaw, GlLawOnDeepLinearNets, ()) {
  const Instance in = instance(deep_linear_spec(hidden_widths()));
  const int l = *rc::gen::inRange(1, in.spec.depth());
  const auto gl = gl_symmetry<Rational>(in.layout(), in.w(l), -1, in.w(l + 1),
                                        Mat<Rational>::Identity(in.width(l), in.width(l)));
  SgdConfig<Rational> cfg;
  cfg.lr = *gen::step_size();
  cfg.weight_decay = *rc::gen::element(Rational(0), Rational(1, 3));
  const Batch batch = *rc::gen::container<Batch>(*gen::dimension(1, 3), rc::gen::inRange(0, in.data.size()));
  const Vec<Rational> g = in.model->gradient(in.theta, in.data, batch);
  const Vec<Rational> next = sgd_map(*in.model, in.data, batch, cfg, in.theta);
  RC_ASSERT(gl.charge(next) == predicted_charge_after_step(gl, in.theta, g, cfg.lr, cfg.weight_decay));
}

}  // namespace
}  // namespace entropic
