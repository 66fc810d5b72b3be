// T5 — Rescaling: exact law, product formula, pathwise stationarity (catalog T5).
//
// If l(su, w/s) = l(u, w) per sample, one SGD step with weight decay lambda moves the charge
// Delta = ||u||^2 - ||w||^2 exactly as
//     Delta' = (1 - eta lambda)^2 Delta + eta^2 (||g_u||^2 - ||g_w||^2),
// for the layer charge (W_l, b_l | W_{l+1}) and for every neuron charge of a positively homogeneous
// net. For f = u w x: p = u + w, q = u - w obey p' = (1 - eta lambda - eta r_B) p,
// q' = (1 - eta lambda + eta r_B) q. Summing the law over a run gives the pathwise identity
//     lambda (1 - eta lambda / 2) <Delta>_T = eta/2 <||g_u||^2 - ||g_w||^2>_T - (Delta_T - Delta_0) / (2 eta T).
// That pathwise identity is what the claim checks of the stationary balance (its expectation over a
// stationary run is the catalog's statistical statement, checked in double on long SGD runs in
// tests/statistical, never by `verify`).
// Full-batch GD on interpolating data (y_i = c x_i) reaches gradient balance but not norm balance:
// r_t -> 0, B_inf = E_i[||grad_u l_i||^2 - ||grad_w l_i||^2] = 0, while Delta_inf = Delta_0
// prod_t (1 - eta^2 r_t^2) stays away from 0 (certified: n7/gd_limit.hpp; N7 is the same on data no
// product fits, where B_inf != 0).
// Degenerate instances (an instance on which the statement or a mutant holds trivially) are excluded
// by the generators and counted (0) by .degenerate: zero charge drift at every step, lambda Q = 0 at
// every step, all-zero data (law); r_t p_t = r_t q_t = 0 or Delta_0 = 0 (product); lambda <Delta>_T = 0,
// Delta_T = Delta_0 (pathwise); Delta_0 = 0, r_0 = 0 (gd-limit).
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "n7/gd_limit.hpp"
#include "support/charge_steps.hpp"

namespace entropic {
namespace {

// A 3 -> 4 -> 2 net (dimensions shrink toward 1) with biases, ReLU / leaky ReLU / identity.
gen::RunShape homogeneous_net() {
  gen::RunShape shape;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {3, 4, 2};
  shape.activations = {ActivationKind::relu, ActivationKind::linear, ActivationKind::leaky_relu};
  shape.bias = true;
  shape.min_samples = 3;
  shape.max_samples = 12;
  shape.max_batch = 3;
  return shape;
}

// The layer charge and every neuron charge of layer 1 of the MLP.
std::vector<Symmetry<Rational>> rescaling_charges(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  std::vector<Symmetry<Rational>> out;
  out.push_back(layer_rescaling<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1),
                                          mlp.weight_block(2), Rational(2)));
  for (int k = 0; k < run.spec.widths[1]; ++k)
    out.push_back(neuron_rescaling<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1),
                                             mlp.weight_block(2), k, Rational(2)));
  return out;
}

// Layer and neuron charges after every step, and the law's prediction of them with weight decay
// `lambda` (the mutant forgets it: lambda = 0 while the run uses lambda).
Charges observed_charges(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), charge_after_step);
}
Charges charge_law_with_decay(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), charge_law(run, run.lambda));
}
Charges charge_law_without_decay(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), charge_law(run, Rational(0)));
}
// Mutants: gradient-flow conservation, (1 - eta lambda)^2 Delta (the eta^2 term dropped); and the decay
// linearised, (1 - 2 eta lambda) Delta + eta^2 (||g_u||^2 - ||g_w||^2).
Charges charge_law_without_drift(const TrainingRun& run) {
  const Rational decay = 1 - run.eta * run.lambda;
  return charges_along(run, rescaling_charges(run), [&](const Symmetry<Rational>& sym, const RunStep<Rational>& s) {
    return Mat<Rational>(decay * decay * sym.charge(s.theta));
  });
}
Charges charge_law_linearised_decay(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), [&](const Symmetry<Rational>& sym, const RunStep<Rational>& s) {
    return Mat<Rational>((1 - 2 * run.eta * run.lambda) * sym.charge(s.theta) + run.eta * run.eta * sym.charge(s.g));
  });
}

// The law's runs: none on which a mutant agrees with it by construction (zero drift at every step,
// lambda Q(theta_t) = 0 at every step), and no all-zero data.
bool law_degenerate(const TrainingRun& run) {
  return all_zero_data(run) || zero_drift_throughout(rescaling_charges)(run) || decay_untested(rescaling_charges)(run);
}

