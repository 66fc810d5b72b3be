// A charge law checked along a generated run (catalog T5, T6, T7, E5 and the negative control N3):
// at every step t and for every symmetry in `charges`, the charge of theta_{t+1} must equal what
// predict(sym, theta_t, g_t) says, exactly. The first violation is returned, named by
// where(t, sym); `law` describes the law when every step holds.
#pragma once

#include <string>
#include <vector>

#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/compare.hpp"
#include "training_run.hpp"

namespace entropic {

// The catalog's law: Q(theta') = (1 - eta lambda)^2 Q(theta) + eta^2 Q(g) (linear charges: no drift).
inline auto exact_charge_law(const TrainingRun& run) {
  return [&run](const Symmetry<Rational>& sym, const Vec<Rational>& theta, const Vec<Rational>& g) {
    return predicted_charge_after_step(sym, theta, g, run.eta, run.lambda);
  };
}

// "step t, <name of the symmetry>".
inline std::string step_and_charge(int t, const Symmetry<Rational>& sym) {
  return "step " + std::to_string(t) + ", " + sym.name;
}

template <class Predict, class Where>
Verdict charges_follow(const TrainingRun& run, const std::vector<Symmetry<Rational>>& charges,
                       Predict&& predict, Where&& where, const std::string& law) {
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0", law};
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    for (const auto& sym : charges) {
      if (out.outcome != Outcome::holds) return;
      const Mat<Rational> predicted = predict(sym, theta, g);
      Verdict v = compare_entries<Rational>(sym.charge(next), predicted, where(t, sym));
      if (v.outcome != Outcome::holds) out = v;
    }
  });
  return out;
}

}  // namespace entropic
