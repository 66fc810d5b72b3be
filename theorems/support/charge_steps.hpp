// Charges along a generated run (catalog T5, T6, T7, E5 and the negative control N3), as observations
// and predictions of a part: at every step t and for every symmetry in `charges`, one quantity named
// "step t, <charge>".
//
//   observe:  charges_along(run, charges, charge_after_step)        Q(theta_{t+1})
//   predict:  charges_along(run, charges, charge_law(run.lambda))   what the law says of it
#pragma once

#include <string>
#include <vector>

#include "entropic/gen/training_run.hpp"
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/observation.hpp"

namespace entropic {

using Charges = Quantities<Mat<Rational>>;

// value(sym, step) for every step of the run and every charge, named "step t, <name of the symmetry>".
template <class Value>
Charges charges_along(const TrainingRun& run, const std::vector<Symmetry<Rational>>& charges, Value&& value) {
  Charges out;
  for (const RunStep<Rational>& step : trajectory<Rational>(run))
    for (const Symmetry<Rational>& sym : charges)
      out.push_back({"step " + std::to_string(step.t) + ", " + sym.name, value(sym, step)});
  return out;
}

// What is observed: the charge after the step, Q(theta_{t+1}).
inline Mat<Rational> charge_after_step(const Symmetry<Rational>& sym, const RunStep<Rational>& step) {
  return sym.charge(step.next);
}

// The catalog's law with weight decay `lambda`: Q(theta') = (1 - eta lambda)^2 Q(theta) + eta^2 Q(g)
// (linear charges: no drift).
inline auto charge_law(const TrainingRun& run, Rational lambda) {
  return [&run, lambda](const Symmetry<Rational>& sym, const RunStep<Rational>& step) {
    return predicted_charge_after_step(sym, step.theta, step.g, run.eta, lambda);
  };
}

}  // namespace entropic
