// Translation-invariant linear model (catalog T9): f = x^T P theta with P = I - 11^T/d, so
// l(theta + c 1) = l(theta) and 1^T grad l = 0. grad l = (f - y) P x.
#pragma once

#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
class CenteredLinear : public Model<S> {
 public:
  explicit CenteredLinear(const ModelSpec& spec) : Model<S>(spec) {
    this->layout_.add("W1", 1, spec.widths[0]);
  }
  Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const override {
    Vec<S> f(1);
    f[0] = centered(x).dot(theta);
    return f;
  }
  void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                           const S& weight, Vec<S>& grad) const override {
    const Vec<S> px = centered(x);
    grad += (weight * (px.dot(theta) - y[0])) * px;
  }

 private:
  static Vec<S> centered(const Vec<S>& x) {
    const S mean = x.sum() / S(static_cast<int>(x.size()));
    return x - Vec<S>::Constant(x.size(), mean);
  }
};

}  // namespace entropic
