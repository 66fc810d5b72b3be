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
// lambda_max(w_e) = w_e^2 + w_e^-2, arbitrarily sharp as s1/s2 -> 0; details at ExampleB below.
// Isotropic d-dimensional input (f = w u^T x): ||u||^2 = d w^2 and lambda_max = ||v|| (1 + d)/sqrt(d)
// at the entropic point; details at Isotropic below.
#include <algorithm>

#include "entropic/metrics/hessian.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"

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
};

rc::Gen<ExampleA> generic_examples() {
  return rc::gen::apply(
      [](Rational p, Rational r, int m1, int m2, Rational sigma, Rational u) {
        ExampleA a;
        a.p = p, a.r = r, a.m1 = m1, a.m2 = m2, a.sigma = sigma, a.u = u;
        return a;
      },
      gen::positive_rational(), gen::positive_rational(), rc::gen::inRange(1, 4), rc::gen::inRange(1, 4),
      gen::positive_rational(), gen::nonzero_rational());
}

// 1 + rho = t^4, t = n/d > 1; u is a comparison point on the manifold.
rc::Gen<ExampleA> entropic_examples() {
  return rc::gen::mapcat(rc::gen::inRange(2, 5), [](int n) {
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
        rc::gen::inRange(1, n), gen::positive_rational(), gen::positive_rational(), gen::nonzero_rational());
  });
}

std::string show_example(const ExampleA& a) {
  return "x: " + std::to_string(a.m1) + " x (" + to_text(a.p) + ", 0), " + std::to_string(a.m2) + " x (0, " +
         to_text(a.r) + "); s1 = " + to_text(a.s1()) + ", s2 = " + to_text(a.s2()) + ", rho = " + to_text(a.rho()) +
         ", sigma = " + to_text(a.sigma) + ", u = " + to_text(a.u) + (a.t > 0 ? ", t = " + to_text(a.t) : "");
}

// The exact Hessian of L at theta.
Mat<Rational> hessian_at(const ExampleA& a, const Vec<Rational>& theta) {
  const DataSet<Rational> data = a.data();
  return hessian<Rational>(ExampleA::spec(), data, Model<Rational>::all(data), theta);
}

// det(x I - M) by Faddeev-LeVerrier: coefficients c_0 .. c_n (c_n = 1), exact.
std::vector<Rational> characteristic_polynomial(const Mat<Rational>& M) {
  const Eigen::Index n = M.rows();
  std::vector<Rational> c(n + 1);
  c[n] = 1;
  Mat<Rational> Mk = Mat<Rational>::Zero(n, n);
  const Mat<Rational> I = Mat<Rational>::Identity(n, n);
  for (Eigen::Index k = 1; k <= n; ++k) {
    Mk = M * Mk + c[n - k + 1] * I;
    c[n - k] = -Rational((M * Mk).trace()) / Rational(static_cast<int>(k));
  }
  return c;
}

// prod_i (x - root_i).
std::vector<Rational> from_roots(const std::vector<Rational>& roots) {
  std::vector<Rational> c{1};
  for (const Rational& z : roots) {
    std::vector<Rational> next(c.size() + 1, Rational(0));
    for (size_t i = 0; i < c.size(); ++i) {
      next[i + 1] += c[i];
      next[i] -= z * c[i];
    }
    c = next;
  }
  return c;
}

Vec<Rational> as_vec(const std::vector<Rational>& c) {
  Vec<Rational> v(c.size());
  for (size_t i = 0; i < c.size(); ++i) v[i] = c[i];
  return v;
}

// Hessian eigenvalues at theta(u) by the catalog: 0, s1 (q + 1/q), q s2.
std::vector<Rational> predicted_spectrum(const ExampleA& a, const Rational& u) {
  const Rational q = u * u;
  return {Rational(0), Rational(a.s1() * (q + 1 / q)), Rational(q * a.s2())};
}

// det(x I - H(theta(u))) = x (x - s1 (q + 1/q)) (x - q s2), and H = E J^T J with J = (u x, w . x).
Verdict spectrum_at(const ExampleA& a, const Rational& u, const std::string& where) {
  const Mat<Rational> H = hessian_at(a, ExampleA::point(u));
  const DataSet<Rational> data = a.data();
  Mat<Rational> JJ = Mat<Rational>::Zero(3, 3);
  for (int i = 0; i < data.size(); ++i) {
    Vec<Rational> J(3);
    J << u * data.X(i, 0), u * data.X(i, 1), data.X(i, 0) / u;
    JJ += J * J.transpose() / Rational(data.size());
  }
  return all_of({compare<Rational>(as_vec(characteristic_polynomial(H)), as_vec(from_roots(predicted_spectrum(a, u))),
                                   "det(x I - H) = x (x - s1 (q + 1/q)) (x - q s2) at " + where),
                 compare_entries<Rational>(H, JJ, "H = E J^T J at " + where)});
}

