// T8 — Scale symmetry: norm law (catalog T8).
//
// If l(s theta) = l(theta) for every s > 0, then <theta, g> = 0 and one SGD step with weight decay
// lambda moves the scale charge ||theta||^2 exactly as
//     ||theta_{t+1}||^2 = (1 - eta lambda)^2 ||theta_t||^2 + eta^2 ||g_t||^2,
// so at lambda = 0 the norm grows at every step with g != 0, while gradient flow keeps it fixed.
// The entropic force points outward: g(s theta) = g(theta)/s, hence at lambda = 0
//     phi_1(theta) = 1/4 ||g_hat(theta_hat)||^2 / ||theta||^2,
// with g_hat the gradient at the unit-norm point theta_hat. Summing the law over a run gives the
// pathwise identity (as in T5)
//     lambda (1 - eta lambda/2) <||theta||^2>_T = eta/2 <||g||^2>_T - (||theta_T||^2 - ||theta_0||^2) / (2 eta T).
// Rational instance: l = 1/2 ((x^T theta)^2 / ||theta||^2 - y)^2 in d <= 3; certified instance:
// f = W x / ||W||_F in interval arithmetic. The statistical stationary balance (its expectation
// form) is not checked here.
#include "entropic/numeric/elementary.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace {

// Precision of the certified part: every enclosure after a few steps is far narrower than the
// sqrt(eps) that compare() allows, at this precision.
constexpr unsigned kCertifiedBits = 256;

// l = 1/2 ((x^T theta)^2 / ||theta||^2 - y)^2, theta in R^d, d = 1..3.
gen::RunShape cosine_square(bool weight_decay) {
  gen::RunShape shape;
  shape.kind = ModelKind::cosine_square;
  shape.min_widths = {1, 1};
  shape.max_widths = {3, 1};
  shape.max_samples = 4;
  shape.max_batch = 3;
  shape.weight_decay = weight_decay;
  return shape;
}

// f = W x / ||W||_F, W up to 2 x 3.
gen::RunShape normalized_linear() {
  gen::RunShape shape;
  shape.kind = ModelKind::normalized_linear;
  shape.min_widths = {1, 1};
  shape.max_widths = {3, 2};
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

// <theta_t, g_t> = 0 at every step, over the scalar S.
template <class S>
Verdict orthogonality(const TrainingRun& run) {
  Verdict out{Outcome::holds, ScalarKind<S>::name(), ScalarKind<S>::evidence, "0",
              "<theta, g> = 0 at every step"};
  for_each_step<S>(run, [&](int t, const Vec<S>& theta, const Vec<S>& g, const Vec<S>&) {
    if (out.outcome == Outcome::holds)
      out = compare<S>(S(theta.dot(g)), S(0), "<theta, g> = 0 at step " + std::to_string(t));
  });
  return out;
}

// What a law predicts for ||theta_{t+1}||^2. The first is the catalog's; the others are mutants.
enum class NormLaw {
  exact,             // (1 - eta lambda)^2 ||theta||^2 + eta^2 ||g||^2
  gradient_flow,     // (1 - eta lambda)^2 ||theta||^2: the eta^2 ||g||^2 term dropped
  linearised_decay,  // (1 - 2 eta lambda) ||theta||^2 + eta^2 ||g||^2
};

template <class S>
S predicted_norm2(const Symmetry<S>& scale, const Vec<S>& theta, const Vec<S>& g, const S& eta,
                  const S& lambda, NormLaw law) {
  const S exact = predicted_charge_after_step(scale, theta, g, eta, lambda)(0, 0);
  switch (law) {
    case NormLaw::exact: return exact;
    case NormLaw::gradient_flow: return S(exact - eta * eta * scale.charge(g)(0, 0));
    case NormLaw::linearised_decay:  // (1 - 2 eta lambda) = (1 - eta lambda)^2 - eta^2 lambda^2
      return S(exact - eta * eta * lambda * lambda * scale.charge(theta)(0, 0));
  }
  return exact;
}

// The scale charge follows `law` at every step, over the scalar S.
template <class S>
Verdict norm_law(const TrainingRun& run, NormLaw law) {
  const auto model = make_model<S>(run.spec);
  const Symmetry<S> scale = scale_symmetry<S>(model->layout(), S(2));
  const S eta = from_rational<S>(run.eta), lambda = from_rational<S>(run.lambda);
  Verdict out{Outcome::holds, ScalarKind<S>::name(), ScalarKind<S>::evidence, "0",
              "||theta'||^2 = (1 - eta lambda)^2 ||theta||^2 + eta^2 ||g||^2 at every step"};
  for_each_step<S>(run, [&](int t, const Vec<S>& theta, const Vec<S>& g, const Vec<S>& next) {
    if (out.outcome != Outcome::holds) return;
    out = compare<S>(scale.charge(next)(0, 0), predicted_norm2(scale, theta, g, eta, lambda, law),
                     "norm law at step " + std::to_string(t));
  });
  return out;
}

// <theta, g> = 0 and the law on f = W x / ||W||_F, certified in interval arithmetic at
// kCertifiedBits (the verdict's arithmetic names the precision in force).
Verdict certified_norm_law(const TrainingRun& run) {
  const PrecisionScope precision(kCertifiedBits);
  return all_of({orthogonality<Interval>(run), norm_law<Interval>(run, NormLaw::exact)});
}

// At lambda = 0: ||theta_{t+1}||^2 - ||theta_t||^2 > 0 wherever g_t != 0 (and = 0 where g_t = 0).
// The mutant claims the opposite: the norm shrinks at every step.
Verdict monotone_growth(const TrainingRun& run, bool claim_shrinking) {
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0",
              "at lambda = 0 ||theta||^2 grows at every step with g != 0"};
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    if (out.outcome != Outcome::holds) return;
    const Rational growth = next.squaredNorm() - theta.squaredNorm();
    const std::string step = " at step " + std::to_string(t);
    if (claim_shrinking)
      out = certainly_positive<Rational>(Rational(-growth), "||theta||^2 shrinks" + step);
    else if (g.squaredNorm() != 0)
      out = certainly_positive<Rational>(growth, "||theta||^2 grows strictly" + step);
    else
      out = compare<Rational>(growth, Rational(0), "||theta||^2 unchanged where g = 0" + step);
  });
  return out;
}

