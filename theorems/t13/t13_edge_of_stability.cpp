// T13 — Limits of the first-order theory; edge of stability (catalog T13).
//
// (1) Quadratic loss 1/2 z^T H z. GD multiplies the component along an eigenvector e (H e = lambda e)
//     by 1 - eta lambda. For eta lambda < 1 this is exactly the time-eta flow of 1/2 z^T K z with
//         K = -log(1 - eta lambda) / eta = lambda (1 + eta lambda/2) + O(eta^2),
//     and the relative error of the first-order rate, rel = (K - lambda(1 + eta lambda/2)) / K,
//     satisfies, with a = eta lambda in (0, 1) and -log(1 - a) = sum_n a^n / n,
//         a^2 (1 - a) / 3 < rel < a^2 / (3 (1 - a)),                                    (near 0)
//     while at a = 1 - 2^-k, where -log(1 - a) = k log 2 and log 2 > 2/3,
//         rel = 1 - a (1 + a/2) / (k log 2) > 1 - 9 / (4 k)  -> 1.                      (near 1)
//     For 1 < eta lambda < 2, GD converges (|z| shrinks) while e^T z flips sign every step. No real
//     flow can do that: exp(-eta K) is positive definite for every real symmetric K, so
//     z_0^T exp(-eta K) z_0 > 0, whereas GD gives z_0^T z_1 < 0 for z_0 = e.
// (2) At a stationary point of L, grad phi_1 = grad 1/4 ||grad L||^2 = 1/2 H grad L = 0: full-batch GD
//     feels no entropic force at a minimum. On the label-noise manifold W2 W1 = V of a deep linear net
//     (product data, sum eps = 0) the per-sample gradient covariance keeps a force: with
//     Tr C = E||grad l_i||^2 - ||grad L||^2 and r_i = -eps on the manifold,
//         grad_{W1} Tr C = 2 Tr(Sigma_eps) W1 Sigma_x,   grad_{W2} Tr C = 2 E||x||^2 Sigma_eps W2,
//     (Sigma_x = E x x^T, Sigma_eps = E eps eps^T), nonzero whenever W1 != 0 and Sigma_x > 0.
//     All derivatives are exact forward-mode derivatives over Dual<Rational>.
//     With weight decay (catalog T13 (2)): L_lambda = L + lambda/2 ||theta||^2, phi_1 = 1/4 ||grad L_lambda||^2
//     (on the loss the step uses, catalog section 0) and H_lambda = H + lambda I give
//         grad phi_1 = 1/2 H_lambda grad L_lambda   at every theta,  = 0 at a stationary point of L_lambda,
//     checked at exact stationary points of deep linear nets (stationary_points.hpp).
// (1, matrix form) For a non-diagonal H = R diag(lambda) R^T (R a rational Cayley rotation) with every
//     eta lambda_i in (0, 1), K = -log(I - eta H)/eta = R diag(-log(1 - eta lambda_i)/eta) R^T and GD is
//     the time-eta flow of 1/2 z^T K z: exp(-eta K) = I - eta H, so z_t = exp(-t eta K) z_0. exp is
//     evaluated on the interval matrix K by its Taylor series with a rigorous remainder
//     (numeric/interval_expm.hpp), independently of the eigen-decomposition that defined K.
//
// Files: t13_quadratic.cpp (1), t13_minimum.cpp (2), t13_parts.hpp (their instances and functions).
#include "t13/t13_parts.hpp"

