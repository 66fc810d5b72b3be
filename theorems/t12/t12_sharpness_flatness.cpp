// T12 — Sharpness versus flatness (catalog T12).
//
// Identity at label-noise minima (residual r = -eps independent of x, J = df/dtheta):
//     H = E J^T J,   phi_1^(S) = 1/4 E_B ||g_B||^2 = 1/(4S) Tr(Sigma_eps E J J^T) = sigma^2/(4S) Tr H,
// so the entropic force minimizes Tr H, not lambda_max. (For l = ||f - y||^2: H_2 = 2 E J^T J and
// phi_1 = sigma^2/(2S) Tr H_2, checked independently: that loss is written out here, with its own
// gradients and Hessian by forward differentiation.)
//
// Example A: f = u (w . x), x in R^2 with Sigma_x = E x x^T = diag(s1, s2), targets y = x_1 + eps
// (v = e1), rho = s2/s1. On the minimum manifold u w = e1, at theta(u) = (w, u) = (e1/u, u), q = u^2,
//     spec H = {0, s1 (q + 1/q), q s2},   Tr H = s1 (q (1 + rho) + 1/q),
// minimized at the entropic point q_e = (1 + rho)^{-1/2}, where Tr H(q_e) = 2 s1 sqrt(1 + rho) <=
// s1 (2 + rho) = Tr H(1) (norm balance q = 1). lambda_max(q_e) = s1 (2 + rho)/sqrt(1 + rho) against
// lambda_max(1) = s1 max(2, rho): sharper iff rho^3 - 4 rho - 4 < 0, flatter iff > 0 (it has no
// rational root, so one of the two always holds for rational rho).
//
// Exact instances: Sigma_x is realised by m1 copies of (p, 0) and inputs (0, r_k), so
// s1 = m1 p^2 / N, s2 = sum_k r_k^2 / N (N inputs); the noise is {+sigma, -sigma} (product data).
// For the entropic point u_e = (1 + rho)^{-1/4} must be rational: 1 + rho = t^4 with t = n/d, obtained
// from m1 = 1 and r_k = p a_k / d^2 with sum_k a_k^2 = n^4 - d^4 (Lagrange's four squares). t is drawn
// on both sides of t_0 = 1.3562..., so both branches of the sign rule are generated.
//
// Example B (anisotropic label noise, f = U w x): the entropic point w_e^4 = s1/(s1 + s2) and
// lambda_max(w_e) = w_e^2 + w_e^-2, arbitrarily sharp as s1/s2 -> 0. Isotropic d-dimensional input
// (f = w u^T x): ||u||^2 = d w^2 and lambda_max = ||v|| (1 + d)/sqrt(d) at the entropic point. Both
// are in t12_anisotropic.cpp.
//
// Spectra are certified exactly: det(x I - H) (Faddeev-LeVerrier, numeric/polynomial.hpp) equals
// prod_i (x - lambda_i) for the catalog's eigenvalues.
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <numeric>
#include <vector>

#include "entropic/gen/generators.hpp"
#include "entropic/metrics/hessian.hpp"
#include "entropic/numeric/dual.hpp"
#include "entropic/numeric/polynomial.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "t12/t12_anisotropic.hpp"

namespace entropic {
namespace {

// Example A's data and a point theta(u) on its minimum manifold: m1 copies of (p, 0) and one input
// (0, r_k) for each r_k in rs, so that Sigma_x = diag(s1, s2) exactly.
struct ExampleA {
  static int parameter_count() { return 3; }  // widths [2, 1, 1]
  Rational p, sigma, u;
  int m1 = 1;
  std::vector<Rational> rs;
  Rational t = 0;  // > 0 when 1 + rho = t^4 (the entropic point is rational)

  int inputs() const { return m1 + static_cast<int>(rs.size()); }
  Rational s1() const { return m1 * p * p / inputs(); }
  Rational s2() const {
    Rational sum = 0;
    for (const Rational& r : rs) sum += r * r;
    return sum / inputs();
  }
  Rational rho() const { return s2() / s1(); }

