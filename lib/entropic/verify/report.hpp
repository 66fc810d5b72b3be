// Reports of claim results: a text table for people, JSON for machines (docs/cli.md lists fields),
// markdown for the results page.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "entropic/gen/size_profile.hpp"
#include "entropic/verify/claim.hpp"

namespace entropic {

// The version of the JSON report (docs/cli.md): a reader refuses a report of another schema.
inline constexpr const char* kReportSchema = "entropic.verify/2";

struct RunSummary {
  RunOptions options;
  std::vector<ClaimResult> results;
  double seconds = 0;
  std::string version;                 // of the entropic that ran it
  std::string commit;                  // of the source it was built from, when known
  std::string shard;                   // "K/N" for one shard of a campaign (verify --shard), else empty
  std::vector<std::string> selection;  // the claim ids asked for (every shard of a campaign has the same)
  // The sizes of the generated instances (gen/size_profile.hpp); past failures, replay strings of
  // standard-sized instances, are not replayed under `large`.
  gen::SizeProfile profile = gen::SizeProfile::standard;
  bool all_as_expected() const;
};

nlohmann::json to_json(const PartResult& p);
nlohmann::json to_json(const ClaimResult& r);
nlohmann::json to_json(const RunSummary& s);
std::string text_report(const RunSummary& s);
// A results page (docs/results.md): a table of every claim and a section per claim.
std::string markdown_report(const RunSummary& s);
// JUnit XML for CI (GitLab, Jenkins): a testsuite per claim, a testcase per part and per mutant; a
// testcase fails when its prediction does not behave as the catalog says, with the counterexample
// and its replay string in the failure text.
std::string junit_report(const RunSummary& s);

// Reading a JSON report back (report_read.cpp): the inverse of to_json, so that shards of a campaign
// merge into the report of the whole run. Throws std::invalid_argument naming the field that is
// missing or malformed.
PartResult part_from_json(const nlohmann::json& j, bool mutant);
ClaimResult claim_from_json(const nlohmann::json& j);
RunSummary summary_from_json(const nlohmann::json& j);

}  // namespace entropic