Verdict hessian_spectrum(const ExampleA& a) { return spectrum_at(a, a.u, "u = " + to_text(a.u)); }

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

// lambda_max at theta(u), read off the characteristic polynomial of the exact Hessian: it is checked
// to be x (x - a)(x - b) for the catalog's a, b, so lambda_max = max(a, b).
std::pair<Rational, Verdict> lambda_max(const ExampleA& a, const Rational& u, const std::string& where) {
  const std::vector<Rational> spec = predicted_spectrum(a, u);
  return {*std::max_element(spec.begin(), spec.end()), spectrum_at(a, u, where)};
}

// Sharper (lambda_max(q_e) > lambda_max(1)) iff rho^3 - 4 rho - 4 < 0, flatter iff > 0; with
// lambda_max(q_e) = s1 (2 + rho)/sqrt(1 + rho) and lambda_max(1) = s1 max(2, rho).
// The mutant claims the entropic force minimizes lambda_max: lambda_max(q_e) <= lambda_max(1).
Verdict sign_rule(const ExampleA& a, bool claim_minimizes_lambda_max) {
  const Rational rho = a.rho(), s1 = a.s1();
  const auto [le, ve] = lambda_max(a, 1 / a.t, "q_e");
  const auto [l1, v1] = lambda_max(a, Rational(1), "q = 1");
  const Rational cubic = rho * rho * rho - 4 * rho - 4;
  if (claim_minimizes_lambda_max)
    return all_of({ve, v1,
                   Verdict{le <= l1 ? Outcome::holds : Outcome::violated, "rational", Evidence::exact,
                           to_text(Rational(le - l1)), "lambda_max(q_e) - lambda_max(1) <= 0"}});
  const int sharper = le > l1 ? 1 : (le < l1 ? -1 : 0);
  const int predicted = cubic < 0 ? 1 : (cubic > 0 ? -1 : 0);
  return all_of({ve, v1,
                 compare<Rational>(le, Rational(s1 * (2 + rho) / (a.t * a.t)),
                                   "lambda_max(q_e) = s1 (2 + rho)/sqrt(1 + rho)"),
                 compare<Rational>(l1, Rational(s1 * std::max(Rational(2), rho)), "lambda_max(1) = s1 max(2, rho)"),
                 certainly_nonzero<Rational>(cubic, "rho^3 - 4 rho - 4 != 0"),
                 compare<Rational>(Rational(sharper), Rational(predicted),
                                   "sign(lambda_max(q_e) - lambda_max(1)) = -sign(rho^3 - 4 rho - 4) (cubic = " +
                                       to_text(cubic) + ")")});
}

// phi_1^(S) = 1/4 E_B ||g_B||^2 over all N^S ordered batches (indices with replacement, kappa = 1/S),
// at the label-noise minimum theta(u), for S = 1, 2:
//   phi_1^(S) = 1/(4S) sigma^2 E||J||^2 = sigma^2/(4S) Tr H, and for l = ||f - y||^2 (gradient 2 g_B,
//   Hessian 2 H) phi_1^(S) = sigma^2/(2S) Tr(2 H).
// The mutant claims phi_1^(S) = sigma^2/(2S) Tr H for the 1/2 loss.
Verdict phi1_trace_identity(const ExampleA& a, bool claim_half) {
  const DataSet<Rational> data = a.data();
  const auto model = make_model<Rational>(ExampleA::spec());
  const Vec<Rational> theta = ExampleA::point(a.u);
  const Rational trH = hessian_at(a, theta).trace();
  Rational EJ2 = 0;
  for (int i = 0; i < data.size(); ++i)
    EJ2 += (a.u * a.u * data.x(i).squaredNorm() + data.X(i, 0) * data.X(i, 0) / (a.u * a.u)) / Rational(data.size());
  const int n = data.size();
  std::vector<Verdict> verdicts;
  for (int S = 1; S <= 2; ++S) {
    Rational sum = 0;
    int batches = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < (S == 2 ? n : 1); ++j) {
        const Batch b = S == 1 ? Batch{i} : Batch{i, j};
        sum += model->gradient(theta, data, b).squaredNorm();
        ++batches;
      }
    const Rational phi1 = sum / (4 * batches);
    const std::string s = " (S = " + std::to_string(S) + ")";
    const Rational sigma2 = a.sigma * a.sigma;
    if (claim_half) {
      verdicts.push_back(compare<Rational>(phi1, Rational(sigma2 / (2 * S) * trH), "phi_1 = sigma^2/(2S) Tr H" + s));
      continue;
    }
    verdicts.push_back(compare<Rational>(phi1, Rational(sigma2 / (4 * S) * EJ2),
                                         "phi_1 = 1/(4S) Tr(Sigma_eps E J J^T)" + s));
    verdicts.push_back(compare<Rational>(phi1, Rational(sigma2 / (4 * S) * trH), "phi_1 = sigma^2/(4S) Tr H" + s));
    verdicts.push_back(compare<Rational>(Rational(4 * phi1), Rational(sigma2 / (2 * S) * (2 * trH)),
                                         "for ||f - y||^2: phi_1 = sigma^2/(2S) Tr H" + s));
  }
  return all_of(verdicts);
}

