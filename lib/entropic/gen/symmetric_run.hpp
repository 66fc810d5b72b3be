// Training runs paired with a symmetry of their model: the instances of the equivariance and
// symmetry-breaking claims (catalog T4, N4).
//
//   SymmetricRun   a run and one group element g (l_i(g theta) = l_i(theta) for every sample),
//                  drawn as a hidden permutation, a unit's sign flip, a Cayley rotation or a GL
//                  element of a linear two-layer net
//   RescaledRun    a run of a positively homogeneous net and the layer rescaling
//                  (W_l, b_l, W_{l+1}) -> (s W_l, s b_l, W_{l+1} / s), u = (W_l, b_l), w = W_{l+1}
//
// Dimensions shrink toward 1 and numbers toward simple fractions (training_run.hpp), so a
// counterexample shrinks to a small net.
#pragma once

#include <tuple>

#include "entropic/symmetry/symmetry.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {

struct SymmetricRun {
  TrainingRun run;
  bool nesterov = false;
  Symmetry<Rational> g;
  std::string action;  // exact text of g: "permutation [1, 0] of the hidden units", ...

  template <class S>
  SgdConfig<S> config_as() const {
    SgdConfig<S> cfg = run.config_as<S>();
    cfg.nesterov = nesterov;
    return cfg;
  }
  std::string show() const { return run.show() + (nesterov ? ", nesterov" : "") + "; g = " + action; }
};

// The blocks a layer rescaling acts on: (W_l, b_l | W_{l+1}); b_l is -1 without biases.
inline std::tuple<int, int, int> rescaling_blocks(const ModelSpec& spec, int layer) {
  if (spec.kind == ModelKind::mlp) {
    const Mlp<Rational> mlp(spec);
    return {mlp.weight_block(layer), mlp.bias_block(layer), mlp.weight_block(layer + 1)};
  }
  if (spec.kind == ModelKind::deep_linear) return {layer - 1, -1, layer};
  throw std::invalid_argument("layer rescaling: the model is not a homogeneous net");
}

struct RescaledRun {
  TrainingRun run;
  int layer = 1;
  Rational s = 1;

  // The layer rescaling at any s, over any scalar (Dual<Rational> gives d/ds along the orbit).
  template <class S>
  Symmetry<S> rescaling(const S& at) const {
    const auto [w_in, b_in, w_out] = rescaling_blocks(run.spec, layer);
    return layer_rescaling<S>(make_model<Rational>(run.spec)->layout(), w_in, b_in, w_out, at);
  }
  Symmetry<Rational> g() const { return rescaling<Rational>(s); }
  std::string action() const {
    const auto model = make_model<Rational>(run.spec);
    const auto [w_in, b_in, w_out] = rescaling_blocks(run.spec, layer);
    const Layout& L = model->layout();
    return "rescaling (" + L[w_in].name + (b_in >= 0 ? ", " + L[b_in].name : "") + ") * s, " +
           L[w_out].name + " / s with s = " + to_text(s);
  }
  std::string show() const { return run.show() + "; g = " + action(); }
  SymmetricRun as_symmetric_run() const { return SymmetricRun{run, false, g(), action()}; }
};

namespace gen {

inline std::string show(const std::vector<int>& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.size(); ++i) out += (i ? ", " : "") + std::to_string(p[i]);
  return out + "]";
}

// A d -> h -> o MLP with biases (d, o <= 2, h <= 3) and one of the given activations.
inline RunShape one_hidden_layer(std::vector<ActivationKind> activations, int max_steps) {
  RunShape shape;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {2, 3, 2};
  shape.activations = std::move(activations);
  shape.bias = true;
  shape.max_samples = 5;
  shape.max_batch = 3;
  shape.max_steps = max_steps;
  shape.momentum = true;
  return shape;
}

// f = W2 W1 x, a linear two-layer net d -> h -> o.
inline RunShape linear_two_layer(int max_steps) {
  RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {2, 3, 2};
  shape.max_samples = 5;
  shape.max_steps = max_steps;
  shape.momentum = true;
  return shape;
}

namespace detail {
// Heavy ball or Nesterov when the run has momentum.
inline bool draw_nesterov(const TrainingRun& run) {
  return !(run.momentum == 0) && *rc::gen::arbitrary<bool>();
}
}  // namespace detail

