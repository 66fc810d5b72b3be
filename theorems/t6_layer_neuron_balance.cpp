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
// on a kink (a pre-activation z_k(x_0) = 0).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
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
// step 0: b_l[0] = -(W_l a_{l-1}(x_0))_0, layer by layer.
TrainingRun on_a_kink(TrainingRun run) {
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
  return Claim("T6", "Layer and neuron balance in ReLU nets (equipartition)")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary (pathwise form)")
      .part("law-2", "layer and neuron laws, 2 hidden layers", two_hidden)
          .observe(observed_charges)
          .predict(charge_law_exact)
          .mutant("no-bias-energy", "bias gradients carry no energy", charge_law_without_bias_energy)
          .mutant("swapped", "energies of adjacent layers swapped", charge_law_energies_swapped)
      .part("law-3", "layer and neuron laws, 3 hidden layers", three_hidden)
          .observe(observed_charges)
          .predict(charge_law_exact)
      .part("kink", "laws from a start on the kink", rc::gen::map(two_hidden, on_a_kink))
          .observe(observed_charges)
          .predict(charge_law_exact)
      .part("pathwise", "pathwise balance of every layer", three_hidden)
          .observe(pathwise_balance(layer_charges))
          .predict(weight_decay_balance(layer_charges, -1))
          .mutant("decay-in-phi1", "weight decay inside phi_1: prefactor (1 + eta lambda/2)",
                  weight_decay_balance(layer_charges, +1));
}

}  // namespace entropic
