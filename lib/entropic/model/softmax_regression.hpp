// Softmax regression: logits z = W_1 x (+ b_1), per-sample loss l = logsumexp(z) - z_y
// (cross-entropy with class index y; no 1/2), gradient dz = softmax(z) - e_y.
// The logits are shifted by their largest entry before exponentiating, an exact identity.
#pragma once

#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
class SoftmaxRegression : public Model<S> {
 public:
  explicit SoftmaxRegression(const ModelSpec& spec) : Model<S>(spec) {
    weight_ = this->layout_.add("W1", spec.widths[1], spec.widths[0]);
    if (spec.bias) bias_ = this->layout_.add("b1", spec.widths[1], 1);
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const override {
    Vec<S> z = this->layout_.view(theta, weight_) * x;
    if (bias_ >= 0) z += this->layout_.view(theta, bias_).col(0);
    return z;
  }
  S sample_loss(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y) const override {
    const Vec<S> z = output(theta, x);
    const int c = label(y, static_cast<int>(z.size()));
    const S shift = largest(z);
    S sum(0);
    for (int k = 0; k < z.size(); ++k) sum += elem::exp(S(z[k] - shift));
    return S(elem::log(sum) + shift - z[c]);
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                           const S& weight, Vec<S>& grad) const override {
    const Vec<S> z = output(theta, x);
    const int c = label(y, static_cast<int>(z.size()));
    const S shift = largest(z);
    Vec<S> p(z.size());
    S sum(0);
    for (int k = 0; k < z.size(); ++k) sum += (p[k] = elem::exp(S(z[k] - shift)));
    for (int k = 0; k < z.size(); ++k) p[k] /= sum;
    p[c] -= S(1);
    this->layout_.view(grad, weight_) += weight * p * x.transpose();
    if (bias_ >= 0) this->layout_.view(grad, bias_).col(0) += weight * p;
  }

 private:
  // Any shift gives the same loss exactly; the largest logit only keeps exp in range. Softmax has no
  // kink: when enclosures of two logits overlap, either is an equally good shift.
  static S largest(const Vec<S>& z) {
    S m = z[0];
    for (int k = 1; k < z.size(); ++k) {
      try {
        if (elem::branch_sign(S(z[k] - m)) > 0) m = z[k];
      } catch (const kink_unresolved&) {
      }
    }
    return m;
  }
  static int label(const Vec<S>& y, int classes) {
    for (int c = 0; c < classes; ++c)
      if (y[0] == S(c)) return c;
    throw std::invalid_argument("data.y: softmax targets must be class indices 0.." +
                                std::to_string(classes - 1));
  }
  int weight_ = -1, bias_ = -1;
};

}  // namespace entropic
