#include "entropic/io/simulate.hpp"

#include <mpfr.h>

#include <chrono>
#include <cmath>
#include <optional>

#include "entropic/io/cost.hpp"
#include "entropic/model/make_model.hpp"

namespace entropic {

namespace {

bool finite(const Rational&) { return true; }
bool finite(double x) { return std::isfinite(x); }
bool finite(const Real& x) { return mpfr_number_p(x.backend().data()) != 0; }
bool finite(const Interval& x) { return is_finite(x); }

// "W1[0][2]" for a flat index of theta.
std::string entry_name(const Layout& layout, Eigen::Index k) {
  for (const Block& b : layout.blocks())
    if (k < b.offset + b.size()) {
      const Eigen::Index i = k - b.offset;
      return b.name + "[" + std::to_string(i % b.rows) + "][" + std::to_string(i / b.rows) + "]";
    }
  return "theta[" + std::to_string(k) + "]";
}

// An input that does not fit S: only double can overflow (1e400); MPFR's exponent range is wide.
template <class S>
void check_input(const Mat<S>& m, const std::string& path) {
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      if (!finite(m(i, j)))
        throw scenario_error(path + "[" + std::to_string(i) + "][" + std::to_string(j) + "]",
                             "overflows in " + ScalarKind<S>::name() +
                                 " arithmetic; use rational, interval:BITS or real:BITS");
}

template <class S>
void check_input(const S& x, const std::string& path) {
  if (!finite(x))
    throw scenario_error(path, "overflows in " + ScalarKind<S>::name() +
                                   " arithmetic; use rational, interval:BITS or real:BITS");
}

template <class S>
void check_inputs(const Scenario& s, const Layout& layout, const DataSet<S>& data,
                  const SgdConfig<S>& cfg, const Vec<S>& theta) {
  if (s.spec.embed_in) check_input(from_rational<S>(*s.spec.embed_in), "model.embed_in");
  if (s.spec.embed_out) check_input(from_rational<S>(*s.spec.embed_out), "model.embed_out");
  for (int b = 0; b < layout.count(); ++b)
    check_input(Mat<S>(layout.view(theta, b)), "params." + layout[b].name);
  check_input(data.X, "data.x");
  check_input(data.Y, "data.y");
  check_input(cfg.lr, "optimizer.lr");
  check_input(cfg.weight_decay, "optimizer.weight_decay");
  check_input(cfg.momentum, "optimizer.momentum");
  if (cfg.preconditioner) check_input(*cfg.preconditioner, "optimizer.preconditioner");
}

// A divergence: theta_t or L(theta_t) left the finite range of S; `advice()` says what to do.
template <class S, class When, class Advice>
void check_iterate(const Layout& layout, const Vec<S>& theta, const S& loss, const When& when,
                   const Advice& advice) {
  for (Eigen::Index k = 0; k < theta.size(); ++k)
    if (!finite(theta[k]))
      throw run_error(when() + ": " + entry_name(layout, k) + " = " + to_text(theta[k]) + ": " + advice());
  if (!finite(loss)) throw run_error(when() + ": the loss = " + to_text(loss) + ": " + advice());
}

// log2 of the largest |theta_k| (-inf for theta = 0): how fast a double run leaves its range.
double log2_magnitude(const Vec<double>& theta) {
  double m = 0;
  for (Eigen::Index k = 0; k < theta.size(); ++k)
    if (std::isfinite(theta[k])) m = std::max(m, std::abs(theta[k]));
  return std::log2(m);
}

std::string divergence_advice(const Scenario& s, const Budget& budget, const std::vector<double>& magnitudes);

// The loop every use of a run shares: theta_0 .. theta_T and their losses, each checked, handed to
// observe(t, layout, theta_t, L(theta_t)); nothing is kept. Stops at the deadline (budget.hpp).
template <class S, class Observe>
void run_loop(const Scenario& s, const Budget& budget, Observe&& observe) {
  const auto model = make_model<S>(s.spec);
  const Layout& layout = model->layout();
  const DataSet<S> data = from_rational<S>(s.data);
  const SgdConfig<S> cfg = config_as<S>(s.optimizer);
  SgdState<S> state{from_rational<S>(s.theta0), Vec<S>()};
  check_inputs(s, layout, data, cfg, state.theta);
  std::vector<double> magnitudes;  // double: log2 max |theta_t| of the last steps, for the advice
  const auto advice = [&]() -> std::string {
    if constexpr (std::is_same_v<S, Interval>)
      return "the run diverged, or the precision is too low for this many steps (raise BITS)";
    else if constexpr (std::is_same_v<S, double>)
      return divergence_advice(s, budget, magnitudes);
    else
      return "the run diverged beyond the exponent range of MPFR (lower lr)";
  };

  for (int t = 0; t <= s.steps; ++t) {
    const auto when = [&] {
      return t == 0 ? std::string("at the start (t = 0)")
                    : "step " + std::to_string(t) + " of " + std::to_string(s.steps);
    };
    check_deadline(when);
    S loss;
    try {
      if (t > 0) sgd_step(*model, data, s.schedule.batch(t - 1, data.size()), cfg, state);
      loss = model->loss(state.theta, data);
    } catch (const std::bad_alloc&) {
      throw;  // out of memory is the budget's, not the run's (exit 2)
    } catch (const std::exception& e) {
      throw run_error(when() + ": " + e.what());
    }
    if constexpr (std::is_same_v<S, double>) {
      if (magnitudes.size() == 8) magnitudes.erase(magnitudes.begin());
      magnitudes.push_back(log2_magnitude(state.theta));
    }
    check_iterate(layout, state.theta, loss, when, advice);
    observe(t, layout, state.theta, loss);
  }
}

// The first steps of a rational run, measured (cost.hpp): the largest bit length of theta_t's
// entries for t = 0 .. k, the time of each step and the time to L(theta_0).
class RationalPilot {
 public:
  explicit RationalPilot(const Scenario& s) : s_(s), start_(std::chrono::steady_clock::now()), last_(start_) {}

