// Running a scenario: theta_0 .. theta_T of torch.optim.SGD (optim/sgd.hpp) along the scenario's
// batch schedule, and the training loss L(theta_t) (the mean per-sample loss over all samples, no
// weight decay), in any scalar. The exact scenario enters the scalar through from_rational<S>:
// exactly for Rational, as an enclosure for Interval, correctly rounded for Real and double.
//
// The run is a stream: simulate_stream hands each reported iterate, as exact text, to a StepSink
// and keeps nothing of it, so that its memory does not grow with the number of steps (what
// `entropic simulate` prints). simulate_as<S> (the whole trajectory, for tests and plots) and
// simulation_report (the whole run as JSON) are built on the same loop.
//
// simulate_as<S> is compiled once, in simulate.cpp, for Rational, Interval, Real and double;
// simulate_stream is the one place that picks the scalar from the scenario's arithmetic.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/io/budget.hpp"
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

// Which iterates a run reports: t = 0, K, 2K, ... (every = K) and always the last, t = T; or,
// with last_only, theta_T alone. Every step is computed and checked all the same.
struct StepSelection {
  int every = 1;  // >= 1
  bool last_only = false;
  bool reports(int t, int steps) const { return t == steps || (!last_only && t % every == 0); }
};

// What is known of a run before its first iterate is reported.
struct RunHeader {
  std::string arithmetic;  // with the precision in force ("interval:101")
  int steps = 0;           // T
  Layout layout;           // the parameter blocks, their shapes and flat offsets
};

// One reported iterate as exact text in the run's arithmetic.
struct StepText {
  int t = 0;
  std::string loss;                  // L(theta_t)
  std::vector<std::string> entries;  // theta_t in the layout's flat order (Layout::at(block, i, j))
};

// Where a stream of iterates goes. begin() is called once, after the scenario has been checked in
// full and theta_0 and its loss computed and found finite; then step() once per reported iterate,
// in order of t, the last one t = T. Whatever a sink throws stops the run and passes through.
class StepSink {
 public:
  virtual ~StepSink() = default;
  virtual void begin(const RunHeader& header) = 0;
  virtual void step(const StepText& step) = 0;
  // False when the next step() needs only its t (loss and entries are then left empty, and the
  // values are not formatted): a sink that only checks that the run completes.
  virtual bool wants_text() const { return true; }
};

// The run over S at the working precision in force. Throws scenario_error if an input does not fit
// S (a double overflow), run_error if the run stops.
template <class S>
Trajectory<S> simulate_as(const Scenario& scenario);

extern template Trajectory<Rational> simulate_as<Rational>(const Scenario&);
extern template Trajectory<Interval> simulate_as<Interval>(const Scenario&);
extern template Trajectory<Real> simulate_as<Real>(const Scenario&);
extern template Trajectory<double> simulate_as<double>(const Scenario&);

// The run in the scenario's arithmetic (at its precision, restored afterwards), each reported
// iterate handed to `sink` as it is computed. Throws scenario_error before sink.begin() for an
// input that does not fit the arithmetic; run_error, naming the step, when the run stops (before
// begin() when it stops at t = 0, else after the steps before it were reported).
// With a budget that limits something, a request whose estimated cost (cost.hpp) is beyond it is
// refused first (budget_error, before sink.begin()); a rational run is measured on a pilot of its
// first steps for that. Between steps the run checks the deadline (budget.hpp).
void simulate_stream(const Scenario& scenario, const StepSelection& selection, StepSink& sink,
                     const Budget& budget = Budget::unlimited());

// Throws budget_error when a run of the scenario as given would not fit the budget.
void check_budget(const Scenario& scenario, const Budget& budget);

// One iterate as the JSON of `entropic simulate --format json`:
//   {"t": 0, "loss": "...", "params": {"W1": [["...", ...], ...], ...}}
nlohmann::ordered_json step_json(const Layout& layout, const StepText& step);

// The whole run in memory (small runs, tests), as exact text:
//   {"arithmetic": "interval:101",
//    "steps": [{"t": 0, "loss": "...", "params": {"W1": [["...", ...], ...], ...}}, ...]}
nlohmann::ordered_json simulation_report(const Scenario& scenario, const StepSelection& selection = {});

}  // namespace entropic
