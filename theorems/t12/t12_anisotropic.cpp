// T12 — Sharpness versus flatness: Example B (anisotropic label noise) and isotropic d-dimensional
// input (catalog T12; the claim is in t12_sharpness_flatness.cpp).
#include "t12/t12_anisotropic.hpp"

#include "entropic/gen/generators.hpp"
#include "entropic/metrics/hessian.hpp"
#include "entropic/numeric/polynomial.hpp"
#include "entropic/verify/compare.hpp"

namespace entropic::t12 {

// ---- Example B -------------------------------------------------------------------------------------

// f = U w x with x in {1, -1} (E x^2 = 1), targets V* x + eps, V* = (1, 0)^T, Sigma_eps = diag(s1, s2)
// realised by (+-k^2, 0) once and (0, +-1) m^4 - k^4 times each, so s1/(s1 + s2) = (k/m)^4 and the
// entropic point w_e^4 = s1/(s1 + s2) is w_e = k/m. On the manifold U w = V*, theta(w) = (w, 1/w, 0):
//     phi_1 = 1/4 (w^2 (s1 + s2) + s1/w^2),  Tr H = 2 w^2 + 1/w^2,  spec H = {0, w^2, w^2 + 1/w^2},
// so lambda_max(w_e) = (k/m)^2 + (m/k)^2 grows without bound as s1/s2 -> 0.
namespace {

ModelSpec spec_b() {
  ModelSpec s;
  s.kind = ModelKind::deep_linear;
  s.widths = {1, 1, 2};  // W1 = w, W2 = U
  return s;
}
DataSet<Rational> data_b(const ExampleB& b) {
  Mat<Rational> xs(2, 1), V(2, 1), noise = Mat<Rational>::Zero(2 + 2 * b.copies(), 2);
  xs << 1, -1;
  V << 1, 0;
  noise(0, 0) = b.k * b.k;
  noise(1, 0) = -b.k * b.k;
  for (int i = 0; i < b.copies(); ++i) noise(2 + 2 * i, 1) = 1, noise(3 + 2 * i, 1) = -1;
  return product_data<Rational>(xs, V, noise);
}
Vec<Rational> point_b(const Rational& w) {
  Vec<Rational> theta(3);
  theta << w, 1 / w, 0;
  return theta;
}

// phi_1 = 1/4 E_i ||g_i||^2 (S = 1) and H at theta(w), at the comparison point and at w_e, with the
// catalog's formulas checked at both.
struct ExampleBValues {
  Rational phi[2], trH[2];
  std::vector<Verdict> formulas;
};
ExampleBValues example_b_values(const ExampleB& b) {
  const DataSet<Rational> data = data_b(b);
  const auto model = make_model<Rational>(spec_b());
  const Rational we(b.k, b.m), s1 = b.s1(), s2 = b.s2();
  ExampleBValues out;
  const Rational at[2] = {b.w, we};
  for (int i = 0; i < 2; ++i) {
    const Rational w = at[i], w2 = w * w;
    const std::string where = " at w = " + to_text(w);
    const Mat<Rational> H = hessian<Rational>(spec_b(), data, Model<Rational>::all(data), point_b(w));
    Rational sum = 0;
    for (int j = 0; j < data.size(); ++j) sum += model->gradient(point_b(w), data, Batch{j}).squaredNorm();
    out.phi[i] = sum / (4 * data.size());
    out.trH[i] = H.trace();
    out.formulas.push_back(compare<Rational>(out.phi[i], Rational((w2 * (s1 + s2) + s1 / w2) / 4),
                                             "phi_1 = 1/4 (w^2 (s1 + s2) + s1/w^2)" + where));
    out.formulas.push_back(compare<Rational>(out.trH[i], Rational(2 * w2 + 1 / w2), "Tr H = 2 w^2 + 1/w^2" + where));
    out.formulas.push_back(compare<Rational>(characteristic_polynomial(H),
                                             polynomial_from_roots<Rational>({Rational(0), w2, Rational(w2 + 1 / w2)}),
                                             "det(x I - H) = x (x - w^2)(x - w^2 - 1/w^2)" + where));
  }
  return out;
}

}  // namespace

std::string ExampleB::show() const {
  return "s1 = " + to_text(s1()) + ", s2 = " + to_text(s2()) + " (k = " + std::to_string(k) + ", m = " +
         std::to_string(m) + "), w = " + to_text(w);
}

// m = 2 or 3, k in [1, m); w^2 != w_e^2 = (k/m)^2, where phi_1(w) > phi_1(w_e) would be an equality
// and the mutant "proportional" would hold trivially.
rc::Gen<ExampleB> examples_b() {
  const auto candidates = rc::gen::mapcat(gen::in_range(2, 4), [](int m) {
    return rc::gen::apply(
        [m](int k, Rational w) {
          ExampleB b;
          b.k = k, b.m = m, b.w = w;
          return b;
        },
        gen::in_range(1, m), gen::nonzero_rational());
  });
  return rc::gen::suchThat(candidates, [](const ExampleB& b) { return b.w * b.w * b.m * b.m != b.k * b.k; });
}

// The formulas at w and w_e; phi_1(w) >= phi_1(w_e) (equality only at w^2 = w_e^2); w_e^4 = s1/(s1 + s2).
Verdict example_b(const ExampleB& b) {
  ExampleBValues v = example_b_values(b);
  const Rational we(b.k, b.m), s1 = b.s1(), s2 = b.s2();
  v.formulas.push_back(b.w * b.w == we * we
                           ? compare<Rational>(v.phi[0], v.phi[1], "phi_1(w) = phi_1(w_e) at w^2 = w_e^2")
                           : certainly_positive<Rational>(Rational(v.phi[0] - v.phi[1]), "phi_1(w) - phi_1(w_e) > 0"));
  v.formulas.push_back(
      compare<Rational>(Rational(we * we * we * we), Rational(s1 / (s1 + s2)), "w_e^4 = s1/(s1 + s2)"));
  return all_of(v.formulas);
}

// Mutant: phi_1 is proportional to Tr H also for anisotropic noise: phi_1(w) Tr H(w_e) = phi_1(w_e) Tr H(w).
Verdict phi1_proportional_to_trace(const ExampleB& b) {
  const ExampleBValues v = example_b_values(b);
  return compare<Rational>(Rational(v.phi[0] * v.trH[1]), Rational(v.phi[1] * v.trH[0]),
                           "phi_1(w) Tr H(w_e) = phi_1(w_e) Tr H(w)");
}

// ---- isotropic d-dimensional input -----------------------------------------------------------------

// f = w u^T x with Sigma_x = I_d (inputs sqrt(d) e_k, d in {1, 4, 9}), targets v^T x + eps, noise
// +-sigma. On the manifold w u = v, Tr H = d w^2 + ||v||^2/w^2 is minimized at w_e^2 = ||v||/sqrt(d),
// where ||u||^2 = d w^2, spec H = {0, w^2 (d - 1 times), w^2 + ||u||^2} and
// lambda_max = ||v|| (1 + d)/sqrt(d) >= 2 ||v||. Instance: ||v|| = sqrt(d) a^2 so that w_e = a;
// v = ||v|| R e1 for a rational rotation R.
namespace {

ModelSpec spec_isotropic(const Isotropic& i) {
  ModelSpec s;
  s.kind = ModelKind::deep_linear;
  s.widths = {i.d(), 1, 1};  // W1 = u^T, W2 = w
  return s;
}
DataSet<Rational> data_isotropic(const Isotropic& i) {
  Mat<Rational> noise(2, 1);
  noise << 1, -1;  // sigma = 1
  return product_data<Rational>(Mat<Rational>(i.root * Mat<Rational>::Identity(i.d(), i.d())),
                                Mat<Rational>(i.v().transpose()), noise);
}
// (u, w) = (v/w, w).
Vec<Rational> point_isotropic(const Isotropic& i, const Rational& at) {
  Vec<Rational> theta(i.d() + 1);
  theta << i.v() / at, at;
  return theta;
}

// H at w_e, lambda_max = w^2 + ||u||^2 (its largest root), and det(x I - H) checked against
// x (x - w^2)^{d-1} (x - w^2 - ||u||^2).
struct IsotropicSpectrum {
  Mat<Rational> H;
  Rational w2, u2, lmax;
  Verdict spectrum;
};
IsotropicSpectrum spectrum_at_entropic_point(const Isotropic& i) {
  const DataSet<Rational> data = data_isotropic(i);
  const Vec<Rational> theta_e = point_isotropic(i, i.a);
  IsotropicSpectrum s;
  s.H = hessian<Rational>(spec_isotropic(i), data, Model<Rational>::all(data), theta_e);
  s.w2 = i.a * i.a;
  s.u2 = theta_e.head(i.d()).squaredNorm();
  s.lmax = s.w2 + s.u2;
  std::vector<Rational> roots(i.d() - 1, s.w2);
  roots.push_back(0);
  roots.push_back(s.w2 + s.u2);
  s.spectrum = compare<Rational>(characteristic_polynomial(s.H), polynomial_from_roots(roots),
                                 "det(x I - H) = x (x - w^2)^{d-1} (x - w^2 - ||u||^2) at w_e");
  return s;
}

}  // namespace

std::string Isotropic::show() const {
  return "d = " + std::to_string(d()) + ", v = " + gen::show(v()) + ", w_e = " + to_text(a) + ", w = " + to_text(w);
}

// d = root^2 in {4, 9} (at d = 1 lambda_max(w_e) = 2 ||v||: the entropic point is the flattest, and the
// mutant "flattest" holds); w^2 != w_e^2 = a^2.
rc::Gen<Isotropic> isotropic_examples() {
  const auto candidates = rc::gen::mapcat(gen::in_range(2, 4), [](int root) {
    return rc::gen::apply(
        [root](Rational a, Rational w, Mat<Rational> R) {
          Isotropic i;
          i.root = root, i.a = a, i.w = w, i.R = R;
          return i;
        },
        gen::positive_rational(), gen::nonzero_rational(), gen::cayley_rotation(root * root));
  });
  return rc::gen::suchThat(candidates, [](const Isotropic& i) { return i.w * i.w != i.a * i.a; });
}

// At w_e: ||u||^2 = d w^2, lambda_max = ||v|| (1 + d)/sqrt(d) >= 2 ||v||; and Tr H(w) >= Tr H(w_e)
// (equality only at w^2 = w_e^2).
Verdict isotropic(const Isotropic& i) {
  const IsotropicSpectrum s = spectrum_at_entropic_point(i);
  const DataSet<Rational> data = data_isotropic(i);
  const Rational nv = i.norm_v(), gap = s.lmax - 2 * nv;
  const Rational te = s.H.trace(),
                 tw = hessian<Rational>(spec_isotropic(i), data, Model<Rational>::all(data), point_isotropic(i, i.w))
                          .trace();
  const std::string flatness = "lambda_max(w_e) - 2 ||v|| >= 0";
  return all_of({s.spectrum, compare<Rational>(s.u2, Rational(i.d() * s.w2), "||u||^2 = d w^2 at w_e"),
                 compare<Rational>(s.lmax, Rational(nv * (1 + i.d()) / i.root), "lambda_max = ||v|| (1 + d)/sqrt(d)"),
                 compare<Rational>(tw, Rational(i.d() * i.w * i.w + nv * nv / (i.w * i.w)),
                                   "Tr H(w) = d w^2 + ||v||^2/w^2"),
                 i.w * i.w == s.w2 ? compare<Rational>(tw, te, "Tr H(w) = Tr H(w_e) at w^2 = w_e^2")
                                   : certainly_positive<Rational>(Rational(tw - te), "Tr H(w) - Tr H(w_e) > 0"),
                 gap >= 0 ? Verdict::holds(Arithmetic::rational(), to_text(gap), flatness)
                          : Verdict::violated(Arithmetic::rational(), to_text(gap), flatness)});
}

// Mutant: the entropic point is as flat as the manifold allows, lambda_max(w_e) = 2 ||v||.
Verdict isotropic_flattest(const Isotropic& i) {
  const IsotropicSpectrum s = spectrum_at_entropic_point(i);
  return all_of({s.spectrum, compare<Rational>(s.lmax, Rational(2 * i.norm_v()), "lambda_max(w_e) = 2 ||v||")});
}

}  // namespace entropic::t12
