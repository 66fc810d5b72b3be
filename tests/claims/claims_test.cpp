// Each catalog claim as a test case. A positive claim passes when it is verified and every one of its
// mutated predictions is falsified; a negative control passes when it is falsified with a certified,
// shrunk counterexample that its replay string reproduces.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "entropic/verify/report.hpp"

namespace entropic {
namespace {

constexpr bool kNegative = ENTROPIC_NEGATIVE_CONTROLS;

// 200 generated cases per part, or ENTROPIC_TEST_CASES (docs/testing.md).
RunOptions options() {
  RunOptions o;
  o.cases = 200;
  if (const char* env = std::getenv("ENTROPIC_TEST_CASES")) {
    const std::string text = env;
    const bool digits = !text.empty() && text.size() <= 7 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    o.cases = digits ? std::stoi(text) : 0;
    if (o.cases < 1 || o.cases > 1000000)
      throw std::invalid_argument("ENTROPIC_TEST_CASES must be an integer in 1..1000000, got '" + text + "'");
  }
  return o;
}

std::vector<std::string> claim_ids() {
  std::vector<std::string> ids;
  for (const Claim& c : ClaimRegistry::instance().claims())
    if ((c.expected() == Expectation::fails) == kNegative) ids.push_back(c.id());
  return ids;
}

class CatalogClaim : public ::testing::TestWithParam<std::string> {};

TEST_P(CatalogClaim, BehavesAsTheCatalogSays) {
  const auto claim = ClaimRegistry::instance().find(GetParam());
  ASSERT_TRUE(claim);
  RunSummary summary;
  summary.options = options();
  summary.results.push_back(claim->run(summary.options, ClaimRegistry::instance().checked_past_failures()));
  const ClaimResult& r = summary.results.back();
  EXPECT_TRUE(r.as_expected()) << text_report(summary);
  // Evidence that covers the hypothesis: every part says what a degenerate instance is for it, and
  // a positive claim's parts are at most kMaxDegenerateFraction degenerate.
  for (const PartResult& p : r.parts) {
    EXPECT_TRUE(p.coverage.stated()) << r.id << "." << p.id
                                     << " does not say what a degenerate instance is (.degenerate or .nondegenerate)";
    if (!kNegative) {
      EXPECT_TRUE(p.coverage.covers()) << r.id << "." << p.id << ": " << p.coverage.degenerate << " of "
                                       << p.coverage.instances << " instances degenerate\n"
                                       << text_report(summary);
    }
  }
  if (kNegative) {
    const Counterexample* c = r.counterexample();
    ASSERT_NE(c, nullptr) << text_report(summary);
    EXPECT_TRUE(c->verdict.certified_violation());
    // The replay string regenerates the same instance and the same violation.
    const auto key = ReplayKey::parse(c->replay);
    ASSERT_TRUE(key) << c->replay;
    const auto again = claim->replay(*key);
    ASSERT_TRUE(again) << c->replay;
    EXPECT_EQ(again->instance, c->instance);
    EXPECT_EQ(again->verdict.residual, c->verdict.residual);
    EXPECT_TRUE(again->verdict.certified_violation());
  } else {
    EXPECT_FALSE(r.mutants.empty()) << r.id << " has no mutated prediction: its check is not shown to be able to fail";
    for (const PartResult& p : r.parts) EXPECT_GT(p.held, 0) << p.name;
  }
}

// Every compiled-in past failure names a part or mutant of a claim (checked_past_failures throws
// otherwise), and a list entry naming no part is refused loudly. Once, in the theorem binary.
#if !ENTROPIC_NEGATIVE_CONTROLS
TEST(PastFailures, EveryEntryNamesAPrediction) {
  EXPECT_NO_THROW(ClaimRegistry::instance().checked_past_failures());
  ClaimRegistry scratch = ClaimRegistry::instance();
  scratch.add_past_failures("test list", "T5.no-such-part:s=1:z=0\n");
  try {
    scratch.checked_past_failures();
    ADD_FAILURE() << "an entry naming no part was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("test list line 1: claim T5 has no part or mutant 'no-such-part'"),
              std::string::npos)
        << e.what();
  }
}
#endif

// Each case is named by its claim id (GoogleTest names are [A-Za-z0-9_]; claim ids may also hold '-').
INSTANTIATE_TEST_SUITE_P(Catalog, CatalogClaim, ::testing::ValuesIn(claim_ids()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace entropic
