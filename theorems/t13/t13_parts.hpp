// T13's instances, observations, predictions and checks (the claim: t13_edge_of_stability.cpp;
// (1) the quadratic case: t13_quadratic.cpp; (2) forces at a minimum: t13_minimum.cpp).
#pragma once

#include <string>
#include <utility>

#include "entropic/gen/generators.hpp"
#include "entropic/gen/stationary_points.hpp"
#include "entropic/gen/training_run.hpp"
#include "entropic/verify/claim.hpp"

namespace entropic::t13 {

// Precision of the certified parts.
inline constexpr unsigned kCertifiedBits = 256;

// ---- (1) the quadratic case ----------------------------------------------------------------------

// H = R diag(lambda) R^T with rational rotation R; eta lambda_0 = a in (1, 2) (the edge-of-stability
// direction e = R e_0), every other eta lambda_i in (0, 2); z_0 has a nonzero component along e.
struct Quadratic {
  int parameter_count() const { return static_cast<int>(z0.size()); }
  Rational eta;
  Mat<Rational> R;
  Vec<Rational> eta_lambda;  // eta lambda_i
  Vec<Rational> z0;
  int steps = 1;
  Mat<Rational> H() const { return R * Mat<Rational>((eta_lambda / eta).asDiagonal()) * R.transpose(); }
  Vec<Rational> e() const { return R.col(0); }
  std::string show() const;
};
rc::Gen<Quadratic> quadratics();
Verdict sign_flip(const Quadratic& q);
Verdict real_flow_sign(const Quadratic& q);  // mutant

// eta and a = eta lambda in (0, 1).
struct Rate {
  Rational eta, a;
  std::string show() const;
};
rc::Gen<Rate> rates_below_one();
Verdict modified_rate(const Rate& r);
Verdict first_order_rate_exact(const Rate& r);  // mutant

// eta lambda = 1 - 2^-k.
struct NearOne {
  int k = 1;
  std::string show() const { return "eta lambda = 1 - 2^-" + std::to_string(k); }
};
rc::Gen<NearOne> near_one();
Verdict rate_near_one(const NearOne& n);

// H = R diag(lambda) R^T with R the Cayley rotation of a skew generator whose entry (0, 1) is k, |k| > 1
// (so R is not a signed permutation in dimension 2), and eta lambda_i in (0, 1), strictly decreasing
// (eta lambda_i = eta lambda_{i-1} times a fraction in (0, 1)); H is drawn non-diagonal.
struct MatrixQuadratic {
  int parameter_count() const { return static_cast<int>(z0.size()); }
  Rational eta;
  Mat<Rational> R;
  Vec<Rational> eta_lambda;
  Vec<Rational> z0;
  int steps = 1;
  Mat<Rational> H() const { return R * Mat<Rational>((eta_lambda / eta).asDiagonal()) * R.transpose(); }
  std::string show() const;
};
rc::Gen<MatrixQuadratic> matrix_quadratics();
// The GD step matrix I - eta H and the iterates z_1 .. z_T (enclosed at kCertifiedBits), and R^T R.
using StepsAndRotation = std::pair<Quantities<Mat<Interval>>, Mat<Rational>>;
StepsAndRotation gd_steps(const MatrixQuadratic& q);
// The time-eta flow of 1/2 z^T K z: exp(-eta K) and exp(-t eta K) z_0, certified; and I for R^T R.
StepsAndRotation flow_of_modified_matrix(const MatrixQuadratic& q);      // K = -log(I - eta H)/eta
StepsAndRotation flow_of_first_order_matrix(const MatrixQuadratic& q);   // K = H + eta/2 H^2 (mutant)
Verdict compare_at_certified_precision(const StepsAndRotation& observed, const StepsAndRotation& predicted,
                                       const std::string& what);

// ---- (2) no entropic force at a minimum; label noise keeps one -------------------------------------

// f = W2 W1 x, product data {x_j} x {eps_m} with targets V x + eps, V = W2 W1, so theta = (W1, W2)
// lies on the label-noise manifold. The x_j contain the unit vectors (Sigma_x > 0); the noise is
// {+sigma e_k, -sigma e_k}; W1 != 0. `delta` is a displacement for the off-minimum identity check.
struct NoiseManifold {
  ModelSpec spec;
  DataSet<Rational> data, clean;  // clean: the same inputs with targets V x (interpolating)
  Vec<Rational> theta, delta;
  Rational sigma;
  std::string show() const;
};
rc::Gen<NoiseManifold> noise_manifolds();
Quantities<Vec<Rational>> gradients_at_minimum(const NoiseManifold& m);
Quantities<Vec<Rational>> no_force_at_minimum(const NoiseManifold& m);
Quantities<Vec<Rational>> label_noise_force_for_gd(const NoiseManifold& m);  // mutant
Verdict label_noise_force(const NoiseManifold& m);

// An exact stationary point of L_lambda (lambda > 0) of a deep linear net and a displacement.
struct DecayedMinimum {
  StationaryPoint point;
  Vec<Rational> delta;
  std::string show() const { return point.show() + ", delta = " + gen::show(delta); }
};
rc::Gen<DecayedMinimum> decayed_minima();
Quantities<Vec<Rational>> forces_with_weight_decay(const DecayedMinimum& m);
Quantities<Vec<Rational>> weight_decay_law(const DecayedMinimum& m);
Quantities<Vec<Rational>> hessian_without_decay(const DecayedMinimum& m);  // mutant
Quantities<Vec<Rational>> phi1_of_L_at_rest(const DecayedMinimum& m);      // mutant

}  // namespace entropic::t13
