// E4 — Linear stability thresholds (catalog E4; classical: textbook; Wu, Ma, E, 2018; Cohen, Kaur,
// Li, Kolter, Talwalkar, 2021).
//
// With x = eta lambda_H (eta times a Hessian eigenvalue, weight decay included):
//   GD          stable iff 0 < x < 2;
//   heavy ball  r^2 - (1 + beta - x) r + beta,                stable iff 0 < x < 2 + 2 beta;
//   Nesterov    r^2 - (1 - x)(1 + beta) r + (1 - x) beta,     stable iff 0 < x < (2 + 2 beta)/(1 + 2 beta);
//   Jury        both roots of r^2 + a1 r + a0 in |r| < 1 iff |a0| < 1 and |a1| < 1 + a0.
// SGD in mean square (1-D): E theta'^2 = T theta^2 with T = (1 - eta a)^2 + eta^2 s^2 kappa_S
// (a, s^2 the mean and variance of the per-sample curvatures), stable iff T <= 1; in d dimensions
// T(M) = E_B[(I - eta H_B) M (I - eta H_B)] = (I - eta H) M (I - eta H) + eta^2 kappa_S E_i[(H_i - H) M (H_i - H)].
// For 1/2 (uw - y)^2 the Hessian at a minimum uw = y has eigenvalues 0 and u^2 + w^2 >= 2|y|, so no
// minimum is linearly stable for eta > 1/|y|.
//
// Evidence, all exact in Rational: the Jury test against an independent location of the roots
// (discriminant and signs at +-1); the Jury verdict against each threshold formula just below, at and
// just above 0 and the threshold; the iterates of the PyTorch-exact optimizer on l = a/2 theta^2
// satisfy the recurrence of their polynomial exactly; T from enumerating every batch against the
// closed form; the uw Hessian's characteristic polynomial r^2 - (u^2 + w^2) r.
#include "entropic/metrics/hessian.hpp"
#include "entropic/optim/expectation.hpp"
#include "entropic/theory/linear_stability.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic {
namespace {

using Poly = MonicQuadratic<Rational>;

std::string stable_text(bool stable) { return stable ? "stable" : "unstable"; }

// An exact yes/no comparison: the prediction of a formula against the Jury (or root-location) verdict.
Verdict agreement(bool predicted, bool observed, const std::string& what) {
  const bool same = predicted == observed;
  return Verdict{same ? Outcome::holds : Outcome::violated, "rational", Evidence::exact,
                 same ? "0" : "predicted " + stable_text(predicted) + ", found " + stable_text(observed),
                 what};
}

// x >= 0, exactly; the residual is x itself.
Verdict nonnegative(const Rational& x, const std::string& what) {
  return Verdict{x >= 0 ? Outcome::holds : Outcome::violated, "rational", Evidence::exact, to_text(x), what};
}

// beta in [0, 1): 0, or r/(1 + r) for a positive rational r (shrinks toward 0 and 1/2).
rc::Gen<Rational> momentum() {
  return rc::gen::oneOf(rc::gen::just(Rational(0)),
                        rc::gen::map(gen::positive_rational(9, 9),
                                     [](const Rational& r) { return Rational(r / (1 + r)); }));
}

// --- the Jury test --------------------------------------------------------------------------------

std::string show_poly(const Poly& p) { return "r^2 + (" + to_text(p.a1) + ") r + (" + to_text(p.a0) + ")"; }

rc::Gen<Poly> quadratics() {
  return rc::gen::map(rc::gen::pair(gen::rational(6, 4), gen::rational(6, 4)),
                      [](const std::pair<Rational, Rational>& c) { return Poly{c.first, c.second}; });
}

// The Jury verdict (or, as a mutant, Jury without |a0| < 1) equals where the roots are.
Verdict jury_agrees(const Poly& p, bool drop_a0_condition) {
  using std::abs;
  const bool jury = drop_a0_condition ? bool(abs(p.a1) < 1 + p.a0) : jury_stable(p);
  return agreement(jury, roots_in_unit_disc(p),
                   drop_a0_condition ? "|a1| < 1 + a0 iff both roots in the unit disc"
                                     : "Jury (|a0| < 1 and |a1| < 1 + a0) iff both roots in the unit disc");
}

// --- thresholds ---------------------------------------------------------------------------------

enum class Method { gd, heavy_ball, nesterov };
const char* method_name(Method m) {
  switch (m) {
    case Method::gd: return "GD";
    case Method::heavy_ball: return "heavy ball";
    case Method::nesterov: return "Nesterov";
  }
  return "?";
}

Poly polynomial_of(Method m, const Rational& x, const Rational& beta) {
  switch (m) {
    case Method::gd: return gd_polynomial(x);
    case Method::heavy_ball: return heavy_ball_polynomial(x, beta);
    case Method::nesterov: return nesterov_polynomial(x, beta);
  }
  return gd_polynomial(x);
}

// A threshold formula: the catalog's, or a mutant's.
using Threshold = Rational (*)(Method, const Rational& beta);
Rational catalog_threshold(Method m, const Rational& beta) {
  switch (m) {
    case Method::gd: return gd_threshold<Rational>();
    case Method::heavy_ball: return heavy_ball_threshold(beta);
    case Method::nesterov: return nesterov_threshold(beta);
  }
  return 0;
}
// Mutants: heavy ball with GD's threshold; Nesterov with heavy ball's.
Rational heavy_ball_at_two(Method m, const Rational& beta) {
  return m == Method::heavy_ball ? Rational(2) : catalog_threshold(m, beta);
}
Rational nesterov_like_heavy_ball(Method m, const Rational& beta) {
  return m == Method::nesterov ? heavy_ball_threshold(beta) : catalog_threshold(m, beta);
}

struct ThresholdCase {
  Method method = Method::gd;
  Rational beta, epsilon;
  std::string show() const {
    return std::string(method_name(method)) + "; beta = " + to_text(beta) + "; epsilon = " + to_text(epsilon);
  }
};

rc::Gen<ThresholdCase> threshold_cases() {
  return rc::gen::exec([]() {
    ThresholdCase c;
    c.method = *rc::gen::element(Method::gd, Method::heavy_ball, Method::nesterov);
    c.beta = c.method == Method::gd ? Rational(0) : *momentum();
    // Just off a threshold: 1/q or p/q with small p, large q.
    c.epsilon = *rc::gen::oneOf(rc::gen::map(rc::gen::inRange(1, 1000), [](int q) { return Rational(1, q); }),
                                gen::positive_rational(3, 64));
    return c;
  });
}

// At x = -eps, 0, eps, tau - eps, tau, tau + eps (tau the formula's threshold): Jury stable iff
// 0 < x < tau.
Verdict threshold_agrees(const ThresholdCase& c, Threshold formula) {
  const Rational tau = formula(c.method, c.beta);
  std::vector<Verdict> verdicts;
  for (const Rational& x : {Rational(-c.epsilon), Rational(0), c.epsilon, Rational(tau - c.epsilon), tau,
                            Rational(tau + c.epsilon)}) {
    const bool predicted = x > 0 && x < tau;
    verdicts.push_back(agreement(predicted, jury_stable(polynomial_of(c.method, x, c.beta)),
                                 std::string(method_name(c.method)) + " at x = " + to_text(x) +
                                     ": Jury stable iff 0 < x < " + to_text(tau)));
  }
  return all_of(verdicts);
}

// --- the optimizer follows its characteristic polynomial --------------------------------------------

struct QuadraticRun {
  Rational a, lambda, eta, beta, theta0;
  bool nesterov = false;
  int steps = 4;
  std::string show() const {
    return std::string(nesterov ? "Nesterov" : "heavy ball") + " on l = a/2 theta^2, a = " + to_text(a) +
           "; lambda = " + to_text(lambda) + "; eta = " + to_text(eta) + "; beta = " + to_text(beta) +
           "; theta_0 = " + to_text(theta0) + "; steps = " + std::to_string(steps);
  }
};

rc::Gen<QuadraticRun> quadratic_runs() {
  return rc::gen::exec([]() {
    QuadraticRun r;
    r.a = *gen::rational(6, 4);
    r.lambda = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size(Rational(1, 2)));
    r.eta = *gen::step_size(Rational(3, 2));
    r.beta = *rc::gen::map(gen::positive_rational(9, 9), [](const Rational& q) { return Rational(q / (1 + q)); });
    r.theta0 = *gen::nonzero_rational(4, 4);
    r.nesterov = *rc::gen::arbitrary<bool>();
    r.steps = *rc::gen::inRange(2, 6);
    return r;
  });
}

