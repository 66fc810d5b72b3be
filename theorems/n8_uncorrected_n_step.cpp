// N8 — "The uncorrected n-step map (phi = l) is accurate to O(eta^3)" (catalog section 3, negative
// control; guards T1, T3).
//
// n plain steps of size eta/n on l_lambda give
//     theta'_n = theta - eta g + eta^2 (n-1)/(2n) H g + O(eta^3),
// so the claim fails for every n >= 2 at any point with H g != 0, even on a quadratic. T1's
// correction c_n = (n-1)/(4n) removes exactly this term. The counterexample is an exact nonzero
// eta^2 coefficient of theta'_n - (theta - eta g), computed as a power series in eta
// (Series<Rational>). Its value is checked exactly in T3 (with a matrix learning rate: (n-1)/(2n) P H P g)
// and, for P = I, on a hand-computed case in tests/claims_series.
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/verify/observation.hpp"
#include "support/n_step_series.hpp"

namespace entropic {
namespace {

// n in {2, 3, 5} on a polynomial loss of the given degree.
rc::Gen<NStepStart> uncorrected_steps(PolynomialDegree degree) { return n_step_starts(degree, {2, 3, 5}); }

// Observed: n plain steps theta <- theta - (eta/n) grad l_lambda (phi = l_lambda, c = 0).
Vec<Series<Rational>> plain_steps(const NStepStart& in) { return n_steps_series(in, Rational(0)); }
// An instance on which the wrong claim holds: the eta^2 gap (n-1)/(2n) H g vanishes.
bool plain_steps_agree(const NStepStart& in) {
  return agree_through_order(3)(plain_steps(in), gd_step_series(in), "").outcome == Outcome::holds;
}

}  // namespace

ENTROPIC_CLAIM(N8) {
  // The wrong claim: the plain steps equal theta - eta grad l_lambda through eta^2.
  return Claim::negative_control("N8", "The uncorrected n-step map (phi = l) is accurate to O(eta^3)")
      .part("plain-steps", "n plain steps of eta/n = one GD step + O(eta^3)",
            uncorrected_steps(PolynomialDegree::at_most_cubic))
          .observe(plain_steps)
          .predict(gd_step_series)
          .compare(agree_through_order(3))
          .degenerate("the plain steps agree through eta^2 (H g = 0): the instance cannot refute", plain_steps_agree)
      .part("quadratic", "the same on quadratic losses", uncorrected_steps(PolynomialDegree::quadratic))
          .observe(plain_steps)
          .predict(gd_step_series)
          .compare(agree_through_order(3))
          .degenerate("the plain steps agree through eta^2 (H g = 0): the instance cannot refute", plain_steps_agree);
}

}  // namespace entropic