  void measure(int t, const Vec<Rational>& theta) {
    const auto now = std::chrono::steady_clock::now();
    if (t > 0) seconds_.push_back(std::chrono::duration<double>(now - last_).count());
    else start_seconds_ = std::chrono::duration<double>(now - start_).count();
    last_ = now;
    double h = 0;
    for (Eigen::Index k = 0; k < theta.size(); ++k) h = std::max(h, bit_length(theta[k]));
    heights_.push_back(h);
  }
  // Whether the pilot has seen enough: kPilotSteps steps, or kPilotSeconds; at t = 0 already when
  // L(theta_0) shows step 1 alone beyond kPilotSeconds (a step costs at least that many times the
  // loss, operations_per_step / loss_operations).
  bool enough(int t) const {
    const double elapsed = std::chrono::duration<double>(last_ - start_).count();
    const double step_per_loss = operations_per_step(s_) / std::max(1.0, loss_operations(s_));
    return t >= kPilotSteps || t >= s_.steps || elapsed > kPilotSeconds ||
           (t == 0 && start_seconds_ * step_per_loss > kPilotSeconds);
  }
  bool complete() const { return last_step() >= std::min(kPilotSteps, s_.steps); }
  // The last step measured; the clock of the next one starts at clock_from().
  int last_step() const { return static_cast<int>(heights_.size()) - 1; }
  void clock_from() { last_ = std::chrono::steady_clock::now(); }
  RunEstimate projection() const { return project_rational_run(s_, heights_, seconds_, start_seconds_); }

