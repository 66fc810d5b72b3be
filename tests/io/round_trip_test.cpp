// A generated TrainingRun's scenario_json() is a scenario file that replays the run: loaded back
// and simulated, it gives the same iterates as for_each_step, exactly.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "entropic/io/simulate.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace {

void replays_exactly(const gen::RunShape& shape) {
  const TrainingRun run = *gen::training_run(shape);
  const Scenario s = parse_scenario_text(run.scenario_json());
  RC_ASSERT(s.spec.kind == run.spec.kind);
  RC_ASSERT(s.steps == run.steps());
  RC_ASSERT(s.theta0 == run.theta0);
  const Trajectory<Rational> replay = simulate_as<Rational>(s);
  RC_ASSERT(replay.theta.size() == size_t(run.steps()) + 1);
  const auto model = make_model<Rational>(run.spec);
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& before, const Vec<Rational>&,
                                   const Vec<Rational>& after) {
    RC_ASSERT(replay.theta[t] == before);
    RC_ASSERT(replay.theta[t + 1] == after);
    RC_ASSERT(replay.loss[t + 1] == model->loss(after, run.data));
  });
}

RC_GTEST_PROP(ScenarioRoundTrip, MlpWithBiasAndMomentum, ()) {
  gen::RunShape shape;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {3, 3, 2};
  shape.activations = {ActivationKind::relu, ActivationKind::leaky_relu, ActivationKind::linear,
                       ActivationKind::odd_cubic};
  shape.bias = true;
  shape.momentum = true;
  replays_exactly(shape);
}

RC_GTEST_PROP(ScenarioRoundTrip, DeepLinear, ()) {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1, 1};
  shape.max_widths = {2, 3, 3, 2};
  replays_exactly(shape);
}

RC_GTEST_PROP(ScenarioRoundTrip, FullBatchCenteredLinear, ()) {
  gen::RunShape shape;
  shape.kind = ModelKind::centered_linear;
  shape.min_widths = {1, 1};
  shape.max_widths = {4, 1};
  shape.full_batch = true;
  replays_exactly(shape);
}

}  // namespace
}  // namespace entropic
