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

// --- the Jury test --------------------------------------------------------------------------------

struct JuryCase {
  Rational a1, a0;
  Poly poly() const { return Poly{a1, a0}; }
  std::string show() const { return "r^2 + (" + to_text(a1) + ") r + (" + to_text(a0) + ")"; }
};

// (a1, a0) drawn in one of three regions, chosen first (shrinking toward the first): anywhere in
// [-6, 6]^2 with a0 != 0 (a0 = 0 makes r^2 + a1 r = r (r + a1), one root 0); 0 < |a0| < 1 and
// |a1| < 1 + a0 (both roots in the disc: the stable region, small in the square); or a0 in [1, 4)
// with |a1| < 1 + a0, where the roots cannot both lie in the disc (their product is a0 >= 1) although
// the second condition holds: the region that the condition |a0| < 1 decides.
rc::Gen<JuryCase> jury_cases() {
  return rc::gen::exec([]() {
    const int region = *gen::in_range(0, 3);
    if (region == 0) return JuryCase{*gen::rational(6, 4), *gen::nonzero_rational(6, 4)};
    const Rational a0 = region == 1 ? Rational(*gen::nonzero_rational(8, 9) / 9) : Rational(1 + abs(*gen::rational(3, 1)));
    const Rational c = *gen::rational(8, 9) / 9;  // |c| < 1
    return JuryCase{Rational(c * (1 + a0)), a0};
  });
}
bool outside_a0(const JuryCase& c) {
  using std::abs;
  return abs(c.a0) >= 1;
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

// beta in (0, 1) and an offset epsilon < beta/2, for all three methods at once: at beta = 0 heavy
// ball and Nesterov are GD and the three thresholds coincide (every threshold mutant agrees), and an
// offset >= 2 beta leaves no landmark between 2 and 2 + 2 beta.
struct ThresholdCase {
  Rational beta, epsilon;
  std::string show() const { return "beta = " + to_text(beta) + "; epsilon = " + to_text(epsilon); }
};

rc::Gen<ThresholdCase> threshold_cases() {
  return rc::gen::exec([]() {
    ThresholdCase c;
    c.beta = *rc::gen::map(gen::positive_rational(9, 9), [](const Rational& r) { return Rational(r / (1 + r)); });
    // Just off a threshold: 1/q or p/q with small p, large q; below beta/2.
    c.epsilon = *rc::gen::oneOf(rc::gen::map(gen::in_range(1, 1000), [](int q) { return Rational(1, q); }),
                                gen::positive_rational(3, 64));
    if (c.epsilon >= c.beta / 2) c.epsilon = c.beta * c.epsilon / (2 * (1 + c.epsilon));
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

constexpr Method kMethods[] = {Method::gd, Method::heavy_ball, Method::nesterov};

// The Jury verdict on each method's polynomial at every landmark (observed), and "0 < x < tau" for a
// threshold formula tau (predicted).
Quantities<Stability> jury_at_landmarks(const ThresholdCase& c) {
  Quantities<Stability> out;
  for (Method m : kMethods)
    for (const Rational& x : landmarks(c))
      out.push_back({std::string(method_name(m)) + " at x = " + to_text(x), {jury_stable(polynomial_of(m, x, c.beta))}});
  return out;
}
auto stable_below(Threshold formula) {
  return [formula](const ThresholdCase& c) {
    Quantities<Stability> out;
    for (Method m : kMethods) {
      const Rational tau = formula(m, c.beta);
      for (const Rational& x : landmarks(c))
        out.push_back({std::string(method_name(m)) + " at x = " + to_text(x), {x > 0 && x < tau}});
    }
    return out;
  };
}

// --- the optimizer follows its characteristic polynomial --------------------------------------------

// Heavy ball and Nesterov (PyTorch's form) from the same start, on the same quadratic.
struct QuadraticRun {
  static int parameter_count() { return 1; }
  Rational a, lambda, eta, beta, theta0;
  int steps = 4;
  std::string show() const {
    return "heavy ball and Nesterov on l = a/2 theta^2, a = " + to_text(a) + "; lambda = " + to_text(lambda) +
           "; eta = " + to_text(eta) + "; beta = " + to_text(beta) + "; theta_0 = " + to_text(theta0) +
           "; steps = " + std::to_string(steps);
  }
};

// a != 0 and a + lambda != 0 (x = 0 keeps theta fixed under both methods: every recurrence agrees).
rc::Gen<QuadraticRun> quadratic_runs() {
  return rc::gen::exec([]() {
    QuadraticRun r;
    r.a = *gen::nonzero_rational(6, 4);
    r.lambda = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size(Rational(1, 2)));
    if (r.a + r.lambda == 0) r.a *= 2;
    r.eta = *gen::step_size(Rational(3, 2));
    r.beta = *rc::gen::map(gen::positive_rational(9, 9), [](const Rational& q) { return Rational(q / (1 + q)); });
    r.theta0 = *gen::nonzero_rational(4, 4);
    r.steps = *gen::in_range(2, 6);
    return r;
  });
}

// theta_1, ..., theta_steps from sgd_step (PyTorch's buffer: v_1 = d_0), for heavy ball and Nesterov.
Quantities<Rational> iterates(const QuadraticRun& r) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {1, 1};
  spec.polynomial = {Monomial{Rational(r.a / 2), {2}}};
  const auto model = make_model<Rational>(spec);
  const DataSet<Rational> data{Mat<Rational>::Zero(1, 1), Mat<Rational>::Zero(1, 1)};
  Quantities<Rational> out;
  for (bool nesterov : {false, true}) {
    const SgdConfig<Rational> cfg{r.eta, r.lambda, r.beta, nesterov, {}};
    SgdState<Rational> state{Vec<Rational>::Constant(1, r.theta0), Vec<Rational>()};
    for (int t = 1; t <= r.steps; ++t) {
      sgd_step(*model, data, Batch{0}, cfg, state);
      out.push_back({std::string(nesterov ? "Nesterov" : "heavy ball") + " theta_" + std::to_string(t), state.theta[0]});
    }
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
Recurrence own_recurrence(bool nesterov, const QuadraticRun& r, const Rational& x) {
  if (nesterov) return {nesterov_polynomial(x, r.beta), Rational(1 - x * (1 + r.beta))};
  return {heavy_ball_polynomial(x, r.beta), Rational(1 - x)};
}
// Mutant: Nesterov is given heavy ball's polynomial and first step.
Recurrence heavy_ball_recurrence(bool, const QuadraticRun& r, const Rational& x) {
  return {heavy_ball_polynomial(x, r.beta), Rational(1 - x)};
}
auto iterates_of(Recurrence (*recurrence)(bool, const QuadraticRun&, const Rational&)) {
  return [recurrence](const QuadraticRun& r) {
    Quantities<Rational> out;
    for (bool nesterov : {false, true}) {
      const std::string name = nesterov ? "Nesterov" : "heavy ball";
      const Recurrence rec = recurrence(nesterov, r, Rational(r.eta * (r.a + r.lambda)));
      Rational previous = r.theta0, current = rec.first * r.theta0;
      out.push_back({name + " theta_1", current});
      for (int t = 2; t <= r.steps; ++t) {
        const Rational next = -rec.p.a1 * current - rec.p.a0 * previous;
        previous = current;
        current = next;
        out.push_back({name + " theta_" + std::to_string(t), current});
      }
    }
    return out;
  };
}

}  // namespace
}  // namespace e4

ENTROPIC_CLAIM(E4) {
  using namespace e4;
  const auto bucket = [](const Rational& x) {
    return std::string(x < Rational(1, 10) ? "< 1/10" : x < Rational(1, 2) ? "[1/10, 1/2)" : ">= 1/2");
  };
  return Claim("E4", "Linear stability thresholds")
      .provenance(Provenance::classical)
      .kind("exact (linearized)")
      .part("jury", "Jury test = roots in the unit disc", jury_cases())
          .observe(roots_in_disc)
          .predict(jury)
          .mutant("no-a0", "Jury without |a0| < 1", jury_without_a0)
          .degenerate("a0 = 0 (a root at 0: r (r + a1))", [](const JuryCase& c) { return c.a0 == 0; })
          .nondegenerate("the generator draws a0 != 0")
          .feature("|a0| >= 1", outside_a0)
          .feature("stable", [](const JuryCase& c) { return jury_stable(c.poly()); })
      .part("thresholds", "thresholds 2, 2 + 2 beta, (2 + 2 beta)/(1 + 2 beta) against Jury", threshold_cases())
          .observe(jury_at_landmarks)
          .predict(stable_below(catalog_threshold))
          .mutant("heavy-ball-two", "heavy-ball threshold 2", stable_below(heavy_ball_at_two))
          .mutant("nesterov-heavy-ball", "Nesterov threshold 2 + 2 beta", stable_below(nesterov_like_heavy_ball))
          .degenerate("beta = 0 (heavy ball and Nesterov are GD: the thresholds coincide)",
                      [](const ThresholdCase& c) { return c.beta == 0; })
          .degenerate("epsilon >= 2 beta (no landmark between 2 and 2 + 2 beta)",
                      [](const ThresholdCase& c) { return c.epsilon >= 2 * c.beta; })
          .nondegenerate("the generator draws beta in (0, 1) and epsilon < beta/2; every instance checks all three methods")
          .feature("beta", [bucket](const ThresholdCase& c) { return bucket(c.beta); })
      .part("polynomial", "heavy ball and Nesterov iterates follow their polynomial", quadratic_runs())
          .observe(iterates)
          .predict(iterates_of(own_recurrence))
          .mutant("nesterov-heavy-ball", "PyTorch Nesterov follows the heavy-ball polynomial",
                  iterates_of(heavy_ball_recurrence))
          .degenerate("eta (a + lambda) = 0 (theta never moves)", [](const QuadraticRun& r) { return r.a + r.lambda == 0; })
          .nondegenerate("the generator draws a != 0 and a + lambda != 0, beta > 0; every instance runs both methods")
          .feature("lambda = 0", [](const QuadraticRun& r) { return r.lambda == 0; })
          .feature("steps", [](const QuadraticRun& r) { return r.steps; })
          .feature("eta (a + lambda) in (0, 2)", [](const QuadraticRun& r) {
            const Rational x = r.eta * (r.a + r.lambda);
            return x > 0 && x < 2;
          })
      .part("mean-square", "SGD mean square: T by enumerating batches", mean_square_cases())
          .observe(enumerated_factor)
          .predict(mean_square_factor_with(catalog_kappa<MeanSquareCase>))
          .mutant("no-noise", "mean-square factor without the noise term", mean_square_factor_with(no_noise<MeanSquareCase>))
          .mutant("kappa-one-over-s", "kappa_S = 1/S also for subsets", mean_square_factor_with(one_over_batch<MeanSquareCase>))
          .degenerate("s^2 = 0 (equal per-sample curvatures: no noise term)", curvatures_equal)
          .degenerate("S = 1 (kappa_S = 1 = 1/S for both samplings)", [](const MeanSquareCase& c) { return c.batch == 1; })
          .nondegenerate("the generator draws n >= 2 samples with unequal x_i^2 and S in [2, n]; both samplings per instance")
          .feature("n", [](const MeanSquareCase& c) { return c.samples(); })
          .feature("S", [](const MeanSquareCase& c) { return c.batch; })
          .feature("lambda = 0", [](const MeanSquareCase& c) { return c.lambda == 0; })
          .feature("mean-square stable (with replacement)", mean_square_stable)
      .part("operator", "SGD mean square: the operator T(M) in d dimensions", operator_cases())
          .observe(enumerated_operator)
          .predict(operator_with(catalog_kappa<OperatorCase>))
          .mutant("no-noise", "T(M) without the noise term (d dimensions)", operator_with(no_noise<OperatorCase>))
          .degenerate("E_i[(H_i - H) M (H_i - H)] = 0 or kappa_S = 0 (no noise term)", operator_noise_vanishes)
          .nondegenerate("the generator draws n >= 2 samples, not all x_i x_i^T equal, M != 0, and S < n without replacement")
          .feature("d", [](const OperatorCase& c) { return static_cast<int>(c.X.cols()); })
          .feature("n", [](const OperatorCase& c) { return c.samples(); })
          .feature("S", [](const OperatorCase& c) { return c.batch; })
          .feature("with replacement", [](const OperatorCase& c) { return c.sampling == Sampling::with_replacement; })
      .part("uw", "uw minima: eigenvalues 0 and u^2 + w^2; unstable for eta > 1/|y|", uw_minima())
          .check(uw_minimum(Rational(1)))
          .mutant("half-bound", "no uw minimum is stable for eta > 1/(2|y|)", uw_minimum(Rational(1, 2)))
          .degenerate("y = 0 (u w = 0)", [](const UwMinimum& m) { return m.u * m.w == 0; })
          .nondegenerate("the generator draws u, w != 0")
          .feature("eta |y|", [](const UwMinimum& m) {
            const Rational c = m.eta * abs(m.u * m.w);
            return std::string(c <= Rational(1, 2) ? "<= 1/2" : c <= 1 ? "(1/2, 1]" : "> 1");
          })
          .feature("balanced (u^2 = w^2)", [](const UwMinimum& m) { return m.u * m.u == m.w * m.w; });
}

}  // namespace entropic
