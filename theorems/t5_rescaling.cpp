// T5 — Rescaling: exact law, product formula, pathwise stationarity (catalog T5).
//
// If l(su, w/s) = l(u, w) per sample, one SGD step with weight decay lambda moves the charge
// Delta = ||u||^2 - ||w||^2 exactly as
//     Delta' = (1 - eta lambda)^2 Delta + eta^2 (||g_u||^2 - ||g_w||^2),
// for the layer charge (W_l, b_l | W_{l+1}) and for every neuron charge of a positively homogeneous
// net. For f = u w x: p = u + w, q = u - w obey p' = (1 - eta lambda - eta r_B) p,
// q' = (1 - eta lambda + eta r_B) q. Summing the law over a run gives the pathwise identity
//     lambda (1 - eta lambda / 2) <Delta>_T = eta/2 <||g_u||^2 - ||g_w||^2>_T - (Delta_T - Delta_0) / (2 eta T).
// The statistical stationary balance is checked on long SGD runs in tests/statistical (T5, T6, T10).
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
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

// f = u w x: deep_linear [1, 1, 1].
gen::RunShape scalar_product_model() {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {1, 1, 1};
  shape.max_samples = 4;
  shape.max_steps = 5;
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
// Delta_T = Delta_0 prod_t [(1 - eta lambda)^2 - eta^2 r_t^2]; the law has sign = +1.
auto product_formula(int sign) {
  return [sign](const TrainingRun& run) {
    Quantities<Rational> out;
    const auto steps = product_steps(run);
    const Rational decay = 1 - run.eta * run.lambda;
    Rational delta = steps.front().p * steps.front().q;
    for (std::size_t t = 0; t < steps.size(); ++t) {
      const ProductStep& s = steps[t];
      out.push_back({"p after step " + std::to_string(t), Rational((decay - sign * run.eta * s.r) * s.p)});
      out.push_back({"q after step " + std::to_string(t), Rational((decay + sign * run.eta * s.r) * s.q)});
      delta *= decay * decay - run.eta * run.eta * s.r * s.r;
    }
    out.push_back({"Delta_T", delta});
    return out;
  };
}

// The layer charge Delta = ||W_1, b_1||^2 - ||W_2||^2 alone, for the pathwise average.
std::vector<Symmetry<Rational>> layer_charge(const TrainingRun& run) { return {rescaling_charges(run).front()}; }

}  // namespace

ENTROPIC_CLAIM(T5) {
  return Claim("T5", "Rescaling: exact law, product formula, stationary balance")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary; order-1")
      .part("law", "layer and neuron laws", gen::training_run(homogeneous_net()))
          .observe(observed_charges)
          .predict(charge_law_with_decay)
          .mutant("no-decay", "law without the weight-decay factor", charge_law_without_decay)
      .part("product", "product formula", gen::training_run(scalar_product_model()))
          .observe(observed_p_q)
          .predict(product_formula(+1))
          .mutant("swapped", "p and q multipliers swapped", product_formula(-1))
      .part("pathwise", "pathwise average", gen::training_run(homogeneous_net()))
          .observe(pathwise_balance(layer_charge))
          .predict(weight_decay_balance(layer_charge, -1))
          .mutant("decay-in-phi1", "weight decay inside phi_1: prefactor (1 + eta lambda/2)",
                  weight_decay_balance(layer_charge, +1));
}

}  // namespace entropic
