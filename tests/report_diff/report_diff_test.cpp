// What `entropic diff` calls a regression (lib/entropic/verify/report_diff.hpp, docs/cli.md), on
// small reports written by hand: a positive claim T with one part and one mutant, a negative
// control N with one part.
#include "entropic/verify/report_diff.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace entropic {
namespace {

using Json = nlohmann::ordered_json;

Json counterexample(const std::string& residual, const std::string& replay) {
  return {{"instance", "deep_linear [1,1,1]; x = [[1]]"}, {"residual", residual}, {"replay", replay},
          {"shrink_steps", 3}};
}

Json report() {
  Json t_part = {{"id", "law"}, {"status", "verified"}, {"instances", 10}, {"evidence", "exact"},
                 {"arithmetic", "rational"}, {"residual", "0"},
                 {"coverage", {{"instances", 10}, {"degenerate", 0}, {"covers", true}}}};
  Json t_mutant = {{"id", "law/no-decay"}, {"status", "falsified"}, {"instances", 1}, {"evidence", "none"},
                   {"counterexample", counterexample("21/16", "T.law/no-decay:s=1:z=1")}};
  Json n_part = {{"id", "rescaling"}, {"status", "falsified"}, {"instances", 1}, {"evidence", "none"},
                 {"counterexample", counterexample("-3/64", "N.rescaling:s=2:z=1")}};
  Json t = {{"id", "T"}, {"expected", "holds"}, {"status", "verified"}, {"as_expected", true}, {"instances", 10},
            {"parts", Json::array({t_part})}, {"mutants", Json::array({t_mutant})}};
  Json n = {{"id", "N"}, {"expected", "fails"}, {"status", "falsified"}, {"as_expected", true}, {"instances", 1},
            {"parts", Json::array({n_part})}, {"mutants", Json::array()}};
  return {{"seed", 1}, {"cases", 10}, {"seconds", 0.5}, {"all_as_expected", true}, {"claims", Json::array({t, n})}};
}

Json& claim(Json& r, const std::string& id) {
  for (Json& c : r["claims"])
    if (c["id"] == id) return c;
  throw std::logic_error("no claim " + id);
}

ReportDiff diff(const Json& base, const Json& latest) { return diff_reports(base, "base.json", latest, "new.json"); }

const ReportChange* find(const ReportDiff& d, const std::string& kind, const std::string& part = "") {
  const ReportChange* found = nullptr;
  for (const ReportChange& c : d.changes)
    if (c.kind == kind && c.part == part) {
      EXPECT_EQ(found, nullptr) << "two changes of kind " << kind;
      found = &c;
    }
  return found;
}

TEST(ReportDiff, IdenticalReportsAgree) {
  const ReportDiff d = diff(report(), report());
  EXPECT_TRUE(d.changes.empty());
  EXPECT_TRUE(d.notes.empty());
  EXPECT_FALSE(d.regressed());
  EXPECT_NE(diff_text(d).find("no regression: the two outputs agree"), std::string::npos);
}

TEST(ReportDiff, TimingsAndUnknownFieldsAreIgnoredAndASeedMayBeAString) {
  Json latest = report();
  latest["seconds"] = 99.0;
  latest["seed"] = "1";
  latest["schema"] = "entropic.verify/2";
  latest["entropic_version"] = "0.3.0";
  latest["commit"] = nullptr;
  latest["something_new"] = {{"a", 1}};
  const ReportDiff d = diff(report(), latest);
  EXPECT_TRUE(d.changes.empty());
  EXPECT_TRUE(d.notes.empty());
  EXPECT_EQ(d.latest.entropic_version, "0.3.0");
  EXPECT_EQ(d.latest.commit, "");
  EXPECT_NE(diff_text(d).find("new.json: entropic 0.3.0, schema entropic.verify/2, seed 1, 10 cases"),
            std::string::npos);
}

TEST(ReportDiff, OtherSeedsOrCasesAreNotedButStillCompared) {
  Json latest = report();
  latest["seed"] = "7";
  claim(latest, "N")["parts"][0]["counterexample"]["replay"] = "N.rescaling:s=9:z=1";
  const ReportDiff d = diff(report(), latest);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_NE(d.notes[0].find("seeds differ (base 1, new 7)"), std::string::npos);
  ASSERT_NE(find(d, "counterexample-changed", "rescaling"), nullptr);
  EXPECT_FALSE(diff_json(d)["comparable"].get<bool>());
}

TEST(ReportDiff, AMutantThatSurvivesIsARegression) {
  Json latest = report();
  Json& m = claim(latest, "T")["mutants"][0];
  m["status"] = "verified";
  m.erase("counterexample");
  claim(latest, "T")["as_expected"] = false;
  const ReportDiff d = diff(report(), latest);
  const ReportChange* survives = find(d, "mutant-survives", "law/no-decay");
  ASSERT_NE(survives, nullptr);
  EXPECT_TRUE(survives->regression());
  EXPECT_TRUE(survives->mutant);
  EXPECT_EQ(survives->old_value, "falsified");
  EXPECT_EQ(survives->new_value, "verified");
  ASSERT_NE(find(d, "as-expected"), nullptr);
  EXPECT_TRUE(find(d, "as-expected")->regression());
  // The vanished counterexample is shown; the status change carries the regression.
  ASSERT_NE(find(d, "counterexample-vanished", "law/no-decay"), nullptr);
  EXPECT_FALSE(find(d, "counterexample-vanished", "law/no-decay")->regression());
  EXPECT_EQ(d.count(ChangeLevel::regression), 2u);
  EXPECT_EQ(d.changes.front().level, ChangeLevel::regression);  // regressions first
}

TEST(ReportDiff, AChangedExactResidualOfAPositiveClaimIsARegression) {
  Json latest = report();
  claim(latest, "T")["parts"][0]["residual"] = "1/3";
  const ReportDiff d = diff(report(), latest);
  const ReportChange* r = find(d, "residual", "law");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->regression());
  EXPECT_EQ(r->new_value, "1/3");
  EXPECT_NE(diff_text(d).find("REGRESSION T part law: exact residual changed: 0 -> 1/3"), std::string::npos);
}