// ---- Example B -------------------------------------------------------------------------------------

// f = U w x with x in {1, -1} (E x^2 = 1), targets V* x + eps, V* = (1, 0)^T, Sigma_eps = diag(s1, s2)
// realised by (+-k^2, 0) once and (0, +-1) m^4 - k^4 times each, so s1/(s1 + s2) = (k/m)^4 and the
// entropic point w_e^4 = s1/(s1 + s2) is w_e = k/m. On the manifold U w = V*, theta(w) = (w, 1/w, 0):
//     phi_1 = 1/4 (w^2 (s1 + s2) + s1/w^2),  Tr H = 2 w^2 + 1/w^2,  spec H = {0, w^2, w^2 + 1/w^2},
// so lambda_max(w_e) = (k/m)^2 + (m/k)^2 grows without bound as s1/s2 -> 0.
struct ExampleB {
  int k = 1, m = 2;
  Rational w;  // a comparison point on the manifold
  int copies() const { return m * m * m * m - k * k * k * k; }
  Rational s1() const { return Rational(k * k * k * k, 1 + copies()); }
  Rational s2() const { return Rational(copies(), 1 + copies()); }
  static ModelSpec spec() {
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {1, 1, 2};  // W1 = w, W2 = U
    return s;
  }
  DataSet<Rational> data() const {
    Mat<Rational> xs(2, 1), V(2, 1), noise = Mat<Rational>::Zero(2 + 2 * copies(), 2);
    xs << 1, -1;
    V << 1, 0;
    noise(0, 0) = k * k;
    noise(1, 0) = -k * k;
    for (int i = 0; i < copies(); ++i) noise(2 + 2 * i, 1) = 1, noise(3 + 2 * i, 1) = -1;
    return product_data<Rational>(xs, V, noise);
  }
  static Vec<Rational> point(const Rational& w) {
    Vec<Rational> theta(3);
    theta << w, 1 / w, 0;
    return theta;
  }
};

rc::Gen<ExampleB> examples_b() {
  return rc::gen::mapcat(rc::gen::inRange(2, 4), [](int m) {
    return rc::gen::apply(
        [m](int k, Rational w) {
          ExampleB b;
          b.k = k, b.m = m, b.w = w;
          return b;
        },
        rc::gen::inRange(1, m), gen::nonzero_rational());
  });
}

std::string show_b(const ExampleB& b) {
  return "s1 = " + to_text(b.s1()) + ", s2 = " + to_text(b.s2()) + " (k = " + std::to_string(b.k) +
         ", m = " + std::to_string(b.m) + "), w = " + to_text(b.w);
}

// phi_1 = 1/4 E_i ||g_i||^2 (S = 1) at theta(w).
Rational phi1_b(const ExampleB& b, const DataSet<Rational>& data, const Rational& w) {
  const auto model = make_model<Rational>(ExampleB::spec());
  Rational sum = 0;
  for (int i = 0; i < data.size(); ++i) sum += model->gradient(ExampleB::point(w), data, Batch{i}).squaredNorm();
  return sum / (4 * data.size());
}

