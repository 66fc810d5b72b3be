// Reports of claim results: a text table for people, JSON for machines (docs/cli.md lists fields),
// markdown for the results page.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "entropic/verify/claim.hpp"

namespace entropic {

struct RunSummary {
  RunOptions options;
  std::vector<ClaimResult> results;
  double seconds = 0;
  bool all_as_expected() const;
};

nlohmann::json to_json(const PartResult& p);
nlohmann::json to_json(const ClaimResult& r);
nlohmann::json to_json(const RunSummary& s);
std::string text_report(const RunSummary& s);
// A results page (docs/results.md): a table of every claim and a section per claim.
std::string markdown_report(const RunSummary& s);

}  // namespace entropic