 private:
  const Scenario& s_;
  std::chrono::steady_clock::time_point start_, last_;
  std::vector<double> heights_, seconds_;
  double start_seconds_ = 0;
};

// The pilot run on its own, before the run: stopped as soon as it has seen enough. A pilot cut
// short by a costly step is continued by the run itself (stream_as): the steps after the pilot's
// last one are measured there, and the run projected again after each of them through step
// kPilotSteps, rather than computing a costly step twice.
struct PilotDone {};
RationalPilot rational_pilot(const Scenario& s) {
  RationalPilot pilot(s);
  try {
    run_loop<Rational>(s, Budget::unlimited(), [&](int t, const Layout&, const Vec<Rational>& theta, const Rational&) {
      pilot.measure(t, theta);
      if (pilot.enough(t)) throw PilotDone{};
    });
  } catch (const PilotDone&) {
  }
  return pilot;
}

RunEstimate rational_projection(const Scenario& s) { return rational_pilot(s).projection(); }

std::string run_request(const Scenario& s) {
  return "a run of " + std::to_string(s.steps) + " steps in " + s.arithmetic.text();
}

// What a double run that diverged could do instead, with what it would cost: real:BITS has the
// exponent range 2^(+-2^30) of MPFR, which a run whose log-magnitude itself grows geometrically
// (theta ~ theta^g per step) leaves a few dozen steps later; rational never overflows, but grows.
// Only what fits the budget is suggested.
std::string divergence_advice(const Scenario& s, const Budget& budget, const std::vector<double>& magnitudes) {
  std::string advice = "the run diverged (lower lr";
  bool real_overflows = false;
  if (magnitudes.size() >= 3) {
    const size_t n = magnitudes.size();
    const double a = magnitudes[n - 3], b = magnitudes[n - 2];
    if (a > 8 && b > a && b / a > 1.2) real_overflows = true;  // doubly exponential
  }
  const RunEstimate real = estimate_run(s, Arithmetic::real(64));
  if (real_overflows)
    advice += "; real:BITS would overflow as well: log2 |theta| multiplies at each step";
  else if (budget_excess(real, budget).empty())
    advice += "; real:64 follows it past the range of double, in at least " + seconds_text(real.seconds);
  const RunEstimate rational = rational_projection(s);
  const std::string excess = budget_excess(rational, budget);
  if (excess.empty())
    advice += std::string("; rational runs it exactly, ") + (rational.at_least ? "at least " : "about ") +
              seconds_text(rational.seconds) + " and " + bytes_text(rational.bytes);
  else
    advice += "; a rational run " + excess.substr(0, excess.find("; raise"));
  return advice + ")";
}

// `measure`: the rational pilot to continue in the run (check_budget), or nullptr.
template <class S>
void stream_as(const Scenario& s, const StepSelection& selection, StepSink& sink, const Budget& budget,
               RationalPilot* measure) {
  StepText text;
  run_loop<S>(s, budget, [&](int t, const Layout& layout, const Vec<S>& theta, const S& loss) {
    if constexpr (std::is_same_v<S, Rational>) {
      if (measure && t == measure->last_step()) measure->clock_from();
      if (measure && t > measure->last_step() && t <= kPilotSteps) {
        measure->measure(t, theta);
        refuse_beyond(run_request(s) + ", projected after step " + std::to_string(t) + ",", measure->projection(),
                      budget);
      }
    }
    if (t == 0) sink.begin(RunHeader{ScalarKind<S>::name(), s.steps, layout});
    if (!selection.reports(t, s.steps)) return;
    text.t = t;
    if (!sink.wants_text()) {
      text.loss.clear();
      text.entries.clear();
      return sink.step(text);
    }
    text.loss = to_text(loss);
    text.entries.resize(static_cast<size_t>(theta.size()));
    for (Eigen::Index k = 0; k < theta.size(); ++k) text.entries[static_cast<size_t>(k)] = to_text(theta[k]);
    sink.step(text);
  });
}

// The whole run as one JSON document.
class ReportSink : public StepSink {
 public:
  void begin(const RunHeader& header) override {
    layout_ = header.layout;
    report_ = {{"arithmetic", header.arithmetic}, {"steps", nlohmann::ordered_json::array()}};
  }
  void step(const StepText& step) override { report_["steps"].push_back(step_json(layout_, step)); }
  nlohmann::ordered_json take() { return std::move(report_); }

