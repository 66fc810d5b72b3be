// Run shapes shared between a claim and the tests that replay its counterexamples: a replay string
// regenerates an instance only through the very generator that produced it, so a claim and a test
// that reads the same instance must build their generator from one shape.
//
//   scalar_product()        f = u w x (deep_linear [1, 1, 1]), catalog T5's product formula, N1, N7
//   gradient_descent(shape) the same family under full-batch GD at lambda = 0, no momentum: the
//                           discretisation of gradient flow (catalog N1, N7)
#pragma once

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

}  // namespace entropic::gen
