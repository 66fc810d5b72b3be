// The claim vocabulary (verify/claim.hpp, part.hpp, observation.hpp, rapidcheck.hpp) on a toy claim
// whose truth is known by hand: (a + b)^2 = a^2 + 2ab + b^2 holds, the mutant a^2 + b^2 fails
// exactly when ab != 0, and its shrunk counterexample is the smallest such pair.
#include <gtest/gtest.h>

#include "entropic/gen/generators.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/rapidcheck.hpp"

namespace entropic {
namespace {

struct Pair {
  Rational a, b;
  std::string show() const { return "a = " + to_text(a) + ", b = " + to_text(b); }
};

rc::Gen<Pair> pairs() {
  return rc::gen::map(rc::gen::pair(gen::rational(), gen::rational()),
                      [](const std::pair<Rational, Rational>& p) { return Pair{p.first, p.second}; });
}

Rational square_of_sum(const Pair& p) { return (p.a + p.b) * (p.a + p.b); }
Rational expanded(const Pair& p) { return p.a * p.a + 2 * p.a * p.b + p.b * p.b; }
Rational without_cross_term(const Pair& p) { return p.a * p.a + p.b * p.b; }

Claim toy() {
  return Claim("U1", "binomial square")
      .part("square", "(a + b)^2 = a^2 + 2ab + b^2", pairs())
          .observe(square_of_sum)
          .predict(expanded)
          .mutant("no-cross", "without the cross term", without_cross_term)
      .part("quotient", "(a b) / a = b where a != 0", pairs())
          .observe([](const Pair& p) {
            if (p.a == 0) throw Inconclusive("a = 0: the quotient is undefined");
            return Rational(p.a * p.b / p.a);
          })
          .predict([](const Pair& p) { return p.b; })
      .part("sign", "a^2 >= 0", pairs())
          .check([](const Pair& p) { return certainly_positive<Rational>(Rational(p.a * p.a + 1), "a^2 + 1 > 0"); })
          .mutant("strict", "a^2 > 0", [](const Pair& p) { return certainly_positive<Rational>(Rational(p.a * p.a), "a^2 > 0"); });
}

TEST(Vocabulary, TruePredictionHoldsAndTheMutantIsFalsifiedOnTheSameInstances) {
  const ClaimResult r = toy().run(RunOptions{}, {});
  ASSERT_EQ(r.parts.size(), 3u);
  ASSERT_EQ(r.mutants.size(), 2u);
  EXPECT_EQ(r.parts[0].id, "square");
  EXPECT_EQ(r.parts[0].status(), Status::verified);
  EXPECT_EQ(r.parts[0].instances, 100);
  EXPECT_EQ(r.parts[0].arithmetic, ArithmeticSet(Arithmetic::rational()));
  EXPECT_EQ(r.mutants[0].id, "square/no-cross");
  EXPECT_EQ(r.mutants[0].name, "without the cross term");
  ASSERT_TRUE(r.mutants[0].counterexample);
  // Shrunk to the smallest pair with a b != 0 (the generator shrinks toward 0 and toward 1).
  EXPECT_EQ(r.mutants[0].counterexample->instance, "a = 1, b = 1");
  EXPECT_EQ(r.mutants[0].counterexample->verdict.residual, "2");
  EXPECT_EQ(r.mutants[1].counterexample->instance, "a = 0, b = 0");
  // The quotient part is inconclusive where a = 0, so the claim is not verified.
  EXPECT_EQ(r.status(), Status::inconclusive);
  EXPECT_FALSE(r.as_expected());
}

TEST(Vocabulary, InconclusiveObservationsAreCountedNotViolated) {
  const ClaimResult r = toy().run(RunOptions{}, {});
  const PartResult& q = r.parts[1];
  EXPECT_GT(q.inconclusive, 0);  // a = 0 is drawn at the smallest sizes
  EXPECT_EQ(q.violated, 0);
  EXPECT_EQ(q.note, "a = 0: the quotient is undefined");
  EXPECT_EQ(q.status(), Status::inconclusive);
}

TEST(Vocabulary, ReplayStringsOfMutantsRegenerateTheirCounterexample) {
  const Claim c = toy();
  const ClaimResult r = c.run(RunOptions{}, {});
  const Counterexample& cx = *r.mutants[0].counterexample;
  const auto key = ReplayKey::parse(cx.replay);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->part, "square/no-cross");
  const auto again = c.replay(*key);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->instance, cx.instance);
  EXPECT_TRUE(again->verdict.certified_violation());
  // Replayed first as a past failure, it is the counterexample after one instance.
  const ClaimResult replayed = c.run(RunOptions{}, {*key});
  EXPECT_EQ(replayed.mutants[0].instances, 1);
  EXPECT_EQ(replayed.mutants[0].counterexample->replay, cx.replay);
  // A key that names no prediction replays nothing.
  ReplayKey other = *key;
  other.part = "square/nothing";
  EXPECT_FALSE(c.replay(other));
}

