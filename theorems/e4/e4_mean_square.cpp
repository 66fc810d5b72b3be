// E4: SGD in mean square (1-D and the operator T(M) in d dimensions) and the uw example (the
// formulas: e4_linear_stability.cpp).
#include "e4/e4_parts.hpp"
#include "entropic/metrics/hessian.hpp"
#include "entropic/theory/linear_stability.hpp"
#include "entropic/verify/compare.hpp"

namespace entropic::e4 {
namespace {

// x >= 0, exactly; the residual is x itself.
Verdict nonnegative(const Rational& x, const std::string& what) {
  return x >= 0 ? Verdict::holds(Arithmetic::rational(), to_text(x), what)
                : Verdict::violated(Arithmetic::rational(), to_text(x), what);
}

}  // namespace

// --- SGD mean-square stability (1-D) --------------------------------------------------------------

rc::Gen<MeanSquareCase> mean_square_cases() {
  return rc::gen::exec([]() {
    MeanSquareCase c;
    const int n = *gen::in_range(2, 5);
    c.x = *rc::gen::container<std::vector<Rational>>(n, gen::rational(4, 3));
    // Unequal curvatures x_i^2: otherwise s^2 = 0 and the noise term vanishes.
    if (curvatures_equal(c)) c.x[1] = c.x[0] == 0 ? Rational(1) : Rational(2 * c.x[0]);
    c.eta = *gen::step_size(Rational(1, 1));
    c.lambda = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size(Rational(1, 2)));
    c.theta = *gen::nonzero_rational(4, 4);
    c.batch = *gen::in_range(2, n + 1);
    return c;
  });
}

bool curvatures_equal(const MeanSquareCase& c) {
  for (const Rational& v : c.x)
    if (v * v != c.x[0] * c.x[0]) return false;
  return true;
}

namespace {
constexpr Sampling kSamplings[] = {Sampling::with_replacement, Sampling::without_replacement};
std::string sampling_name(Sampling s) {
  return s == Sampling::with_replacement ? "with replacement" : "without replacement";
}
MeanSquareCase with_sampling(MeanSquareCase c, Sampling s) {
  c.sampling = s;
  return c;
}

// E_B theta'^2 / theta^2 over every batch of the optimizer's actual step.
Rational enumerated_factor_of(const MeanSquareCase& c) {
  const int n = c.samples();
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1};
  const auto model = make_model<Rational>(spec);
  Mat<Rational> X(n, 1);
  for (int i = 0; i < n; ++i) X(i, 0) = c.x[i];
  const DataSet<Rational> data = finite_data<Rational>(X, Mat<Rational>::Zero(n, 1));
  const SgdConfig<Rational> cfg{c.eta, c.lambda, Rational(0), false, {}};
  const Vec<Rational> theta = Vec<Rational>::Constant(1, c.theta);
  return batch_expectation<Rational>(n, c.batch, c.sampling, [&](const Batch& b) {
           const Rational next = sgd_map(*model, data, b, cfg, theta)[0];
           return Rational(next * next);
         }) /
         (c.theta * c.theta);
}

// (1 - eta a)^2 + eta^2 s^2 kappa_S, a = mean h_i + lambda, s^2 = mean h_i^2 - (mean h_i)^2.
Rational factor_formula(const MeanSquareCase& c, const Rational& kappa) {
  Rational mean = 0, second = 0;
  for (const Rational& v : c.x) {
    mean += v * v / c.samples();
    second += v * v * v * v / c.samples();
  }
  return mean_square_factor<Rational>(c.eta, Rational(mean + c.lambda), Rational(second - mean * mean), kappa);
}
}  // namespace

// T for both samplings.
Quantities<Rational> enumerated_factor(const MeanSquareCase& c) {
  Quantities<Rational> out;
  for (Sampling s : kSamplings) out.push_back({"T, " + sampling_name(s), enumerated_factor_of(with_sampling(c, s))});
  return out;
}

std::function<Quantities<Rational>(const MeanSquareCase&)> mean_square_factor_with(Rational (*kappa)(const MeanSquareCase&)) {
  return [kappa](const MeanSquareCase& c) {
    Quantities<Rational> out;
    for (Sampling s : kSamplings) {
      const MeanSquareCase cs = with_sampling(c, s);
      out.push_back({"T, " + sampling_name(s), factor_formula(cs, kappa(cs))});
    }
    return out;
  };
}

bool mean_square_stable(const MeanSquareCase& c) {
  const MeanSquareCase cs = with_sampling(c, Sampling::with_replacement);
  return factor_formula(cs, catalog_kappa(cs)) <= 1;
}

// --- the operator T in d dimensions ------------------------------------------------------------------

// n >= 2 samples, not all x_i x_i^T equal (else the noise term is 0), M symmetric and != 0, and
// S < n without replacement (S = n is the full batch, kappa_S = 0).
rc::Gen<OperatorCase> operator_cases() {
  return rc::gen::exec([]() {
    OperatorCase c;
    const int d = *gen::in_range(1, 4), n = *gen::in_range(2, 5);
    c.X = *gen::matrix(n, d, gen::rational(3, 3));
    bool equal = true;
    for (int i = 1; i < n; ++i) equal = equal && (c.X.row(i).transpose() * c.X.row(i)) == (c.X.row(0).transpose() * c.X.row(0));
    if (equal) {
      if (c.X.row(0).isZero(0)) c.X(1, 0) = 1;
      else c.X.row(1) = 2 * c.X.row(0);
    }
    const Mat<Rational> A = *gen::matrix(d, d, gen::rational(3, 3));
    c.M = A + A.transpose();
    if (c.M.isZero(0)) c.M(0, 0) = 1;
    c.eta = *gen::step_size(Rational(1, 1));
    c.sampling = *rc::gen::element(Sampling::with_replacement, Sampling::without_replacement);
    c.batch = *gen::in_range(1, c.sampling == Sampling::with_replacement ? 4 : n);
    return c;
  });
}

