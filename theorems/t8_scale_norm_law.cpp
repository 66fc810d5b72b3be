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
// form) is not checked here: the kind says "pathwise form".
// Degenerate instances (a statement or a mutant holds trivially) are excluded by the generators and
// counted (0) by .degenerate: g_t = 0 at every step (orthogonality, the drift, growth), lambda = 0 (the
// decay's powers agree), s = 1 or g(theta_0) = 0 (outward), lambda <||theta||^2>_T = 0 or
// ||theta_T|| = ||theta_0|| (pathwise), every x_i = 0 (certified).
#include "entropic/numeric/elementary.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "support/charge_steps.hpp"

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

// <theta_t, g_t> at every step over the scalar S, and the claim: 0.
template <class S>
Quantities<S> theta_dot_g(const TrainingRun& run) {
  Quantities<S> out;
  for (const RunStep<S>& s : trajectory<S>(run))
    out.push_back({"<theta, g> at step " + std::to_string(s.t), S(s.theta.dot(s.g))});
  return out;
}
template <class S>
Quantities<S> orthogonal(const TrainingRun& run) {
  Quantities<S> out;
  for (int t = 0; t < run.steps(); ++t) out.push_back({"<theta, g> at step " + std::to_string(t), S(0)});
  return out;
}

// ||theta_{t+1}||^2 at every step over the scalar S, and what a law predicts of it from
// N = ||theta_t||^2, G = ||g_t||^2: law(eta, lambda, N, G).
template <class S>
Quantities<S> norm2_after_each_step(const TrainingRun& run) {
  const Symmetry<S> scale = scale_symmetry<S>(make_model<S>(run.spec)->layout(), S(2));
  Quantities<S> out;
  for (const RunStep<S>& s : trajectory<S>(run))
    out.push_back({"||theta||^2 after step " + std::to_string(s.t), scale.charge(s.next)(0, 0)});
  return out;
}
template <class S, class Law>
Quantities<S> norm2_predicted(const TrainingRun& run, Law&& law) {
  const Symmetry<S> scale = scale_symmetry<S>(make_model<S>(run.spec)->layout(), S(2));
  const S eta = from_rational<S>(run.eta), lambda = from_rational<S>(run.lambda);
  Quantities<S> out;
  for (const RunStep<S>& s : trajectory<S>(run))
    out.push_back({"||theta||^2 after step " + std::to_string(s.t), law(scale, s, eta, lambda)});
  return out;
}

// The law: (1 - eta lambda)^2 ||theta||^2 + eta^2 ||g||^2 (the scale charge's predicted_charge_after_step).
template <class S>
Quantities<S> norm_law(const TrainingRun& run) {
  return norm2_predicted<S>(run, [](const Symmetry<S>& scale, const RunStep<S>& s, const S& eta, const S& lambda) {
    return S(predicted_charge_after_step(scale, s.theta, s.g, eta, lambda)(0, 0));
  });
}
// Mutant: gradient-flow conservation, (1 - eta lambda)^2 ||theta||^2 (the eta^2 ||g||^2 term dropped).
Quantities<Rational> norm_law_without_drift(const TrainingRun& run) {
  using R = Rational;
  return norm2_predicted<R>(run, [](const Symmetry<R>& scale, const RunStep<R>& s, const R& eta, const R& lambda) {
    return R((1 - eta * lambda) * (1 - eta * lambda) * scale.charge(s.theta)(0, 0));
  });
}
// Mutant: the decay linearised, (1 - 2 eta lambda) ||theta||^2 + eta^2 ||g||^2.
Quantities<Rational> norm_law_linearised_decay(const TrainingRun& run) {
  using R = Rational;
  return norm2_predicted<R>(run, [](const Symmetry<R>& scale, const RunStep<R>& s, const R& eta, const R& lambda) {
    return R((1 - 2 * eta * lambda) * scale.charge(s.theta)(0, 0) + eta * eta * scale.charge(s.g)(0, 0));
  });
}