TEST(ReportDiff, AChangedExactSeriesResidualIsARegression) {
  Json base = report(), latest = report();
  claim(base, "T")["parts"][0]["residual_series"] = Json::array({"0", "0", "1/12"});
  claim(latest, "T")["parts"][0]["residual_series"] = Json::array({"0", "0", "1/6"});
  const ReportDiff d = diff(base, latest);
  const ReportChange* r = find(d, "residual", "law");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->regression());
  EXPECT_EQ(r->new_value, Json::array({"0", "0", "1/6"}));
}

TEST(ReportDiff, OtherRunOptionsAreNoted) {
  Json base = report(), latest = report();
  base["max_size"] = 100;
  latest["max_size"] = 50;
  latest["shard"] = "1/2";
  const ReportDiff d = diff(base, latest);
  ASSERT_EQ(d.notes.size(), 2u);
  EXPECT_EQ(d.notes[0], "max_size differs (base 100, new 50): the reports are not strictly comparable");
  EXPECT_EQ(d.notes[1], "shard differs (base none, new \"1/2\"): the reports are not strictly comparable");
}

// A report without "profile" ran the standard sizes (verify --profile): large against it is noted,
// standard against none is not.
TEST(ReportDiff, OtherSizeProfilesAreNoted) {
  Json base = report(), latest = report();
  latest["profile"] = "large";
  const ReportDiff d = diff(base, latest);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0], "size profiles differ (base standard, new large): the reports are not strictly comparable");
  latest["profile"] = "standard";
  EXPECT_TRUE(diff(base, latest).notes.empty());
}

TEST(ReportDiff, ResidualsOfCertifiedEvidenceAreSamplesNotPredictions) {
  Json base = report(), latest = report();
  claim(base, "T")["parts"][0]["evidence"] = "certified";
  claim(base, "T")["parts"][0]["residual"] = "[-1, 1]";
  claim(latest, "T")["parts"][0]["evidence"] = "certified";
  claim(latest, "T")["parts"][0]["residual"] = "[-2, 2]";
  EXPECT_TRUE(diff(base, latest).changes.empty());
}

TEST(ReportDiff, ANegativeControlsChangedCounterexampleIsAChangeNotARegression) {
  Json latest = report();
  claim(latest, "N")["parts"][0]["counterexample"]["residual"] = "-1/8";
  const ReportDiff d = diff(report(), latest);
  const ReportChange* c = find(d, "counterexample-changed", "rescaling");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->level, ChangeLevel::change);
  EXPECT_EQ(c->old_value["residual"], "-3/64");
  EXPECT_EQ(c->new_value["residual"], "-1/8");
  EXPECT_FALSE(d.regressed());
  EXPECT_NE(diff_text(d).find("no regression: 1 change"), std::string::npos);
}

