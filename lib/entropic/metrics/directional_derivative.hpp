// Forward-mode derivatives of a function of the parameters, in one pass per direction over
// Dual<S> (numeric/dual.hpp): f is evaluated at theta + s v with s the dual unit, and the tangent of
// the result is the derivative at s = 0.
//
//   directional_derivative(f, theta, v)   d/ds f(theta + s v) |_{s=0}
//       f : Vec<Dual<S>> -> Dual<S>         grad f . v                         (S)
//       f : Vec<Dual<S>> -> Vec<Dual<S>>    J_f v; for f = grad l, H v          (Vec<S>)
//   forward_gradient(f, theta)            grad f = (d/ds f(theta + s e_j))_j, f scalar (Vec<S>)
//
// Exact when S is (Rational, Series<Rational>), never finite differences. metrics/hessian.hpp gives
// the model-specific forms (H v and T[a, b] of a batch loss of a ModelSpec).
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

#include "entropic/numeric/dual.hpp"
#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

// theta + s v over Dual<S>. Throws std::invalid_argument when the sizes differ.
template <class S>
Vec<Dual<S>> dual_along(const Vec<S>& theta, const Vec<S>& v) {
  if (theta.size() != v.size())
    throw std::invalid_argument("directional derivative: theta has " + std::to_string(theta.size()) +
                                " entries, the direction " + std::to_string(v.size()));
  Vec<Dual<S>> t(theta.size());
  for (Eigen::Index i = 0; i < theta.size(); ++i) t[i] = Dual<S>(theta[i], v[i]);
  return t;
}

// d/ds f(theta + s v) at s = 0, for f returning a Dual<S> (then an S) or a vector of them (a Vec<S>).
template <class S, class F>
auto directional_derivative(F&& f, const Vec<S>& theta, const Vec<S>& v) {
  using D = Dual<S>;
  using R = std::decay_t<std::invoke_result_t<F&, const Vec<D>&>>;
  const Vec<D> t = dual_along(theta, v);
  if constexpr (std::is_same_v<R, D>) {
    return S(f(t).tangent());
  } else {
    const Vec<D> value = f(t);
    Vec<S> out(value.size());
    for (Eigen::Index i = 0; i < value.size(); ++i) out[i] = value[i].tangent();
    return out;
  }
}

// grad f(theta) of a scalar f, coordinate by coordinate: entry j is d/ds f(theta + s e_j).
template <class S, class F>
Vec<S> forward_gradient(F&& f, const Vec<S>& theta) {
  Vec<S> out(theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Vec<S> e = Vec<S>::Zero(theta.size());
    e[j] = S(1);
    out[j] = directional_derivative<S>(f, theta, e);
  }
  return out;
}

}  // namespace entropic
