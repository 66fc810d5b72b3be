// The exact flow of a vector field as a power series in the step size h.
//
// For y' = F(y), y(0) = y0, the point y(sign * h) is a power series in h. Picard iteration
//     y <- y0 + sign * integral_0^h F(y) dh'
// on Series<T> gains one exact coefficient per sweep, so K + 1 sweeps give y(sign * h) through h^K
// exactly when F is polynomial and T is Rational (certified coefficients for Interval). F must not
// depend on h: the integral would treat that h as the time (for y' = h c it gives c h^2 / 2, not the
// c h^2 of the flow for time h). A field that depends on the step size (a modified field
// f_1 + h f_2 + ...) takes modified_flow_series below, which keeps time and step size apart.
#pragma once

#include "entropic/numeric/jet.hpp"
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

// y(h) through h^order for y' = F(y, h) run for time h, where the field depends on the step size
// h itself (catalog E1: "Picard iteration in t = h s"). Time t and step size e are kept apart:
//     y(t; e) = y0 + integral_0^t F(y(t'; e), e) dt'
// is iterated on Jets in (t, e) (variable 0 is t, variable 1 is e) of total degree <= order, one
// exact degree per sweep; then t = e = h collects the coefficients of t^n e^r with n + r = N into
// h^N. F is called as F(y, e) with y a Vec<Jet<T>> and e the Jet of e, so a model's gradient, a
// polynomial or the jets of a modified field (theory/modified_field.hpp) evaluate on it directly.
template <class T, class Field>
Vec<Series<T>> modified_flow_series(Field&& F, const Vec<T>& y0, int order) {
  using J = Jet<T>;
  if (order < 1) throw std::invalid_argument("a flow series needs order >= 1");
  const JetSpace& space = JetSpace::of(2, order);
  const J e = J::variable(space, 1);
  Vec<J> start(y0.size());
  for (Eigen::Index i = 0; i < y0.size(); ++i) start[i] = J(y0[i]);
  Vec<J> y = start;
  for (int sweep = 0; sweep <= order; ++sweep) {
    const Vec<J> f = F(y, e);
    Vec<J> next(y.size());
    for (Eigen::Index i = 0; i < y.size(); ++i) next[i] = start[i] + f[i].integral(space, 0);
    y = std::move(next);
  }
  Vec<Series<T>> out(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const int known = std::min(y[i].order(), order);
    std::vector<T> c(known + 1, T(0));
    for (int k = 0; k < space.size(known); ++k) c[space.degree_of(k)] += y[i][k];
    out[i] = Series<T>(std::move(c), known);
  }
  return out;
}

}  // namespace entropic