TEST(ReportDiff, AMutantsChangedCounterexampleIsAChange) {
  Json latest = report();
  claim(latest, "T")["mutants"][0]["counterexample"]["instance"] = "another instance";
  const ReportDiff d = diff(report(), latest);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].level, ChangeLevel::change);
}

TEST(ReportDiff, ACounterexampleToAPositiveClaimIsARegression) {
  Json base = report(), latest = report();
  for (Json* r : {&base, &latest}) {
    Json& p = claim(*r, "T")["parts"][0];
    p["status"] = "falsified";
    p["evidence"] = "none";
    claim(*r, "T")["status"] = "falsified";
    claim(*r, "T")["as_expected"] = false;
  }
  claim(base, "T")["parts"][0]["counterexample"] = counterexample("1", "T.law:s=1:z=1");
  claim(latest, "T")["parts"][0]["counterexample"] = counterexample("2", "T.law:s=1:z=1");
  const ReportDiff d = diff(base, latest);
  const ReportChange* c = find(d, "counterexample-changed", "law");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->regression());
}

TEST(ReportDiff, APartThatLeavesItsExpectedStatusIsARegression) {
  Json latest = report();
  claim(latest, "T")["parts"][0]["status"] = "inconclusive";
  claim(latest, "T")["status"] = "inconclusive";
  claim(latest, "T")["as_expected"] = false;
  claim(latest, "N")["parts"][0]["status"] = "verified";
  claim(latest, "N")["parts"][0].erase("counterexample");
  const ReportDiff d = diff(report(), latest);
  ASSERT_NE(find(d, "status", "law"), nullptr);
  EXPECT_TRUE(find(d, "status", "law")->regression());
  ASSERT_NE(find(d, "status", "rescaling"), nullptr);
  EXPECT_TRUE(find(d, "status", "rescaling")->regression());
  // The claim's as_expected carries the claim-level regression; its status change is shown with it.
  ASSERT_NE(find(d, "status"), nullptr);
  EXPECT_EQ(find(d, "status")->level, ChangeLevel::change);
}

TEST(ReportDiff, AClaimAsExpectedNowIsNotARegression) {
  Json base = report();
  claim(base, "T")["status"] = "inconclusive";
  claim(base, "T")["as_expected"] = false;
  claim(base, "T")["parts"][0]["status"] = "inconclusive";
  const ReportDiff d = diff(base, report());
  EXPECT_FALSE(d.regressed());
  ASSERT_NE(find(d, "as-expected"), nullptr);
  EXPECT_EQ(find(d, "as-expected")->what, "as expected now");
}

TEST(ReportDiff, RemovedClaimsPartsAndMutantsAreRegressionsAddedOnesAreNot) {
  Json latest = report();
  latest["claims"].erase(1);  // N
  claim(latest, "T")["mutants"] = Json::array();
  const ReportDiff d = diff(report(), latest);
  ASSERT_NE(find(d, "claim-removed"), nullptr);
  EXPECT_EQ(find(d, "claim-removed")->claim, "N");
  EXPECT_TRUE(find(d, "claim-removed")->regression());
  ASSERT_NE(find(d, "mutant-removed", "law/no-decay"), nullptr);
  EXPECT_TRUE(find(d, "mutant-removed", "law/no-decay")->regression());

  const ReportDiff back = diff(latest, report());
  ASSERT_NE(find(back, "claim-added"), nullptr);
  EXPECT_FALSE(find(back, "claim-added")->regression());
  ASSERT_NE(find(back, "mutant-added", "law/no-decay"), nullptr);
  EXPECT_FALSE(back.regressed());
}

TEST(ReportDiff, ANewClaimNotAsExpectedIsARegression) {
  Json base = report(), latest = report();
  base["claims"].erase(1);
  claim(latest, "N")["as_expected"] = false;
  claim(latest, "N")["status"] = "verified";
  EXPECT_TRUE(find(diff(base, latest), "claim-added")->regression());
}

