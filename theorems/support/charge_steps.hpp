// Charges along a generated run (catalog T5, T6, T7, E5 and the negative control N3), as observations
// and predictions of a part: at every step t and for every symmetry in `charges`, one quantity named
// "step t, <charge>".
//
//   observe:  charges_along(run, charges, charge_after_step)        Q(theta_{t+1})
//   predict:  charges_along(run, charges, charge_law(run.lambda))   what the law says of it
//
// and the law summed over the run (pathwise_balance, weight_decay_balance).
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

// The charge law summed over a run (catalog T5, T6, T7): for every charge Q of `charges(run)`,
//   observed   eta/2 <Q(g)>_T - (Q_T - Q_0) / (2 eta T)
//   predicted  lambda (1 + sign eta lambda / 2) <Q>_T,
// the law with sign = -1; weight decay inside phi_1 would give sign = +1 (catalog T5, "first order
// only"). <.>_T averages over the steps t = 0 .. T-1 (Q at theta_t, Q(g) at the batch gradient g_t).
struct ChargeSums {
  std::string name;
  Mat<Rational> sum_q, sum_drift, q_0, q_T;
};
inline std::vector<ChargeSums> charge_sums(const TrainingRun& run, const std::vector<Symmetry<Rational>>& charges) {
  std::vector<ChargeSums> out;
  for (const Symmetry<Rational>& q : charges) {
    const Mat<Rational> q_0 = q.charge(run.theta0);
    const Mat<Rational> zero = Mat<Rational>::Zero(q_0.rows(), q_0.cols());
    out.push_back({q.name, zero, zero, q_0, q_0});
  }
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    for (std::size_t k = 0; k < charges.size(); ++k) {
      out[k].sum_q += charges[k].charge(s.theta);
      out[k].sum_drift += charges[k].charge(s.g);
      out[k].q_T = charges[k].charge(s.next);
    }
  return out;
}
template <class Select>
auto pathwise_balance(Select charges) {
  return [charges](const TrainingRun& run) {
    const Rational T = run.steps();
    Charges out;
    for (const ChargeSums& a : charge_sums(run, charges(run)))
      out.push_back({a.name, Mat<Rational>(run.eta / 2 / T * a.sum_drift - (a.q_T - a.q_0) / (2 * run.eta * T))});
    return out;
  };
}
template <class Select>
auto weight_decay_balance(Select charges, int sign) {
  return [charges, sign](const TrainingRun& run) {
    const Rational T = run.steps();
    Charges out;
    for (const ChargeSums& a : charge_sums(run, charges(run)))
      out.push_back({a.name, Mat<Rational>(run.lambda * (1 + sign * run.eta * run.lambda / 2) / T * a.sum_q)});
    return out;
  };
}

}  // namespace entropic