// theta_0, theta_1, ..., theta_steps from sgd_step (PyTorch's buffer: v_1 = d_0).
std::vector<Rational> iterates(const QuadraticRun& r) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {1, 1};
  spec.polynomial = {Monomial{Rational(r.a / 2), {2}}};
  const auto model = make_model<Rational>(spec);
  const DataSet<Rational> data{Mat<Rational>::Zero(1, 1), Mat<Rational>::Zero(1, 1)};
  const SgdConfig<Rational> cfg{r.eta, r.lambda, r.beta, r.nesterov, {}};
  SgdState<Rational> state{Vec<Rational>::Constant(1, r.theta0), Vec<Rational>()};
  std::vector<Rational> out{r.theta0};
  for (int t = 0; t < r.steps; ++t) {
    sgd_step(*model, data, Batch{0}, cfg, state);
    out.push_back(state.theta[0]);
  }
  return out;
}

// theta_1 = (1 - x) theta_0 (heavy ball) or (1 - x(1 + beta)) theta_0 (Nesterov), and
// theta_{t+1} + a1 theta_t + a0 theta_{t-1} = 0 for t >= 1, with x = eta (a + lambda). With
// `heavy_ball_polynomial_for_both` (mutant) Nesterov is given heavy ball's polynomial and first step.
Verdict follows_polynomial(const QuadraticRun& r, bool heavy_ball_polynomial_for_both) {
  const std::vector<Rational> theta = iterates(r);
  const Rational x = r.eta * (r.a + r.lambda);
  const bool nesterov = r.nesterov && !heavy_ball_polynomial_for_both;
  const Poly p = nesterov ? nesterov_polynomial(x, r.beta) : heavy_ball_polynomial(x, r.beta);
  const Rational first = nesterov ? Rational(1 - x * (1 + r.beta)) : Rational(1 - x);
  std::vector<Verdict> verdicts{compare<Rational>(theta[1], Rational(first * theta[0]),
                                                  nesterov ? "theta_1 = (1 - x(1 + beta)) theta_0"
                                                           : "theta_1 = (1 - x) theta_0")};
  for (size_t t = 1; t + 1 < theta.size(); ++t)
    verdicts.push_back(compare<Rational>(Rational(theta[t + 1] + p.a1 * theta[t] + p.a0 * theta[t - 1]),
                                         Rational(0),
                                         "theta_{t+1} + a1 theta_t + a0 theta_{t-1} = 0 at t = " +
                                             std::to_string(t) + " for " + show_poly(p)));
  return all_of(verdicts);
}

