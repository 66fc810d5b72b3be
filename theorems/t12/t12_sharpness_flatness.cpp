// T12 — Sharpness versus flatness (catalog T12).
//
// Identity at label-noise minima (residual r = -eps independent of x, J = df/dtheta):
//     H = E J^T J,   phi_1^(S) = 1/4 E_B ||g_B||^2 = 1/(4S) Tr(Sigma_eps E J J^T) = sigma^2/(4S) Tr H,
// so the entropic force minimizes Tr H, not lambda_max. (For l = ||f - y||^2: H = 2 E J^T J and
// phi_1 = sigma^2/(2S) Tr H.)
//
// Example A: f = u (w . x), x in R^2 with Sigma_x = E x x^T = diag(s1, s2), targets y = x_1 + eps
// (v = e1), rho = s2/s1. On the minimum manifold u w = e1, at theta(u) = (w, u) = (e1/u, u), q = u^2,
//     spec H = {0, s1 (q + 1/q), q s2},   Tr H = s1 (q (1 + rho) + 1/q),
// minimized at the entropic point q_e = (1 + rho)^{-1/2}, where Tr H(q_e) = 2 s1 sqrt(1 + rho) <=
// s1 (2 + rho) = Tr H(1) (norm balance q = 1). lambda_max(q_e) = s1 (2 + rho)/sqrt(1 + rho) against
// lambda_max(1) = s1 max(2, rho): sharper iff rho^3 - 4 rho - 4 < 0, flatter iff > 0 (it has no
// rational root, so one of the two always holds for rational rho).
//
// Exact instances: Sigma_x is realised by m1 copies of (p, 0) and m2 copies of (0, r), so
// s1 = m1 p^2 / (m1 + m2), s2 = m2 r^2 / (m1 + m2); the noise is {+sigma, -sigma} (product data).
// For the entropic point u_e = (1 + rho)^{-1/4} must be rational: 1 + rho = t^4 with t = n/d, obtained
// from r = p (t^2 - 1), m1 = n^2 - d^2, m2 = n^2 + d^2.
//
// Example B (anisotropic label noise, f = U w x): the entropic point w_e^4 = s1/(s1 + s2) and
// lambda_max(w_e) = w_e^2 + w_e^-2, arbitrarily sharp as s1/s2 -> 0. Isotropic d-dimensional input
// (f = w u^T x): ||u||^2 = d w^2 and lambda_max = ||v|| (1 + d)/sqrt(d) at the entropic point. Both
// are in t12_anisotropic.cpp.
//
// Spectra are certified exactly: det(x I - H) (Faddeev-LeVerrier, numeric/polynomial.hpp) equals
// prod_i (x - lambda_i) for the catalog's eigenvalues.
#include <algorithm>

#include "entropic/gen/generators.hpp"
#include "entropic/metrics/hessian.hpp"
#include "entropic/numeric/polynomial.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "t12/t12_anisotropic.hpp"

namespace entropic {
namespace {

// Example A's data and a point theta(u) on its minimum manifold.
struct ExampleA {
  Rational p, r, sigma, u;
  int m1 = 1, m2 = 1;
  Rational t = 0;  // > 0 when 1 + rho = t^4 (the entropic point is rational)

  Rational s1() const { return m1 * p * p / (m1 + m2); }
  Rational s2() const { return m2 * r * r / (m1 + m2); }
  Rational rho() const { return s2() / s1(); }

