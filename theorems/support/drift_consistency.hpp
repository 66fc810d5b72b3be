// The exact checks that a limiting drift (theory/limiting_drift.hpp) is consistent at a rational point,
// shared by T11 part (c), which reports them, and N9, which refuses to count a falsification without
// them: H S + S H = Sigma; for every hidden layer i the force from the second derivatives of P equal
// to tr(Lambda_X S H) from the orbit's action; the catalog's R_i against the noise covariance,
// -1/2 tr(Lambda_X Sigma) = 1/2 R_i; and the symmetric part of the force equal to the entropic force
// -1/2 R_i (true for every Sigma_eps: the proof is in limiting_drift.hpp).
#pragma once

#include <string>
#include <vector>

#include "entropic/theory/limiting_drift.hpp"
#include "entropic/theory/platonic.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/label_noise_points.hpp"

namespace entropic {

inline std::vector<Verdict> drift_consistency(const gen::DriftInstance& p, const LimitingDrift<Rational>& d) {
  std::vector<Verdict> out{compare<Rational>(d.lyapunov_residual, Rational(0), "H S + S H = Sigma (Lyapunov)")};
  for (int i = 1; i < p.net.depth(); ++i) {
    const Mat<Rational> F = d.force[i - 1], R = orbit_gradient<Rational>(p.net, p.sigma_x, p.sigma_eps, i);
    const ActionForces<Rational> action = orbit_force_from_action(p.net, d, i);
    const std::string layer = std::to_string(i);
    out.push_back(compare_entries<Rational>(F, action.force, "F_" + layer + " = tr(Lambda_X S H)"));
    out.push_back(compare_entries<Rational>(action.phi1_derivative, Mat<Rational>(R / 2),
                                            "-1/2 tr(Lambda_X Sigma) = 1/2 R_" + layer));
    out.push_back(compare_entries<Rational>(Mat<Rational>((F + F.transpose()) / 2), Mat<Rational>(-R / 2),
                                            "sym F_" + layer + " = -1/2 R_" + layer));
  }
  return out;
}

}  // namespace entropic
