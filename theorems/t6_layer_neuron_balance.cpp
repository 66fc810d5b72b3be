// T6 — Layer and neuron balance in ReLU nets (equipartition) (catalog T6).
//
// In a positively homogeneous net (ReLU or leaky ReLU, with or without biases, the same lambda on
// every block as PyTorch's default) every hidden layer l carries the rescaling charge
//     Delta_l = ||W_l||^2 + ||b_l||^2 - ||W_{l+1}||^2,
// and every hidden unit k the same restricted to row k of W_l, b_l[k] and column k of W_{l+1}. One
// SGD step moves each of them exactly as
//     Delta_l' = (1 - eta lambda)^2 Delta_l + eta^2 (||G_{W_l}||^2 + ||G_{b_l}||^2 - ||G_{W_{l+1}}||^2),
// because theta^T A g = 0 per sample: for unit k, <w_k, g_{w_k}> + b_k g_{b_k} - <u_k, g_{u_k}> =
// z_k sigma'(z_k) (W_{l+1}^T r)_k - sigma(z_k) (W_{l+1}^T r)_k = 0 for sigma(z) = z sigma'(z), which
// holds at z = 0 whatever sigma'(0) is: the kink convention is irrelevant. Summing over a run gives
// the pathwise form of the stationary balance for every layer,
//     lambda (1 - eta lambda/2) <Delta_l>_T = eta/2 <energy_l - energy_{l+1}>_T - (Delta_l,T - Delta_l,0)/(2 eta T),
// whose expectation over a stationary run is the catalog's lambda > 0 law, and at lambda = 0 says that
// adjacent layers carry the same time-averaged gradient energy up to a boundary term O(1/(eta T)).
// Instances: MLPs with 2 and 3 hidden layers (T5 checks the one-hidden-layer case), ReLU (kink
// derivative 0, PyTorch's) and leaky ReLU (kink derivative = its slope), and runs that start exactly
// on a kink (a pre-activation z_k(x_0) = 0, with sample 0 in the first batch so that the kink enters a
// gradient).
// Degenerate instances (a law or a mutant holds trivially) are excluded by the generators and counted
// (0) by .degenerate: all-zero data, zero charge drift at every step (the swapped energies agree),
// zero hidden-bias gradients at every step (the bias-free energy agrees), lambda Q = 0 throughout (the
// law without decay agrees), no pre-activation on the kink (kink part), lambda <Delta_l>_T = 0 or
// Delta_l,T = Delta_l,0 for every layer (pathwise).
#include <algorithm>

#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "support/charge_steps.hpp"

namespace entropic {
namespace {

// x -> sigma(W1 x (+ b1)) -> ... -> W_D: hidden_layers = 2 or 3, widths up to 3, shrinking toward 1.
gen::RunShape deep_homogeneous_net(int hidden_layers) {
  gen::RunShape shape;
  shape.min_widths.assign(hidden_layers + 2, 1);
  shape.max_widths.assign(hidden_layers + 2, 3);
  shape.max_widths.back() = 2;
  shape.activations = {ActivationKind::relu, ActivationKind::leaky_relu};
  shape.bias = true;
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

// The same run, moved so that unit 0 of every hidden layer sits exactly on its kink for sample 0 at
// step 0: b_l[0] = -(W_l a_{l-1}(x_0))_0, layer by layer; sample 0 joins the first batch (in place of
// its first sample) if it is not in it.
TrainingRun on_a_kink(TrainingRun run) {
  Batch& first = run.batches.front();
  if (std::find(first.begin(), first.end(), 0) == first.end()) first.front() = 0;
  const Mlp<Rational> mlp(run.spec);
  const Layout& layout = mlp.layout();
  Vec<Rational> a = run.data.X.row(0).transpose();
  for (int l = 1; l + 1 < static_cast<int>(run.spec.widths.size()); ++l) {
    const Mat<Rational> W = layout.view(run.theta0, mlp.weight_block(l));
    layout.view(run.theta0, mlp.bias_block(l))(0, 0) = -(W.row(0) * a)(0, 0);
    Vec<Rational> z = W * a + layout.view(run.theta0, mlp.bias_block(l)).col(0);
    for (Eigen::Index k = 0; k < z.size(); ++k) z[k] = activate(run.spec.activation, z[k]);
    a = z;
  }
  return run;
}

// Every layer charge and every neuron charge of every hidden layer.
std::vector<Symmetry<Rational>> rescaling_charges(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  std::vector<Symmetry<Rational>> out;
  for (int l = 1; l + 1 < static_cast<int>(run.spec.widths.size()); ++l) {
    out.push_back(layer_rescaling<Rational>(mlp.layout(), mlp.weight_block(l), mlp.bias_block(l),
                                            mlp.weight_block(l + 1), Rational(2)));
    for (int k = 0; k < run.spec.widths[l]; ++k)
      out.push_back(neuron_rescaling<Rational>(mlp.layout(), mlp.weight_block(l), mlp.bias_block(l),
                                               mlp.weight_block(l + 1), k, Rational(2)));
  }
  return out;
}

// Every layer charge and every neuron charge after every step, and what a law predicts of them.
Charges observed_charges(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), charge_after_step);
}
// The catalog's law, (1 - eta lambda)^2 Delta + eta^2 (||G_{W_l}||^2 + ||G_{b_l}||^2 - ||G_{W_{l+1}}||^2).
Charges charge_law_exact(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), charge_law(run, run.lambda));
}
// Mutant: the drift without ||G_{b_l}||^2 (G_{b_l}[k]^2 for a neuron), as if biases carried no energy.
Charges charge_law_without_bias_energy(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  const Rational eta2 = run.eta * run.eta;
  const auto law = charge_law(run, run.lambda);
  return charges_along(run, rescaling_charges(run), [&](const Symmetry<Rational>& sym, const RunStep<Rational>& s) {
    Vec<Rational> bias_only = Vec<Rational>::Zero(s.g.size());
    for (int l = 1; l + 1 < static_cast<int>(run.spec.widths.size()); ++l)
      for (int k = 0; k < run.spec.widths[l]; ++k) {
        const int i = mlp.layout().at(mlp.bias_block(l), k, 0);
        bias_only[i] = s.g[i];
      }
    return Mat<Rational>(law(sym, s) - eta2 * sym.charge(bias_only));
  });
}
// Mutant: eta^2 (||G_{W_{l+1}}||^2 - ||G_{W_l}||^2 - ||G_{b_l}||^2), the energies of adjacent layers swapped.
Charges charge_law_energies_swapped(const TrainingRun& run) {
  const Rational eta2 = run.eta * run.eta;
  const auto law = charge_law(run, run.lambda);
  return charges_along(run, rescaling_charges(run), [&](const Symmetry<Rational>& sym, const RunStep<Rational>& s) {
    return Mat<Rational>(law(sym, s) - 2 * eta2 * sym.charge(s.g));
  });
}

