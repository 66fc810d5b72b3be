// Scale-invariant models: l(s theta) = l(theta) for s > 0, so <theta, grad l> = 0 (catalog T8).
//
// NormalizedLinear: f = W x / n, n = ||W||_F;
//   grad_W l = r x^T / n - (r^T W x) W / n^3, r = f - y. Needs sqrt: Interval, Real or double.
// CosineSquare (catalog T8's rational instance): f = (x^T theta)^2 / ||theta||^2;
//   grad f = 2 (x^T theta) x / ||theta||^2 - 2 (x^T theta)^2 theta / ||theta||^4.
#pragma once

#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
class NormalizedLinear : public Model<S> {
 public:
  explicit NormalizedLinear(const ModelSpec& spec) : Model<S>(spec) {
    this->layout_.add("W1", spec.widths[1], spec.widths[0]);
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const override {
    const S n = elem::sqrt(S(theta.squaredNorm()));
    return Vec<S>(this->layout_.view(theta, 0) * x) / n;
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                           const S& weight, Vec<S>& grad) const override {
    const S n2 = theta.squaredNorm();
    const S n = elem::sqrt(n2);
    const auto W = this->layout_.view(theta, 0);
    const Vec<S> Wx = W * x;
    const Vec<S> r = Vec<S>(Wx / n) - y;
    const S rWx = r.dot(Wx);
    this->layout_.view(grad, 0) += weight * (r * x.transpose() / n - (rWx / (n * n2)) * W);
  }
};

template <class S>
class CosineSquare : public Model<S> {
 public:
  explicit CosineSquare(const ModelSpec& spec) : Model<S>(spec) {
    this->layout_.add("W1", 1, spec.widths[0]);
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const override {
    const S c = x.dot(theta);
    Vec<S> f(1);
    f[0] = c * c / S(theta.squaredNorm());
    return f;
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                           const S& weight, Vec<S>& grad) const override {
    const S c = x.dot(theta), n2 = theta.squaredNorm();
    const S r = c * c / n2 - y[0];
    grad += (weight * r) * (S(2) * c / n2 * x - S(2) * c * c / (n2 * n2) * theta);
  }
};

}  // namespace entropic
