// U2 — a conjecture that sounds right and is false: "with weight decay, Delta = ||W1||^2 - ||W2||^2
// of f = W2 W1 x decays by exactly (1 - eta lambda)^2 per SGD step".
//
// It forgets the eta^2 (||g1||^2 - ||g2||^2) of U1's law, which vanishes only when the two layers'
// gradients happen to have equal norms. `your_catalog falsify U2` finds, shrinks and prints an exact
// counterexample; its replay string is kept in past_failures.txt, so that every run replays it
// first. Stated as a negative control: the suite passes while it stays falsified.
#include <entropic/entropic.hpp>

using namespace entropic;

namespace {

// U1's runs with weight decay switched on: the conjecture speaks of lambda > 0. suchThat keeps the
// filter through shrinking too, so a counterexample never shrinks to lambda = 0.
rc::Gen<TrainingRun> runs_with_weight_decay() {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {2, 3, 2};
  return rc::gen::suchThat(gen::training_run(shape), [](const TrainingRun& run) { return run.lambda != 0; });
}

Rational charge(const TrainingRun& run, const Vec<Rational>& theta) {
  const Layout layout = make_model<Rational>(run.spec)->layout();
  return layout.view(theta, layout.index("W1")).squaredNorm() - layout.view(theta, layout.index("W2")).squaredNorm();
}

// Delta after the run's last step, and what the conjecture says of it: (1 - eta lambda)^(2T) Delta_0.
Rational final_charge(const TrainingRun& run) { return charge(run, trajectory<Rational>(run).back().next); }
Rational pure_decay(const TrainingRun& run) {
  const Rational decay = 1 - run.eta * run.lambda;
  Rational factor = 1;
  for (int t = 0; t < run.steps(); ++t) factor *= decay * decay;
  return factor * charge(run, run.theta0);
}

}  // namespace

ENTROPIC_CLAIM(U2) {
  return Claim::negative_control("U2", "Delta decays by (1 - eta lambda)^2 exactly")
      .part("decay", "Delta_T = (1 - eta lambda)^(2T) Delta_0", runs_with_weight_decay())
          .observe(final_charge)
          .predict(pure_decay)
          // Zero gradients at every step (x = 0, or W = 0): then Delta does decay purely.
          .degenerate("g = 0 at every step", [](const TrainingRun& run) {
            for (const RunStep<Rational>& s : trajectory<Rational>(run))
              if (s.g.squaredNorm() != 0) return false;
            return true;
          });
}
