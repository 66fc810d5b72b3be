// The positive statement behind negative control N1 (catalog section 3): a full-batch GD step at
// lambda = 0 moves a Noether charge by exactly eta^2 g^T A g. For f = u w x (u = W1, w = W2) with
// r = (1/N) sum_i (u w x_i - y_i) x_i, g_u = w r and g_w = u r, so
//     Delta_{t+1} - Delta_t = eta^2 (g_u^2 - g_w^2) = -eta^2 r_t^2 Delta_t;
// under scale symmetry ||theta||^2 grows by eta^2 ||g||^2. Checked on N1's recorded counterexample,
// on the counterexample N1 finds from scratch (which must be small: one step, one or two samples),
// and on generated GD runs.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "entropic/verify/claim.hpp"
#include "entropic/gen/run_shapes.hpp"

namespace entropic {
namespace {

// N1's generator of GD runs on f = u w x: the one its replay strings refer to.
rc::Gen<TrainingRun> gd_runs_on_uwx() { return gen::gd_moving_charge(); }
const std::string kN1Part = "rescaling";

struct DeltaStep {
  Rational delta, delta_next, r;
};

// Delta_t, Delta_{t+1} and r_t for every step of a run on f = u w x.
std::vector<DeltaStep> delta_steps(const TrainingRun& run) {
  std::vector<DeltaStep> out;
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>&,
                                   const Vec<Rational>& next) {
    const Rational u = theta[0], w = theta[1];
    Rational r = 0;
    for (int i : run.batches[t]) r += (u * w * run.data.X(i, 0) - run.data.Y(i, 0)) * run.data.X(i, 0);
    r /= static_cast<int>(run.batches[t].size());
    out.push_back({u * u - w * w, next[0] * next[0] - next[1] * next[1], r});
  });
  return out;
}

Rational predicted_change(const TrainingRun& run, const DeltaStep& s) {
  return -run.eta * run.eta * s.r * s.r * s.delta;
}

// A counterexample of N1's u w x part: one GD step, one or two samples, at lambda = 0, whose Delta
// moves by exactly -eta^2 r^2 Delta_0 != 0, the residual N1 printed.
void expect_small_exact_counterexample(const Counterexample& c) {
  const auto key = ReplayKey::parse(c.replay);
  ASSERT_TRUE(key) << c.replay;
  ASSERT_EQ(key->claim, "N1");
  ASSERT_EQ(key->part, kN1Part);
  const TrainingRun run = detail::regenerate(gd_runs_on_uwx(), *key).value();
  EXPECT_EQ(run.show(), c.instance);
  EXPECT_EQ(run.steps(), 1) << run.show();
  EXPECT_LE(run.data.size(), 2) << run.show();
  EXPECT_EQ(run.lambda, 0);
  EXPECT_EQ(run.momentum, 0);
  const auto steps = delta_steps(run);
  ASSERT_EQ(steps.size(), 1u);
  const Rational change = steps[0].delta_next - steps[0].delta;
  EXPECT_NE(steps[0].delta, 0);
  EXPECT_NE(steps[0].r, 0);
  EXPECT_EQ(change, predicted_change(run, steps[0])) << run.show();
  EXPECT_EQ(c.verdict.residual, to_text(change));
}

TEST(GdChargeDrift, RecordedN1CounterexampleMovesDeltaByMinusEtaSquaredRSquaredDelta) {
  int found = 0;
  for (const ReplayKey& key : ClaimRegistry::instance().checked_past_failures()) {
    if (key.claim != "N1" || key.part != kN1Part) continue;
    ++found;
    const auto claim = ClaimRegistry::instance().find("N1");
    ASSERT_TRUE(claim);
    const auto c = claim->replay(key);
    ASSERT_TRUE(c) << key.text();
    EXPECT_TRUE(c->verdict.certified_violation());
    expect_small_exact_counterexample(*c);
  }
  EXPECT_EQ(found, 1) << "theorems/past_failures.txt should record N1's shrunk u w x counterexample";
}

TEST(GdChargeDrift, N1ShrinksAFreshCounterexampleToOneSmallStep) {
  const auto claim = ClaimRegistry::instance().find("N1");
  ASSERT_TRUE(claim);
  const ClaimResult r = claim->run(RunOptions{}, {});  // no replays: found and shrunk from scratch
  ASSERT_EQ(r.parts.size(), 2u);
  ASSERT_TRUE(r.parts[0].counterexample) << "N1's u w x part was not falsified";
  expect_small_exact_counterexample(*r.parts[0].counterexample);
  EXPECT_TRUE(r.parts[1].counterexample) << "N1's scale part was not falsified";
}

RC_GTEST_PROP(GdChargeDrift, EveryGdStepOnUwxMovesDeltaByMinusEtaSquaredRSquaredDelta, ()) {
  const TrainingRun run = *gd_runs_on_uwx();
  for (const DeltaStep& s : delta_steps(run))
    RC_ASSERT(s.delta_next - s.delta == predicted_change(run, s));
}

RC_GTEST_PROP(GdChargeDrift, EveryGdStepUnderScaleSymmetryGrowsTheNormByEtaSquaredGSquared, ()) {
  gen::RunShape shape;
  shape.kind = ModelKind::cosine_square;
  shape.min_widths = {1, 1};
  shape.max_widths = {3, 1};
  shape.max_samples = 4;
  const TrainingRun run = *gen::training_run(gen::gradient_descent(shape));
  for_each_step<Rational>(run, [&](int, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    RC_ASSERT(next.squaredNorm() - theta.squaredNorm() == run.eta * run.eta * g.squaredNorm());
  });
}

}  // namespace
}  // namespace entropic
