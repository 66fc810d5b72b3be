// Shared by the symmetry tests: small exact instances and the generators of the symmetry actions.
#pragma once

#include <rapidcheck.h>

#include <Eigen/LU>
#include <string>
#include <vector>

#include "entropic/model/make_model.hpp"
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic::testing {

inline Vec<Rational> vec(std::initializer_list<Rational> values) {
  Vec<Rational> v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const Rational& x : values) v[i++] = x;
  return v;
}

inline ModelSpec mlp_spec(std::vector<int> widths, ActivationKind act, bool bias) {
  ModelSpec s;
  s.kind = ModelKind::mlp;
  s.widths = std::move(widths);
  s.activation.kind = act;
  s.activation.slope = Rational(1, 5);  // used by leaky_relu only
  s.bias = bias;
  return s;
}

inline ModelSpec deep_linear_spec(std::vector<int> widths) {
  ModelSpec s;
  s.kind = ModelKind::deep_linear;
  s.widths = std::move(widths);
  return s;
}

inline ModelSpec one_layer_spec(ModelKind kind, int d_in, int d_out) {
  ModelSpec s;
  s.kind = kind;
  s.widths = {d_in, d_out};
  return s;
}

// A model, data and parameters, all exact.
struct Instance {
  ModelSpec spec;
  std::unique_ptr<Model<Rational>> model;
  DataSet<Rational> data;
  Vec<Rational> theta;

  const Layout& layout() const { return model->layout(); }
  // Block indices of hidden layer l (1-based): W_l, b_l (-1 without bias), W_{l+1}.
  int w(int l) const { return layout().index("W" + std::to_string(l)); }
  int b(int l) const { return layout().find("b" + std::to_string(l)); }
  int width(int l) const { return spec.widths.at(l); }
};

// Call inside a property: data of 1..3 samples and parameters for `spec`.
inline Instance instance(ModelSpec spec) {
  Instance in;
  in.spec = std::move(spec);
  in.model = make_model<Rational>(in.spec);
  in.data = *gen::dataset(in.spec, *gen::dimension(1, 3));
  in.theta = *gen::parameters(in.spec);
  return in;
}

inline Instance fixed_instance(ModelSpec spec, Vec<Rational> theta, Mat<Rational> X,
                               Mat<Rational> Y) {
  Instance in;
  in.spec = std::move(spec);
  in.model = make_model<Rational>(in.spec);
  in.data = finite_data(std::move(X), std::move(Y));
  in.theta = std::move(theta);
  return in;
}

// Widths of a net with 2..3 layers (at least one hidden layer), each width 1..3.
inline std::vector<int> hidden_widths(int last = 0) {
  std::vector<int> w = *rc::gen::container<std::vector<int>>(*gen::dimension(3, 4), gen::dimension(1, 3));
  if (last > 0) w.back() = last;
  return w;
}

// An invertible rational matrix (call inside a property).
inline Mat<Rational> invertible(int h) {
  const Mat<Rational> G = *gen::matrix(h, h);
  RC_PRE(Eigen::FullPivLU<Mat<Rational>>(G).isInvertible());
  return G;
}

inline std::string describe(const Instance& in) {
  return in.spec.kind_name() + " " + in.spec.activation.name() + (in.spec.bias ? " +bias" : "") +
         "\ntheta " + gen::show_parameters(in.layout(), in.theta) + "\nX " + gen::show(in.data.X) +
         "\nY " + gen::show(in.data.Y) + "\n";
}

}  // namespace entropic::testing
