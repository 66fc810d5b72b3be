// The exact discrete-time law of a Noether charge (catalog T2(b); T5, T6, T7, T8, E5, T9).
//
// If l(e^{sA} theta) = l(theta) per sample then theta^T A g = 0, and one SGD step
// theta' = (1 - eta lambda) theta - eta g gives, with no approximation,
//
//   quadratic charge  Q(theta') = (1 - eta lambda)^2 Q(theta) + eta^2 Q(g)
//   linear charge     v^T theta' = (1 - eta lambda) v^T theta        (translations: v^T g = 0)
//
// Q(g) is the charge's form evaluated on the step's gradient (B(g, g) for Q = B(theta, theta)).
#pragma once

#include <stdexcept>

#include "entropic/symmetry/symmetry.hpp"

namespace entropic {

template <class S>
Mat<S> predicted_charge_after_step(const Symmetry<S>& sym, const Vec<S>& theta, const Vec<S>& grad,
                                   const S& eta, const S& lambda) {
  if (!sym.has_charge()) throw std::invalid_argument(sym.name + " has no Noether charge");
  const S decay = S(1) - eta * lambda;
  if (sym.charge_degree == 1) return Mat<S>(decay * sym.charge(theta));
  return Mat<S>(decay * decay * sym.charge(theta) + eta * eta * sym.charge(grad));
}

}  // namespace entropic
