// N2 — "A scalar phi_2 exists (the h^2 field is a gradient) in dimension >= 2" (catalog section 3,
// negative control).
//
// The h^2 term of GD's modified field (catalog E1) is
//     f_3 = -1/12 T[g, g] - 1/3 H^2 g = -1/12 grad(g^T H g) - 1/6 H^2 g,   g = grad L_lambda,
// and H^2 g is not a gradient: its Jacobian T[H g] + H T[g] + H^3 (T[v]_{jl} = sum_k T_jkl v_k) has
// the antisymmetric part of H T[g], so
//     curl f_3 = d_1 (f_3)_2 - d_2 (f_3)_1 = -1/6 [H, T[g]]_21,
// generically nonzero. A quadratic (T = 0), a separable loss (H and T[g] diagonal, they commute) and
// one variable cannot falsify the claim: the generator (gen/gd_points.hpp) always puts a mixed
// cubic term in the polynomial loss on theta_1, theta_2, or the check would be vacuous.
//
// The claim stated below is the wrong one: "the Jacobian of f_3 is symmetric". Its entries are
// directional derivatives of f_3 read off GD's orbit (gradient_descent_modified_field_derivative,
// theory/modified_field_from_orbit.hpp): the orbit from theta0 + e v on dual series, and Gregory's
// formula on its tangents. No differences, no jets in all the parameters: the cost is 3 GD steps
// per direction, so the claim runs on the 200-variable losses of `--profile large`
// (gen/gd_points.hpp keeps the mixed cubic on theta_1, theta_2), and a nonzero curl is exact.
// The suite passes when the claim is falsified. Guards T1 (only the first order of the entropic
// loss is a loss) and E1.
#include "entropic/theory/modified_field_from_orbit.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/gd_points.hpp"

namespace entropic {
namespace {

constexpr const char* kCurl = "curl f_3 = d_1 (f_3)_2 - d_2 (f_3)_1";

// d/de f_3(theta0 + e e_k), from GD's orbit on dual series.
Vec<Rational> h2_field_derivative(const GdPoint& p, Eigen::Index k) {
  const Vec<Rational> e_k = Vec<Rational>::Unit(p.theta0.size(), k);
  return gradient_descent_modified_field_derivative(p.spec, p.data, p.theta0, p.lambda, e_k, 2)[2];
}

Quantities<Rational> curl_of_h2_field(const GdPoint& p) {
  const Vec<Rational> along_1 = h2_field_derivative(p, 0), along_2 = h2_field_derivative(p, 1);
  return {{kCurl, Rational(along_1[1] - along_2[0])}};
}

// The wrong claim: f_3 is a gradient, so its curl is 0.
Quantities<Rational> curl_vanishes(const GdPoint&) { return {{kCurl, Rational(0)}}; }

}  // namespace

ENTROPIC_CLAIM(N2) {
  return Claim::negative_control("N2", "A scalar phi_2 exists (the h^2 field is a gradient) in dimension >= 2")
      .part("curl", "curl of the h^2 field vanishes", gen::gd_point(gen::sized_polynomial_loss()))
          .observe(curl_of_h2_field)
          .predict(curl_vanishes)
          .degenerate("curl 0 at the point (a quadratic or separable loss there): the instance cannot refute",
                      [](const GdPoint& p) { return curl_of_h2_field(p).front().value == 0; });
}

}  // namespace entropic