// --- SGD mean-square stability (1-D) --------------------------------------------------------------

struct MeanSquareCase {
  std::vector<Rational> x;  // samples of f = w x, y = 0: curvature h_i = x_i^2
  Rational eta, lambda, theta;
  int batch = 1;
  Sampling sampling = Sampling::with_replacement;
  std::string show() const {
    std::string xs;
    for (const Rational& v : x) xs += (xs.empty() ? "" : ", ") + to_text(v);
    return "f = w x, y = 0, x = [" + xs + "]; eta = " + to_text(eta) + "; lambda = " + to_text(lambda) +
           "; theta = " + to_text(theta) + "; S = " + std::to_string(batch) +
           (sampling == Sampling::with_replacement ? " with replacement" : " without replacement");
  }
};

rc::Gen<MeanSquareCase> mean_square_cases() {
  return rc::gen::exec([]() {
    MeanSquareCase c;
    const int n = *rc::gen::inRange(1, 5);
    c.x = *rc::gen::container<std::vector<Rational>>(n, gen::rational(4, 3));
    c.eta = *gen::step_size(Rational(1, 1));
    c.lambda = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size(Rational(1, 2)));
    c.theta = *gen::nonzero_rational(4, 4);
    c.sampling = *rc::gen::element(Sampling::with_replacement, Sampling::without_replacement);
    c.batch = *rc::gen::inRange(1, c.sampling == Sampling::with_replacement ? 4 : n + 1);
    return c;
  });
}

enum class NoiseTerm { catalog, none, with_replacement_factor };