  static ModelSpec spec() {
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {2, 1, 1};  // W1 = w^T, W2 = u
    return s;
  }
  DataSet<Rational> data() const {
    Mat<Rational> xs = Mat<Rational>::Zero(inputs(), 2);
    for (int i = 0; i < m1; ++i) xs(i, 0) = p;
    for (std::size_t k = 0; k < rs.size(); ++k) xs(m1 + static_cast<int>(k), 1) = rs[k];
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
    std::string second;
    for (const Rational& r : rs) second += (second.empty() ? "" : ", ") + std::string("(0, ") + to_text(r) + ")";
    return "x: " + std::to_string(m1) + " x (" + to_text(p) + ", 0), " + second + "; s1 = " + to_text(s1()) +
           ", s2 = " + to_text(s2()) + ", rho = " + to_text(rho()) + ", sigma = " + to_text(sigma) +
           ", u = " + to_text(u) + (t > 0 ? ", t = " + to_text(t) : "");
  }
};

// u^2 != 1: at the norm-balanced point q = 1 the spectrum {0, 2 s1, s2} cannot tell q from 1/q (the
// mutant "inverse-q" agrees there).
rc::Gen<Rational> off_balance_u() {
  return rc::gen::suchThat(gen::nonzero_rational(), [](const Rational& u) { return u * u != 1; });
}

// 1 to 3 copies of (p, 0) and 1 to 3 inputs (0, r_k), all positive rationals.
rc::Gen<ExampleA> generic_examples() {
  return rc::gen::exec([]() {
    ExampleA a;
    a.p = *gen::positive_rational();
    a.m1 = *gen::in_range(1, 4);
    a.rs = *rc::gen::container<std::vector<Rational>>(static_cast<std::size_t>(*gen::in_range(1, 4)),
                                                      gen::positive_rational());
    a.sigma = *gen::positive_rational();
    a.u = *off_balance_u();
    return a;
  });
}

// The fewest positive integers whose squares sum to N > 0 (at most four, Lagrange): greedy from the
// largest square, with Legendre's and the two-square test deciding whether a remainder can be finished.
bool is_square(long long n, long long& root) {
  root = static_cast<long long>(std::sqrt(static_cast<double>(n)));
  while (root * root > n) --root;
  while ((root + 1) * (root + 1) <= n) ++root;
  return root * root == n;
}
bool two_squares(long long n, std::vector<long long>& out) {
  long long b = 0;
  for (long long a = 0; 2 * a * a <= n; ++a)
    if (is_square(n - a * a, b)) {
      for (long long c : {b, a})
        if (c > 0) out.push_back(c);
      return true;
    }
  return false;
}
bool three_squares_possible(long long n) {  // Legendre: n is not 4^a (8 b + 7)
  while (n > 0 && n % 4 == 0) n /= 4;
  return n % 8 != 7;
}
std::vector<long long> fewest_squares(long long n) {
  std::vector<long long> out;
  long long root = 0;
  if (is_square(n, root)) return {root};
  if (two_squares(n, out)) return out;
  const bool three = three_squares_possible(n);
  for (long long a = root; a >= 1; --a) {
    const long long rest = n - a * a;
    out.assign(1, a);
    if (three && two_squares(rest, out)) return out;
    if (!three && three_squares_possible(rest)) {
      const std::vector<long long> more = fewest_squares(rest);
      out.insert(out.end(), more.begin(), more.end());
      return out;
    }
  }
  throw std::logic_error("no sum of four squares");  // unreachable (Lagrange)
}

// rho^3 - 4 rho - 4 at rho = t^4 - 1: < 0 (sharper) for 1 < t < t_0 = (1 + rho_0)^{1/4} = 1.3562...,
// rho_0 = 2.3830... its only real root, > 0 (flatter) above.
Rational sharpness_cubic(const Rational& rho) { return rho * rho * rho - 4 * rho - 4; }
bool sharper_at(const Rational& t) { return sharpness_cubic(Rational(t * t * t * t - 1)) < 0; }

// 1 + rho = t^4, t = n/d > 1 in lowest terms, on a branch drawn first: sharper (two draws in three;
// d in [3, 12], n in (d, t_0 d): 4/3, 5/4, 6/5, 7/6, 8/7, 9/7, 9/8, 10/9, 11/9, 11/10, 12/11, 13/10,
// 13/11, 13/12, 14/11, 16/13 ... ) or flatter (n in (t_0 d, 3 d]: 7/5 .. 3). The data are one input
// (p, 0) and inputs (0, p a_k / d^2) with sum_k a_k^2 = n^4 - d^4 (the fewest positive integers a_k,
// at most four), so that s2/s1 = (n^4 - d^4)/d^4 = t^4 - 1; u is a comparison point on the
// manifold, u^2 != q_e = t^-2. Shrinks toward the sharper branch, d = 3, t = 4/3.
rc::Gen<ExampleA> entropic_examples() {
  return rc::gen::exec([]() {
    const bool sharper = *gen::in_range(0, 3) < 2;
    const int d = *gen::in_range(3, 13);
    std::vector<int> ns;
    for (int n = d + 1; n <= 3 * d; ++n)
      if (std::gcd(n, d) == 1 && sharper_at(Rational(n, d)) == sharper) ns.push_back(n);
    const int n = ns.at(static_cast<std::size_t>(*gen::in_range(0, static_cast<int>(ns.size()))));
    ExampleA a;
    a.t = Rational(n, d);
    a.p = *gen::positive_rational();
    a.m1 = 1;
    const long long n4 = 1LL * n * n * n * n, d4 = 1LL * d * d * d * d;
    for (long long k : fewest_squares(n4 - d4)) a.rs.push_back(a.p * Rational(Integer(k)) / Rational(Integer(d * d)));
    a.sigma = *gen::positive_rational();
    const Rational qe = 1 / (a.t * a.t);
    a.u = *rc::gen::suchThat(gen::nonzero_rational(), [qe](const Rational& u) { return u * u != qe; });
    return a;
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

// Mutant: the third eigenvalue s2/q in place of q s2 (u and w swapped in the x_2 direction).
std::pair<Vec<Rational>, Mat<Rational>> spectrum_inverse_q(const ExampleA& a) {
  const Rational q = a.u * a.u;
  return {polynomial_from_roots<Rational>({Rational(0), Rational(a.s1() * (q + 1 / q)), Rational(a.s2() / q)}),
          jacobian_moment(a, a.u)};
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

// Mutant: norm balance q = 1 (the GD + weight decay point) minimizes Tr H on the manifold, Tr H(1) <= Tr H(q_e).
Verdict norm_balance_minimizes_trace(const ExampleA& a) {
  const Rational gap = trace_H(a, Rational(1)) - trace_H(a, 1 / a.t);
  const std::string what = "Tr H(1) - Tr H(q_e) <= 0";
  return gap <= 0 ? Verdict::holds(Arithmetic::rational(), to_text(gap), what)
                  : Verdict::violated(Arithmetic::rational(), to_text(gap), what);
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

// The loss l_2 = ||f - y||^2 of one sample, f = u (w . x), written out here (not the library's model,
// whose loss is 1/2 ||f - y||^2), over any scalar T: theta = (w1, w2, u).
template <class T>
T squared_error(const T& w1, const T& w2, const T& u, const DataSet<Rational>& data, int i) {
  const T r = u * (w1 * T(data.X(i, 0)) + w2 * T(data.X(i, 1))) - T(data.Y(i, 0));
  return r * r;
}
// Its gradient in theta at sample i, by forward differentiation (one direction at a time).
Vec<Rational> squared_error_gradient(const Vec<Rational>& theta, const DataSet<Rational>& data, int i) {
  using D = Dual<Rational>;
  Vec<Rational> g(3);
  for (int k = 0; k < 3; ++k) {
    const D w1(theta[0], k == 0 ? 1 : 0), w2(theta[1], k == 1 ? 1 : 0), u(theta[2], k == 2 ? 1 : 0);
    g[k] = squared_error<D>(w1, w2, u, data, i).tangent();
  }
  return g;
}
// The Hessian of L_2 = E_i ||f(x_i) - y_i||^2 at theta, entry by entry by nested forward
// differentiation (d/d theta_j d/d theta_k), independent of the library's Hessian.
Mat<Rational> squared_error_hessian(const Vec<Rational>& theta, const DataSet<Rational>& data) {
  using D = Dual<Rational>;
  using D2 = Dual<D>;
  Mat<Rational> H(3, 3);
  for (int j = 0; j < 3; ++j)
    for (int k = 0; k < 3; ++k) {
      const auto at = [&](int c) { return D2(D(theta[c], c == k ? 1 : 0), D(c == j ? 1 : 0, 0)); };
      Rational sum = 0;
      for (int i = 0; i < data.size(); ++i) sum += squared_error<D2>(at(0), at(1), at(2), data, i).tangent().tangent();
      H(j, k) = sum / Rational(data.size());
    }
  return H;
}

// phi_1^(S) = 1/4 E_B ||g_B||^2 over all N^S ordered batches (indices with replacement, kappa = 1/S), at
// the label-noise minimum theta(u), for S = 1, 2, with the library's gradients of l = 1/2 ||f - y||^2;
// the same for l_2 = ||f - y||^2 with its own gradients (squared_error_gradient); and
// Tr(Sigma_eps E J J^T) = sigma^2 E ||J||^2.
Rational phi1_of(const std::function<Vec<Rational>(const Batch&)>& gradient, int n, int S) {
  Rational sum = 0;
  int batches = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < (S == 2 ? n : 1); ++j) {
      sum += gradient(S == 1 ? Batch{i} : Batch{i, j}).squaredNorm();
      ++batches;
    }
  return sum / (4 * batches);
}
Quantities<Rational> phi1_by_enumeration(const ExampleA& a) {
  const DataSet<Rational> data = a.data();
  const auto model = make_model<Rational>(ExampleA::spec());
  const Vec<Rational> theta = ExampleA::point(a.u);
  const int n = data.size();
  Rational EJ2 = 0;
  for (int i = 0; i < n; ++i)
    EJ2 += (a.u * a.u * data.x(i).squaredNorm() + data.X(i, 0) * data.X(i, 0) / (a.u * a.u)) / Rational(n);
  const auto library = [&](const Batch& b) { return Vec<Rational>(model->gradient(theta, data, b)); };
  const auto own = [&](const Batch& b) {
    Vec<Rational> g = Vec<Rational>::Zero(3);
    for (int i : b) g += squared_error_gradient(theta, data, i) / Rational(static_cast<int>(b.size()));
    return g;
  };
  Quantities<Rational> out{{"Tr(Sigma_eps E J J^T)", a.sigma * a.sigma * EJ2}};
  for (int S = 1; S <= 2; ++S) {
    out.push_back({"phi_1^(S), S = " + std::to_string(S), phi1_of(library, n, S)});
    out.push_back({"phi_1^(S) for ||f - y||^2, S = " + std::to_string(S), phi1_of(own, n, S)});
  }
  return out;
}

// Tr(Sigma_eps E J J^T) = sigma^2 Tr H (H = E J^T J, the library's Hessian of 1/2 ||f - y||^2),
// phi_1^(S) = sigma^2/(k S) Tr H with k = 4, and for ||f - y||^2 phi_1^(S) = sigma^2/(k2 S) Tr H_2 with
// k2 = 2, H_2 its own Hessian (squared_error_hessian). Mutants: k = 2 for the 1/2 loss; k2 = 4 for
// ||f - y||^2 (the 1/2 loss's constant kept after changing the loss).
auto trace_law(int k, int k2) {
  return [k, k2](const ExampleA& a) {
    const Rational trH = trace_H(a, a.u), sigma2 = a.sigma * a.sigma;
    const Rational trH2 = squared_error_hessian(ExampleA::point(a.u), a.data()).trace();
    Quantities<Rational> out{{"Tr(Sigma_eps E J J^T)", sigma2 * trH}};
    for (int S = 1; S <= 2; ++S) {
      out.push_back({"phi_1^(S), S = " + std::to_string(S), sigma2 / (k * S) * trH});
      out.push_back({"phi_1^(S) for ||f - y||^2, S = " + std::to_string(S), sigma2 / (k2 * S) * trH2});
    }
    return out;
  };
}

}  // namespace

ENTROPIC_CLAIM(T12) {
  const auto generic = generic_examples();
  const auto entropic = entropic_examples();
  const auto branch = [](const ExampleA& a) { return sharper_at(a.t) ? "sharper" : "flatter"; };
  const auto t_value = [](const ExampleA& a) { return a.t; };
  const auto samples = [](const ExampleA& a) { return a.inputs(); };
  const auto rho_above_2 = [](const ExampleA& a) { return a.rho() > 2; };
  return Claim("T12", "Sharpness versus flatness")
      .provenance(Provenance::paper)
      .kind("exact at an optimum")
      .part("spectrum", "Example A: det(x I - H) = x (x - s1 (q + 1/q)) (x - q s2), H = E J^T J", generic)
          .observe(hessian_spectrum)
          .predict(catalog_spectrum)
          .mutant("inverse-q", "Example A: third eigenvalue s2/q, not q s2", spectrum_inverse_q)
          .degenerate("q = 1 (norm balance: q and 1/q agree)", [](const ExampleA& a) { return a.u * a.u == 1; })
          .nondegenerate("the generator draws u^2 != 1 (suchThat); p, r_k, sigma > 0")
          .feature("inputs", samples).feature("rho > 2", rho_above_2)
      .part("entropic-point", "Example A: the entropic point q_e = (1 + rho)^{-1/2} minimizes Tr H", entropic)
          .check(entropic_point)
          .mutant("norm-balance", "Example A: norm balance q = 1 minimizes Tr H", norm_balance_minimizes_trace)
          .degenerate("u^2 = q_e (the comparison point is the entropic point)",
                      [](const ExampleA& a) { return a.u * a.u * a.t * a.t == 1; })
          .nondegenerate("the generator draws u^2 != q_e (suchThat) and t > 1 (q_e != 1)")
          .feature("branch", branch).feature("t", t_value)
      .part("sign-rule", "Example A: sharper iff rho^3 - 4 rho - 4 < 0", entropic)
          .check(sign_rule)
          .mutant("minimizes-lambda-max", "the entropic force minimizes lambda_max (lambda_max(q_e) <= lambda_max(1))",
                  lambda_max_minimized)
          .degenerate("t = 1 (rho = 0: q_e = 1, both points coincide)", [](const ExampleA& a) { return a.t == 1; })
          .nondegenerate("t = n/d > 1 by construction; rho^3 - 4 rho - 4 has no rational root, so every instance is "
                         "strictly on one branch (drawn first: sharper in two draws of three, flatter otherwise)")
          .feature("branch", branch).feature("t", t_value).feature("inputs", samples)
      .part("phi1-trace", "phi_1^(S) = sigma^2/(4S) Tr H at a label-noise minimum; sigma^2/(2S) Tr H for ||f - y||^2",
            generic)
          .observe(phi1_by_enumeration)
          .predict(trace_law(4, 2))
          .mutant("half-loss-2s", "phi_1 = sigma^2/(2S) Tr H for the 1/2 loss", trace_law(2, 2))
          .mutant("squared-error-4s", "phi_1 = sigma^2/(4S) Tr H also for ||f - y||^2", trace_law(4, 4))
          .degenerate("Tr H = 0 (every x = 0)", [](const ExampleA& a) { return a.s1() == 0 && a.s2() == 0; })
          .nondegenerate("p, r_k, sigma > 0: Tr H > 0 and sigma^2 > 0")
          .feature("inputs", samples)
      .part("example-b", "Example B: anisotropic noise, w_e^4 = s1/(s1 + s2), lambda_max(w_e) = w_e^2 + w_e^-2",
            t12::examples_b())
          .check(t12::example_b)
          .mutant("proportional", "Example B: phi_1 proportional to Tr H also for anisotropic noise",
                  t12::phi1_proportional_to_trace)
          .degenerate("w^2 = w_e^2 (the comparison point is the entropic point)",
                      [](const t12::ExampleB& b) { return b.w * b.w * b.m * b.m == b.k * b.k; })
          .nondegenerate("the generator draws w^2 != w_e^2 (suchThat)")
          .feature("m", [](const t12::ExampleB& b) { return b.m; })
          .feature("k", [](const t12::ExampleB& b) { return b.k; })
      .part("isotropic", "isotropic input: ||u||^2 = d w^2, lambda_max = ||v|| (1 + d)/sqrt(d) >= 2 ||v||",
            t12::isotropic_examples())
          .check(t12::isotropic)
          .mutant("flattest", "isotropic input: the entropic point is the flattest (lambda_max = 2 ||v||)",
                  t12::isotropic_flattest)
          .degenerate("d = 1 (lambda_max = 2 ||v||: the entropic point is the flattest)",
                      [](const t12::Isotropic& i) { return i.d() == 1; })
          .degenerate("w^2 = w_e^2 (the comparison point is the entropic point)",
                      [](const t12::Isotropic& i) { return i.w * i.w == i.a * i.a; })
          .nondegenerate("the generator draws d = 4 or 9 and w^2 != w_e^2 (suchThat)")
          .feature("d", [](const t12::Isotropic& i) { return i.d(); });
}

}  // namespace entropic