namespace entropic {

ENTROPIC_CLAIM(T13) {
  using namespace t13;
  const auto delta_zero = [](const auto& m) { return m.delta.isZero(0); };
  return Claim("T13", "Limits of the first-order theory; edge of stability")
      .provenance(Provenance::paper)
      .kind("exact identity; exact at an optimum")
      .part("sign-flip", "1 < eta lambda < 2: sign flip while |z| shrinks", quadratics())
          .check(sign_flip)
          .mutant("real-flow", "a real flow matches GD at 1 < eta lambda < 2 (e^T z_1 / e^T z_0 > 0)", real_flow_sign)
          .degenerate("e^T z_0 = 0 (no component along the edge-of-stability direction)",
                      [](const Quadratic& q) { return q.e().dot(q.z0) == 0; })
          .nondegenerate("the generator draws eta lambda_0 in (1, 2) and a nonzero component of z_0 along e")
          .feature("n", [](const Quadratic& q) { return static_cast<int>(q.z0.size()); })
          .feature("steps", [](const Quadratic& q) { return q.steps; })
      .part("rate", "eta lambda < 1: exp(-eta K) = 1 - eta lambda, first-order relative error ~ a^2/3, certified",
            rates_below_one())
          .check(modified_rate)
          .mutant("first-order-rate", "the first-order rate is exact (K = lambda (1 + eta lambda/2))",
                  first_order_rate_exact)
          .degenerate("eta lambda = 0 (every rate is 0)", [](const Rate& r) { return r.a == 0; })
          .nondegenerate("the generator draws eta lambda = p/(p + q) in (0, 1)")
          .feature("eta lambda >= 1/2", [](const Rate& r) { return r.a >= Rational(1, 2); })
      .part("near-one", "relative error -> 1 as eta lambda -> 1, certified", near_one())
          .check(rate_near_one)
          .nondegenerate("no mutant; eta lambda = 1 - 2^-k with k in [1, 60], each a distinct point of the limit")
          .feature("k > 30", [](const NearOne& n) { return n.k > 30; })
      .part("matrix-form", "matrix form: exp(-eta K) = I - eta H for non-diagonal H, K = -log(I - eta H)/eta, certified",
            matrix_quadratics())
          .observe(gd_steps)
          .predict(flow_of_modified_matrix)
          .mutant("first-order-matrix", "the first-order matrix is exact (K = H + eta/2 H^2)", flow_of_first_order_matrix)
          .compare(compare_at_certified_precision)
          .degenerate("H diagonal (the matrix form reduces to scalar rates)", [](const MatrixQuadratic& q) {
            const Mat<Rational> H = q.H();
            return Mat<Rational>(H - Mat<Rational>(H.diagonal().asDiagonal())).isZero(0);
          })
          .nondegenerate("the generator draws a rotation that is not a signed permutation, so H is not diagonal")
          .feature("n", [](const MatrixQuadratic& q) { return static_cast<int>(q.z0.size()); })
          .feature("z_0 = 0", [](const MatrixQuadratic& q) { return q.z0.isZero(0); })
      .part("no-force", "no entropic force for GD at a minimum (with and without label noise)", noise_manifolds())
          .observe(gradients_at_minimum)
          .predict(no_force_at_minimum)
          .mutant("force-at-minimum", "GD feels an entropic force at a minimum (grad phi_1 = 1/4 grad Tr C != 0)",
                  label_noise_force_for_gd)
          .degenerate("delta = 0 (the off-minimum check is at the minimum)", delta_zero)
          .nondegenerate("sigma > 0, W1 != 0 and delta != 0 by construction")
          .feature("widths", [](const NoiseManifold& m) {
            return std::to_string(m.spec.widths[0]) + "-" + std::to_string(m.spec.widths[1]) + "-" +
                   std::to_string(m.spec.widths[2]);
          })
      .part("label-noise", "label noise: grad Tr C != 0 on the manifold", noise_manifolds())
          .check(label_noise_force)
          .degenerate("sigma = 0 or W1 = 0 (no label-noise force)",
                      [](const NoiseManifold& m) {
                        return m.sigma == 0 || make_model<Rational>(m.spec)->layout().view(m.theta, 0).isZero(0);
                      })
          .nondegenerate("sigma > 0 and W1 != 0 by construction")
      .part("weight-decay", "weight decay: grad phi_1 = 1/2 H_lambda grad L_lambda, = 0 at a stationary point of L_lambda",
            decayed_minima())
          .observe(forces_with_weight_decay)
          .predict(weight_decay_law)
          .mutant("bare-hessian", "H in place of H_lambda (grad phi_1 = 1/2 H grad L_lambda off the stationary point)",
                  hessian_without_decay)
          .mutant("phi1-of-l", "phi_1 of L, not L_lambda, feels no force at a stationary point of L_lambda",
                  phi1_of_L_at_rest)
          .degenerate("delta = 0 (the off-point check is at the stationary point, where H and H_lambda agree)", delta_zero)
          .nondegenerate("lambda > 0 and delta != 0 by construction")
          .feature("depth", [](const DecayedMinimum& m) { return static_cast<int>(m.point.spec.widths.size()) - 1; });
}

}  // namespace entropic