TEST(ReportDiff, AChangedExpectationIsARegression) {
  Json latest = report();
  claim(latest, "T")["expected"] = "fails";
  EXPECT_TRUE(find(diff(report(), latest), "expected")->regression());
}

TEST(ReportDiff, InstancesAndCoverageAreInformational) {
  Json latest = report();
  claim(latest, "T")["instances"] = 12;
  claim(latest, "T")["parts"][0]["instances"] = 12;
  claim(latest, "T")["parts"][0]["coverage"] = {{"instances", 12}, {"degenerate", 1}, {"covers", false}};
  const ReportDiff d = diff(report(), latest);
  EXPECT_EQ(d.count(ChangeLevel::info), 3u);
  EXPECT_FALSE(d.regressed());
  ASSERT_NE(find(d, "coverage", "law"), nullptr);
  EXPECT_EQ(find(d, "coverage", "law")->new_value, "1 of 12 degenerate (more than 5 %)");
}

// Exact values: f = u w x, two steps of GD through eta^2 (tests/cli: expand_uwx_*).
Json expansion() {
  return Json::parse(R"({"order":2,"arithmetic":"rational","steps":[
    {"t":0,"params":{"W1":[[["1","0","0"]]],"W2":[[["1/2","0","0"]]]}},
    {"t":1,"params":{"W1":[[["1","1/4","0"]]],"W2":[[["1/2","1/2","0"]]]}},
    {"t":2,"params":{"W1":[[["1","1/2","-1/16"]]],"W2":[[["1/2","1","-1/2"]]]}}]})");
}

TEST(ReportDiff, EveryChangedCoefficientIsARegressionLocatedExactly) {
  Json latest = expansion();
  latest["steps"][2]["params"]["W2"][0][0][2] = "-1/3";
  const ReportDiff d = diff(expansion(), latest);
  ASSERT_EQ(d.changes.size(), 1u);
  const ReportChange& c = d.changes[0];
  EXPECT_EQ(c.kind, "value");
  EXPECT_TRUE(c.regression());
  EXPECT_EQ(c.location, "t = 2, W2[0][0], eta^2");
  EXPECT_EQ(c.old_value, "-1/2");
  EXPECT_EQ(c.new_value, "-1/3");
  const Json j = diff_json(d)["changes"][0];
  EXPECT_EQ(j["t"], 2);
  EXPECT_EQ(j["param"], "W2");
  EXPECT_EQ(j["eta_order"], 2);
  EXPECT_EQ(j["claim"], nullptr);
}

TEST(ReportDiff, ARemovedStepOrReshapedBlockIsARegression) {
  Json latest = expansion();
  latest["steps"].erase(2);
  latest["steps"][1]["params"]["W1"] = Json::parse(R"([[["1","1/4","0"],["0","0","0"]]])");
  const ReportDiff d = diff(expansion(), latest);
  ASSERT_NE(find(d, "step-removed"), nullptr);
  EXPECT_EQ(find(d, "step-removed")->location, "t = 2");
  ASSERT_NE(find(d, "shape"), nullptr);
  EXPECT_EQ(find(d, "shape")->old_value, "1 x 1");
  EXPECT_EQ(find(d, "shape")->new_value, "1 x 2");
  EXPECT_EQ(d.count(ChangeLevel::regression), 2u);
}

TEST(ReportDiff, AnotherOrderIsComparedThroughTheLowerOne) {
  Json higher = expansion();
  higher["order"] = 3;
  for (Json& s : higher["steps"])
    for (auto& [name, rows] : s["params"].items()) rows[0][0].push_back("5");
  const ReportDiff up = diff(expansion(), higher);
  ASSERT_EQ(up.changes.size(), 1u);
  EXPECT_EQ(up.changes[0].kind, "order");
  EXPECT_FALSE(up.regressed());
  ASSERT_EQ(up.notes.size(), 1u);
  EXPECT_TRUE(diff(higher, expansion()).regressed());  // coefficients lost
}

TEST(ReportDiff, SimulationsCompareLossesAndIterates) {
  const Json base = Json::parse(R"({"arithmetic":"rational","steps":[
    {"t":0,"loss":"1/8","params":{"W1":[["1"]]}},{"t":1,"loss":"1/9","params":{"W1":[["41/40"]]}}]})");
  Json latest = base;
  latest["steps"][1]["loss"] = "1/10";
  const ReportDiff d = diff(base, latest);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].location, "t = 1, loss");
  EXPECT_TRUE(d.regressed());
  latest = base;
  latest["arithmetic"] = "interval:128";
  EXPECT_TRUE(find(diff(base, latest), "arithmetic")->regression());
}

