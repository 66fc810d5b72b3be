// N3 — "The GL matrix law holds for ReLU nets" (catalog N3; a negative control, guards T7, T11).
//
// The wrong claim: T7's law M_{t+1} = (1 - eta lambda)^2 M_t + eta^2 (G_U^T G_U - G_W G_W^T) for
// M = U^T U - W W^T across a ReLU. Per sample (G_U^T U - W G_W^T)_ij = z_i (U^T r)_j (s_i - s_j) with
// s = relu'(z): GL is not a symmetry once a nonlinearity sits between W and U, and the law's cross
// term, the symmetric part of this matrix, survives at O(eta). A counterexample needs unit i active,
// unit j inactive and z_i (U^T r)_j != z_j (U^T r)_i; its off-diagonal residual is exact and nonzero,
// while the diagonal (the neuron law, T5) holds exactly.
// Away from the kink: the generator keeps every hidden pre-activation of every sample a step uses
// nonzero, at every step (and through shrinking), so no counterexample depends on the convention
// relu'(0) = 0; it also draws 2 or 3 hidden units and excludes runs whose units all share one activity
// pattern (all active or all inactive for every sample a step uses), on which the law holds.
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "support/charge_steps.hpp"

namespace entropic {
namespace {

// x -> relu(W1 x (+ b1)) -> W2: widths up to 3 -> 3 -> 2, shrinking toward 1 -> 2 -> 1.
gen::RunShape relu_net(bool bias) {
  gen::RunShape shape;
  shape.min_widths = {1, 2, 1};
  shape.max_widths = {3, 3, 2};
  shape.activations = {ActivationKind::relu};
  shape.bias = bias;
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

// The GL charge M = U^T U - W W^T of (W1, b1 | W2), every entry.
std::vector<Symmetry<Rational>> gl_charge(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  const int h = run.spec.widths[1];
  return {gl_symmetry<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1), mlp.weight_block(2),
                                Mat<Rational>::Identity(h, h))};
}

// M_{t+1} observed at every step, and the wrong claim's (1 - eta lambda)^2 M_t + eta^2 (G_U^T G_U - G_W G_W^T).
Charges observed_charge(const TrainingRun& run) { return charges_along(run, gl_charge(run), charge_after_step); }
Charges gl_law(const TrainingRun& run) { return charges_along(run, gl_charge(run), charge_law(run, run.lambda)); }

// Every sample a step uses has all its hidden units active, or all inactive (s_i = s_j): the cross
// term z_i (U^T r)_j (s_i - s_j) vanishes and the law holds. (At a pre-activation 0 the activity would
// be relu'(0)'s convention: such runs are excluded first.)
bool one_activity_pattern(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    for (int i : run.batches[s.t]) {
      const Vec<Rational> z = mlp.forward(s.theta, Vec<Rational>(run.data.X.row(i).transpose())).z[1];
      for (Eigen::Index k = 1; k < z.size(); ++k)
        if ((z[k] > 0) != (z[0] > 0)) return false;
    }
  return true;
}

// ReLU runs off the kink with mixed activity.
rc::Gen<TrainingRun> relu_runs(bool bias) {
  return gen::excluding(gen::training_run(relu_net(bias)), either(touches_a_kink, one_activity_pattern));
}

}  // namespace

ENTROPIC_CLAIM(N3) {
  return Claim::negative_control("N3", "The GL matrix law holds for ReLU nets")
      .part("gl-law", "GL law across a ReLU", relu_runs(false))
          .observe(observed_charge)
          .predict(gl_law)
          .degenerate("a pre-activation on the kink", touches_a_kink)
          .degenerate("one activity pattern for every sample", one_activity_pattern)
          .nondegenerate("such runs are filtered out (suchThat), and the hidden layer has 2 or 3 units")
      .part("gl-law-bias", "GL law across a ReLU, with bias", relu_runs(true))
          .observe(observed_charge)
          .predict(gl_law)
          .degenerate("a pre-activation on the kink", touches_a_kink)
          .degenerate("one activity pattern for every sample", one_activity_pattern)
          .nondegenerate("such runs are filtered out (suchThat), and the hidden layer has 2 or 3 units");
}

}  // namespace entropic
