// The conjunction of verdicts (verify/verdict.hpp): a certified violation decides, an inconclusive
// part makes the whole inconclusive, and a conjunction that holds is only as strong as its weakest
// part, whatever the order of the parts.
#include <gtest/gtest.h>

#include "entropic/verify/verdict.hpp"

namespace entropic {
namespace {

Verdict holds(Evidence e, const char* arithmetic) { return Verdict{Outcome::holds, arithmetic, e, "0", arithmetic}; }

TEST(Verdict, HoldingConjunctionHasTheWeakestEvidenceInAnyOrder) {
  const Verdict exact = holds(Evidence::exact, "rational"), certified = holds(Evidence::certified, "interval:256");
  for (const Verdict& v : {all_of({exact, certified}), all_of({certified, exact})}) {
    EXPECT_EQ(v.outcome, Outcome::holds);
    EXPECT_EQ(v.evidence, Evidence::certified);
    EXPECT_NE(v.arithmetic.find("rational"), std::string::npos);
    EXPECT_NE(v.arithmetic.find("interval:256"), std::string::npos);
  }
  EXPECT_EQ(all_of({exact, holds(Evidence::floating, "double")}).evidence, Evidence::floating);
  EXPECT_FALSE(all_of({exact, holds(Evidence::floating, "double")}).trusted_hold());
  EXPECT_EQ(all_of({exact, exact}).arithmetic, "rational");
}

TEST(Verdict, CertifiedViolationDecidesAndInconclusiveSpreads) {
  const Verdict exact = holds(Evidence::exact, "rational");
  const Verdict broken{Outcome::violated, "rational", Evidence::exact, "-1/2", "x = y"};
  EXPECT_EQ(all_of({exact, broken}).residual, "-1/2");
  EXPECT_TRUE(all_of({Verdict::inconclusive("no point"), broken}).certified_violation());
  EXPECT_EQ(all_of({exact, Verdict::inconclusive("no point")}).outcome, Outcome::inconclusive);
  EXPECT_EQ(all_of(std::vector<Verdict>{}).outcome, Outcome::inconclusive);
}

}  // namespace
}  // namespace entropic
