// Verdicts inside a user's own RapidCheck properties (RC_GTEST_PROP, rc::check).
//
//   RC_GTEST_PROP(ChargeLaw, HoldsOnEveryRun, ()) {
//     const TrainingRun run = *gen::training_run(shape);   // prints exactly on failure
//     ENTROPIC_RC_ASSERT_HOLDS(my_law(run));
//   }
//
// A violated verdict fails the property with its residual, what was compared, the arithmetic and
// the evidence; an inconclusive one discards the case (it decides nothing) with its reason, so that
// RapidCheck reports how many cases were discarded. A property is a test, not a certificate: a
// floating or high-precision violation fails it too (its message says the evidence, which the
// runner would not count as a counterexample), and a floating `holds` passes as screening.
#pragma once

#include <rapidcheck.h>

#include <string>

#include "entropic/verify/verdict.hpp"

namespace entropic {

// "violated (exact, rational): residual -3/64; layer rescaling of W1/W2, step 0"
inline std::string describe(const Verdict& v) {
  return std::string(outcome_name(v.outcome)) + " (" + evidence_name(v.evidence) +
         (v.arithmetic.empty() ? "" : ", " + v.arithmetic.name()) + "): residual " +
         (v.residual.empty() ? "-" : v.residual) + (v.detail.empty() ? "" : "; " + v.detail);
}

}  // namespace entropic

#define ENTROPIC_RC_ASSERT_HOLDS(expression)                                                    \
  do {                                                                                          \
    const ::entropic::Verdict entropic_rc_verdict_ = (expression);                              \
    if (entropic_rc_verdict_.outcome == ::entropic::Outcome::inconclusive)                      \
      RC_DISCARD("inconclusive: " + ::entropic::describe(entropic_rc_verdict_));                \
    if (entropic_rc_verdict_.outcome != ::entropic::Outcome::holds)                             \
      RC_FAIL(std::string(#expression) + ": " + ::entropic::describe(entropic_rc_verdict_));    \
  } while (false)
