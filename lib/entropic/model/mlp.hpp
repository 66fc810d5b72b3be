// Multilayer perceptron: z_i = W_i a_{i-1} + b_i, a_i = sigma(z_i) for hidden layers, f = z_D.
// Backpropagation: delta_D = f - y, grad W_i = delta_i a_{i-1}^T, grad b_i = delta_i,
// delta_{i-1} = (W_i^T delta_i) .* sigma'(z_{i-1}).
#pragma once

#include "entropic/model/activation.hpp"
#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
class Mlp : public Model<S> {
 public:
  explicit Mlp(const ModelSpec& spec) : Model<S>(spec) {
    for (int i = 1; i <= spec.depth(); ++i) {
      weight_.push_back(this->layout_.add("W" + std::to_string(i), spec.widths[i], spec.widths[i - 1]));
      if (spec.bias) bias_.push_back(this->layout_.add("b" + std::to_string(i), spec.widths[i], 1));
    }
  }
  int weight_block(int layer) const { return weight_.at(layer - 1); }
  int bias_block(int layer) const { return this->spec_.bias ? bias_.at(layer - 1) : -1; }

  struct Pass {
    std::vector<Vec<S>> z, a;  // z[i], a[i] for layer i = 1..D (index 0: a[0] = x)
  };
  Pass forward(const Vec<S>& theta, const Vec<S>& x) const {
    Pass p;
    p.a.push_back(x);
    p.z.push_back(x);
    const int D = this->spec_.depth();
    for (int i = 1; i <= D; ++i) {
      Vec<S> z = this->layout_.view(theta, weight_block(i)) * p.a.back();
      if (this->spec_.bias) z += this->layout_.view(theta, bias_block(i)).col(0);
      Vec<S> a = z;
      if (i < D)
        for (int k = 0; k < a.size(); ++k) a[k] = activate(this->spec_.activation, z[k]);
      p.z.push_back(std::move(z));
      p.a.push_back(std::move(a));
    }
    return p;
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const override {
    return forward(theta, x).a.back();
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                           const S& weight, Vec<S>& grad) const override {
    const Pass p = forward(theta, x);
    const int D = this->spec_.depth();
    Vec<S> delta = p.a.back() - y;
    for (int i = D; i >= 1; --i) {
      this->layout_.view(grad, weight_block(i)) += weight * delta * p.a[i - 1].transpose();
      if (this->spec_.bias) this->layout_.view(grad, bias_block(i)).col(0) += weight * delta;
      if (i > 1) {
        delta = this->layout_.view(theta, weight_block(i)).transpose() * delta;
        for (int k = 0; k < delta.size(); ++k)
          delta[k] *= activation_derivative(this->spec_.activation, p.z[i - 1][k]);
      }
    }
  }

 private:
  std::vector<int> weight_, bias_;
};

}  // namespace entropic
