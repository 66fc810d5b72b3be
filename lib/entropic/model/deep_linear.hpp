// Deep linear network f(x) = M_out W_D ... W_1 M_in x, with fixed optional embeddings M_in, M_out
// (catalog T7, T11). Backpropagation: a_0 = M_in x, a_i = W_i a_{i-1}, r = M_out a_D - y,
// delta_D = M_out^T r, grad W_i = delta_i a_{i-1}^T, delta_{i-1} = W_i^T delta_i.
#pragma once

#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
class DeepLinear : public Model<S> {
 public:
  explicit DeepLinear(const ModelSpec& spec) : Model<S>(spec) {
    for (int i = 1; i <= spec.depth(); ++i)
      this->layout_.add("W" + std::to_string(i), spec.widths[i], spec.widths[i - 1]);
    if (spec.embed_in) embed_in_ = from_rational<S>(*spec.embed_in);
    if (spec.embed_out) embed_out_ = from_rational<S>(*spec.embed_out);
  }

  // Activations a_0 .. a_D.
  std::vector<Vec<S>> forward(const Vec<S>& theta, const Vec<S>& x) const {
    std::vector<Vec<S>> a;
    a.push_back(embed_in_.size() ? Vec<S>(embed_in_ * x) : x);
    for (int i = 0; i < this->layout_.count(); ++i)
      a.push_back(this->layout_.view(theta, i) * a.back());
    return a;
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const override {
    Vec<S> a = forward(theta, x).back();
    return embed_out_.size() ? Vec<S>(embed_out_ * a) : a;
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                           const S& weight, Vec<S>& grad) const override {
    const auto a = forward(theta, x);
    const Vec<S> f = embed_out_.size() ? Vec<S>(embed_out_ * a.back()) : a.back();
    Vec<S> delta = f - y;
    if (embed_out_.size()) delta = embed_out_.transpose() * delta;
    for (int i = this->layout_.count() - 1; i >= 0; --i) {
      this->layout_.view(grad, i) += weight * delta * a[i].transpose();
      if (i > 0) delta = this->layout_.view(theta, i).transpose() * delta;
    }
  }

 private:
  Mat<S> embed_in_, embed_out_;
};

}  // namespace entropic
