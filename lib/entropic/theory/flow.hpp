// The exact flow of a vector field as a power series in the step size h.
//
// For y' = F(y), y(0) = y0, the point y(sign * h) is a power series in h. Picard iteration
//     y <- y0 + sign * integral_0^h F(y) dh'
// on Series<T> gains one exact coefficient per sweep, so K + 1 sweeps give y(sign * h) through h^K
// exactly when F is polynomial and T is Rational (certified coefficients for Interval). F may itself
// depend on h (a modified field f_1 + h f_2 + ...): it captures h as Series<T>::variable(K).
#pragma once

#include "entropic/numeric/kind.hpp"

namespace entropic {

// integral_0^h s(h') dh' through h^order.
template <class T, int K>
Series<T, K> integrate(const Series<T, K>& s, int order) {
  std::vector<T> c(order + 1, T(0));
  for (int n = 0; n < order; ++n)
    if (n <= s.order()) c[n + 1] = s[n] / T(n + 1);
  return Series<T, K>(std::move(c), order);
}

// y(sign * h) through h^order for y' = F(y), y(0) = y0. F maps Vec<Series<T>> to Vec<Series<T>>.
template <class T, class Field>
Vec<Series<T>> flow_series(Field&& F, const Vec<T>& y0, int order, int sign = +1) {
  using Ser = Series<T>;
  Vec<Ser> start(y0.size());
  for (Eigen::Index i = 0; i < y0.size(); ++i) start[i] = Ser(std::vector<T>{y0[i]}, order);
  Vec<Ser> y = start;
  for (int sweep = 0; sweep <= order; ++sweep) {
    const Vec<Ser> f = F(y);
    Vec<Ser> next(y.size());
    for (Eigen::Index i = 0; i < y.size(); ++i)
      next[i] = start[i] + Ser(T(sign)) * integrate(f[i], order);
    y = std::move(next);
  }
  return y;
}

}  // namespace entropic
