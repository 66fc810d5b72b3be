// N9 — "The phi_1-minimizer is the small-eta SGD limit for any label noise" (a negative control the
// project adds to the catalog; guards T11, whose statement says "e.g. the phi_1-minimizer, which is
// the small-eta SGD limit", and its statistical check (c)).
//
// Mechanism (theory/limiting_drift.hpp). On the time scale 1/eta^2 label-noise SGD follows the
// limiting drift on the manifold of minima (Li, Wang & Arora 2022). Its force along the GL orbit of a
// hidden layer is F_i = -1/2 R_i + Omega_i: the entropic force of phi_1 plus a skew force Omega_i that
// vanishes for isotropic noise (T11 (c)). SGD moves in the Euclidean metric of the weights, in which
// the rotations X = -X^T and the stretches X = X^T of the orbit are not orthogonal, so at a point
// where R_i = 0 the skew force still gives a velocity Xi_i with a symmetric part, and the kernel
// K_i = N_i^T N_i moves: d/dt K_i = N_i^T (Xi_i + Xi_i^T) N_i.
//
// Counterexample (exact, rational): a depth-2 net W_2 W_1 with Sigma_eps = mu W_2^{-T} W_1 Sigma_x
// W_1^T W_2^{-1} and Sigma_x on the hyperplane where R_1 = 0 (gen/label_noise_points.hpp), so
// K_1 = c Q*. The claim asks d/dt (K_1 / tr K_1) = 0 there; the exact velocity is not 0. SGD's
// time-averaged kernels indeed settle elsewhere (tests/platonic_sgd).
#include "entropic/theory/limiting_drift.hpp"
#include "entropic/theory/platonic.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "support/drift_consistency.hpp"
#include "entropic/gen/label_noise_points.hpp"

namespace entropic {
namespace {

// Before the claim is compared, the instance and the drift are checked exactly, so that a fault in the
// drift's computation cannot pass for a falsification: R_1 = 0 (phi_1-stationary), and the drift's
// consistency checks of T11 (c) (support/drift_consistency.hpp). Any of these failing makes the
// instance inconclusive. What is observed is d/dt (K_1 / tr K_1) under the limiting drift.
Mat<Rational> normalized_kernel_velocity(const gen::DriftInstance& p) {
  const Mat<Rational> R = orbit_gradient<Rational>(p.net, p.sigma_x, p.sigma_eps, 1);
  if (!(R.array() == Rational(0)).all()) throw Inconclusive("the generated point is not phi_1-stationary");
  const LimitingDrift<Rational> d = limiting_drift<Rational>(p.net, p.sigma_x, p.sigma_eps);
  if (!d.failure.empty()) throw Inconclusive(d.failure);
  const Verdict consistent = all_of(drift_consistency(p, d));
  if (consistent.outcome != Outcome::holds)
    throw Inconclusive("the drift failed its own exact checks: " + consistent.detail);
  return d.normalized_kernel_velocity[0];
}

// The claim: K_1 / tr K_1 stays at Q* / tr Q*, i.e. its velocity is 0.
Mat<Rational> kernel_at_rest(const gen::DriftInstance& p) {
  const int hidden = p.net.layout[0].rows;
  return Mat<Rational>::Zero(hidden, hidden);
}

}  // namespace

ENTROPIC_CLAIM(N9) {
  return Claim::negative_control("N9", "The phi_1-minimizer is the small-eta SGD limit for any label noise")
      .part("kernel-at-rest", "anisotropic Sigma_eps, depth 2: SGD's limiting drift keeps K_1 / tr K_1 at Q* / tr Q*",
            gen::phi1_stationary_point(gen::LabelNoise::anisotropic))
          .observe(normalized_kernel_velocity)
          .predict(kernel_at_rest)
          .degenerate("Sigma_eps proportional to I (isotropic noise: the claim holds, T11 (c))",
                      [](const gen::DriftInstance& p) {
                        return p.sigma_eps(0, 1) == 0 && p.sigma_eps(1, 0) == 0 && p.sigma_eps(0, 0) == p.sigma_eps(1, 1);
                      })
          .feature("Sigma_x diagonal", [](const gen::DriftInstance& p) { return p.sigma_x(0, 1) == 0; });
}

}  // namespace entropic
