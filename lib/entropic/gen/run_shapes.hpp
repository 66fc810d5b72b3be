// Run shapes shared between a claim and the tests that replay its counterexamples: a replay string
// regenerates an instance only through the very generator that produced it, so a claim and a test
// that reads the same instance must build their generator from one shape.
//
//   scalar_product()        f = u w x (deep_linear [1, 1, 1]), catalog T5's product formula, N1
//   gradient_descent(shape) the same family under full-batch GD at lambda = 0, no momentum: the
//                           discretisation of gradient flow (catalog N1)
//   gd_moving_charge()      GD runs on f = u w x whose rescaling charge moves (catalog N1,
//                           tests/claims_extra_t8)
//   excluding(gen, d)       the instances of gen that are not degenerate by d, through shrinking too
#pragma once

#include <utility>

#include "entropic/gen/training_run.hpp"

namespace entropic::gen {

// f = u w x with up to 4 samples and 5 steps; u = W2, w = W1 in the flat parameter vector.
inline RunShape scalar_product() {
  RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {1, 1, 1};
  shape.max_samples = 4;
  shape.max_steps = 5;
  return shape;
}

// Full batch, lambda = 0, beta = 0.
inline RunShape gradient_descent(RunShape shape) {
  shape.full_batch = true;
  shape.weight_decay = false;
  shape.momentum = false;
  return shape;
}

// The instances of `gen` on which `degenerate` is false (rc::gen::suchThat, which filters the shrinks
// too: a shrunk counterexample stays nondegenerate, and a part's .degenerate(...) counts none).
template <class T, class Degenerate>
rc::Gen<T> excluding(rc::Gen<T> gen, Degenerate degenerate) {
  return rc::gen::suchThat(std::move(gen), [degenerate](const T& x) { return !degenerate(x); });
}

// Delta = ||W1||^2 - ||W2||^2 of f = u w x is the same after every step as before it: GD conserves it
// trivially (r_t = 0 or Delta_t = 0 at every step, since Delta_{t+1} - Delta_t = -eta^2 r_t^2 Delta_t).
inline bool rescaling_charge_frozen(const TrainingRun& run) {
  auto delta = [](const Vec<Rational>& th) { return Rational(th[0] * th[0] - th[1] * th[1]); };
  bool frozen = true;
  for_each_step<Rational>(run, [&](int, const Vec<Rational>& th, const Vec<Rational>&, const Vec<Rational>& next) {
    frozen = frozen && delta(next) == delta(th);
  });
  return frozen;
}

// GD on f = u w x (gradient_descent(scalar_product())) whose rescaling charge moves at some step.
inline rc::Gen<TrainingRun> gd_moving_charge() {
  return excluding(training_run(gradient_descent(scalar_product())), rescaling_charge_frozen);
}

}  // namespace entropic::gen