// <theta, g> = 0 and the law on f = W x / ||W||_F, observed and predicted together.
template <class S>
Quantities<S> orthogonality_and_norm2(const TrainingRun& run) {
  Quantities<S> out = theta_dot_g<S>(run);
  for (auto& q : norm2_after_each_step<S>(run)) out.push_back(std::move(q));
  return out;
}
template <class S>
Quantities<S> orthogonal_and_norm_law(const TrainingRun& run) {
  Quantities<S> out = orthogonal<S>(run);
  for (auto& q : norm_law<S>(run)) out.push_back(std::move(q));
  return out;
}

// At lambda = 0: ||theta_{t+1}||^2 - ||theta_t||^2 > 0 wherever g_t != 0 (and = 0 where g_t = 0).
Verdict grows_at_every_step(const TrainingRun& run) {
  std::vector<Verdict> steps;
  for (const RunStep<Rational>& s : trajectory<Rational>(run)) {
    const Rational growth = s.next.squaredNorm() - s.theta.squaredNorm();
    const std::string at = " at step " + std::to_string(s.t);
    steps.push_back(s.g.squaredNorm() != 0
                        ? certainly_positive<Rational>(growth, "||theta||^2 grows strictly" + at)
                        : compare<Rational>(growth, Rational(0), "||theta||^2 unchanged where g = 0" + at));
  }
  return all_of(steps);
}
// Mutant: the norm shrinks at every step.
Verdict shrinks_at_every_step(const TrainingRun& run) {
  std::vector<Verdict> steps;
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    steps.push_back(certainly_positive<Rational>(Rational(s.theta.squaredNorm() - s.next.squaredNorm()),
                                                 "||theta||^2 shrinks at step " + std::to_string(s.t)));
  return all_of(steps);
}

// g_t = 0 at every step (nothing moves but the decay).
bool no_gradient_throughout(const TrainingRun& run) {
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    if (!s.g.isZero(0)) return false;
  return true;
}

// A run at lambda = 0 and a scale s > 0.
struct ScaledRun {
  TrainingRun run;
  Rational s;
  std::string show() const { return run.show() + "; s = " + to_text(s); }
};

// The entropic force points outward: at lambda = 0, g(s theta) = g(theta) / s and
// phi_1(s theta) s^2 = phi_1(theta), i.e. phi_1 = 1/4 ||g_hat||^2 / ||theta||^2. At theta_0, on the
// run's first batch: (s g(s theta), s^2 phi_1(s theta)) observed, (g(theta), phi_1(theta)) predicted.
std::pair<Vec<Rational>, Rational> scaled_gradient_and_phi1(const ScaledRun& in) {
  const auto model = make_model<Rational>(in.run.spec);
  const Vec<Rational> moved = scale_symmetry<Rational>(model->layout(), in.s).act(in.run.theta0);
  const Batch& batch = in.run.batches.front();
  return {Vec<Rational>(in.s * model->gradient(moved, in.run.data, batch)),
          Rational(in.s * in.s * phi1(*model, in.run.data, batch, moved, Rational(0)))};
}
std::pair<Vec<Rational>, Rational> gradient_and_phi1(const ScaledRun& in) {
  const auto model = make_model<Rational>(in.run.spec);
  const Batch& batch = in.run.batches.front();
  return {model->gradient(in.run.theta0, in.run.data, batch),
          phi1(*model, in.run.data, batch, in.run.theta0, Rational(0))};
}
// Mutant: no outward force, g(s theta) = g(theta) and phi_1(s theta) = phi_1(theta), as if the gradient
// were as scale-invariant as the loss: (s g(theta), s^2 phi_1(theta)) predicted.
std::pair<Vec<Rational>, Rational> invariant_gradient_and_phi1(const ScaledRun& in) {
  auto [g, phi] = gradient_and_phi1(in);
  return {Vec<Rational>(in.s * g), Rational(in.s * in.s * phi)};
}
// s = 1, or g(theta_0) = 0 on the first batch (then phi_1 = 0 too): both sides agree trivially.
bool outward_degenerate(const ScaledRun& in) {
  return in.s == 1 || gradient_and_phi1(in).first.isZero(0);
}

// The scale charge ||theta||^2, for the pathwise average eta/2 <||g||^2>_T - (||theta_T||^2 -
// ||theta_0||^2)/(2 eta T) = lambda (1 - eta lambda/2) <||theta||^2>_T (support/charge_steps.hpp).
std::vector<Symmetry<Rational>> scale_charge(const TrainingRun& run) {
  return {scale_symmetry<Rational>(make_model<Rational>(run.spec)->layout(), Rational(2))};
}

}  // namespace