// The formulas above at w and w_e; phi_1(w) >= phi_1(w_e) (equality only at w^2 = w_e^2);
// lambda_max(w_e) = (k/m)^2 + (m/k)^2. The mutant claims phi_1 is proportional to Tr H also for
// anisotropic noise: phi_1(w) Tr H(w_e) = phi_1(w_e) Tr H(w).
Verdict example_b(const ExampleB& b, bool claim_proportional) {
  const DataSet<Rational> data = b.data();
  const Rational we(b.k, b.m), s1 = b.s1(), s2 = b.s2();
  std::vector<Verdict> verdicts;
  Rational phi[2], trH[2];
  const Rational at[2] = {b.w, we};
  for (int i = 0; i < 2; ++i) {
    const Rational w = at[i], w2 = w * w;
    const std::string where = " at w = " + to_text(w);
    const Mat<Rational> H = hessian<Rational>(ExampleB::spec(), data, Model<Rational>::all(data), ExampleB::point(w));
    phi[i] = phi1_b(b, data, w);
    trH[i] = H.trace();
    verdicts.push_back(compare<Rational>(phi[i], Rational((w2 * (s1 + s2) + s1 / w2) / 4),
                                         "phi_1 = 1/4 (w^2 (s1 + s2) + s1/w^2)" + where));
    verdicts.push_back(compare<Rational>(trH[i], Rational(2 * w2 + 1 / w2), "Tr H = 2 w^2 + 1/w^2" + where));
    verdicts.push_back(compare<Rational>(as_vec(characteristic_polynomial(H)),
                                         as_vec(from_roots({Rational(0), w2, Rational(w2 + 1 / w2)})),
                                         "det(x I - H) = x (x - w^2)(x - w^2 - 1/w^2)" + where));
  }
  if (claim_proportional)
    return compare<Rational>(Rational(phi[0] * trH[1]), Rational(phi[1] * trH[0]),
                             "phi_1(w) Tr H(w_e) = phi_1(w_e) Tr H(w)");
  verdicts.push_back(b.w * b.w == we * we
                         ? compare<Rational>(phi[0], phi[1], "phi_1(w) = phi_1(w_e) at w^2 = w_e^2")
                         : certainly_positive<Rational>(Rational(phi[0] - phi[1]), "phi_1(w) - phi_1(w_e) > 0"));
  verdicts.push_back(compare<Rational>(Rational(we * we * we * we), Rational(s1 / (s1 + s2)), "w_e^4 = s1/(s1 + s2)"));
  return all_of(verdicts);
}

// ---- isotropic d-dimensional input -----------------------------------------------------------------

// f = w u^T x with Sigma_x = I_d (inputs sqrt(d) e_k, d in {1, 4, 9}), targets v^T x + eps, noise
// +-sigma. On the manifold w u = v, Tr H = d w^2 + ||v||^2/w^2 is minimized at w_e^2 = ||v||/sqrt(d),
// where ||u||^2 = d w^2, spec H = {0, w^2 (d - 1 times), w^2 + ||u||^2} and
// lambda_max = ||v|| (1 + d)/sqrt(d) >= 2 ||v||. Instance: ||v|| = sqrt(d) a^2 so that w_e = a;
// v = ||v|| R e1 for a rational rotation R.
struct Isotropic {
  int root = 1;  // sqrt(d)
  Rational a, w;  // w_e = a; w a comparison point
  Mat<Rational> R;
  int d() const { return root * root; }
  Rational norm_v() const { return root * a * a; }
  Vec<Rational> v() const { return norm_v() * R.col(0); }
  ModelSpec spec() const {
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {d(), 1, 1};  // W1 = u^T, W2 = w
    return s;
  }
  DataSet<Rational> data(const Rational& sigma) const {
    Mat<Rational> noise(2, 1);
    noise << sigma, -sigma;
    return product_data<Rational>(Mat<Rational>(root * Mat<Rational>::Identity(d(), d())),
                                  Mat<Rational>(v().transpose()), noise);
  }
  // (u, w) = (v/w, w).
  Vec<Rational> point(const Rational& at) const {
    Vec<Rational> theta(d() + 1);
    theta << v() / at, at;
    return theta;
  }
};

rc::Gen<Isotropic> isotropic_examples() {
  return rc::gen::mapcat(rc::gen::inRange(1, 4), [](int root) {
    return rc::gen::apply(
        [root](Rational a, Rational w, Mat<Rational> R) {
          Isotropic i;
          i.root = root, i.a = a, i.w = w, i.R = R;
          return i;
        },
        gen::positive_rational(), gen::nonzero_rational(), gen::cayley_rotation(root * root));
  });
}

std::string show_isotropic(const Isotropic& i) {
  return "d = " + std::to_string(i.d()) + ", v = " + gen::show(i.v()) + ", w_e = " + to_text(i.a) +
         ", w = " + to_text(i.w);
}

