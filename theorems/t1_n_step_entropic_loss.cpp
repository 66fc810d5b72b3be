// T1 — n-step entropic loss (catalog T1; [paper] for the construction, [derived] for c_n and the order).
//
// One GD step theta - eta g (g = grad l_lambda) is reproduced by n steps of size eta/n on
//     phi^(n) = l_lambda + eta c_n ||grad l_lambda||^2,   grad phi^(n) = g + 2 eta c_n H g,
//     c_n = (n - 1) / (4 n),
// up to O(eta^3); n = 1 is exact, and c_n -> 1/4 (implicit gradient regularization, catalog E1).
// Plain steps leave eta^2 (n-1)/(2n) H g; the correction removes it. The eta^3 residual of the
// corrected steps, from the Taylor expansion of the n Euler steps (a_n = n(n-1)/2, b_n = C(n, 3),
// d_n = n(n-1)(2n-1)/12 multiply F'F, F'F'F and F''(F, F)), is
//     (n-1)/n^2 [ (2n-1)/6 H^2 g + (n-2)/12 T[g, g] ]                       [derived]
// a mix of H^2 g and T[g, g] that is not a gradient (catalog N2): only the first order is a loss.
//
// Evidence: the iterate as an exact power series in eta (Series<Rational>, lr = eta), on a
// non-quadratic polynomial loss in two parameters with no built-in symmetry, n in {1, 2, 3, 5},
// lambda in {0, > 0}. Mutants: c_n = 1/4 for every n (eta^2 error -H g / (2n)) and
// c_n = (n-1)/(2n) (eta^2 error -(n-1)/(2n) H g). Negative control: N8 (phi = l).
#include "entropic/theory/n_step.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/polynomial_start.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

// eta^0 .. eta^3: the claim needs the coefficients through eta^2, eta^3 shows the order is sharp.
constexpr int kOrder = 3;

struct NStepInstance {
  PolynomialStart start;
  int n = 1;
  std::string show() const { return start.show() + "; n = " + std::to_string(n); }
};

rc::Gen<NStepInstance> n_step_instances(std::vector<int> ns) {
  return rc::gen::exec([ns]() {
    return NStepInstance{*gen::polynomial_start(PolynomialDegree::cubic), *rc::gen::elementOf(ns)};
  });
}

// theta'_n - (theta - eta g) as a power series in eta, for phi = l_lambda + eta c ||grad l_lambda||^2.
Vec<Ser> n_step_residual(const NStepInstance& in, const Rational& c) {
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(kOrder);
  const DataSet<Ser> data = p.data<Ser>();
  const Vec<Ser> theta = from_rational<Ser>(p.theta);
  const Ser lambda(p.lambda);
  const Mat<Ser> Lambda = Mat<Ser>(Mat<Ser>::Identity(theta.size(), theta.size())) * eta;
  const Vec<Ser> n_steps = n_step_map<Ser>(p.spec, data, p.batch(), lambda, Lambda, Ser(c), in.n, theta);
  const auto model = make_model<Ser>(p.spec);
  const Vec<Ser> gd_step = theta - eta * (model->gradient(theta, data, p.batch()) + lambda * theta);
  return n_steps - gd_step;
}

// g = grad l_lambda and H_lambda v at the start, exactly.
struct LocalDerivatives {
  Vec<Rational> g, Hg, HHg, Tgg;
};
LocalDerivatives local_derivatives(const PolynomialStart& p) {
  const DataSet<Rational> data = p.data<Rational>();
  const auto model = make_model<Rational>(p.spec);
  auto H = [&](const Vec<Rational>& v) {
    return Vec<Rational>(hessian_vector_product(p.spec, data, p.batch(), p.theta, v) + p.lambda * v);
  };
  LocalDerivatives d;
  d.g = model->gradient(p.theta, data, p.batch()) + p.lambda * p.theta;
  d.Hg = H(d.g);
  d.HHg = H(d.Hg);
  d.Tgg = third_derivative(p.spec, data, p.batch(), p.theta, d.g, d.g);  // lambda/2 |theta|^2 adds 0
  return d;
}

Vec<Rational> coefficient(const Vec<Ser>& r, int k) {
  Vec<Rational> c(r.size());
  for (Eigen::Index i = 0; i < r.size(); ++i) c[i] = r[i][k];
  return c;
}