// Mutant: the law without the weight-decay factor, Delta_l' = Delta_l + eta^2 (...).
Charges charge_law_without_decay(const TrainingRun& run) {
  return charges_along(run, rescaling_charges(run), charge_law(run, Rational(0)));
}

// The gradient of every hidden bias is 0 at every step: bias gradients carry no energy, trivially.
bool zero_bias_gradients(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    for (int l = 1; l + 1 < static_cast<int>(run.spec.widths.size()); ++l)
      if (!mlp.layout().view(s.g, mlp.bias_block(l)).isZero(0)) return false;
  return true;
}
bool no_kink_used(const TrainingRun& run) { return !touches_a_kink(run); }

// The layer charges of every hidden layer.
std::vector<Symmetry<Rational>> layer_charges(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  std::vector<Symmetry<Rational>> layers;
  for (int l = 1; l + 1 < static_cast<int>(run.spec.widths.size()); ++l)
    layers.push_back(layer_rescaling<Rational>(mlp.layout(), mlp.weight_block(l), mlp.bias_block(l),
                                               mlp.weight_block(l + 1), Rational(2)));
  return layers;
}

}  // namespace

ENTROPIC_CLAIM(T6) {
  const auto two_hidden = gen::training_run(deep_homogeneous_net(2));
  const auto three_hidden = gen::training_run(deep_homogeneous_net(3));
  const auto zero_drift = zero_drift_throughout(rescaling_charges);
  const auto untested_decay = decay_untested(rescaling_charges);
  const auto pathwise_degenerate = either(weight_decay_term_zero(layer_charges), no_boundary_term(layer_charges));
  return Claim("T6", "Layer and neuron balance in ReLU nets (equipartition)")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary (pathwise form)")
      .part("law-2", "layer and neuron laws, 2 hidden layers",
            gen::excluding(two_hidden, [=](const TrainingRun& r) {
              return all_zero_data(r) || zero_drift(r) || zero_bias_gradients(r);
            }))
          .observe(observed_charges)
          .predict(charge_law_exact)
          .mutant("no-bias-energy", "bias gradients carry no energy", charge_law_without_bias_energy)
          .mutant("swapped", "energies of adjacent layers swapped", charge_law_energies_swapped)
          .degenerate("all-zero data", all_zero_data)
          .degenerate("zero charge drift at every step", zero_drift)
          .degenerate("zero hidden-bias gradients at every step", zero_bias_gradients)
          .nondegenerate("such runs are filtered out (suchThat)")
          .feature("a pre-activation on the kink", touches_a_kink)
      .part("law-3", "layer and neuron laws, 3 hidden layers",
            gen::excluding(three_hidden, [=](const TrainingRun& r) {
              return all_zero_data(r) || zero_drift(r) || untested_decay(r);
            }))
          .observe(observed_charges)
          .predict(charge_law_exact)
          .mutant("no-decay", "law without the weight-decay factor", charge_law_without_decay)
          .degenerate("all-zero data", all_zero_data)
          .degenerate("zero charge drift at every step", zero_drift)
          .degenerate("lambda Q = 0 before every step", untested_decay)
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
          .feature("a pre-activation on the kink", touches_a_kink)
      .part("kink", "laws from a start on the kink",
            gen::excluding(rc::gen::map(two_hidden, on_a_kink), either(zero_drift, no_kink_used)))
          .observe(observed_charges)
          .predict(charge_law_exact)
          .degenerate("zero charge drift at every step", zero_drift)
          .degenerate("no pre-activation on the kink", no_kink_used)
          .nondegenerate("such runs are filtered out (suchThat); sample 0 is put into the first batch")
      .part("pathwise", "pathwise balance of every layer", gen::excluding(three_hidden, pathwise_degenerate))
          .observe(pathwise_balance(layer_charges))
          .predict(weight_decay_balance(layer_charges, -1))
          .mutant("decay-in-phi1", "weight decay inside phi_1: prefactor (1 + eta lambda/2)",
                  weight_decay_balance(layer_charges, +1))
          .mutant("no-boundary", "the stationary balance along a finite run: boundary term dropped",
                  balance_without_boundary(layer_charges))
          .degenerate("lambda <Delta_l>_T = 0 for every layer", weight_decay_term_zero(layer_charges))
          .degenerate("Delta_l,T = Delta_l,0 for every layer", no_boundary_term(layer_charges))
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0");
}

}  // namespace entropic