ENTROPIC_CLAIM(T8) {
  const auto runs = gen::excluding(gen::training_run(cosine_square(true)), no_gradient_throughout);
  const auto runs_with_decay = gen::excluding(runs, [](const TrainingRun& r) { return r.lambda == 0; });
  const auto runs_without_decay = gen::excluding(gen::training_run(cosine_square(false)), no_gradient_throughout);
  const auto scaled_runs = gen::excluding(
      rc::gen::map(rc::gen::pair(gen::training_run(cosine_square(false)), gen::positive_rational()),
                   [](const std::pair<TrainingRun, Rational>& p) { return ScaledRun{p.first, p.second}; }),
      outward_degenerate);
  const auto pathwise_degenerate = either(weight_decay_term_zero(scale_charge), no_boundary_term(scale_charge));
  const auto no_input = [](const TrainingRun& r) { return r.data.X.isZero(0); };
  const auto lambda_zero = [](const TrainingRun& r) { return r.lambda == 0; };
  return Claim("T8", "Scale symmetry: norm law")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary (pathwise form)")
      .part("orthogonal", "theta orthogonal to g", runs)
          .observe(theta_dot_g<Rational>)
          .predict(orthogonal<Rational>)
          .degenerate("g_t = 0 at every step", no_gradient_throughout)
          .nondegenerate("such runs are filtered out (suchThat)")
          .feature("dimension", [](const TrainingRun& r) { return r.spec.widths[0]; })
      .part("norm-law", "norm law", runs_with_decay)
          .observe(norm2_after_each_step<Rational>)
          .predict(norm_law<Rational>)
          .mutant("no-drift", "gradient-flow conservation: law without eta^2 ||g||^2", norm_law_without_drift)
          .mutant("linear-decay", "decay factor (1 - 2 eta lambda) instead of (1 - eta lambda)^2",
                  norm_law_linearised_decay)
          .degenerate("g_t = 0 at every step", no_gradient_throughout)
          .degenerate("lambda = 0", lambda_zero)
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
          .feature("dimension", [](const TrainingRun& r) { return r.spec.widths[0]; })
      .part("growth", "monotone growth at lambda = 0", runs_without_decay)
          .check(grows_at_every_step)
          .mutant("shrinks", "the norm shrinks at lambda = 0", shrinks_at_every_step)
          .degenerate("g_t = 0 at every step", no_gradient_throughout)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("outward", "entropic force points outward", scaled_runs)
          .observe(scaled_gradient_and_phi1)
          .predict(gradient_and_phi1)
          .mutant("invariant", "no outward force: g and phi_1 invariant under theta -> s theta",
                  invariant_gradient_and_phi1)
          .degenerate("s = 1 or g(theta_0) = 0", outward_degenerate)
          .nondegenerate("such instances are filtered out (suchThat)")
          .feature("s > 1", [](const ScaledRun& in) { return in.s > 1; })
      .part("pathwise", "pathwise average", gen::excluding(runs, pathwise_degenerate))
          .observe(pathwise_balance(scale_charge))
          .predict(weight_decay_balance(scale_charge, -1))
          .mutant("decay-in-phi1", "weight decay inside phi_1: prefactor (1 + eta lambda/2)",
                  weight_decay_balance(scale_charge, +1))
          .mutant("no-boundary", "the stationary balance along a finite run: boundary term dropped",
                  balance_without_boundary(scale_charge))
          .degenerate("lambda <||theta||^2>_T = 0", weight_decay_term_zero(scale_charge))
          .degenerate("||theta_T||^2 = ||theta_0||^2", no_boundary_term(scale_charge))
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
      .part("certified", "norm law on W x / ||W||, certified",
            gen::excluding(gen::training_run(normalized_linear()), no_input))
          .observe(orthogonality_and_norm2<Interval>)
          .predict(orthogonal_and_norm_law<Interval>)
          .precision(kCertifiedBits)
          .degenerate("every x_i = 0 (g = 0)", no_input)
          .nondegenerate("such runs are filtered out (suchThat)");
}

}  // namespace entropic
