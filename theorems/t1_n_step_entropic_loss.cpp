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
// non-quadratic polynomial loss in two parameters with no built-in symmetry, n in {2, 3, 5},
// lambda in {0, > 0}; the GD step is observed and predicted by the n steps on phi with coefficient c.
// Mutants: c_n = 1/4 for every n (eta^2 error -H g / (2n)) and c_n = (n-1)/(2n) (eta^2 error
// -(n-1)/(2n) H g); in the eta^3 formula, half the H^2 g coefficient, the T[g, g] term's sign flipped
// or the term left out. Degenerate instances (H g = 0, n = 1) are not drawn. Negative control: N8 (phi = l).
#include "entropic/theory/n_step.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/verify/observation.hpp"
#include "support/n_step_series.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

// n = 1 is GD itself (c_1 = 0, every correction and residual 0): no instance of it can fail, so the
// parts draw n >= 2, and n = 3, 5 besides 2 so that the (n - 2) T[g, g] term of the eta^3 residual is
// present.
const std::vector<int> kStepCounts = {2, 3, 5};

// The prediction with coefficient c(n): theta'_n on phi = l_lambda + eta c(n) ||grad l_lambda||^2.
// The claim has c_n = (n-1)/(4n); the mutants c = 1/4 and c = (n-1)/(2n).
auto n_steps_with(Rational (*c)(int)) {
  return [c](const NStepStart& in) { return n_steps_series(in, c(in.n)); };
}
Rational quarter(int) { return Rational(1, 4); }
Rational twice_c_n(int n) { return Rational(n - 1, 2 * n); }

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

// The eta^3 coefficient of theta'_n - (theta - eta g) with c = c_n.
Vec<Rational> third_order_coefficient(const NStepStart& in) {
  const Vec<Ser> r = n_steps_series(in, n_step_coefficient(in.n)) - gd_step_series(in);
  Vec<Rational> c(r.size());
  for (Eigen::Index i = 0; i < r.size(); ++i) c[i] = r[i][3];
  return c;
}
// (n-1)/n^2 [(2n-1)/6 H^2 g + (n-2)/12 T[g, g]].
Vec<Rational> third_order_formula(const NStepStart& in) {
  const int n = in.n;
  const LocalDerivatives d = local_derivatives(in.start);
  return Rational(n - 1, n * n) * (Rational(2 * n - 1, 6) * d.HHg + Rational(n - 2, 12) * d.Tgg);
}
// Coefficients of a series residual, compared exactly; the evidence is the series'.
Verdict series_coefficients_agree(const Vec<Rational>& observed, const Vec<Rational>& predicted,
                                  const std::string& what) {
  Verdict v = compare_observed(observed, predicted, what);
  v.arithmetic = ScalarKind<Ser>::arithmetic();
  return v;
}

// Mutants of the eta^3 residual, a theorist's slips: the H^2 g coefficient (2n-1)/12 for (2n-1)/6,
// the T[g, g] term with the wrong sign, or left out (as if the residual were the gradient of
// H g . g, which it is not: catalog N2).
auto third_order_formula_with(Rational h2g_scale, Rational tgg_scale) {
  return [h2g_scale, tgg_scale](const NStepStart& in) {
    const int n = in.n;
    const LocalDerivatives d = local_derivatives(in.start);
    return Vec<Rational>(Rational(n - 1, n * n) *
                         (h2g_scale * Rational(2 * n - 1, 6) * d.HHg + tgg_scale * Rational(n - 2, 12) * d.Tgg));
  };
}

// Degenerate for every part: H g = 0 (then every correction, the eta^2 errors of the mutants and
// the eta^3 residual vanish together). The instances exclude it, through shrinking too.
bool hg_vanishes(const NStepStart& in) { return local_derivatives(in.start).Hg.isZero(0); }
rc::Gen<NStepStart> corrected_instances() {
  return rc::gen::suchThat(n_step_starts(PolynomialDegree::cubic, kStepCounts),
                           [](const NStepStart& in) { return !hg_vanishes(in); });
}
// Degenerate for the T[g, g] mutants: n = 2 (the term has the factor n - 2) or T[g, g] = 0.
bool tgg_term_vanishes(const NStepStart& in) {
  return in.n == 2 || local_derivatives(in.start).Tgg.isZero(0);
}

