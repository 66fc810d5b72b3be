// Second and third derivatives of the batch loss from forward mode over the hand-written gradient:
//
//   H v      = d/de grad l_B(theta + e v)                       (Dual<S>)
//   T[a, b]  = d/de1 d/de2 grad l_B(theta + e1 a + e2 b)         (Dual<Dual<S>>)
//
// exact when S is (Rational, Series<Rational>), never finite differences.
#pragma once

#include "entropic/model/make_model.hpp"

namespace entropic {

template <class S>
Vec<S> hessian_vector_product(const ModelSpec& spec, const DataSet<S>& data, const Batch& batch,
                              const Vec<S>& theta, const Vec<S>& v) {
  using D = Dual<S>;
  const auto model = make_model<D>(spec);
  Vec<D> t(theta.size());
  for (Eigen::Index i = 0; i < theta.size(); ++i) t[i] = D(theta[i], v[i]);
  const Vec<D> g = model->gradient(t, lift<D>(data), batch);
  Vec<S> hv(g.size());
  for (Eigen::Index i = 0; i < g.size(); ++i) hv[i] = g[i].tangent();
  return hv;
}

template <class S>
Vec<S> third_derivative(const ModelSpec& spec, const DataSet<S>& data, const Batch& batch,
                        const Vec<S>& theta, const Vec<S>& a, const Vec<S>& b) {
  using D = Dual<S>;
  using DD = Dual<D>;
  const auto model = make_model<DD>(spec);
  Vec<DD> t(theta.size());
  for (Eigen::Index i = 0; i < theta.size(); ++i) t[i] = DD(D(theta[i], a[i]), D(b[i], S(0)));
  const Vec<DD> g = model->gradient(t, lift<DD>(data), batch);
  Vec<S> out(g.size());
  for (Eigen::Index i = 0; i < g.size(); ++i) out[i] = g[i].tangent().tangent();
  return out;
}

// Dense Hessian, column by column.
template <class S>
Mat<S> hessian(const ModelSpec& spec, const DataSet<S>& data, const Batch& batch, const Vec<S>& theta) {
  const Eigen::Index n = theta.size();
  Mat<S> H(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    Vec<S> e = Vec<S>::Zero(n);
    e[j] = S(1);
    H.col(j) = hessian_vector_product(spec, data, batch, theta, e);
  }
  return H;
}

}  // namespace entropic
