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
#include "entropic/theory/n_step.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/polynomial_start.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

struct UncorrectedSteps {
  PolynomialStart start;
  int n = 2;
  std::string show() const { return start.show() + "; n = " + std::to_string(n); }
};

// A polynomial loss of the given degree, n in {2, 3, 5}.
rc::Gen<UncorrectedSteps> uncorrected_steps(PolynomialDegree degree) {
  return rc::gen::exec([degree]() {
    return UncorrectedSteps{*gen::polynomial_start(degree),
                            *rc::gen::elementOf(std::vector<int>{2, 3, 5})};
  });
}

// The wrong claim: n steps theta <- theta - (eta/n) grad l_lambda equal theta - eta grad l_lambda
// through eta^2.
Verdict uncorrected_order_three(const UncorrectedSteps& in) {
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(3);
  const DataSet<Ser> data = p.data<Ser>();
  const Vec<Ser> theta = from_rational<Ser>(p.theta);
  const Ser lambda(p.lambda);
  const Mat<Ser> Lambda = Mat<Ser>(Mat<Ser>::Identity(theta.size(), theta.size())) * eta;
  const Vec<Ser> n_steps = n_step_map<Ser>(p.spec, data, p.batch(), lambda, Lambda, Ser(0), in.n, theta);
  const auto model = make_model<Ser>(p.spec);
  const Vec<Ser> gd_step = theta - eta * (model->gradient(theta, data, p.batch()) + lambda * theta);
  return order_claim(Vec<Ser>(n_steps - gd_step), 3,
                     "n = " + std::to_string(in.n) + " plain steps: theta'_n - (theta - eta g)");
}

std::string show(const UncorrectedSteps& in) { return in.show(); }

}  // namespace

ENTROPIC_CLAIM(N8) {
  return Claim("N8", "The uncorrected n-step map (phi = l) is accurate to O(eta^3)")
      .provenance(Provenance::negative_control)
      .kind("must be falsified")
      .expect(Expectation::fails)
      .part("n plain steps of eta/n = one GD step + O(eta^3)",
            uncorrected_steps(PolynomialDegree::at_most_cubic), uncorrected_order_three, show)
      .part("the same on quadratic losses", uncorrected_steps(PolynomialDegree::quadratic),
            uncorrected_order_three, show);
}

}  // namespace entropic
