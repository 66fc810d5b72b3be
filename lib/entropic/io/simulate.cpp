#include "entropic/io/simulate.hpp"

#include <mpfi.h>
#include <mpfr.h>

#include <cmath>

#include "entropic/model/make_model.hpp"

namespace entropic {

namespace {

bool finite(const Rational&) { return true; }
bool finite(double x) { return std::isfinite(x); }
bool finite(const Real& x) { return mpfr_number_p(x.backend().data()) != 0; }
bool finite(const Interval& x) {
  return mpfi_bounded_p(x.backend().data()) && !mpfi_nan_p(x.backend().data());
}

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

// A divergence: theta_t or L(theta_t) left the finite range of S.
template <class S>
void check_iterate(const Layout& layout, const Vec<S>& theta, const S& loss, const std::string& when) {
  const char* advice = std::is_same_v<S, Interval>
                           ? "the run diverged, or the precision is too low for this many steps "
                             "(raise BITS)"
                           : "the run diverged (lower lr, or use rational or real:BITS arithmetic)";
  for (Eigen::Index k = 0; k < theta.size(); ++k)
    if (!finite(theta[k]))
      throw run_error(when + ": " + entry_name(layout, k) + " = " + to_text(theta[k]) + ": " + advice);
  if (!finite(loss)) throw run_error(when + ": the loss = " + to_text(loss) + ": " + advice);
}

template <class S>
nlohmann::ordered_json matrix_text(const Eigen::Map<const Mat<S>>& m) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(to_text(m(i, j)));
    rows.push_back(std::move(row));
  }
  return rows;
}

template <class S>
nlohmann::ordered_json report(const Scenario& s) {
  const Trajectory<S> run = simulate_as<S>(s);
  const Layout layout = make_model<Rational>(s.spec)->layout();
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (size_t t = 0; t < run.theta.size(); ++t) {
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (int b = 0; b < layout.count(); ++b)
      params[layout[b].name] = matrix_text<S>(layout.view(run.theta[t], b));
    steps.push_back({{"t", t}, {"loss", to_text(run.loss[t])}, {"params", std::move(params)}});
  }
  return {{"arithmetic", run.arithmetic}, {"steps", std::move(steps)}};
}

}  // namespace

template <class S>
Trajectory<S> simulate_as(const Scenario& s) {
  const auto model = make_model<S>(s.spec);
  const Layout& layout = model->layout();
  const DataSet<S> data = from_rational<S>(s.data);
  const SgdConfig<S> cfg = config_as<S>(s.optimizer);
  SgdState<S> state{from_rational<S>(s.theta0), Vec<S>()};
  check_inputs(s, layout, data, cfg, state.theta);

  Trajectory<S> out;
  out.arithmetic = ScalarKind<S>::name();
  out.theta.reserve(s.steps + 1);
  out.loss.reserve(s.steps + 1);
  for (int t = 0; t <= s.steps; ++t) {
    const std::string when =
        t == 0 ? "at the start (t = 0)"
               : "step " + std::to_string(t) + " of " + std::to_string(s.steps);
    S loss;
    try {
      if (t > 0) sgd_step(*model, data, s.schedule.batch(t - 1, data.size()), cfg, state);
      loss = model->loss(state.theta, data);
    } catch (const std::exception& e) {
      throw run_error(when + ": " + e.what());
    }
    check_iterate(layout, state.theta, loss, when);
    out.theta.push_back(state.theta);
    out.loss.push_back(std::move(loss));
  }
  return out;
}

template Trajectory<Rational> simulate_as<Rational>(const Scenario&);
template Trajectory<Interval> simulate_as<Interval>(const Scenario&);
template Trajectory<Real> simulate_as<Real>(const Scenario&);
template Trajectory<double> simulate_as<double>(const Scenario&);

nlohmann::ordered_json simulation_report(const Scenario& s) {
  switch (s.arithmetic.kind) {
    case Arithmetic::Kind::rational: return report<Rational>(s);
    case Arithmetic::Kind::interval: {
      const PrecisionScope precision(s.arithmetic.bits);
      return report<Interval>(s);
    }
    case Arithmetic::Kind::real: {
      const PrecisionScope precision(s.arithmetic.bits);
      return report<Real>(s);
    }
    case Arithmetic::Kind::floating: return report<double>(s);
  }
  throw std::logic_error("unknown arithmetic");
}

}  // namespace entropic