// f = W2 W1 x: u = W2, w = W1; r_B = (1/S) sum_B (u w x_i - y_i) x_i at the step's theta.
struct ProductStep {
  Rational p, q, p_next, q_next, r;
};
std::vector<ProductStep> product_steps(const TrainingRun& run) {
  std::vector<ProductStep> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(run)) {
    Rational r = 0;
    for (int i : run.batches[s.t])
      r += (s.theta[1] * s.theta[0] * run.data.X(i, 0) - run.data.Y(i, 0)) * run.data.X(i, 0);
    r /= static_cast<int>(run.batches[s.t].size());
    out.push_back({s.theta[1] + s.theta[0], s.theta[1] - s.theta[0], s.next[1] + s.next[0], s.next[1] - s.next[0], r});
  }
  return out;
}

// The multipliers of p and q cannot be told apart: r_t p_t = r_t q_t = 0 at every step (r_t = 0, or
// u = w = 0, where nothing moves but the decay).
bool multipliers_untested(const TrainingRun& run) {
  for (const ProductStep& s : product_steps(run))
    if (s.r != 0 && (s.p != 0 || s.q != 0)) return false;
  return true;
}
// The eta^2 r^2 factors of Delta_T are untested: Delta_0 = 0 (Delta stays 0) or r_t = 0 at every step.
bool product_factors_untested(const TrainingRun& run) {
  const auto steps = product_steps(run);
  if (steps.front().p * steps.front().q == 0) return true;
  for (const ProductStep& s : steps)
    if (s.r != 0) return false;
  return true;
}

// p_{t+1}, q_{t+1} at every step and Delta_T = p_T q_T.
Quantities<Rational> observed_p_q(const TrainingRun& run) {
  Quantities<Rational> out;
  const auto steps = product_steps(run);
  for (std::size_t t = 0; t < steps.size(); ++t) {
    out.push_back({"p after step " + std::to_string(t), steps[t].p_next});
    out.push_back({"q after step " + std::to_string(t), steps[t].q_next});
  }
  out.push_back({"Delta_T", steps.back().p_next * steps.back().q_next});
  return out;
}

// p' = (1 - eta lambda - sign eta r_B) p, q' = (1 - eta lambda + sign eta r_B) q, and
// Delta_T = Delta_0 prod_t [(1 - eta lambda)^2 - eta^2 r_t^2]; the law has sign = +1. The mutant
// `forget_r2` keeps the multipliers but takes Delta_T = (1 - eta lambda)^(2T) Delta_0.
auto product_formula(int sign, bool forget_r2 = false) {
  return [sign, forget_r2](const TrainingRun& run) {
    Quantities<Rational> out;
    const auto steps = product_steps(run);
    const Rational decay = 1 - run.eta * run.lambda;
    Rational delta = steps.front().p * steps.front().q;
    for (std::size_t t = 0; t < steps.size(); ++t) {
      const ProductStep& s = steps[t];
      out.push_back({"p after step " + std::to_string(t), Rational((decay - sign * run.eta * s.r) * s.p)});
      out.push_back({"q after step " + std::to_string(t), Rational((decay + sign * run.eta * s.r) * s.q)});
      delta *= forget_r2 ? Rational(decay * decay) : Rational(decay * decay - run.eta * run.eta * s.r * s.r);
    }
    out.push_back({"Delta_T", delta});
    return out;
  };
}

// The layer charge Delta = ||W_1, b_1||^2 - ||W_2||^2 alone, for the pathwise average.
std::vector<Symmetry<Rational>> layer_charge(const TrainingRun& run) { return {rescaling_charges(run).front()}; }

// --- GD on interpolating data: gradient balance without norm balance -------------------------------

// The certified limit of the run, which must be interpolating data with the tail bound closed.
uwx_gd::Limit interpolating_limit(const TrainingRun& run) {
  uwx_gd::Limit limit = uwx_gd::gd_limit(run);
  if (limit.kind != uwx_gd::Limit::Kind::certified)
    throw Inconclusive("GD froze (" + limit.detail + "): no limit to certify", limit.arithmetic);
  if (limit.c_star != 0) throw Inconclusive("not interpolating data: c* = " + to_text(limit.c_star), limit.arithmetic);
  return limit;
}
// r_t -> 0 and B_inf = -c* Delta_inf = 0 (c* = 0), and Delta_inf != 0: its enclosure excludes 0.
Verdict gradient_balance_not_norm_balance(const TrainingRun& run) {
  const uwx_gd::Limit limit = interpolating_limit(run);
  if (contains_zero(limit.delta_inf))
    throw Inconclusive("the enclosure of Delta_inf contains 0; " + limit.detail, limit.arithmetic);
  return Verdict::holds(limit.arithmetic, to_text(limit.delta_inf),
                        "GD converges (r_t -> 0, certified) to B_inf = 0 with Delta_inf != 0; " + limit.detail);
}
// Mutants: the limit is norm balanced too, Delta_inf = 0 (gradient balance taken for balance of the
// layers); GD conserves the charge in the limit, Delta_inf = Delta_0 (the flow's law, N1).
Verdict norm_balanced_limit(const TrainingRun& run) {
  const uwx_gd::Limit limit = interpolating_limit(run);
  if (contains_zero(limit.delta_inf))
    throw Inconclusive("the enclosure of Delta_inf contains 0; " + limit.detail, limit.arithmetic);
  return Verdict::violated(limit.arithmetic, to_text(limit.delta_inf),
                           "Delta_inf = 0 (GD's limit is norm balanced): its enclosure excludes 0; " + limit.detail);
}
Verdict conserved_in_the_limit(const TrainingRun& run) {
  const uwx_gd::Limit limit = interpolating_limit(run);
  const PrecisionScope precision(uwx_gd::kCertifiedBits);
  const Interval gap = limit.delta_inf - from_rational<Interval>(limit.delta_0);
  if (contains_zero(gap))
    throw Inconclusive("Delta_0 lies in the enclosure of Delta_inf; " + limit.detail, limit.arithmetic);
  return Verdict::violated(limit.arithmetic, to_text(gap),
                           "Delta_inf = Delta_0 (GD conserves Delta in the limit): Delta_inf - Delta_0 excludes 0; " +
                               limit.detail);
}

}  // namespace