  static ModelSpec spec() {
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {2, 1, 1};  // W1 = w^T, W2 = u
    return s;
  }
  DataSet<Rational> data() const {
    Mat<Rational> xs = Mat<Rational>::Zero(m1 + m2, 2);
    for (int i = 0; i < m1; ++i) xs(i, 0) = p;
    for (int i = 0; i < m2; ++i) xs(m1 + i, 1) = r;
    Mat<Rational> V(1, 2), noise(2, 1);
    V << 1, 0;
    noise << sigma, -sigma;
    return product_data<Rational>(xs, V, noise);
  }
  // theta(u) = (w1, w2, u) = (1/u, 0, u): u w = e1.
  static Vec<Rational> point(const Rational& u) {
    Vec<Rational> theta(3);
    theta << 1 / u, 0, u;
    return theta;
  }
  std::string show() const {
    return "x: " + std::to_string(m1) + " x (" + to_text(p) + ", 0), " + std::to_string(m2) + " x (0, " +
           to_text(r) + "); s1 = " + to_text(s1()) + ", s2 = " + to_text(s2()) + ", rho = " + to_text(rho()) +
           ", sigma = " + to_text(sigma) + ", u = " + to_text(u) + (t > 0 ? ", t = " + to_text(t) : "");
  }
};

rc::Gen<ExampleA> generic_examples() {
  return rc::gen::apply(
      [](Rational p, Rational r, int m1, int m2, Rational sigma, Rational u) {
        ExampleA a;
        a.p = p, a.r = r, a.m1 = m1, a.m2 = m2, a.sigma = sigma, a.u = u;
        return a;
      },
      gen::positive_rational(), gen::positive_rational(), gen::in_range(1, 4), gen::in_range(1, 4),
      gen::positive_rational(), gen::nonzero_rational());
}

// 1 + rho = t^4, t = n/d > 1; u is a comparison point on the manifold.
rc::Gen<ExampleA> entropic_examples() {
  return rc::gen::mapcat(gen::in_range(2, 5), [](int n) {
    return rc::gen::apply(
        [n](int d, Rational p, Rational sigma, Rational u) {
          ExampleA a;
          a.t = Rational(n, d);
          a.p = p;
          a.r = p * (a.t * a.t - 1);
          a.m1 = n * n - d * d;
          a.m2 = n * n + d * d;
          a.sigma = sigma;
          a.u = u;
          return a;
        },
        gen::in_range(1, n), gen::positive_rational(), gen::positive_rational(), gen::nonzero_rational());
  });
}

// The exact Hessian of L at theta.
Mat<Rational> hessian_at(const ExampleA& a, const Vec<Rational>& theta) {
  const DataSet<Rational> data = a.data();
  return hessian<Rational>(ExampleA::spec(), data, Model<Rational>::all(data), theta);
}

// E J^T J at theta(u), J = (u x, w . x) = (u x_1, u x_2, x_1 / u).
Mat<Rational> jacobian_moment(const ExampleA& a, const Rational& u) {
  const DataSet<Rational> data = a.data();
  Mat<Rational> JJ = Mat<Rational>::Zero(3, 3);
  for (int i = 0; i < data.size(); ++i) {
    Vec<Rational> J(3);
    J << u * data.X(i, 0), u * data.X(i, 1), data.X(i, 0) / u;
    JJ += J * J.transpose() / Rational(data.size());
  }
  return JJ;
}

// Hessian eigenvalues at theta(u) by the catalog: 0, s1 (q + 1/q), q s2.
std::vector<Rational> predicted_spectrum(const ExampleA& a, const Rational& u) {
  const Rational q = u * u;
  return {Rational(0), Rational(a.s1() * (q + 1 / q)), Rational(q * a.s2())};
}

// At the generated u: (det(x I - H), H) observed, (x (x - s1 (q + 1/q)) (x - q s2), E J^T J) predicted.
std::pair<Vec<Rational>, Mat<Rational>> hessian_spectrum(const ExampleA& a) {
  const Mat<Rational> H = hessian_at(a, ExampleA::point(a.u));
  return {characteristic_polynomial(H), H};
}
std::pair<Vec<Rational>, Mat<Rational>> catalog_spectrum(const ExampleA& a) {
  return {polynomial_from_roots(predicted_spectrum(a, a.u)), jacobian_moment(a, a.u)};
}

// The same at theta(u), as a verdict, for the parts that read lambda_max off the spectrum.
Verdict spectrum_at(const ExampleA& a, const Rational& u, const std::string& where) {
  const Mat<Rational> H = hessian_at(a, ExampleA::point(u));
  return all_of({compare<Rational>(characteristic_polynomial(H), polynomial_from_roots(predicted_spectrum(a, u)),
                                   "det(x I - H) = x (x - s1 (q + 1/q)) (x - q s2) at " + where),
                 compare_entries<Rational>(H, jacobian_moment(a, u), "H = E J^T J at " + where)});
}

Rational trace_H(const ExampleA& a, const Rational& u) { return hessian_at(a, ExampleA::point(u)).trace(); }

// At the entropic point u_e = 1/t (q_e = t^-2 = (1 + rho)^{-1/2}):
//   1 + rho = t^4, Tr H(q_e) = 2 s1 t^2 = 2 s1 sqrt(1 + rho), Tr H(1) = s1 (2 + rho) >= Tr H(q_e),
//   and Tr H(theta(u)) >= Tr H(q_e) at the generated u, with equality only at u^2 = q_e.
Verdict entropic_point(const ExampleA& a) {
  const Rational ue = 1 / a.t, rho = a.rho(), s1 = a.s1();
  const Rational te = trace_H(a, ue), t1 = trace_H(a, Rational(1)), tu = trace_H(a, a.u);
  return all_of(
      {compare<Rational>(Rational(1 + rho), Rational(a.t * a.t * a.t * a.t), "1 + rho = t^4"),
       compare<Rational>(te, Rational(2 * s1 * a.t * a.t), "Tr H(q_e) = 2 s1 sqrt(1 + rho)"),
       compare<Rational>(t1, Rational(s1 * (2 + rho)), "Tr H(1) = s1 (2 + rho)"),
       certainly_positive<Rational>(Rational(t1 - te), "Tr H(1) - Tr H(q_e) > 0 (t > 1)"),
       a.u * a.u == ue * ue ? compare<Rational>(tu, te, "Tr H(u) = Tr H(q_e) at u^2 = q_e")
                            : certainly_positive<Rational>(Rational(tu - te), "Tr H(u) - Tr H(q_e) > 0")});
}

// lambda_max at q_e and at q = 1, read off the characteristic polynomials of the exact Hessians: each
// is checked to be x (x - a)(x - b) for the catalog's a, b, so lambda_max = max(a, b).
struct LambdaMax {
  Rational at_entropic, at_balance;
  Verdict spectra;
};
LambdaMax lambda_max(const ExampleA& a) {
  const std::vector<Rational> e = predicted_spectrum(a, 1 / a.t), b = predicted_spectrum(a, Rational(1));
  return {*std::max_element(e.begin(), e.end()), *std::max_element(b.begin(), b.end()),
          all_of({spectrum_at(a, 1 / a.t, "q_e"), spectrum_at(a, Rational(1), "q = 1")})};
}

// Sharper (lambda_max(q_e) > lambda_max(1)) iff rho^3 - 4 rho - 4 < 0, flatter iff > 0; with
// lambda_max(q_e) = s1 (2 + rho)/sqrt(1 + rho) and lambda_max(1) = s1 max(2, rho).
Verdict sign_rule(const ExampleA& a) {
  const Rational rho = a.rho(), s1 = a.s1();
  const LambdaMax l = lambda_max(a);
  const Rational cubic = rho * rho * rho - 4 * rho - 4;
  const int sharper = l.at_entropic > l.at_balance ? 1 : (l.at_entropic < l.at_balance ? -1 : 0);
  const int predicted = cubic < 0 ? 1 : (cubic > 0 ? -1 : 0);
  return all_of({l.spectra,
                 compare<Rational>(l.at_entropic, Rational(s1 * (2 + rho) / (a.t * a.t)),
                                   "lambda_max(q_e) = s1 (2 + rho)/sqrt(1 + rho)"),
                 compare<Rational>(l.at_balance, Rational(s1 * std::max(Rational(2), rho)),
                                   "lambda_max(1) = s1 max(2, rho)"),
                 certainly_nonzero<Rational>(cubic, "rho^3 - 4 rho - 4 != 0"),
                 compare<Rational>(Rational(sharper), Rational(predicted),
                                   "sign(lambda_max(q_e) - lambda_max(1)) = -sign(rho^3 - 4 rho - 4) (cubic = " +
                                       to_text(cubic) + ")")});
}

// Mutant: the entropic force minimizes lambda_max, lambda_max(q_e) <= lambda_max(1).
Verdict lambda_max_minimized(const ExampleA& a) {
  const LambdaMax l = lambda_max(a);
  const Rational gap = l.at_entropic - l.at_balance;
  const std::string what = "lambda_max(q_e) - lambda_max(1) <= 0";
  return all_of({l.spectra, gap <= 0 ? Verdict::holds(Arithmetic::rational(), to_text(gap), what)
                                     : Verdict::violated(Arithmetic::rational(), to_text(gap), what)});
}

// phi_1^(S) = 1/4 E_B ||g_B||^2 over all N^S ordered batches (indices with replacement, kappa = 1/S), at
// the label-noise minimum theta(u), for S = 1, 2; for l = ||f - y||^2 (gradient 2 g_B) it is 4 times
// that; and Tr(Sigma_eps E J J^T) = sigma^2 E ||J||^2.
Quantities<Rational> phi1_by_enumeration(const ExampleA& a) {
  const DataSet<Rational> data = a.data();
  const auto model = make_model<Rational>(ExampleA::spec());
  const Vec<Rational> theta = ExampleA::point(a.u);
  const int n = data.size();
  Rational EJ2 = 0;
  for (int i = 0; i < n; ++i)
    EJ2 += (a.u * a.u * data.x(i).squaredNorm() + data.X(i, 0) * data.X(i, 0) / (a.u * a.u)) / Rational(n);
  Quantities<Rational> out{{"Tr(Sigma_eps E J J^T)", a.sigma * a.sigma * EJ2}};
  for (int S = 1; S <= 2; ++S) {
    Rational sum = 0;
    int batches = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < (S == 2 ? n : 1); ++j) {
        sum += model->gradient(theta, data, S == 1 ? Batch{i} : Batch{i, j}).squaredNorm();
        ++batches;
      }
    const Rational phi1 = sum / (4 * batches);
    out.push_back({"phi_1^(S), S = " + std::to_string(S), phi1});
    out.push_back({"phi_1^(S) for ||f - y||^2, S = " + std::to_string(S), 4 * phi1});
  }
  return out;
}

// Tr(Sigma_eps E J J^T) = sigma^2 Tr H (H = E J^T J), phi_1^(S) = sigma^2/(k S) Tr H with k = 4, and
// for ||f - y||^2 (Hessian 2 H) phi_1^(S) = sigma^2/(2S) Tr(2 H). The mutant takes k = 2 for the 1/2 loss.
auto trace_law(int k) {
  return [k](const ExampleA& a) {
    const Rational trH = trace_H(a, a.u), sigma2 = a.sigma * a.sigma;
    Quantities<Rational> out{{"Tr(Sigma_eps E J J^T)", sigma2 * trH}};
    for (int S = 1; S <= 2; ++S) {
      out.push_back({"phi_1^(S), S = " + std::to_string(S), sigma2 / (k * S) * trH});
      out.push_back({"phi_1^(S) for ||f - y||^2, S = " + std::to_string(S), sigma2 / (2 * S) * (2 * trH)});
    }
    return out;
  };
}

}  // namespace