// At w_e: ||u||^2 = d w^2, det(x I - H) = x (x - w^2)^{d-1} (x - w^2 - ||u||^2), so lambda_max =
// ||v|| (1 + d)/sqrt(d) >= 2 ||v||; and Tr H(w) >= Tr H(w_e) (equality only at w^2 = w_e^2).
// The mutant claims the entropic point is as flat as the manifold allows: lambda_max(w_e) = 2 ||v||.
Verdict isotropic(const Isotropic& i, bool claim_flattest) {
  const DataSet<Rational> data = i.data(Rational(1));
  const Batch all = Model<Rational>::all(data);
  const Vec<Rational> theta_e = i.point(i.a);
  const Mat<Rational> H = hessian<Rational>(i.spec(), data, all, theta_e);
  const Rational w2 = i.a * i.a, u2 = theta_e.head(i.d()).squaredNorm(), nv = i.norm_v();
  std::vector<Rational> roots(i.d() - 1, w2);
  roots.push_back(0);
  roots.push_back(w2 + u2);
  const Rational lmax = w2 + u2;  // the largest root
  const Verdict spectrum = compare<Rational>(as_vec(characteristic_polynomial(H)), as_vec(from_roots(roots)),
                                             "det(x I - H) = x (x - w^2)^{d-1} (x - w^2 - ||u||^2) at w_e");
  if (claim_flattest) return all_of({spectrum, compare<Rational>(lmax, Rational(2 * nv), "lambda_max(w_e) = 2 ||v||")});
  const Rational te = H.trace(), tw = hessian<Rational>(i.spec(), data, all, i.point(i.w)).trace();
  return all_of({spectrum, compare<Rational>(u2, Rational(i.d() * w2), "||u||^2 = d w^2 at w_e"),
                 compare<Rational>(lmax, Rational(nv * (1 + i.d()) / i.root), "lambda_max = ||v|| (1 + d)/sqrt(d)"),
                 compare<Rational>(tw, Rational(i.d() * i.w * i.w + nv * nv / (i.w * i.w)),
                                   "Tr H(w) = d w^2 + ||v||^2/w^2"),
                 i.w * i.w == w2 ? compare<Rational>(tw, te, "Tr H(w) = Tr H(w_e) at w^2 = w_e^2")
                                 : certainly_positive<Rational>(Rational(tw - te), "Tr H(w) - Tr H(w_e) > 0"),
                 Verdict{lmax >= 2 * nv ? Outcome::holds : Outcome::violated, "rational", Evidence::exact,
                         to_text(Rational(lmax - 2 * nv)), "lambda_max(w_e) - 2 ||v|| >= 0"}});
}

}  // namespace

ENTROPIC_CLAIM(T12) {
  const auto generic = generic_examples();
  const auto entropic = entropic_examples();
  return Claim("T12", "Sharpness versus flatness")
      .provenance(Provenance::paper)
      .kind("exact at an optimum")
      .part("Example A: det(x I - H) = x (x - s1 (q + 1/q)) (x - q s2), H = E J^T J", generic, hessian_spectrum,
            show_example)
      .part("Example A: the entropic point q_e = (1 + rho)^{-1/2} minimizes Tr H", entropic, entropic_point,
            show_example)
      .part("Example A: sharper iff rho^3 - 4 rho - 4 < 0", entropic,
            [](const ExampleA& a) { return sign_rule(a, false); }, show_example)
      .part("phi_1^(S) = sigma^2/(4S) Tr H at a label-noise minimum", generic,
            [](const ExampleA& a) { return phi1_trace_identity(a, false); }, show_example)
      .part("Example B: anisotropic noise, w_e^4 = s1/(s1 + s2), lambda_max(w_e) = w_e^2 + w_e^-2", examples_b(),
            [](const ExampleB& b) { return example_b(b, false); }, show_b)
      .part("isotropic input: ||u||^2 = d w^2, lambda_max = ||v|| (1 + d)/sqrt(d) >= 2 ||v||", isotropic_examples(),
            [](const Isotropic& i) { return isotropic(i, false); }, show_isotropic)
      .mutant("the entropic force minimizes lambda_max (lambda_max(q_e) <= lambda_max(1))", entropic,
              [](const ExampleA& a) { return sign_rule(a, true); }, show_example)
      .mutant("phi_1 = sigma^2/(2S) Tr H for the 1/2 loss", generic,
              [](const ExampleA& a) { return phi1_trace_identity(a, true); }, show_example)
      .mutant("Example B: phi_1 proportional to Tr H also for anisotropic noise", examples_b(),
              [](const ExampleB& b) { return example_b(b, true); }, show_b)
      .mutant("isotropic input: the entropic point is the flattest (lambda_max = 2 ||v||)", isotropic_examples(),
              [](const Isotropic& i) { return isotropic(i, true); }, show_isotropic);
}

}  // namespace entropic