// The entropic force points outward: at lambda = 0, phi_1(s theta) s^2 = phi_1(theta) for s > 0,
// i.e. phi_1 = 1/4 ||g_hat||^2 / ||theta||^2; and g(s theta) = g(theta) / s. Checked at theta_0 on
// the run's first batch.
Verdict entropic_force_outward(const std::pair<TrainingRun, Rational>& instance) {
  const auto& [run, s] = instance;
  const auto model = make_model<Rational>(run.spec);
  const Vec<Rational> moved = scale_symmetry<Rational>(model->layout(), s).act(run.theta0);
  const Batch& batch = run.batches.front();
  return all_of(
      {compare<Rational>(Vec<Rational>(s * model->gradient(moved, run.data, batch)),
                         model->gradient(run.theta0, run.data, batch), "s g(s theta) = g(theta)"),
       compare<Rational>(Rational(s * s * phi1(*model, run.data, batch, moved, Rational(0))),
                         phi1(*model, run.data, batch, run.theta0, Rational(0)),
                         "s^2 phi_1(s theta) = phi_1(theta) at lambda = 0")});
}

// lambda (1 - eta lambda/2) <||theta||^2>_T = eta/2 <||g||^2>_T - (||theta_T||^2 - ||theta_0||^2)/(2 eta T).
Verdict pathwise_average(const TrainingRun& run) {
  Rational sum_norm2 = 0, sum_g2 = 0, last_norm2 = run.theta0.squaredNorm();
  for_each_step<Rational>(run, [&](int, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    sum_norm2 += theta.squaredNorm();
    sum_g2 += g.squaredNorm();
    last_norm2 = next.squaredNorm();
  });
  const int T = run.steps();
  const Rational lhs = run.lambda * (1 - run.eta * run.lambda / 2) * sum_norm2 / T;
  const Rational rhs = run.eta / 2 * sum_g2 / T -
                       (last_norm2 - run.theta0.squaredNorm()) / (2 * run.eta * T);
  return compare<Rational>(lhs, rhs,
                           "lambda (1 - eta lambda/2) <||theta||^2>_T = eta/2 <||g||^2>_T - "
                           "(||theta_T||^2 - ||theta_0||^2)/(2 eta T)");
}

std::string show_run(const TrainingRun& run) { return run.show(); }
std::string show_scaled(const std::pair<TrainingRun, Rational>& instance) {
  return instance.first.show() + "; s = " + to_text(instance.second);
}

}  // namespace

ENTROPIC_CLAIM(T8) {
  const auto runs = gen::training_run(cosine_square(true));
  const auto runs_without_decay = gen::training_run(cosine_square(false));
  return Claim("T8", "Scale symmetry: norm law")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary")
      .part("theta orthogonal to g", runs, orthogonality<Rational>, show_run)
      .part("norm law", runs,
            [](const TrainingRun& r) { return norm_law<Rational>(r, NormLaw::exact); }, show_run)
      .part("monotone growth at lambda = 0", runs_without_decay,
            [](const TrainingRun& r) { return monotone_growth(r, false); }, show_run)
      .part("entropic force points outward",
            rc::gen::pair(runs_without_decay, gen::positive_rational()), entropic_force_outward,
            show_scaled)
      .part("pathwise average", runs, pathwise_average, show_run)
      .part("norm law on W x / ||W||, certified", gen::training_run(normalized_linear()),
            certified_norm_law, show_run)
      .mutant("gradient-flow conservation: law without eta^2 ||g||^2", runs,
              [](const TrainingRun& r) { return norm_law<Rational>(r, NormLaw::gradient_flow); },
              show_run)
      .mutant("decay factor (1 - 2 eta lambda) instead of (1 - eta lambda)^2", runs,
              [](const TrainingRun& r) { return norm_law<Rational>(r, NormLaw::linearised_decay); },
              show_run)
      .mutant("the norm shrinks at lambda = 0", runs_without_decay,
              [](const TrainingRun& r) { return monotone_growth(r, true); }, show_run);
}

}  // namespace entropic
