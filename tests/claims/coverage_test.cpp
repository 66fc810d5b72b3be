// Coverage of a part's instances (verify/part.hpp, coverage.hpp) and the sampling behind it
// (gen::in_range, detail::case_size), on toy instances whose counts are known by recounting.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "entropic/gen/generators.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/verify/report.hpp"

namespace entropic {
namespace {

struct Digit {
  int n = 0;
  std::string show() const { return "n = " + std::to_string(n); }
};

rc::Gen<Digit> digits() {
  return rc::gen::map(gen::in_range(0, 10), [](int n) { return Digit{n}; });
}

Claim counted() {
  return Claim("U1", "n^2 >= n on the integers")
      .part("square", "n^2 >= n", digits())
          .check([](const Digit& d) {
            return certainly_positive<Rational>(Rational(d.n * d.n - d.n + 1), "n^2 - n + 1 > 0");
          })
          .mutant("strict", "n^2 > n", [](const Digit& d) {
            return certainly_positive<Rational>(Rational(d.n * d.n - d.n), "n^2 - n > 0");
          })
          .degenerate("n in {0, 1}: n^2 = n", [](const Digit& d) { return d.n <= 1; })
          .degenerate("n = 0", [](const Digit& d) { return d.n == 0; })
          .feature("parity", [](const Digit& d) { return d.n % 2 == 0 ? "even" : "odd"; })
          .feature("n", [](const Digit& d) { return d.n; });
}

// The instances the runner draws for U1.square, recounted directly from the same seeds and sizes.
std::vector<int> drawn(const RunOptions& opts) {
  std::vector<int> ns;
  for (int k = 0; k < opts.cases; ++k)
    ns.push_back(digits()(rc::Random(detail::case_seed(opts.seed, "U1", "square", k)), detail::case_size(k, opts))
                     .value()
                     .n);
  return ns;
}

TEST(Coverage, DegenerateInstancesAndFeaturesAreCountedPerGeneratedInstance) {
  RunOptions opts;
  opts.cases = 60;
  const ClaimResult r = counted().run(opts, {});
  const Coverage& c = r.parts.at(0).coverage;
  const std::vector<int> ns = drawn(opts);
  int low = 0, zero = 0, even = 0;
  for (int n : ns) {
    low += n <= 1;
    zero += n == 0;
    even += n % 2 == 0;
  }
  EXPECT_EQ(c.instances, 60);
  EXPECT_EQ(c.degenerate, low);  // an instance degenerate twice counts once
  EXPECT_EQ(c.degenerate_by.at("n in {0, 1}: n^2 = n"), low);
  EXPECT_EQ(zero ? c.degenerate_by.at("n = 0") : 0, zero);
  EXPECT_EQ(c.features.at("parity").at("even"), even);
  EXPECT_EQ(c.features.at("parity").at("odd"), 60 - even);
  EXPECT_EQ(c.degeneracies.size(), 2u);
  EXPECT_TRUE(c.stated());
  EXPECT_NEAR(c.degenerate_fraction(), static_cast<double>(low) / 60, 0.0);
  // Whole range early: with 60 cases every digit occurs.
  EXPECT_EQ(c.features.at("n").size(), 10u);
  // The mutant dies on the first instance with n in {0, 1}; its index is recorded.
  ASSERT_EQ(r.mutants.size(), 1u);
  const auto first = std::find_if(ns.begin(), ns.end(), [](int n) { return n <= 1; });
  ASSERT_NE(first, ns.end());
  EXPECT_EQ(r.mutants[0].first_violation, first - ns.begin() + 1);
  // Coverage is the part's, not the mutant's.
  EXPECT_EQ(r.mutants[0].coverage.instances, 0);
}

TEST(Coverage, MoreThanFivePercentDegenerateDoesNotCover) {
  Coverage c;
  c.instances = 100;
  c.degenerate = 5;
  EXPECT_TRUE(c.covers());
  c.degenerate = 6;
  EXPECT_FALSE(c.covers());
  EXPECT_FALSE(Coverage{}.stated());
}

TEST(Coverage, ReportsCarryIt) {
  RunOptions opts;
  opts.cases = 30;
  RunSummary s;
  s.options = opts;
  s.results.push_back(counted().run(opts, {}));
  const nlohmann::json part = to_json(s)["claims"][0]["parts"][0];
  EXPECT_EQ(part["degenerate"], s.results[0].parts[0].coverage.degenerate);
  EXPECT_EQ(part["coverage"]["instances"], 30);
  EXPECT_TRUE(part["coverage"]["features"].contains("parity"));
  EXPECT_EQ(part["coverage"]["degeneracies"].size(), 2u);
  EXPECT_TRUE(to_json(s)["claims"][0]["mutants"][0].contains("first_violation"));
  EXPECT_NE(markdown_report(s).find("  - coverage: " + std::to_string(part["degenerate"].get<int>()) + " of 30 degenerate"),
            std::string::npos)
      << markdown_report(s);
  EXPECT_NE(markdown_report(s).find("  - features: n 0: "), std::string::npos) << markdown_report(s);
}

TEST(Coverage, APartThatStatesNothingSaysSo) {
  const ClaimResult r = Claim("U2", "silent")
                            .part("p", "n = n", digits())
                            .observe([](const Digit& d) { return Rational(d.n); })
                            .predict([](const Digit& d) { return Rational(d.n); })
                            .claim()
                            .run(RunOptions{}, {});
  EXPECT_FALSE(r.parts[0].coverage.stated());
  RunSummary s;
  s.results.push_back(r);
  EXPECT_NE(text_report(s).find("coverage: degenerate instances: not stated"), std::string::npos) << text_report(s);
}

TEST(Coverage, AThrowingDegeneracyIsAFaultOfTheStatement) {
  const Claim c = Claim("U3", "faulty")
                      .part("p", "n = n", digits())
                      .observe([](const Digit& d) { return Rational(d.n); })
                      .predict([](const Digit& d) { return Rational(d.n); })
                      .degenerate("never evaluable", [](const Digit&) -> bool { throw std::runtime_error("boom"); });
  try {
    c.run(RunOptions{}, {});
    ADD_FAILURE() << "a throwing degeneracy was accepted";
  } catch (const ClaimDefinitionError& e) {
    EXPECT_NE(std::string(e.what()).find("claim U3, part p: degeneracy 'never evaluable' raised: boom"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Claim("U4", "x").part("p", "p", digits()).check([](const Digit&) { return Verdict::holds(Arithmetic::rational(), "0", ""); }).nondegenerate(""),
               ClaimDefinitionError);
}

TEST(InRange, UsesItsWholeRangeFromSizeTenAndOnlyLoAtSizeZero) {
  std::set<int> at0, at1, at10;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    at0.insert(gen::in_range(3, 9)(rc::Random(seed), 0).value());
    at1.insert(gen::in_range(3, 9)(rc::Random(seed), 1).value());
    at10.insert(gen::in_range(3, 9)(rc::Random(seed), gen::kFullRangeSize).value());
  }
  EXPECT_EQ(at0, std::set<int>{3});
  EXPECT_EQ(at1, (std::set<int>{3, 4}));  // a two-valued choice leaves lo from size 1 on
  EXPECT_EQ(at10, (std::set<int>{3, 4, 5, 6, 7, 8}));
  // rc::gen::inRange, for contrast, stays at lo for a two-valued choice below size 50.
  std::set<int> rc_at25;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) rc_at25.insert(rc::gen::inRange(0, 2)(rc::Random(seed), 25).value());
  EXPECT_EQ(rc_at25, std::set<int>{0});
  EXPECT_THROW(gen::in_range(2, 2), std::invalid_argument);
}

TEST(InRange, ShrinksTowardLo) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const auto s = gen::in_range(2, 12)(rc::Random(seed), 50);
    if (s.value() == 2) continue;
    auto shrinks = s.shrinks();
    const auto first = shrinks.next();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->value(), 2) << "seed " << seed;
  }
}

TEST(CaseSize, SpreadsEveryPrefixOverTheRange) {
  RunOptions opts;
  opts.cases = 10;
  std::vector<int> sizes;
  for (int k = 0; k < 10; ++k) sizes.push_back(detail::case_size(k, opts));
  EXPECT_EQ(sizes, (std::vector<int>{1, 50, 25, 75, 13, 63, 38, 88, 6, 56}));
  // Independent of the number of cases: raising --cases extends the run, it does not stretch it.
  opts.cases = 1000;
  for (int k = 0; k < 10; ++k) EXPECT_EQ(detail::case_size(k, opts), sizes[k]);
  for (int k = 0; k < 1000; ++k) {
    EXPECT_GE(detail::case_size(k, opts), 1);
    EXPECT_LE(detail::case_size(k, opts), opts.max_size);
  }
  opts.max_size = 0;
  EXPECT_EQ(detail::case_size(5, opts), 0);
}

}  // namespace
}  // namespace entropic