TEST(ReportDiff, ModifiedFieldTermsAreNamedByTheirPowerOfEta) {
  const Json base = Json::parse(R"({"order":1,"arithmetic":"rational","field":[
    {"order":0,"params":{"W1":[["1/4"]]}},{"order":1,"params":{"W1":[["1/32"]]}}]})");
  Json latest = base;
  latest["field"][1]["params"]["W1"][0][0] = "1/33";
  const ReportDiff d = diff(base, latest);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].location, "f_2 (eta^1), W1[0][0]");
}

TEST(ReportDiff, OutputsOfTwoCommandsCannotBeCompared) {
  try {
    diff(report(), expansion());
    FAIL() << "compared a verify report with an expansion";
  } catch (const report_diff_error& e) {
    EXPECT_STREQ(e.what(),
                 "cannot compare base.json, a verify report (entropic verify), with new.json, an expansion "
                 "(entropic expand): both must be outputs of the same command");
  }
}

TEST(ReportDiff, MalformedReportsNameTheFileAndTheField) {
  auto message = [](const Json& latest) {
    try {
      diff(report(), latest);
    } catch (const report_diff_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Json r = report();
  claim(r, "T")["parts"][0].erase("status");
  EXPECT_EQ(message(r), "new.json: claims[0] (T).parts[0]: missing field \"status\"");
  r = report();
  claim(r, "N")["as_expected"] = "yes";
  EXPECT_EQ(message(r), "new.json: claims[1] (N).as_expected: expected true or false");
  r = report();
  r["claims"].push_back(r["claims"][0]);
  EXPECT_EQ(message(r), "new.json: claims[2]: duplicate claim id \"T\"");
  r = report();
  r["seed"] = 1.5;
  EXPECT_EQ(message(r), "new.json: seed: expected an integer or a string");
  EXPECT_EQ(message(Json::array()),
            "new.json: not a JSON object, so not an output of entropic verify, expand or simulate");
}

TEST(ReportDiff, ReadReportNamesTheFileOfInvalidJson) {
  const std::string path = (std::filesystem::temp_directory_path() / "entropic_report_diff_test.json").string();
  {
    std::ofstream out(path);
    out << "{\"claims\": [";
  }
  try {
    read_report(path);
    FAIL() << "parsed a truncated file";
  } catch (const report_diff_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": not valid JSON: parse error at line 1", 0), 0u) << e.what();
  }
  std::remove(path.c_str());
  EXPECT_THROW(read_report(path), report_diff_error);
}

TEST(ReportDiff, MarkdownHasAHeadingATableAndAVerdict) {
  Json latest = report();
  claim(latest, "T")["parts"][0]["residual"] = "1/3|2";
  const std::string md = diff_markdown(diff(report(), latest));
  EXPECT_EQ(md.rfind("## entropic diff: verify — 1 regression\n", 0), 0u) << md;
  EXPECT_NE(md.find("| **regression** | T | `law` | exact residual changed | `0` | `1/3\\|2` |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("**Verdict:** REGRESSED: 1 regression in T"), std::string::npos) << md;
}

TEST(ReportDiff, JsonListsEveryChangeWithItsKindAndLevel) {
  Json latest = report();
  claim(latest, "T")["parts"][0]["residual"] = "1/3";
  claim(latest, "N")["parts"][0]["counterexample"]["residual"] = "-1/8";
  const Json j = diff_json(diff(report(), latest));
  ASSERT_EQ(j["changes"].size(), 2u);
  EXPECT_EQ(j["changes"][0]["kind"], "residual");
  EXPECT_EQ(j["changes"][0]["claim"], "T");
  EXPECT_EQ(j["changes"][0]["part"], "law");
  EXPECT_EQ(j["changes"][0]["regression"], true);
  EXPECT_EQ(j["changes"][1]["kind"], "counterexample-changed");
  EXPECT_EQ(j["changes"][1]["regression"], false);
  EXPECT_EQ(j["regressions"], 1);
  EXPECT_EQ(j["regressed"], true);
}

}  // namespace
}  // namespace entropic
