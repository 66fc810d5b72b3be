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
// just above 0 and each of the three thresholds; the iterates of the PyTorch-exact optimizer on l = a/2 theta^2
// satisfy the recurrence of their polynomial exactly; T from enumerating every batch against the
// closed form; the uw Hessian's characteristic polynomial r^2 - (u^2 + w^2) r.
//
// Files: this one (Jury, thresholds, the optimizer's recurrence, the claim); e4_mean_square.cpp (SGD in
// mean square, the uw example); e4_parts.hpp.
#include <algorithm>

#include "e4/e4_parts.hpp"
#include "entropic/theory/linear_stability.hpp"
#include "entropic/verify/compare.hpp"

namespace entropic {
namespace e4 {

using Poly = MonicQuadratic<Rational>;

namespace {
std::string stable_text(bool stable) { return stable ? "stable" : "unstable"; }
}  // namespace

// Exact: both stable or both unstable.
Verdict same_stability(bool observed, bool predicted, const std::string& what) {
  if (observed == predicted) return Verdict::holds(Arithmetic::rational(), "0", what);
  return Verdict::violated(Arithmetic::rational(),
                           "predicted " + stable_text(predicted) + ", found " + stable_text(observed), what);
}

namespace {

// beta in [0, 1): 0, or r/(1 + r) for a positive rational r (shrinks toward 0 and 1/2).
rc::Gen<Rational> momentum() {
  return rc::gen::oneOf(rc::gen::just(Rational(0)),
                        rc::gen::map(gen::positive_rational(9, 9),
                                     [](const Rational& r) { return Rational(r / (1 + r)); }));
}

// --- the Jury test --------------------------------------------------------------------------------

struct JuryCase {
  Rational a1, a0;
  Poly poly() const { return Poly{a1, a0}; }
  std::string show() const { return "r^2 + (" + to_text(a1) + ") r + (" + to_text(a0) + ")"; }
};

rc::Gen<JuryCase> jury_cases() {
  return rc::gen::map(rc::gen::pair(gen::rational(6, 4), gen::rational(6, 4)),
                      [](const std::pair<Rational, Rational>& c) { return JuryCase{c.first, c.second}; });
}

// Where the roots are (observed); Jury's verdict, or Jury without |a0| < 1 (mutant).
Stability roots_in_disc(const JuryCase& c) { return {roots_in_unit_disc(c.poly())}; }
Stability jury(const JuryCase& c) { return {jury_stable(c.poly())}; }
Stability jury_without_a0(const JuryCase& c) {
  using std::abs;
  return {abs(c.a1) < 1 + c.a0};
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
    c.epsilon = *rc::gen::oneOf(rc::gen::map(gen::in_range(1, 1000), [](int q) { return Rational(1, q); }),
                                gen::positive_rational(3, 64));
    return c;
  });
}

// The landmarks x = -eps, 0, eps and tau - eps, tau, tau + eps for each of the three thresholds
// 2, 2 + 2 beta, (2 + 2 beta)/(1 + 2 beta) at the case's beta, in increasing order.
std::vector<Rational> landmarks(const ThresholdCase& c) {
  std::vector<Rational> xs{Rational(-c.epsilon), Rational(0), c.epsilon};
  for (const Rational& tau : {gd_threshold<Rational>(), heavy_ball_threshold(c.beta), nesterov_threshold(c.beta)})
    for (const Rational& x : {Rational(tau - c.epsilon), tau, Rational(tau + c.epsilon)}) xs.push_back(x);
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  return xs;
}

// The Jury verdict on the method's polynomial at every landmark (observed), and "0 < x < tau" for a
// threshold formula tau (predicted).
Quantities<Stability> jury_at_landmarks(const ThresholdCase& c) {
  Quantities<Stability> out;
  for (const Rational& x : landmarks(c))
    out.push_back({std::string(method_name(c.method)) + " at x = " + to_text(x),
                   {jury_stable(polynomial_of(c.method, x, c.beta))}});
  return out;
}
auto stable_below(Threshold formula) {
  return [formula](const ThresholdCase& c) {
    const Rational tau = formula(c.method, c.beta);
    Quantities<Stability> out;
    for (const Rational& x : landmarks(c))
      out.push_back({std::string(method_name(c.method)) + " at x = " + to_text(x), {x > 0 && x < tau}});
    return out;
  };
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
    r.steps = *gen::in_range(2, 6);
    return r;
  });
}