// n = 2 and H g != 0: the eta^3 coefficient is H^2 g / 8 != 0, so O(eta^3) is sharp.
rc::Gen<NStepStart> sharpness_instances() {
  return rc::gen::suchThat(n_step_starts(PolynomialDegree::cubic, {2}), [](const NStepStart& in) {
    return !local_derivatives(in.start).Hg.isZero(0);
  });
}
Verdict third_order_nonzero(const NStepStart& in) {
  Verdict v = certainly_nonzero<Rational>(third_order_coefficient(in).squaredNorm(),
                                          "|eta^3 coefficient|^2 != 0 at H g != 0, n = 2 (the order is sharp)");
  v.arithmetic = ScalarKind<Ser>::arithmetic();
  return v;
}

// c = 1/4 (the n -> infinity limit) at finite n: theta'_n - (theta - eta g) = -eta^2 H g / (2n) + O(eta^3),
// which vanishes as n -> infinity, i.e. c_n -> 1/4 is the IGR limit.
Vec<Ser> quarter_step_error(const NStepStart& in) {
  return n_steps_series(in, Rational(1, 4)) - gd_step_series(in);
}
Vec<Ser> igr_limit_error(const NStepStart& in) {
  const Vec<Rational> Hg = local_derivatives(in.start).Hg;
  const Ser eta = Ser::variable(kNStepOrder);
  Vec<Ser> e(Hg.size());
  for (Eigen::Index i = 0; i < Hg.size(); ++i) e[i] = -eta * eta * Ser(Hg[i] / (2 * in.n));
  return e;
}

}  // namespace

ENTROPIC_CLAIM(T1) {
  const auto instances = corrected_instances();
  const auto n_of = [](const NStepStart& in) { return in.n; };
  const auto decay = [](const NStepStart& in) { return in.start.lambda != 0; };
  return Claim("T1", "n-step entropic loss")
      .provenance(Provenance::derived)
      .kind("order-3 (series in eta)")
      .part("n-steps", "n steps on phi^(n) = GD step + O(eta^3)", instances)
          .observe(gd_step_series)
          .predict(n_steps_with(n_step_coefficient))
          .compare(agree_through_order(3))
          .mutant("quarter", "c_n = 1/4 for every n", n_steps_with(quarter))
          .mutant("twice", "c_n = (n-1)/(2n)", n_steps_with(twice_c_n))
          .degenerate("H g = 0 (excluded by the generator)", hg_vanishes)
          .feature("n", n_of)
          .feature("lambda > 0", decay)
      .part("third-order", "eta^3 residual mixes H^2 g and T[g,g]", instances)
          .observe(third_order_coefficient)
          .predict(third_order_formula)
          .compare(series_coefficients_agree)
          .mutant("half-h2g", "eta^3 residual with (2n-1)/12 H^2 g", third_order_formula_with(Rational(1, 2), Rational(1)))
          .mutant("tgg-sign", "eta^3 residual with -(n-2)/12 T[g,g]", third_order_formula_with(Rational(1), Rational(-1)))
          .mutant("no-tgg", "eta^3 residual without T[g,g] (a gradient after all)", third_order_formula_with(Rational(1), Rational(0)))
          .degenerate("H g = 0 (excluded by the generator)", hg_vanishes)
          .feature("n", n_of)
          .feature("T[g,g] term present (n > 2, T[g,g] != 0)", [](const NStepStart& in) { return !tgg_term_vanishes(in); })
      .part("sharp", "eta^3 residual nonzero (n = 2, H g != 0)", sharpness_instances())
          .check(third_order_nonzero)
          .nondegenerate("n = 2 and H g != 0 by construction (suchThat)")
      .part("igr-limit", "c = 1/4 at finite n: eta^2 error -H g/(2n)", instances)
          .observe(quarter_step_error)
          .predict(igr_limit_error)
          .compare(agree_through_order(3))
          .degenerate("H g = 0 (excluded by the generator)", hg_vanishes)
          .feature("n", n_of);
}

}  // namespace entropic