// E_B theta'^2 / theta^2 over every batch of the optimizer's actual step equals
// (1 - eta a)^2 + eta^2 s^2 kappa_S, a = mean h_i + lambda, s^2 = mean h_i^2 - (mean h_i)^2.
// Mutants: without the noise term; kappa_S = 1/S for subsets too.
Verdict mean_square_factor_agrees(const MeanSquareCase& c, NoiseTerm noise) {
  const int n = static_cast<int>(c.x.size());
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1};
  const auto model = make_model<Rational>(spec);
  Mat<Rational> X(n, 1);
  for (int i = 0; i < n; ++i) X(i, 0) = c.x[i];
  const DataSet<Rational> data = finite_data<Rational>(X, Mat<Rational>::Zero(n, 1));
  const SgdConfig<Rational> cfg{c.eta, c.lambda, Rational(0), false, {}};
  const Vec<Rational> theta = Vec<Rational>::Constant(1, c.theta);
  const Rational enumerated =
      batch_expectation<Rational>(n, c.batch, c.sampling, [&](const Batch& b) {
        const Rational next = sgd_map(*model, data, b, cfg, theta)[0];
        return Rational(next * next);
      }) /
      (c.theta * c.theta);
  Rational mean = 0, second = 0;
  for (const Rational& v : c.x) {
    mean += v * v / n;
    second += v * v * v * v / n;
  }
  const Rational variance = second - mean * mean;
  Rational kappa = noise_factor<Rational>(n, c.batch, c.sampling);
  if (noise == NoiseTerm::none) kappa = 0;
  if (noise == NoiseTerm::with_replacement_factor) kappa = Rational(1, c.batch);
  return compare<Rational>(enumerated, mean_square_factor<Rational>(c.eta, Rational(mean + c.lambda), variance, kappa),
                           "E_B theta'^2 / theta^2 = (1 - eta a)^2 + eta^2 s^2 kappa_S");
}

// --- the operator T in d dimensions ------------------------------------------------------------------

struct OperatorCase {
  Mat<Rational> X;  // samples of f = W x (rows), per-sample Hessian x_i x_i^T
  Mat<Rational> M;  // symmetric
  Rational eta;
  int batch = 1;
  Sampling sampling = Sampling::with_replacement;
  std::string show() const {
    return "f = W x, x = " + gen::show(X) + "; M = " + gen::show(M) + "; eta = " + to_text(eta) + "; S = " +
           std::to_string(batch) + (sampling == Sampling::with_replacement ? " with replacement" : " without replacement");
  }
};

rc::Gen<OperatorCase> operator_cases() {
  return rc::gen::exec([]() {
    OperatorCase c;
    const int d = *rc::gen::inRange(1, 4), n = *rc::gen::inRange(1, 5);
    c.X = *gen::matrix(n, d, gen::rational(3, 3));
    const Mat<Rational> A = *gen::matrix(d, d, gen::rational(3, 3));
    c.M = A + A.transpose();
    c.eta = *gen::step_size(Rational(1, 1));
    c.sampling = *rc::gen::element(Sampling::with_replacement, Sampling::without_replacement);
    c.batch = *rc::gen::inRange(1, c.sampling == Sampling::with_replacement ? 4 : n + 1);
    return c;
  });
}

// E_B[(I - eta H_B) M (I - eta H_B)] over every batch, H_B the exact Hessian of the batch loss, equals
// (I - eta H) M (I - eta H) + eta^2 kappa_S E_i[(H_i - H) M (H_i - H)]. With `drop_noise` (mutant)
// kappa_S = 0: T as if the batch Hessian were the full one.
Verdict operator_agrees(const OperatorCase& c, bool drop_noise) {
  const int n = static_cast<int>(c.X.rows()), d = static_cast<int>(c.X.cols());
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {d, 1};
  const DataSet<Rational> data = finite_data<Rational>(c.X, Mat<Rational>::Zero(n, 1));
  const Vec<Rational> theta = Vec<Rational>::Zero(d);  // the loss is quadratic: H_B does not depend on theta
  const Mat<Rational> I = Mat<Rational>::Identity(d, d);
  const Mat<Rational> enumerated = batch_expectation<Rational>(n, c.batch, c.sampling, [&](const Batch& b) {
    const Mat<Rational> step = I - c.eta * hessian<Rational>(spec, data, b, theta);
    return Mat<Rational>(step * c.M * step);
  });
  std::vector<Mat<Rational>> per_sample;
  for (int i = 0; i < n; ++i) per_sample.push_back(hessian<Rational>(spec, data, Batch{i}, theta));
  return compare_entries<Rational>(
      enumerated,
      mean_square_operator(c.eta, per_sample,
                           drop_noise ? Rational(0) : noise_factor<Rational>(n, c.batch, c.sampling), c.M),
      "E_B[(I - eta H_B) M (I - eta H_B)] = (I - eta H) M (I - eta H) + eta^2 kappa_S E_i[(H_i - H) M (H_i - H)]");
}

