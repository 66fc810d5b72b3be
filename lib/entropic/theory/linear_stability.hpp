// Linear stability of the optimizers on a quadratic (catalog E4), exact in Rational.
//
// On l = a/2 theta^2 with weight decay lambda, write x = eta (a + lambda) (eta times the curvature of
// l_lambda). The iterates satisfy a linear recurrence whose characteristic polynomial is
//
//   GD          r - (1 - x)                                        (taken as r^2 - (1 - x) r)
//   heavy ball  r^2 - (1 + beta - x) r + beta
//   Nesterov    r^2 - (1 - x)(1 + beta) r + (1 - x) beta           (PyTorch's form, catalog section 0)
//
// and the iteration is stable iff every root lies in the open unit disc. For r^2 + a1 r + a0 with real
// coefficients the Jury (Schur-Cohn) test decides it:
//
//   both roots in |r| < 1   iff   |a0| < 1  and  |a1| < 1 + a0.
//
// The thresholds it gives for beta in [0, 1):  GD 0 < x < 2,  heavy ball 0 < x < 2 + 2 beta,
// Nesterov 0 < x < (2 + 2 beta)/(1 + 2 beta).
//
// SGD in mean square (catalog E4, 1-D): theta' = (1 - eta h_B) theta with h_B the batch curvature, so
// E theta'^2 = T theta^2 with T = E_B (1 - eta h_B)^2 = (1 - eta a)^2 + eta^2 s^2 kappa_S, where a and
// s^2 are the mean and variance of the per-sample curvatures h_i and kappa_S the noise factor.
//
// In d dimensions the second moment M = E theta theta^T evolves by the operator
//   T(M) = E_B[(I - eta H_B) M (I - eta H_B)] = (I - eta H) M (I - eta H) + eta^2 kappa_S E_i[(H_i - H) M (H_i - H)],
// since E_B[(H_B - H) A (H_B - H)] = kappa_S E_i[(H_i - H) A (H_i - H)] for both samplings (section 0).
#pragma once

#include <vector>

#include "entropic/numeric/kind.hpp"

namespace entropic {

// The monic quadratic r^2 + a1 r + a0.
template <class S>
struct MonicQuadratic {
  S a1, a0;
  S at(const S& r) const { return S(r * r + a1 * r + a0); }
};

// Jury's test: both roots of r^2 + a1 r + a0 strictly inside the unit circle.
template <class S>
bool jury_stable(const MonicQuadratic<S>& p) {
  using std::abs;
  return abs(p.a0) < S(1) && abs(p.a1) < S(1) + p.a0;
}

// Where the roots are, decided without Jury's criterion: with D = a1^2 - 4 a0,
//   D < 0:  a complex pair with |r|^2 = r r* = a0, inside iff a0 < 1;
//   D >= 0: two real roots, both in (-1, 1) iff the parabola is positive at +-1 and its vertex
//           -a1/2 lies in (-1, 1) (an upward parabola with real roots is negative exactly between them).
template <class S>
bool roots_in_unit_disc(const MonicQuadratic<S>& p) {
  using std::abs;
  const S discriminant = p.a1 * p.a1 - S(4) * p.a0;
  if (discriminant < S(0)) return p.a0 < S(1);
  return p.at(S(1)) > S(0) && p.at(S(-1)) > S(0) && abs(p.a1) < S(2);
}

// GD theta' = (1 - x) theta, as r (r - (1 - x)) so that the Jury test applies.
template <class S>
MonicQuadratic<S> gd_polynomial(const S& x) {
  return {S(x - S(1)), S(0)};
}

// Heavy ball: theta_{t+1} = (1 + beta - x) theta_t - beta theta_{t-1}.
template <class S>
MonicQuadratic<S> heavy_ball_polynomial(const S& x, const S& beta) {
  return {S(-(S(1) + beta - x)), beta};
}

// Nesterov (PyTorch): theta_{t+1} = (1 - x)(1 + beta) theta_t - (1 - x) beta theta_{t-1}.
template <class S>
MonicQuadratic<S> nesterov_polynomial(const S& x, const S& beta) {
  return {S(-(S(1) - x) * (S(1) + beta)), S((S(1) - x) * beta)};
}

// The upper ends of the stability intervals 0 < x < threshold (beta in [0, 1)).
template <class S>
S gd_threshold() {
  return S(2);
}
template <class S>
S heavy_ball_threshold(const S& beta) {
  return S(S(2) + S(2) * beta);
}
template <class S>
S nesterov_threshold(const S& beta) {
  return S((S(2) + S(2) * beta) / (S(1) + S(2) * beta));
}

// T = (1 - eta a)^2 + eta^2 s^2 kappa_S: the one-step factor of E theta^2 for 1-D SGD.
template <class S>
S mean_square_factor(const S& eta, const S& mean_curvature, const S& curvature_variance,
                     const S& kappa) {
  const S contraction = S(1) - eta * mean_curvature;
  return S(contraction * contraction + eta * eta * curvature_variance * kappa);
}

// The closed form of T(M): (I - eta H) M (I - eta H) + eta^2 kappa E_i[(H_i - H) M (H_i - H)], H = E_i H_i.
template <class S>
Mat<S> mean_square_operator(const S& eta, const std::vector<Mat<S>>& per_sample_hessians, const S& kappa,
                            const Mat<S>& M) {
  const Eigen::Index d = M.rows();
  const S n(static_cast<int>(per_sample_hessians.size()));
  Mat<S> H = Mat<S>::Zero(d, d);
  for (const Mat<S>& Hi : per_sample_hessians) H += Hi;
  H /= n;
  const Mat<S> step = Mat<S>::Identity(d, d) - eta * H;
  Mat<S> noise = Mat<S>::Zero(d, d);
  for (const Mat<S>& Hi : per_sample_hessians) noise += (Hi - H) * M * (Hi - H);
  noise /= n;
  return step * M * step + eta * eta * kappa * noise;
}

}  // namespace entropic
