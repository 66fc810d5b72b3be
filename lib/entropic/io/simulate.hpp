// Running a scenario: theta_0 .. theta_T of torch.optim.SGD (optim/sgd.hpp) along the scenario's
// batch schedule, and the training loss L(theta_t) (the mean per-sample loss over all samples, no
// weight decay), in any scalar. The exact scenario enters the scalar through from_rational<S>:
// exactly for Rational, as an enclosure for Interval, correctly rounded for Real and double.
//
// simulate_as<S> is compiled once, in simulate.cpp, for Rational, Interval, Real and double;
// simulation_report is the one place that picks the scalar from the scenario's arithmetic.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/io/scenario.hpp"

namespace entropic {

// A run that cannot go on: a value that left the arithmetic's finite range (a divergence), an
// enclosure that became unbounded, or a value the arithmetic cannot decide. Names the step.
struct run_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class S>
struct Trajectory {
  std::string arithmetic;     // ScalarKind<S>::name() while it ran, with the precision in force
  std::vector<Vec<S>> theta;  // theta_0 .. theta_T, in the layout's flat order
  std::vector<S> loss;        // L(theta_0) .. L(theta_T)
};

template <class S>
SgdConfig<S> config_as(const SgdConfig<Rational>& cfg) {
  SgdConfig<S> out{from_rational<S>(cfg.lr), from_rational<S>(cfg.weight_decay),
                   from_rational<S>(cfg.momentum), cfg.nesterov, {}};
  if (cfg.preconditioner) out.preconditioner = from_rational<S>(*cfg.preconditioner);
  return out;
}

// The run over S at the working precision in force. Throws scenario_error if an input does not fit
// S (a double overflow), run_error if the run stops.
template <class S>
Trajectory<S> simulate_as(const Scenario& scenario);

extern template Trajectory<Rational> simulate_as<Rational>(const Scenario&);
extern template Trajectory<Interval> simulate_as<Interval>(const Scenario&);
extern template Trajectory<Real> simulate_as<Real>(const Scenario&);
extern template Trajectory<double> simulate_as<double>(const Scenario&);

// The run in the scenario's arithmetic (at its precision), as exact text:
//   {"arithmetic": "interval:101",
//    "steps": [{"t": 0, "loss": "...", "params": {"W1": [["...", ...], ...], ...}}, ...]}
nlohmann::ordered_json simulation_report(const Scenario& scenario);

}  // namespace entropic