ENTROPIC_CLAIM(T5) {
  const auto nets = gen::training_run(homogeneous_net());
  const auto pathwise_degenerate = either(weight_decay_term_zero(layer_charge), no_boundary_term(layer_charge));
  return Claim("T5", "Rescaling: exact law, product formula, stationary balance")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary (pathwise form); certified GD limit")
      .part("law", "layer and neuron laws", gen::excluding(nets, law_degenerate))
          .observe(observed_charges)
          .predict(charge_law_with_decay)
          .mutant("no-decay", "law without the weight-decay factor", charge_law_without_decay)
          .mutant("no-drift", "gradient-flow conservation: law without eta^2 (||g_u||^2 - ||g_w||^2)",
                  charge_law_without_drift)
          .mutant("linear-decay", "decay factor (1 - 2 eta lambda) instead of (1 - eta lambda)^2",
                  charge_law_linearised_decay)
          .degenerate("zero charge drift at every step", zero_drift_throughout(rescaling_charges))
          .degenerate("lambda Q = 0 before every step", decay_untested(rescaling_charges))
          .degenerate("all-zero data", all_zero_data)
          .nondegenerate("runs with all-zero data, zero drift or lambda Q = 0 throughout are filtered out (suchThat)")
          .feature("a pre-activation on the kink", touches_a_kink)
      .part("product", "product formula",
            gen::excluding(gen::training_run(gen::scalar_product()),
                           either(multipliers_untested, product_factors_untested)))
          .observe(observed_p_q)
          .predict(product_formula(+1))
          .mutant("swapped", "p and q multipliers swapped", product_formula(-1))
          .mutant("no-r-squared", "Delta_T = (1 - eta lambda)^(2T) Delta_0: the eta^2 r_t^2 factors forgotten",
                  product_formula(+1, true))
          .degenerate("r_t p_t = r_t q_t = 0 at every step", multipliers_untested)
          .degenerate("Delta_0 = 0 or r_t = 0 at every step", product_factors_untested)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("pathwise", "pathwise average", gen::excluding(nets, pathwise_degenerate))
          .observe(pathwise_balance(layer_charge))
          .predict(weight_decay_balance(layer_charge, -1))
          .mutant("decay-in-phi1", "weight decay inside phi_1: prefactor (1 + eta lambda/2)",
                  weight_decay_balance(layer_charge, +1))
          .mutant("no-boundary",
                  "the stationary balance along a finite run: boundary term (Delta_T - Delta_0)/(2 eta T) dropped",
                  balance_without_boundary(layer_charge))
          .degenerate("lambda <Delta>_T = 0", weight_decay_term_zero(layer_charge))
          .degenerate("Delta_T = Delta_0", no_boundary_term(layer_charge))
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
          .feature("a pre-activation on the kink", touches_a_kink)
      .part("gd-limit", "GD on interpolating u w x data: gradient balance, not norm balance",
            uwx_gd::settling_runs(true))
          .check(gradient_balance_not_norm_balance)
          .mutant("norm-balanced", "GD's limit is norm balanced too, Delta_inf = 0", norm_balanced_limit)
          .mutant("conserved", "GD conserves Delta in the limit, Delta_inf = Delta_0", conserved_in_the_limit)
          .degenerate("Delta_0 = 0", [](const TrainingRun& r) { return uwx_gd::charge(r.theta0) == 0; })
          .degenerate("r_0 = 0 (the start is a minimum)",
                      [](const TrainingRun& r) { return uwx_gd::residual(uwx_gd::moments(r.data), r.theta0) == 0; })
          .nondegenerate("the generator draws nonzero x_i and starts with Delta_0 != 0 and r_0 != 0")
          .feature("y = 0", [](const TrainingRun& r) { return r.data.Y.isZero(0); });
}

}  // namespace entropic