// A permutation of the hidden units of a one-hidden-layer MLP: (W1, b1, W2) -> (P W1, P b1, W2 P^T).
inline rc::Gen<SymmetricRun> hidden_permutation_runs(std::vector<ActivationKind> activations,
                                                     int max_steps) {
  return rc::gen::exec([=]() {
    SymmetricRun r;
    r.run = *training_run(one_hidden_layer(activations, max_steps));
    r.nesterov = detail::draw_nesterov(r.run);
    const Mlp<Rational> mlp(r.run.spec);
    const std::vector<int> perm = *permutation(r.run.spec.widths[1]);
    r.g = hidden_permutation<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1),
                                       mlp.weight_block(2), perm);
    r.action = "permutation " + show(perm) + " of the hidden units";
    return r;
  });
}

// The sign flip of hidden unit k of a one-hidden-layer MLP: row k of W1, b1[k], column k of W2.
// A symmetry of the loss when the activation is odd.
inline rc::Gen<SymmetricRun> sign_flip_runs(ActivationKind activation, int max_steps) {
  return rc::gen::exec([=]() {
    SymmetricRun r;
    r.run = *training_run(one_hidden_layer({activation}, max_steps));
    r.nesterov = detail::draw_nesterov(r.run);
    const Mlp<Rational> mlp(r.run.spec);
    const int k = *gen::in_range(0, r.run.spec.widths[1]);
    r.g = unit_sign_flip<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1),
                                   mlp.weight_block(2), k);
    r.action = "sign flip of hidden unit " + std::to_string(k);
    return r;
  });
}

// (W1, W2) -> (G W1, W2 G^{-1}) on f = W2 W1 x, for G drawn by `group`.
inline rc::Gen<SymmetricRun> gl_runs(std::function<rc::Gen<Mat<Rational>>(int)> group,
                                     std::string group_name, int max_steps) {
  return rc::gen::exec([=]() {
    SymmetricRun r;
    r.run = *training_run(linear_two_layer(max_steps));
    r.nesterov = detail::draw_nesterov(r.run);
    const Mat<Rational> G = *group(r.run.spec.widths[1]);
    r.g = gl_symmetry<Rational>(make_model<Rational>(r.run.spec)->layout(), 0, -1, 1, G);
    r.action = group_name + " G = " + show(G) + " of the hidden space";
    return r;
  });
}

// A Cayley rotation R = (I - K)(I + K)^{-1} of the hidden space of a linear two-layer net.
inline rc::Gen<SymmetricRun> cayley_rotation_runs(int max_steps) {
  return gl_runs([](int h) { return cayley_rotation(h); }, "Cayley rotation", max_steps);
}

// G = D (I + N): D diagonal with |d_i| > 1, N strictly upper triangular. |det G| > 1, so G is
// invertible and never orthogonal.
inline rc::Gen<Mat<Rational>> non_orthogonal_matrix(int h) {
  return rc::gen::exec([h]() {
    const Mat<Rational> upper = *matrix(h, h, rational(3, 3));
    Mat<Rational> G = Mat<Rational>::Identity(h, h);
    G.triangularView<Eigen::StrictlyUpper>() = upper;
    for (int i = 0; i < h; ++i) {
      const Rational d = 1 + *positive_rational(3, 3);
      G.row(i) *= *rc::gen::arbitrary<bool>() ? Rational(-d) : d;
    }
    return G;
  });
}

inline rc::Gen<SymmetricRun> non_orthogonal_gl_runs(int max_steps) {
  return gl_runs(non_orthogonal_matrix, "GL element", max_steps);
}

// Positively homogeneous nets with a layer rescaling: f = W2 W1 x (first, so that shrinking reaches
// it) or a one-hidden-layer MLP with biases and ReLU, leaky ReLU or identity; s > 0, s != 1.
inline rc::Gen<RescaledRun> rescaled_runs(int max_steps, bool weight_decay) {
  return rc::gen::exec([=]() {
    RescaledRun r;
    const bool linear = *rc::gen::element(true, false);
    RunShape shape = linear ? linear_two_layer(max_steps)
                            : one_hidden_layer({ActivationKind::relu, ActivationKind::leaky_relu,
                                                ActivationKind::linear},
                                               max_steps);
    shape.momentum = false;
    shape.weight_decay = weight_decay;
    r.run = *training_run(shape);
    r.layer = 1;
    r.s = *rc::gen::suchThat(positive_rational(4, 4), [](const Rational& s) { return s != 1; });
    return r;
  });
}

// The instances of N4: one SGD step of a homogeneous net, from theta and from its rescaled image.
inline rc::Gen<RescaledRun> rescaled_single_steps() { return rescaled_runs(1, true); }

}  // namespace gen
}  // namespace entropic