ENTROPIC_CLAIM(T12) {
  const auto generic = generic_examples();
  const auto entropic = entropic_examples();
  return Claim("T12", "Sharpness versus flatness")
      .provenance(Provenance::paper)
      .kind("exact at an optimum")
      .part("spectrum", "Example A: det(x I - H) = x (x - s1 (q + 1/q)) (x - q s2), H = E J^T J", generic)
          .observe(hessian_spectrum)
          .predict(catalog_spectrum)
      .part("entropic-point", "Example A: the entropic point q_e = (1 + rho)^{-1/2} minimizes Tr H", entropic)
          .check(entropic_point)
      .part("sign-rule", "Example A: sharper iff rho^3 - 4 rho - 4 < 0", entropic)
          .check(sign_rule)
          .mutant("minimizes-lambda-max", "the entropic force minimizes lambda_max (lambda_max(q_e) <= lambda_max(1))",
                  lambda_max_minimized)
      .part("phi1-trace", "phi_1^(S) = sigma^2/(4S) Tr H at a label-noise minimum", generic)
          .observe(phi1_by_enumeration)
          .predict(trace_law(4))
          .mutant("half-loss-2s", "phi_1 = sigma^2/(2S) Tr H for the 1/2 loss", trace_law(2))
      .part("example-b", "Example B: anisotropic noise, w_e^4 = s1/(s1 + s2), lambda_max(w_e) = w_e^2 + w_e^-2",
            t12::examples_b())
          .check(t12::example_b)
          .mutant("proportional", "Example B: phi_1 proportional to Tr H also for anisotropic noise",
                  t12::phi1_proportional_to_trace)
      .part("isotropic", "isotropic input: ||u||^2 = d w^2, lambda_max = ||v|| (1 + d)/sqrt(d) >= 2 ||v||",
            t12::isotropic_examples())
          .check(t12::isotropic)
          .mutant("flattest", "isotropic input: the entropic point is the flattest (lambda_max = 2 ||v||)",
                  t12::isotropic_flattest);
}

}  // namespace entropic
