// TrainingRun: one exact SGD run as a generated instance (model, data, start, eta, lambda, momentum
// and batch schedule), with generators for the model families the catalog's checks use. A claim
// about SGD dynamics is a function of a TrainingRun; a counterexample prints as one (exactly), and
// as a scenario file that `entropic simulate` replays.
#pragma once

#include "entropic/gen/generators.hpp"
#include "entropic/gen/size_profile.hpp"
#include "entropic/optim/sgd.hpp"
#include "entropic/verify/coverage.hpp"

namespace entropic {

struct TrainingRun {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta0;
  Rational eta = 0, lambda = 0, momentum = 0;
  std::vector<Batch> batches;  // one per step

  int steps() const { return static_cast<int>(batches.size()); }
  SgdConfig<Rational> config() const { return SgdConfig<Rational>{eta, lambda, momentum, false, {}}; }
  // The same run over another scalar.
  template <class S>
  SgdConfig<S> config_as() const {
    return SgdConfig<S>{from_rational<S>(eta), from_rational<S>(lambda), from_rational<S>(momentum),
                        false, {}};
  }
  std::string show() const;            // exact, human-readable
  std::string scenario_json() const;   // a scenario file (docs/scenario.md) reproducing the run
};

// Runs the SGD of `run` over the scalar S and calls step(t, theta_t, g_t, theta_{t+1}) for every
// step t, where g_t is the batch gradient (without weight decay) the step used.
template <class S, class StepFn>
void for_each_step(const TrainingRun& run, StepFn&& step) {
  const auto model = make_model<S>(run.spec);
  const DataSet<S> data = from_rational<S>(run.data);
  const SgdConfig<S> cfg = run.config_as<S>();
  SgdState<S> state{from_rational<S>(run.theta0), Vec<S>()};
  for (int t = 0; t < run.steps(); ++t) {
    const Vec<S> theta = state.theta;
    const Vec<S> g = sgd_step(*model, data, run.batches[t], cfg, state);
    step(t, theta, g, state.theta);
  }
}

// One step of a run: theta_t, the batch gradient g_t it used (without weight decay), theta_{t+1}.
template <class S>
struct RunStep {
  int t = 0;
  Vec<S> theta, g, next;
};

// Every step of the SGD of `run` over the scalar S.
template <class S>
std::vector<RunStep<S>> trajectory(const TrainingRun& run) {
  std::vector<RunStep<S>> steps;
  for_each_step<S>(run, [&](int t, const Vec<S>& theta, const Vec<S>& g, const Vec<S>& next) {
    steps.push_back(RunStep<S>{t, theta, g, next});
  });
  return steps;
}

// What a run's coverage counts (verify/part.hpp): widths, samples, batch size, steps, whether
// lambda, the momentum, the data and the start are zero.
Features coverage_features(const TrainingRun& run);

namespace gen {

struct RunShape {
  std::vector<int> min_widths, max_widths;  // per layer, inclusive; shrink toward the minimum
  std::vector<ActivationKind> activations = {ActivationKind::linear};
  ModelKind kind = ModelKind::mlp;
  bool bias = false;
  int min_samples = 1, max_samples = 6;
  int max_batch = 3;
  int min_steps = 1, max_steps = 3;
  bool weight_decay = true;   // lambda is 0 or drawn (shrinks toward 0)
  bool momentum = false;      // beta is 0 or drawn in (0, 1)
  bool full_batch = false;    // GD
  Rational max_eta = Rational(1, 2);
};

rc::Gen<TrainingRun> training_run(RunShape shape);

// The shape under a size profile (gen/size_profile.hpp): `large` gives every layer whose width the
// claim leaves free (min_widths[i] < max_widths[i]) one common width, the smallest at least every
// max_widths[i] for which the model has at least kLargeProfileParameters parameters. A shape that
// fixes every width (a hypothesis on the architecture, as f = u w x) is unchanged. training_run
// applies the profile in force when it generates.
RunShape at_size_profile(RunShape shape, SizeProfile profile);

// The widths of a model of `kind` (without biases when counting), layer i drawn in [min_widths[i],
// max_widths[i]] and shrinking toward the minimum, under the profile in force as training_run
// applies it: for generators of instances that train such a model but are not TrainingRuns.
rc::Gen<std::vector<int>> model_widths(ModelKind kind, std::vector<int> min_widths, std::vector<int> max_widths);

// The dimension of an instance that is no model (a quadratic's z in R^n), where the claim leaves it
// free: drawn in [min, max] and shrinking toward min under `standard`; max(max,
// kLargeProfileParameters) under `large`.
rc::Gen<int> free_dimension(int min, int max);

}  // namespace gen
}  // namespace entropic