// --- the uw example ---------------------------------------------------------------------------------

struct UwMinimum {
  Rational u, w, eta;  // y = u w
  std::string show() const {
    return "l = 1/2 (u w x - y)^2, x = 1, y = " + to_text(Rational(u * w)) + "; (u, w) = (" + to_text(u) +
           ", " + to_text(w) + "); eta = " + to_text(eta);
  }
};

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
Verdict uw_minimum(const UwMinimum& m, const Rational& bound) {
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
      compare<Rational>(trace, sum, "tr H = u^2 + w^2"),
      compare<Rational>(det, Rational(0), "det H = 0"),
      nonnegative(Rational(sum - 2 * abs(y)), "u^2 + w^2 - 2|y| >= 0")};
  if (m.eta * abs(y) > bound)
    verdicts.push_back(agreement(false, jury_stable(gd_polynomial(Rational(m.eta * sum))),
                                 "eta |y| = " + to_text(Rational(m.eta * abs(y))) + " > " + to_text(bound) +
                                     ": GD unstable along u^2 + w^2"));
  return all_of(verdicts);
}

template <class Instance>
std::string show(const Instance& i) {
  return i.show();
}

}  // namespace

ENTROPIC_CLAIM(E4) {
  return Claim("E4", "Linear stability thresholds")
      .provenance(Provenance::classical)
      .kind("exact (linearized)")
      .part("Jury test = roots in the unit disc", quadratics(),
            [](const Poly& p) { return jury_agrees(p, false); }, show_poly)
      .part("thresholds 2, 2 + 2 beta, (2 + 2 beta)/(1 + 2 beta) against Jury", threshold_cases(),
            [](const ThresholdCase& c) { return threshold_agrees(c, catalog_threshold); },
            show<ThresholdCase>)
      .part("heavy ball and Nesterov iterates follow their polynomial", quadratic_runs(),
            [](const QuadraticRun& r) { return follows_polynomial(r, false); }, show<QuadraticRun>)
      .part("SGD mean square: T by enumerating batches", mean_square_cases(),
            [](const MeanSquareCase& c) { return mean_square_factor_agrees(c, NoiseTerm::catalog); },
            show<MeanSquareCase>)
      .part("SGD mean square: the operator T(M) in d dimensions", operator_cases(),
            [](const OperatorCase& c) { return operator_agrees(c, false); }, show<OperatorCase>)
      .part("uw minima: eigenvalues 0 and u^2 + w^2; unstable for eta > 1/|y|", uw_minima(),
            [](const UwMinimum& m) { return uw_minimum(m, Rational(1)); }, show<UwMinimum>)
      .mutant("Jury without |a0| < 1", quadratics(), [](const Poly& p) { return jury_agrees(p, true); },
              show_poly)
      .mutant("heavy-ball threshold 2", threshold_cases(),
              [](const ThresholdCase& c) { return threshold_agrees(c, heavy_ball_at_two); },
              show<ThresholdCase>)
      .mutant("Nesterov threshold 2 + 2 beta", threshold_cases(),
              [](const ThresholdCase& c) { return threshold_agrees(c, nesterov_like_heavy_ball); },
              show<ThresholdCase>)
      .mutant("PyTorch Nesterov follows the heavy-ball polynomial", quadratic_runs(),
              [](const QuadraticRun& r) { return follows_polynomial(r, true); }, show<QuadraticRun>)
      .mutant("mean-square factor without the noise term", mean_square_cases(),
              [](const MeanSquareCase& c) { return mean_square_factor_agrees(c, NoiseTerm::none); },
              show<MeanSquareCase>)
      .mutant("kappa_S = 1/S also for subsets", mean_square_cases(),
              [](const MeanSquareCase& c) {
                return mean_square_factor_agrees(c, NoiseTerm::with_replacement_factor);
              },
              show<MeanSquareCase>)
      .mutant("T(M) without the noise term (d dimensions)", operator_cases(),
              [](const OperatorCase& c) { return operator_agrees(c, true); }, show<OperatorCase>)
      .mutant("no uw minimum is stable for eta > 1/(2|y|)", uw_minima(),
              [](const UwMinimum& m) { return uw_minimum(m, Rational(1, 2)); }, show<UwMinimum>);
}

}  // namespace entropic
