// N4 — "Rescaling is an equivariance of SGD" (catalog N4; a negative control, guards T4 and T5).
//
// The wrong claim: for a positively homogeneous net, the SGD step from the rescaled point
// (su, w/s) is the rescaled step, step(g theta) = g step(theta). It fails because the gradient
// transforms with g^{-T}, not g (catalog T4(a)): from (su, w/s) the u-update is su - (eta/s) g_u,
// not s (u - eta g_u), a gap of exactly eta g_u (s - 1/s) in the u-block and eta g_w (1/s - s) in
// the w-block, weight decay cancelling (tests/symmetry/rescaling_gap_test.cpp checks the gap formula exactly).
// The runner must find a certified (exact) counterexample and shrink it to a small net.
#include "entropic/theory/equivariance.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/symmetric_run.hpp"

namespace entropic {
namespace {

// One step from g theta, and the wrong prediction: g applied to one step from theta.
TwinIterates<Rational> one_step_twins(const RescaledRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  return twin_runs<Rational>(*model, r.run.data, r.run.batches, r.run.config(), r.run.theta0, r.g().M).front();
}
Vec<Rational> step_from_rescaled_point(const RescaledRun& r) { return one_step_twins(r).tilde; }
Vec<Rational> rescaled_step(const RescaledRun& r) { return one_step_twins(r).image; }

}  // namespace

ENTROPIC_CLAIM(N4) {
  return Claim::negative_control("N4", "Rescaling is an equivariance of SGD")
      .part("rescaled-step", "rescaled step", gen::rescaled_single_steps())
          .observe(step_from_rescaled_point)
          .predict(rescaled_step)
          // The gap is eta g_u (s - 1/s) and eta g_w (1/s - s): nothing at s = 1 or g = 0.
          .degenerate("s = 1 or g_0 = 0: the step commutes with the rescaling", [](const RescaledRun& r) {
            const auto model = make_model<Rational>(r.run.spec);
            return r.s == 1 || (model->gradient(r.run.theta0, r.run.data, r.run.batches.front()).array() == Rational(0)).all();
          })
          .feature("s > 1", [](const RescaledRun& r) { return r.s > 1; });
}

}  // namespace entropic
