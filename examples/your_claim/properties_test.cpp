// RapidCheck properties of one's own, over entropic's generators of exact instances. A failing
// property prints the shrunk instance exactly (TrainingRun prints itself) and the verdict's residual.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <entropic/entropic.hpp>

using namespace entropic;

// One SGD step of f = W2 W1 x from an exact start keeps every iterate rational and finite, and the
// loss of a step with eta = 0 is the loss at the start (a sanity property of the generators).
RC_GTEST_PROP(YourProperties, ZeroStepSizeLeavesTheParametersWhereTheyAre, ()) {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {2, 2, 2};
  shape.weight_decay = false;
  TrainingRun run = *gen::training_run(shape);
  run.eta = 0;
  const auto steps = trajectory<Rational>(run);
  ENTROPIC_RC_ASSERT_HOLDS(compare<Rational>(steps.back().next, run.theta0, "theta_T = theta_0 at eta = 0"));
}

// Exact rationals from the generators shrink toward simple fractions: (a + b)^2 = a^2 + 2ab + b^2.
RC_GTEST_PROP(YourProperties, BinomialSquareIsExact, ()) {
  const Rational a = *gen::rational(), b = *gen::nonzero_rational();
  ENTROPIC_RC_ASSERT_HOLDS(compare<Rational>(Rational((a + b) * (a + b)), Rational(a * a + 2 * a * b + b * b), "binomial"));
}
