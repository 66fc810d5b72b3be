// The instances of catalog T2 (theorems/t2/t2_entropic_loss_decomposition.cpp): one SGD state of a
// two-layer net, and the charges of its layer 1.
#pragma once

#include <string>
#include <vector>

#include "entropic/gen/generators.hpp"
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_drift.hpp"
#include "entropic/theory/entropic_force.hpp"
#include "entropic/verify/coverage.hpp"

namespace entropic::t2 {

// One SGD state: a two-layer net, its data, parameters, eta, lambda and how batches are drawn.
struct MinibatchState {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta;
  Rational eta = 0, lambda = 0;
  BatchSampling batches;

  std::string show() const;
};

// Widths, activation, samples, batch size and sampling, lambda = 0 or not (the reports' coverage).
Features coverage_features(const MinibatchState& s);

// Degenerate states: every per-sample gradient 0 and lambda = 0 (SGD stands still, every series is
// constant), or Tr C = 0 (no gradient noise: the noise part, the noise force and 2 kappa_S Tr(A C)
// vanish, so the mutants that drop or misweight them agree with the claim).
bool stands_still(const MinibatchState& s);
bool noiseless(const MinibatchState& s);

struct StateShape {
  std::vector<ActivationKind> activations;
  int min_samples = 4, max_samples = 6;
  int max_batch = 3;
  int max_width = 2;
  bool weight_decay = true;
  bool always_decay = false;  // lambda > 0 in every state (parts whose content is the lambda^2 gap)
};

// mlp [d, h, k] with d, h, k <= max_width, optional biases; N samples, batch size S <= max_batch.
// Everything shrinks toward one unit, the fewest samples, S = 1, lambda = 0 and small fractions.
rc::Gen<MinibatchState> minibatch_states(StateShape shape);

// (a): polynomial nets (odd_cubic or linear), N = 4..6, S <= 3.
StateShape decomposition_states();
// (b): linear nets, which carry the rescaling and GL charges; N = 3..5.
StateShape symmetric_states();
// (b) at lambda > 0, where the phi_bar flow's decay and SGD's differ by 2 eta^2 lambda^2 Q_A.
StateShape decaying_symmetric_states();
// (c): series over two steps enumerate (number of batches)^2 pairs: N = 3..4, S <= 2.
StateShape two_step_states(std::vector<ActivationKind> activations, bool weight_decay);

// The rescaling charges of layer 1 (layer and every unit) and its GL charge, of a linear net.
std::vector<Symmetry<Rational>> charges(const ModelSpec& spec);
// Their quadratic forms, entry by entry (charge_forms).
std::vector<ChargeForm<Rational>> charge_forms_of(const ModelSpec& spec);

}  // namespace entropic::t2
