// N1 — "GD conserves the gradient-flow Noether charge" (catalog section 3, negative control).
//
// Gradient flow at lambda = 0 conserves Q_A = theta^T A theta for every symmetry l(e^{sA} theta) =
// l(theta). Full-batch GD does not: one step moves it by exactly
//     Q_A(theta') - Q_A(theta) = eta^2 g^T A g,
// which is O(eta) over a fixed time horizon (catalog N1; the law of T5 and T8 at lambda = 0).
// Counterexamples this control must find:
//   f = u w x, Delta = u^2 - w^2: one GD step with Delta_0 != 0 and r = mean (u w x_i - y_i) x_i != 0
//     moves Delta by exactly -eta^2 r^2 Delta_0;
//   scale symmetry (l = 1/2 ((x^T theta)^2/||theta||^2 - y)^2): ||theta||^2 grows by eta^2 ||g||^2.
// The claim stated below is the wrong one; the suite passes when it is falsified exactly.
// Instances on which GD conserves the charge trivially (r_t = 0 or Delta_t = 0 at every step for u w x,
// g_t = 0 at every step under scale symmetry) are excluded by the generators: every instance falsifies.
// Guards T5, T6, T8, E5.
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "support/charge_steps.hpp"

namespace entropic {
namespace {

// The scale-invariant l = 1/2 ((x^T theta)^2 / ||theta||^2 - y)^2 in d <= 3, under GD.
gen::RunShape cosine_square_gd() {
  gen::RunShape shape;
  shape.kind = ModelKind::cosine_square;
  shape.min_widths = {1, 1};
  shape.max_widths = {3, 1};
  shape.max_samples = 4;
  return gen::gradient_descent(shape);
}

// f = u w x with u = W1 (the layer the action (u, w) -> (s u, w / s) scales up) and w = W2:
// Delta = u^2 - w^2 is the layer-rescaling charge ||W1||^2 - ||W2||^2.
Symmetry<Rational> rescaling_charge(const TrainingRun& run) {
  const auto model = make_model<Rational>(run.spec);
  return layer_rescaling<Rational>(model->layout(), 0, -1, 1, Rational(2));
}
Symmetry<Rational> scale_charge(const TrainingRun& run) {
  const auto model = make_model<Rational>(run.spec);
  return scale_symmetry<Rational>(model->layout(), Rational(2));
}

// Q(theta_{t+1}) observed at every GD step, and the wrong claim's prediction Q(theta_{t+1}) = Q(theta_t).
template <Symmetry<Rational> (*charge)(const TrainingRun&)>
Charges charge_after_each_step(const TrainingRun& run) {
  return charges_along(run, {charge(run)}, charge_after_step);
}
template <Symmetry<Rational> (*charge)(const TrainingRun&)>
Charges charge_conserved(const TrainingRun& run) {
  return charges_along(run, {charge(run)},
                       [](const Symmetry<Rational>& sym, const RunStep<Rational>& s) { return sym.charge(s.theta); });
}

// g_t = 0 at every step: nothing moves.
bool no_gradient_throughout(const TrainingRun& run) {
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    if (!s.g.isZero(0)) return false;
  return true;
}

}  // namespace

ENTROPIC_CLAIM(N1) {
  return Claim::negative_control("N1", "GD conserves the gradient-flow Noether charge")
      .part("rescaling", "rescaling charge of u w x", gen::gd_moving_charge())
          .observe(charge_after_each_step<rescaling_charge>)
          .predict(charge_conserved<rescaling_charge>)
          .degenerate("Delta_{t+1} = Delta_t at every step (r_t = 0 or Delta_t = 0)", gen::rescaling_charge_frozen)
          .nondegenerate("gen::gd_moving_charge() filters such runs out (suchThat)")
      .part("scale", "scale charge of cosine_square",
            gen::excluding(gen::training_run(cosine_square_gd()), no_gradient_throughout))
          .observe(charge_after_each_step<scale_charge>)
          .predict(charge_conserved<scale_charge>)
          .degenerate("g_t = 0 at every step", no_gradient_throughout)
          .nondegenerate("such runs are filtered out (suchThat)")
          .feature("dimension", [](const TrainingRun& r) { return r.spec.widths[0]; });
}

}  // namespace entropic
