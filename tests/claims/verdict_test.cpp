// The conjunction of verdicts (verify/verdict.hpp): a certified violation decides, an inconclusive
// part makes the whole inconclusive, and a conjunction that holds is only as strong as its weakest
// part, whatever the order of the parts.
#include <gtest/gtest.h>

#include "entropic/verify/verdict.hpp"

namespace entropic {
namespace {

Verdict holds(Arithmetic a) { return Verdict::holds(a, "0", a.name()); }

TEST(Verdict, HoldingConjunctionHasTheWeakestEvidenceInAnyOrder) {
  const Verdict exact = holds(Arithmetic::rational()), certified = holds(Arithmetic::interval(256));
  for (const Verdict& v : {all_of({exact, certified}), all_of({certified, exact})}) {
    EXPECT_EQ(v.outcome, Outcome::holds);
    EXPECT_EQ(v.evidence, Evidence::certified);
    EXPECT_TRUE(v.arithmetic.contains(Arithmetic::rational()));
    EXPECT_TRUE(v.arithmetic.contains(Arithmetic::interval(256)));
  }
  EXPECT_EQ(all_of({exact, holds(Arithmetic::floating())}).evidence, Evidence::floating);
  EXPECT_FALSE(all_of({exact, holds(Arithmetic::floating())}).trusted_hold());
  EXPECT_EQ(all_of({exact, exact}).arithmetic.name(), "rational");
}

TEST(Verdict, CertifiedViolationDecidesAndInconclusiveSpreads) {
  const Verdict exact = holds(Arithmetic::rational());
  const Verdict broken = Verdict::violated(Arithmetic::rational(), "-1/2", "x = y");
  EXPECT_EQ(all_of({exact, broken}).residual, "-1/2");
  EXPECT_TRUE(all_of({Verdict::inconclusive("no point"), broken}).certified_violation());
  EXPECT_EQ(all_of({exact, Verdict::inconclusive("no point")}).outcome, Outcome::inconclusive);
  EXPECT_EQ(all_of(std::vector<Verdict>{}).outcome, Outcome::inconclusive);
}

TEST(Arithmetic, NamesEvidenceAndSets) {
  EXPECT_EQ(Arithmetic::interval(257).name(), "interval:257");
  EXPECT_EQ(Arithmetic::rational().series().name(), "series<rational>");
  EXPECT_EQ(Arithmetic::interval(128).dual().name(), "dual<interval:128>");
  EXPECT_EQ(Arithmetic::rational().dual().series().name(), "series<dual<rational>>");
  EXPECT_NE(Arithmetic::rational().dual().series(), Arithmetic::rational().series().dual());
  EXPECT_EQ(Arithmetic::real(256).evidence(), Evidence::high_precision);
  EXPECT_EQ(Arithmetic::rational().series().evidence(), Evidence::exact);
  EXPECT_NE(Arithmetic::interval(128), Arithmetic::interval(256));
  ArithmeticSet s{Arithmetic::rational(), Arithmetic::interval(257), Arithmetic::rational()};
  s.add(ArithmeticSet{Arithmetic::interval(257), Arithmetic::floating()});
  EXPECT_EQ(s.name(), "rational, interval:257, double");
  EXPECT_EQ(Arithmetic::parse(Arithmetic::real(100).text()), Arithmetic::real(100));
}

}  // namespace
}  // namespace entropic