Verdict with_series_arithmetic(Verdict v) {
  v.arithmetic = ScalarKind<Ser>::name();
  return v;
}

// The claim with coefficient c(n): coefficients of eta^0..eta^2 vanish exactly.
template <class Coefficient>
Verdict order_three(const NStepInstance& in, Coefficient c) {
  return order_claim(n_step_residual(in, c(in.n)), 3,
                     "n = " + std::to_string(in.n) + ": theta'_n - (theta - eta g), c = " + to_text(c(in.n)));
}

// eta^3 coefficient = (n-1)/n^2 [(2n-1)/6 H^2 g + (n-2)/12 T[g, g]].
Verdict third_order_residual(const NStepInstance& in) {
  const int n = in.n;
  const LocalDerivatives d = local_derivatives(in.start);
  const Vec<Rational> predicted = Rational(n - 1, n * n) * (Rational(2 * n - 1, 6) * d.HHg +
                                                            Rational(n - 2, 12) * d.Tgg);
  return with_series_arithmetic(compare<Rational>(
      coefficient(n_step_residual(in, n_step_coefficient(n)), 3), predicted,
      "eta^3 coefficient = (n-1)/n^2 [(2n-1)/6 H^2 g + (n-2)/12 T[g,g]], n = " + std::to_string(n)));
}

// n = 2 and H g != 0: the eta^3 coefficient is H^2 g / 8 != 0, so O(eta^3) is sharp.
rc::Gen<NStepInstance> sharpness_instances() {
  return rc::gen::suchThat(n_step_instances({2}), [](const NStepInstance& in) {
    return !local_derivatives(in.start).Hg.isZero(0);
  });
}
Verdict third_order_nonzero(const NStepInstance& in) {
  const Vec<Rational> c = coefficient(n_step_residual(in, n_step_coefficient(in.n)), 3);
  return with_series_arithmetic(certainly_nonzero<Rational>(
      c.squaredNorm(), "|eta^3 coefficient|^2 != 0 at H g != 0, n = 2 (the order is sharp)"));
}

// c = 1/4 (the n -> infinity limit) at finite n: the eta^2 error is exactly -H g / (2n), which
// vanishes as n -> infinity, i.e. c_n -> 1/4 is the IGR limit.
Verdict igr_limit_error(const NStepInstance& in) {
  const LocalDerivatives d = local_derivatives(in.start);
  const Ser eta = Ser::variable(kOrder);
  Vec<Ser> r = n_step_residual(in, Rational(1, 4));
  for (Eigen::Index i = 0; i < r.size(); ++i) r[i] += eta * eta * Ser(d.Hg[i] / (2 * in.n));
  return order_claim(r, 3, "n = " + std::to_string(in.n) + ", c = 1/4: theta'_n - (theta - eta g) + eta^2 H g/(2n)");
}

std::string show(const NStepInstance& in) { return in.show(); }

const std::vector<int> kStepCounts = {1, 2, 3, 5};

}  // namespace

ENTROPIC_CLAIM(T1) {
  return Claim("T1", "n-step entropic loss")
      .provenance(Provenance::derived)
      .kind("order-3 (series in eta)")
      .part("n steps on phi^(n) = GD step + O(eta^3)", n_step_instances(kStepCounts),
            [](const NStepInstance& in) { return order_three(in, n_step_coefficient); }, show)
      .part("eta^3 residual mixes H^2 g and T[g,g]", n_step_instances(kStepCounts),
            third_order_residual, show)
      .part("eta^3 residual nonzero (n = 2, H g != 0)", sharpness_instances(), third_order_nonzero,
            show)
      .part("c = 1/4 at finite n: eta^2 error -H g/(2n)", n_step_instances(kStepCounts),
            igr_limit_error, show)
      .mutant("c_n = 1/4 for every n", n_step_instances(kStepCounts),
              [](const NStepInstance& in) {
                return order_three(in, [](int) { return Rational(1, 4); });
              },
              show)
      .mutant("c_n = (n-1)/(2n)", n_step_instances(kStepCounts),
              [](const NStepInstance& in) {
                return order_three(in, [](int n) { return Rational(n - 1, 2 * n); });
              },
              show);
}

}  // namespace entropic