TEST(Vocabulary, IdsAndStatementsAreCheckedWhenTheClaimIsBuilt) {
  EXPECT_THROW(Claim("U1", "t").part("Bad Id", "t", pairs()), ClaimDefinitionError);
  EXPECT_THROW(Claim("U 1", "t"), ClaimDefinitionError);
  EXPECT_THROW(Claim("U1", "t").part("p", "t", pairs()).observe(square_of_sum).predict(expanded)
                   .mutant("m", "one", expanded).mutant("m", "two", expanded),
               ClaimDefinitionError);
  EXPECT_THROW(Claim("U1", "t").part("p", "t", pairs()).observe(square_of_sum).predict(expanded)
                   .part("p", "again", pairs()).observe(square_of_sum),
               ClaimDefinitionError);
  const Claim unpredicted = Claim("U1", "t").part("p", "t", pairs()).observe(square_of_sum);
  EXPECT_THROW(unpredicted.run(RunOptions{}, {}), ClaimDefinitionError);
}

// An observation type with no compare_observed (text) needs .compare: a definition error, raised,
// never an inconclusive instance. Series compare in every coefficient both know, or through a
// stated order.
TEST(Vocabulary, ObservationWithoutComparisonIsADefinitionError) {
  const auto text = [](const Pair& p) { return p.show(); };
  const Claim uncompared = Claim("U1", "t").part("p", "t", pairs()).observe(text).predict(text);
  EXPECT_THROW(uncompared.run(RunOptions{}, {}), ClaimDefinitionError);
  const auto series = [](const Pair& p) { return Vec<Series<Rational>>::Constant(1, Series<Rational>(p.a)); };
  const Claim by_default = Claim("U1", "t").part("p", "t", pairs()).observe(series).predict(series);
  EXPECT_EQ(by_default.run(RunOptions{}, {}).parts[0].status(), Status::verified);
  const Claim compared =
      Claim("U1", "t").part("p", "t", pairs()).observe(series).predict(series).compare(agree_through_order(2));
  EXPECT_EQ(compared.run(RunOptions{}, {}).parts[0].status(), Status::verified);
}

// .precision(bits): observations, predictions and comparisons run at that working precision, and
// the verdicts report it.
TEST(Vocabulary, PrecisionOfAPartIsInForceInEveryStepAndReported) {
  const auto third = [](const Pair& p) {
    return Interval(from_rational<Interval>(p.a) / 3) * 3;  // an enclosure of a, as wide as the precision
  };
  const auto value = [](const Pair& p) { return from_rational<Interval>(p.a); };
  const Claim c = Claim("U1", "t").part("p", "t", pairs()).observe(third).predict(value).precision(300);
  const ClaimResult r = c.run(RunOptions{}, {});
  EXPECT_EQ(r.parts[0].status(), Status::verified);
  EXPECT_EQ(r.parts[0].arithmetic.name(), "interval:" + std::to_string(PrecisionScope(300).bits()));
  EXPECT_THROW(Claim("U1", "t").part("p", "t", pairs()).observe(third).predict(value).precision(0),
               ClaimDefinitionError);
}

