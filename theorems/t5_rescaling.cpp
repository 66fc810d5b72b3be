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
#include "charge_steps.hpp"

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

// Every charge follows predicted_charge_after_step at every step. The mutant predicts with the
// weight decay forgotten (lambda_in_law = 0 while the run uses lambda).
Verdict charge_law(const TrainingRun& run, bool forget_weight_decay) {
  const Rational lambda_in_law = forget_weight_decay ? Rational(0) : run.lambda;
  return charges_follow(
      run, rescaling_charges(run),
      [&](const Symmetry<Rational>& sym, const Vec<Rational>& theta, const Vec<Rational>& g) {
        return predicted_charge_after_step(sym, theta, g, run.eta, lambda_in_law);
      },
      step_and_charge, "layer and neuron charges follow the law at every step");
}

// p' = (1 - eta lambda - sign * eta r_B) p and q' = (1 - eta lambda + sign * eta r_B) q.
Verdict product_formula(const TrainingRun& run, int sign) {
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0", "p and q multipliers at every step"};
  Rational delta_product = 1;
  const Rational u0 = run.theta0[1], w0 = run.theta0[0];  // f = W2 W1 x: u = W2, w = W1
  Rational delta_T = 0;
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>&,
                                   const Vec<Rational>& next) {
    Rational r = 0;  // r_B = (1/S) sum_B (u w x_i - y_i) x_i
    for (int i : run.batches[t])
      r += (theta[1] * theta[0] * run.data.X(i, 0) - run.data.Y(i, 0)) * run.data.X(i, 0);
    r /= static_cast<int>(run.batches[t].size());
    const Rational p = theta[1] + theta[0], q = theta[1] - theta[0];
    const Rational p_next = next[1] + next[0], q_next = next[1] - next[0];
    const Rational decay = 1 - run.eta * run.lambda;
    if (out.outcome == Outcome::holds) {
      Verdict vp = compare<Rational>(p_next, Rational((decay - sign * run.eta * r) * p), "p multiplier, step " + std::to_string(t));
      Verdict vq = compare<Rational>(q_next, Rational((decay + sign * run.eta * r) * q), "q multiplier, step " + std::to_string(t));
      out = all_of({vp, vq});
    }
    delta_product *= decay * decay - run.eta * run.eta * r * r;
    delta_T = next[1] * next[1] - next[0] * next[0];
  });
  if (out.outcome != Outcome::holds) return out;
  return all_of({out, compare<Rational>(delta_T, Rational((u0 * u0 - w0 * w0) * delta_product),
                                        "Delta_T = Delta_0 prod_t[(1 - eta lambda)^2 - eta^2 r_t^2]")});
}

// lambda (1 + sign eta lambda / 2) <Delta> = eta/2 <D> - (Delta_T - Delta_0)/(2 eta T); the law has
// sign = -1, weight decay inside phi_1 would give sign = +1 (catalog T5, "first order only").
Verdict pathwise_average(const TrainingRun& run, int sign) {
  const auto charges = rescaling_charges(run);
  const auto& layer = charges.front();
  Rational sum_delta = 0, sum_drift = 0;
  Vec<Rational> last = run.theta0;
  for_each_step<Rational>(run, [&](int, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    sum_delta += layer.charge(theta)(0, 0);
    sum_drift += layer.charge(g)(0, 0);
    last = next;
  });
  const int T = run.steps();
  const Rational lhs = run.lambda * (1 + sign * run.eta * run.lambda / 2) * sum_delta / T;
  const Rational rhs = run.eta / 2 * sum_drift / T -
                       (layer.charge(last)(0, 0) - layer.charge(run.theta0)(0, 0)) / (2 * run.eta * T);
  return compare<Rational>(lhs, rhs, "lambda (1 - eta lambda/2) <Delta>_T = eta/2 <D>_T - (Delta_T - Delta_0)/(2 eta T)");
}

std::string show_run(const TrainingRun& run) { return run.show(); }

}  // namespace

ENTROPIC_CLAIM(T5) {
  return Claim("T5", "Rescaling: exact law, product formula, stationary balance")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary; order-1")
      .part("layer and neuron laws", gen::training_run(homogeneous_net()),
            [](const TrainingRun& r) { return charge_law(r, false); }, show_run)
      .part("product formula", gen::training_run(scalar_product_model()),
            [](const TrainingRun& r) { return product_formula(r, +1); }, show_run)
      .part("pathwise average", gen::training_run(homogeneous_net()),
            [](const TrainingRun& r) { return pathwise_average(r, -1); }, show_run)
      .mutant("law without the weight-decay factor", gen::training_run(homogeneous_net()),
              [](const TrainingRun& r) { return charge_law(r, true); }, show_run)
      .mutant("p and q multipliers swapped", gen::training_run(scalar_product_model()),
              [](const TrainingRun& r) { return product_formula(r, -1); }, show_run)
      .mutant("weight decay inside phi_1: prefactor (1 + eta lambda/2)",
              gen::training_run(homogeneous_net()),
              [](const TrainingRun& r) { return pathwise_average(r, +1); }, show_run);
}

}  // namespace entropic