 private:
  Layout layout_;
  nlohmann::ordered_json report_;
};

}  // namespace

template <class S>
Trajectory<S> simulate_as(const Scenario& s) {
  Trajectory<S> out;
  out.arithmetic = ScalarKind<S>::name();
  out.theta.reserve(static_cast<size_t>(s.steps) + 1);
  out.loss.reserve(static_cast<size_t>(s.steps) + 1);
  run_loop<S>(s, Budget::unlimited(), [&](int, const Layout&, const Vec<S>& theta, const S& loss) {
    out.theta.push_back(theta);
    out.loss.push_back(loss);
  });
  return out;
}

template Trajectory<Rational> simulate_as<Rational>(const Scenario&);
template Trajectory<Interval> simulate_as<Interval>(const Scenario&);
template Trajectory<Real> simulate_as<Real>(const Scenario&);
template Trajectory<double> simulate_as<double>(const Scenario&);

namespace {

// Refuses (budget_error) what the estimate shows beyond the budget; returns a rational pilot that
// was cut short, for the run to continue (stream_as), or nothing.
std::optional<RationalPilot> checked_budget(const Scenario& s, const Budget& budget) {
  if (!budget.limits_memory() && !budget.limits_time()) return std::nullopt;
  refuse_beyond(run_request(s), estimate_run(s, s.arithmetic), budget);
  if (s.arithmetic.kind != Arithmetic::Kind::rational || s.steps <= kPilotSteps) return std::nullopt;
  RationalPilot pilot = rational_pilot(s);
  refuse_beyond(run_request(s), pilot.projection(), budget);
  if (pilot.complete()) return std::nullopt;
  return pilot;
}

}  // namespace

void check_budget(const Scenario& s, const Budget& budget) { checked_budget(s, budget); }

void simulate_stream(const Scenario& s, const StepSelection& selection, StepSink& sink, const Budget& budget) {
  if (selection.every < 1) throw std::invalid_argument("StepSelection::every must be at least 1");
  std::optional<RationalPilot> pilot = checked_budget(s, budget);
  switch (s.arithmetic.kind) {
    case Arithmetic::Kind::rational: return stream_as<Rational>(s, selection, sink, budget, pilot ? &*pilot : nullptr);
    case Arithmetic::Kind::interval: {
      const PrecisionScope precision(s.arithmetic.bits);
      return stream_as<Interval>(s, selection, sink, budget, nullptr);
    }
    case Arithmetic::Kind::real: {
      const PrecisionScope precision(s.arithmetic.bits);
      return stream_as<Real>(s, selection, sink, budget, nullptr);
    }
    case Arithmetic::Kind::floating: return stream_as<double>(s, selection, sink, budget, nullptr);
  }
  throw std::logic_error("unknown arithmetic");
}

nlohmann::ordered_json step_json(const Layout& layout, const StepText& step) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (int b = 0; b < layout.count(); ++b) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (int i = 0; i < layout[b].rows; ++i) {
      nlohmann::ordered_json row = nlohmann::ordered_json::array();
      for (int j = 0; j < layout[b].cols; ++j) row.push_back(step.entries.at(static_cast<size_t>(layout.at(b, i, j))));
      rows.push_back(std::move(row));
    }
    params[layout[b].name] = std::move(rows);
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["t"] = step.t;
  out["loss"] = step.loss;
  out["params"] = std::move(params);
  return out;
}

nlohmann::ordered_json simulation_report(const Scenario& s, const StepSelection& selection) {
  ReportSink sink;
  simulate_stream(s, selection, sink);
  return sink.take();
}

}  // namespace entropic