// theta_1, ..., theta_steps from sgd_step (PyTorch's buffer: v_1 = d_0).
Quantities<Rational> iterates(const QuadraticRun& r) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {1, 1};
  spec.polynomial = {Monomial{Rational(r.a / 2), {2}}};
  const auto model = make_model<Rational>(spec);
  const DataSet<Rational> data{Mat<Rational>::Zero(1, 1), Mat<Rational>::Zero(1, 1)};
  const SgdConfig<Rational> cfg{r.eta, r.lambda, r.beta, r.nesterov, {}};
  SgdState<Rational> state{Vec<Rational>::Constant(1, r.theta0), Vec<Rational>()};
  Quantities<Rational> out;
  for (int t = 1; t <= r.steps; ++t) {
    sgd_step(*model, data, Batch{0}, cfg, state);
    out.push_back({"theta_" + std::to_string(t), state.theta[0]});
  }
  return out;
}

// A linear recurrence: theta_1 = first theta_0, theta_{t+1} + a1 theta_t + a0 theta_{t-1} = 0, with
// x = eta (a + lambda). The optimizer's own: heavy ball r^2 - (1 + beta - x) r + beta, first 1 - x;
// Nesterov r^2 - (1 - x)(1 + beta) r + (1 - x) beta, first 1 - x(1 + beta).
struct Recurrence {
  Poly p;
  Rational first;
};
Recurrence own_recurrence(const QuadraticRun& r, const Rational& x) {
  if (r.nesterov) return {nesterov_polynomial(x, r.beta), Rational(1 - x * (1 + r.beta))};
  return {heavy_ball_polynomial(x, r.beta), Rational(1 - x)};
}
// Mutant: Nesterov is given heavy ball's polynomial and first step.
Recurrence heavy_ball_recurrence(const QuadraticRun& r, const Rational& x) {
  return {heavy_ball_polynomial(x, r.beta), Rational(1 - x)};
}
auto iterates_of(Recurrence (*recurrence)(const QuadraticRun&, const Rational&)) {
  return [recurrence](const QuadraticRun& r) {
    const Recurrence rec = recurrence(r, Rational(r.eta * (r.a + r.lambda)));
    Rational previous = r.theta0, current = rec.first * r.theta0;
    Quantities<Rational> out{{"theta_1", current}};
    for (int t = 2; t <= r.steps; ++t) {
      const Rational next = -rec.p.a1 * current - rec.p.a0 * previous;
      previous = current;
      current = next;
      out.push_back({"theta_" + std::to_string(t), current});
    }
    return out;
  };
}

}  // namespace
}  // namespace e4

ENTROPIC_CLAIM(E4) {
  using namespace e4;
  return Claim("E4", "Linear stability thresholds")
      .provenance(Provenance::classical)
      .kind("exact (linearized)")
      .part("jury", "Jury test = roots in the unit disc", jury_cases())
          .observe(roots_in_disc)
          .predict(jury)
          .mutant("no-a0", "Jury without |a0| < 1", jury_without_a0)
      .part("thresholds", "thresholds 2, 2 + 2 beta, (2 + 2 beta)/(1 + 2 beta) against Jury", threshold_cases())
          .observe(jury_at_landmarks)
          .predict(stable_below(catalog_threshold))
          .mutant("heavy-ball-two", "heavy-ball threshold 2", stable_below(heavy_ball_at_two))
          .mutant("nesterov-heavy-ball", "Nesterov threshold 2 + 2 beta", stable_below(nesterov_like_heavy_ball))
      .part("polynomial", "heavy ball and Nesterov iterates follow their polynomial", quadratic_runs())
          .observe(iterates)
          .predict(iterates_of(own_recurrence))
          .mutant("nesterov-heavy-ball", "PyTorch Nesterov follows the heavy-ball polynomial",
                  iterates_of(heavy_ball_recurrence))
      .part("mean-square", "SGD mean square: T by enumerating batches", mean_square_cases())
          .observe(enumerated_factor)
          .predict(mean_square_factor_with(catalog_kappa<MeanSquareCase>))
          .mutant("no-noise", "mean-square factor without the noise term", mean_square_factor_with(no_noise<MeanSquareCase>))
          .mutant("kappa-one-over-s", "kappa_S = 1/S also for subsets", mean_square_factor_with(one_over_batch<MeanSquareCase>))
      .part("operator", "SGD mean square: the operator T(M) in d dimensions", operator_cases())
          .observe(enumerated_operator)
          .predict(operator_with(catalog_kappa<OperatorCase>))
          .mutant("no-noise", "T(M) without the noise term (d dimensions)", operator_with(no_noise<OperatorCase>))
      .part("uw", "uw minima: eigenvalues 0 and u^2 + w^2; unstable for eta > 1/|y|", uw_minima())
          .check(uw_minimum(Rational(1)))
          .mutant("half-bound", "no uw minimum is stable for eta > 1/(2|y|)", uw_minimum(Rational(1, 2)));
}

}  // namespace entropic