// A chain on a temporary owns its claim to the end, also where it outlives the statement (a lambda
// returning the chain); a chain on a named claim adds to it.
TEST(Vocabulary, ChainsOwnTemporaryClaimsAndAddToNamedOnes) {
  const auto make = [] { return Claim("U1", "t").part("p", "t", pairs()).observe(square_of_sum).predict(expanded); };
  const Claim from_lambda = make();
  EXPECT_EQ(from_lambda.id(), "U1");
  EXPECT_EQ(from_lambda.run(RunOptions{}, {}).parts.at(0).status(), Status::verified);
  Claim named("U3", "named");
  named.kind("exact identity");
  named.part("p", "t", pairs()).observe(square_of_sum).predict(expanded).mutant("m", "no cross", without_cross_term);
  ASSERT_EQ(named.parts().size(), 1u);
  EXPECT_EQ(named.predictions().size(), 2u);
  EXPECT_EQ(named.kind(), "exact identity");
}

TEST(Vocabulary, TwoClaimsWithOneIdAreRefused) {
  ClaimRegistry registry;
  registry.add(toy);
  registry.add([] { return Claim("U1", "another claim").part("p", "t", pairs()).observe(square_of_sum).predict(expanded); });
  EXPECT_THROW(registry.claims(), ClaimDefinitionError);
}

TEST(Vocabulary, NegativeControlCarriesItsExpectation) {
  const Claim n = Claim::negative_control("U2", "(a + b)^2 = a^2 + b^2");
  EXPECT_EQ(n.provenance(), Provenance::negative_control);
  EXPECT_EQ(n.expected(), Expectation::fails);
  EXPECT_EQ(n.kind(), "must be falsified");
}

TEST(Vocabulary, QuantitiesAreComparedNameByName) {
  const Quantities<Rational> observed{{"step 0", Rational(1)}, {"step 1", Rational(2)}};
  const Quantities<Rational> predicted{{"step 0", Rational(1)}, {"step 1", Rational(5, 2)}};
  const Verdict v = compare_observed(observed, predicted, "law");
  EXPECT_TRUE(v.certified_violation());
  EXPECT_EQ(v.residual, "-1/2");
  EXPECT_EQ(v.detail, "law: step 1");
  EXPECT_EQ(compare_observed(observed, observed, "law").outcome, Outcome::holds);
  const Quantities<Rational> renamed{{"step 0", Rational(1)}, {"step 2", Rational(2)}};
  EXPECT_EQ(compare_observed(observed, renamed, "law").outcome, Outcome::inconclusive);
}

TEST(Vocabulary, InstancesPrintThemselvesForRapidCheck) {
  std::ostringstream os;
  rc::show(Pair{Rational(1, 2), Rational(-3)}, os);
  EXPECT_EQ(os.str(), "a = 1/2, b = -3");
  EXPECT_EQ(show_instance(Pair{Rational(0), Rational(1)}), "a = 0, b = 1");
}

TEST(Vocabulary, RapidCheckAssertionFailsWithTheResidual) {
  const auto wrong = [] {
    const Pair p = *pairs();
    ENTROPIC_RC_ASSERT_HOLDS(compare<Rational>(square_of_sum(p), without_cross_term(p), "no cross term"));
  };
  const auto right = [] {
    const Pair p = *pairs();
    ENTROPIC_RC_ASSERT_HOLDS(compare<Rational>(square_of_sum(p), expanded(p), "binomial"));
  };
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const bool wrong_passed = rc::check("wrong law", wrong);
  const std::string printed = testing::internal::GetCapturedStdout() + testing::internal::GetCapturedStderr();
  EXPECT_FALSE(wrong_passed);
  EXPECT_NE(printed.find("violated (exact, rational): residual"), std::string::npos) << printed;
  EXPECT_NE(printed.find("a = 1, b = 1"), std::string::npos) << printed;
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  EXPECT_TRUE(rc::check("right law", right));
  testing::internal::GetCapturedStdout();
  testing::internal::GetCapturedStderr();
}

}  // namespace
}  // namespace entropic
