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
    const int n = *gen::in_range(1, 5);
    c.x = *rc::gen::container<std::vector<Rational>>(n, gen::rational(4, 3));
    c.eta = *gen::step_size(Rational(1, 1));
    c.lambda = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size(Rational(1, 2)));
    c.theta = *gen::nonzero_rational(4, 4);
    c.sampling = *rc::gen::element(Sampling::with_replacement, Sampling::without_replacement);
    c.batch = *gen::in_range(1, c.sampling == Sampling::with_replacement ? 4 : n + 1);
    return c;
  });
}

// E_B theta'^2 / theta^2 over every batch of the optimizer's actual step.
Rational enumerated_factor(const MeanSquareCase& c) {
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
std::function<Rational(const MeanSquareCase&)> mean_square_factor_with(Rational (*kappa)(const MeanSquareCase&)) {
  return [kappa](const MeanSquareCase& c) {
    Rational mean = 0, second = 0;
    for (const Rational& v : c.x) {
      mean += v * v / c.samples();
      second += v * v * v * v / c.samples();
    }
    return mean_square_factor<Rational>(c.eta, Rational(mean + c.lambda), Rational(second - mean * mean), kappa(c));
  };
}

// --- the operator T in d dimensions ------------------------------------------------------------------

rc::Gen<OperatorCase> operator_cases() {
  return rc::gen::exec([]() {
    OperatorCase c;
    const int d = *gen::in_range(1, 4), n = *gen::in_range(1, 5);
    c.X = *gen::matrix(n, d, gen::rational(3, 3));
    const Mat<Rational> A = *gen::matrix(d, d, gen::rational(3, 3));
    c.M = A + A.transpose();
    c.eta = *gen::step_size(Rational(1, 1));
    c.sampling = *rc::gen::element(Sampling::with_replacement, Sampling::without_replacement);
    c.batch = *gen::in_range(1, c.sampling == Sampling::with_replacement ? 4 : n + 1);
    return c;
  });
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

// u and w = +-u rho (rho = 1 reaches the balanced minimum u^2 = |y|); eta = c/|y| with c in (0, 3].
rc::Gen<UwMinimum> uw_minima() {
  return rc::gen::exec([]() {
    UwMinimum m;
    m.u = *gen::nonzero_rational(4, 4);
    const Rational rho = *rc::gen::oneOf(rc::gen::just(Rational(1)), gen::positive_rational(4, 4));
    m.w = (*rc::gen::arbitrary<bool>() ? 1 : -1) * m.u * rho;
    m.eta = *gen::step_size(Rational(3)) / abs(m.u * m.w);
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
