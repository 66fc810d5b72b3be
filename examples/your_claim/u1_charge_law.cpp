// U1 — the layer-rescaling charge of f = W2 W1 x moves by an exact law under SGD with weight decay.
//
// l(s W1, W2 / s) = l(W1, W2) for every sample, so Delta = ||W1||^2 - ||W2||^2 obeys, for one step
// theta' = theta - eta (g + lambda theta) with batch gradient g = (g1, g2),
//     Delta' = (1 - eta lambda)^2 Delta + eta^2 (||g1||^2 - ||g2||^2)
// exactly: the cross terms -2 eta (1 - eta lambda) (<W1, g1> - <W2, g2>) cancel because the
// symmetry makes <W1, g1> = <W2, g2> (the catalog's T5, written here from scratch).
#include <entropic/entropic.hpp>

#include <algorithm>

using namespace entropic;

namespace {

// f = W2 W1 x, widths up to [2, 3, 2], 1 to 3 steps of SGD with batches of up to 3 of 6 samples and
// weight decay lambda > 0: at lambda = 0 every power of the decay factor is 1, so those runs cannot
// tell the law from the slip below (suchThat keeps lambda > 0 through shrinking too). Every number
// is an exact rational.
rc::Gen<TrainingRun> deep_linear_runs() {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {2, 3, 2};
  return rc::gen::suchThat(gen::training_run(shape), [](const TrainingRun& run) { return run.lambda != 0; });
}

// ||W1||^2 - ||W2||^2 of a flat parameter vector (the model's layout: blocks W1, W2).
Rational charge(const TrainingRun& run, const Vec<Rational>& theta) {
  const Layout layout = make_model<Rational>(run.spec)->layout();
  return layout.view(theta, layout.index("W1")).squaredNorm() - layout.view(theta, layout.index("W2")).squaredNorm();
}

// What SGD does: Delta after every step.
Quantities<Rational> charge_after_each_step(const TrainingRun& run) {
  Quantities<Rational> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    out.push_back({"Delta after step " + std::to_string(s.t), charge(run, s.next)});
  return out;
}

// What the law says with the decay factor to the power `power`: (1 - eta lambda)^power Delta +
// eta^2 (||g1||^2 - ||g2||^2). The law has power 2; a plausible slip enters the decay once.
auto charge_law(int power) {
  return [power](const TrainingRun& run) {
    Quantities<Rational> out;
    Rational decay = 1;
    for (int k = 0; k < power; ++k) decay *= 1 - run.eta * run.lambda;
    for (const RunStep<Rational>& s : trajectory<Rational>(run))
      out.push_back({"Delta after step " + std::to_string(s.t),
                     Rational(decay * charge(run, s.theta) + run.eta * run.eta * charge(run, s.g))});
    return out;
  };
}

}  // namespace

ENTROPIC_CLAIM(U1) {
  return Claim("U1", "Rescaling charge of f = W2 W1 x: exact law under SGD with weight decay")
      .provenance(Provenance::derived)
      .kind("exact identity")
      .part("law", "Delta' = (1 - eta lambda)^2 Delta + eta^2 (|g1|^2 - |g2|^2)", deep_linear_runs())
          .observe(charge_after_each_step)
          .predict(charge_law(2))
          .mutant("decay-once", "weight decay to the first power", charge_law(1))
          // Delta = 0 before every step: the decay factor multiplies 0, whatever its power.
          .degenerate("Delta = 0 before every step", [](const TrainingRun& run) {
            for (const RunStep<Rational>& s : trajectory<Rational>(run))
              if (charge(run, s.theta) != 0) return false;
            return true;
          })
          .feature("layers of width 1", [](const TrainingRun& run) {
            return int(std::count(run.spec.widths.begin() + 1, run.spec.widths.end(), 1));
          });
}