bool operator_noise_vanishes(const OperatorCase& c) {
  if (catalog_kappa(c) == 0) return true;
  const Eigen::Index d = c.X.cols();
  Mat<Rational> H = Mat<Rational>::Zero(d, d);
  for (int i = 0; i < c.samples(); ++i) H += c.X.row(i).transpose() * c.X.row(i) / Rational(c.samples());
  Mat<Rational> noise = Mat<Rational>::Zero(d, d);
  for (int i = 0; i < c.samples(); ++i) {
    const Mat<Rational> C = c.X.row(i).transpose() * c.X.row(i) - H;
    noise += C * c.M * C;
  }
  return noise.isZero(0);
}

// E_B[(I - eta H_B) M (I - eta H_B)] over every batch, H_B the exact Hessian of the batch loss (the
// loss is quadratic: H_B does not depend on theta).
Mat<Rational> enumerated_operator(const OperatorCase& c) {
  const Eigen::Index d = c.X.cols();
  const Vec<Rational> theta = Vec<Rational>::Zero(d);
  const Mat<Rational> I = Mat<Rational>::Identity(d, d);
  return batch_expectation<Rational>(c.samples(), c.batch, c.sampling, [&](const Batch& b) {
    const Mat<Rational> step = I - c.eta * hessian<Rational>(c.spec(), c.data(), b, theta);
    return Mat<Rational>(step * c.M * step);
  });
}

// (I - eta H) M (I - eta H) + eta^2 kappa_S E_i[(H_i - H) M (H_i - H)] from the per-sample Hessians.
std::function<Mat<Rational>(const OperatorCase&)> operator_with(Rational (*kappa)(const OperatorCase&)) {
  return [kappa](const OperatorCase& c) {
    std::vector<Mat<Rational>> per_sample;
    for (int i = 0; i < c.samples(); ++i)
      per_sample.push_back(hessian<Rational>(c.spec(), c.data(), Batch{i}, Vec<Rational>::Zero(c.X.cols())));
    return mean_square_operator(c.eta, per_sample, kappa(c), c.M);
  };
}

// --- the uw example ---------------------------------------------------------------------------------

// u and w = +-u rho (rho = 1 reaches the balanced minimum u^2 = |y|); eta = c/|y|. The mode, drawn first
// (shrinking toward it): in one draw of two c in (1/2, 1) at the balanced minimum, where GD is stable
// (eta (u^2 + w^2) = 2 c < 2) although eta |y| > 1/2; otherwise c in (0, 3] at the balanced minimum or
// at rho in (0, 4].
rc::Gen<UwMinimum> uw_minima() {
  return rc::gen::exec([]() {
    UwMinimum m;
    const int mode = *gen::in_range(0, 4);
    m.u = *gen::nonzero_rational(4, 4);
    const Rational rho = mode < 3 ? Rational(1) : *gen::positive_rational(4, 4);
    m.w = (*rc::gen::arbitrary<bool>() ? 1 : -1) * m.u * rho;
    const Rational c = mode < 2 ? Rational(Rational(1, 2) + *gen::positive_rational(4, 9) / 10) : *gen::step_size(Rational(3));
    m.eta = c / abs(m.u * m.w);
    return m;
  });
}

// At (u, w) with uw = y: grad = 0, the Hessian's characteristic polynomial is r^2 - (u^2 + w^2) r
// (eigenvalues 0 and u^2 + w^2), u^2 + w^2 >= 2|y|, and if eta > `bound`/|y| GD is unstable along the
// nonzero eigenvalue. bound = 1 is the catalog's; bound = 1/2 is a mutant.
std::function<Verdict(const UwMinimum&)> uw_minimum(Rational bound) {
  return [bound](const UwMinimum& m) {
    ModelSpec spec;
    spec.kind = ModelKind::deep_linear;
    spec.widths = {1, 1, 1};
    const Rational y = m.u * m.w;
    const DataSet<Rational> data{Mat<Rational>::Constant(1, 1, Rational(1)), Mat<Rational>::Constant(1, 1, y)};
    Vec<Rational> theta(2);
    theta << m.u, m.w;
    const Mat<Rational> H = hessian<Rational>(spec, data, Batch{0}, theta);
    const Rational sum = m.u * m.u + m.w * m.w;
    const Rational trace = H(0, 0) + H(1, 1), det = H(0, 0) * H(1, 1) - H(0, 1) * H(1, 0);
    std::vector<Verdict> verdicts{
        compare<Rational>(make_model<Rational>(spec)->gradient(theta, data), Vec<Rational>::Zero(2),
                          "grad l = 0 at uw = y"),
        compare<Rational>(trace, sum, "tr H = u^2 + w^2"), compare<Rational>(det, Rational(0), "det H = 0"),
        nonnegative(Rational(sum - 2 * abs(y)), "u^2 + w^2 - 2|y| >= 0")};
    if (m.eta * abs(y) > bound)
      verdicts.push_back(same_stability(jury_stable(gd_polynomial(Rational(m.eta * sum))), false,
                                        "eta |y| = " + to_text(Rational(m.eta * abs(y))) + " > " + to_text(bound) +
                                            ": GD unstable along u^2 + w^2"));
    return all_of(verdicts);
  };
}

}  // namespace entropic::e4
