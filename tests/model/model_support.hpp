// Shared by the model tests: specs of every model kind, RapidCheck generators of small
// architectures, and the forward-mode reference gradient.
#pragma once

#include <rapidcheck.h>

#include <string>
#include <vector>

#include "entropic/model/make_model.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic::testing {

inline ModelSpec deep_linear_spec(std::vector<int> widths) {
  ModelSpec s;
  s.kind = ModelKind::deep_linear;
  s.widths = std::move(widths);
  return s;
}

inline ModelSpec mlp_spec(std::vector<int> widths, ActivationKind act, bool bias,
                          Rational slope = 0) {
  ModelSpec s;
  s.kind = ModelKind::mlp;
  s.widths = std::move(widths);
  s.activation.kind = act;
  s.activation.slope = slope;
  s.bias = bias;
  return s;
}

inline ModelSpec one_layer_spec(ModelKind kind, int d_in, int d_out, bool bias = false) {
  ModelSpec s;
  s.kind = kind;
  s.widths = {d_in, d_out};
  s.bias = bias;
  return s;
}

// Widths of a net with `min_depth`..`max_depth` layers, each width 1..3.
inline rc::Gen<std::vector<int>> widths(int min_depth, int max_depth) {
  return rc::gen::mapcat(gen::dimension(min_depth, max_depth), [](int depth) {
    return rc::gen::container<std::vector<int>>(depth + 1, gen::dimension(1, 3));
  });
}

// A deep linear net of depth 1..3, optionally between fixed embeddings M_in (widths[0] x d_in) and
// M_out (d_out x widths.back()). Call inside a property.
inline ModelSpec any_deep_linear(bool embeddings) {
  ModelSpec s = deep_linear_spec(*widths(1, 3));
  if (embeddings) {
    s.embed_in = *gen::matrix(s.widths.front(), *gen::dimension(1, 3));
    s.embed_out = *gen::matrix(*gen::dimension(1, 3), s.widths.back());
  }
  return s;
}

// A batch of 1..4 indices into n samples, duplicates allowed (they count twice in the mean).
inline rc::Gen<Batch> batch_of(int n) {
  return rc::gen::mapcat(gen::dimension(1, 4), [n](int size) {
    return rc::gen::container<Batch>(size, rc::gen::inRange(0, n));
  });
}

// nabla_theta l_B by forward mode: component j is the tangent of the batch loss evaluated on
// Dual<T> parameters theta + eps e_j. Independent of the hand-derived backpropagation.
template <class T>
Vec<T> forward_mode_gradient(const ModelSpec& spec, const Vec<Rational>& theta,
                             const DataSet<Rational>& data, const Batch& batch) {
  using D = Dual<T>;
  const auto model = make_model<D>(spec);
  const DataSet<D> lifted = from_rational<D>(data);
  Vec<T> g(theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Vec<D> th(theta.size());
    for (Eigen::Index i = 0; i < theta.size(); ++i)
      th[i] = D(from_rational<T>(theta[i]), T(i == j ? 1 : 0));
    g[j] = model->loss(th, lifted, batch).tangent();
  }
  return g;
}

template <class T>
Vec<T> hand_gradient(const ModelSpec& spec, const Vec<Rational>& theta,
                     const DataSet<Rational>& data, const Batch& batch) {
  return make_model<T>(spec)->gradient(from_rational<T>(theta), from_rational<T>(data), batch);
}

inline std::string show_batch(const Batch& b) { return gen::show(std::vector<Batch>{b}); }

}  // namespace entropic::testing
