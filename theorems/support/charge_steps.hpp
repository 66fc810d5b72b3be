// Charges along a generated run (catalog T5, T6, T7, T8, E5 and the negative controls N1, N3), as
// observations and predictions of a part: at every step t and for every symmetry in `charges`, one
// quantity named "step t, <charge>".
//
//   observe:  charges_along(run, charges, charge_after_step)        Q(theta_{t+1})
//   predict:  charges_along(run, charges, charge_law(run.lambda))   what the law says of it
//
// and the law summed over the run (pathwise_balance, weight_decay_balance, and the mutant that drops
// its boundary term), with the degeneracies of both (an instance on which a law and a mutant agree by
// construction: no drift, no charge, lambda <Q>_T = 0, Q_T = Q_0).
#pragma once

#include <string>
#include <vector>

#include "entropic/gen/training_run.hpp"
#include "entropic/model/mlp.hpp"
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

// Mutant of the pathwise balance: the boundary term dropped, as if the stationary expectation
// eta/2 E Q(g) = lambda (1 - eta lambda/2) E Q held along a finite run: the observed
// eta/2 <Q(g)>_T - (Q_T - Q_0) / (2 eta T) predicted as lambda (1 - eta lambda/2) <Q>_T - (Q_T - Q_0) / (2 eta T).
template <class Select>
auto balance_without_boundary(Select charges) {
  return [charges](const TrainingRun& run) {
    const Rational T = run.steps();
    Charges out;
    for (const ChargeSums& a : charge_sums(run, charges(run)))
      out.push_back({a.name, Mat<Rational>(run.lambda * (1 - run.eta * run.lambda / 2) / T * a.sum_q -
                                           (a.q_T - a.q_0) / (2 * run.eta * T))});
    return out;
  };
}

// --- degeneracies (verify/part.hpp's .degenerate) ---------------------------------------------------

// Every charge of `charges` has Q(g_t) = 0 at every step: the eta^2 term of the law is never tested
// (a law without it, gradient-flow conservation, agrees).
template <class Select>
auto zero_drift_throughout(Select charges) {
  return [charges](const TrainingRun& run) {
    const auto qs = charges(run);
    for (const RunStep<Rational>& s : trajectory<Rational>(run))
      for (const Symmetry<Rational>& q : qs)
        if (!q.charge(s.g).isZero(0)) return false;
    return true;
  };
}
// lambda Q(theta_t) = 0 for every charge and step: no power of the decay factor (1 - eta lambda) can be
// told from another (lambda = 0, or every charge 0 before every step).
template <class Select>
auto decay_untested(Select charges) {
  return [charges](const TrainingRun& run) {
    if (run.lambda == 0) return true;
    const auto qs = charges(run);
    for (const RunStep<Rational>& s : trajectory<Rational>(run))
      for (const Symmetry<Rational>& q : qs)
        if (!q.charge(s.theta).isZero(0)) return false;
    return true;
  };
}
// The pathwise balance's degeneracies: lambda <Q>_T = 0 for every charge (both prefactors
// lambda (1 -+ eta lambda/2) multiply 0), and Q_T = Q_0 for every charge (no boundary term).
template <class Select>
auto weight_decay_term_zero(Select charges) {
  return [charges](const TrainingRun& run) {
    if (run.lambda == 0) return true;
    for (const ChargeSums& a : charge_sums(run, charges(run)))
      if (!a.sum_q.isZero(0)) return false;
    return true;
  };
}
template <class Select>
auto no_boundary_term(Select charges) {
  return [charges](const TrainingRun& run) {
    for (const ChargeSums& a : charge_sums(run, charges(run)))
      if (a.q_T != a.q_0) return false;
    return true;
  };
}
// Every x_i = 0 and every y_i = 0.
inline bool all_zero_data(const TrainingRun& run) { return run.data.X.isZero(0) && run.data.Y.isZero(0); }

// Some hidden pre-activation z_{l,k}(x_i) of a sample i of step t's batch is exactly 0 at theta_t: the
// step's gradient sits on the kink of a ReLU (relu'(0) enters it). False for other models.
inline bool touches_a_kink(const TrainingRun& run) {
  if (run.spec.kind != ModelKind::mlp) return false;
  const Mlp<Rational> mlp(run.spec);
  const int D = run.spec.depth();
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    for (int i : run.batches[s.t]) {
      const auto pass = mlp.forward(s.theta, Vec<Rational>(run.data.X.row(i).transpose()));
      for (int l = 1; l < D; ++l)
        for (Eigen::Index k = 0; k < pass.z[l].size(); ++k)
          if (pass.z[l][k] == 0) return true;
    }
  return false;
}

// Either degeneracy.
template <class P, class Q>
auto either(P p, Q q) {
  return [p, q](const auto& x) { return p(x) || q(x); };
}

}  // namespace entropic
