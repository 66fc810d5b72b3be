// A campaign: the parts of the selected claims run as independent units of work, on one process
// or on N worker processes (--jobs N), for the whole run or one shard of it (--shard K/N).
//
// A unit is one part of one claim with its mutants: its results depend only on the options and the
// seed (case k of part p has the seed derived from (seed, claim, p, k): detail::case_seed), never on which
// process ran it or what ran before, so any split of the units gives the same results. Workers are
// forked processes, not threads: RapidCheck's generator context (rc::detail::ImplicitParam) is
// process-global. A worker sends each unit's results back as JSON (report_read.cpp reads it), so the
// reports of --jobs N are those of --jobs 1 byte for byte, apart from the timings.
#pragma once

#include <string>
#include <vector>

#include "entropic/verify/report.hpp"

namespace entropic::cli {

// Shard K of N (1 <= K <= N): the units whose index i (in catalog order) has i mod N = K - 1.
struct Shard {
  int k = 1, n = 1;
  bool whole() const { return n == 1; }
  std::string text() const { return std::to_string(k) + "/" + std::to_string(n); }
  // "K/N" with 1 <= K <= N <= 100000; throws usage_error otherwise.
  static Shard parse(const std::string& text);
};

// Progress on standard error: claim, part, cases done, elapsed and an estimate of the time left.
enum class ProgressMode { automatic, forced, quiet };  // automatic: when standard error is a terminal

struct CampaignOptions {
  RunOptions run;
  std::vector<ReplayKey> past_failures;
  Shard shard;
  bool sharded = false;  // --shard given (even 1/1): the report says which shard it is
  int jobs = 1;
  ProgressMode progress = ProgressMode::automatic;
  gen::SizeProfile profile = gen::SizeProfile::standard;  // in force while the campaign runs
};

// Runs the units of `claims` in `opts.shard` and returns them as a report: the claims in the order
// given, each with the parts (and mutants) of the shard in the claim's order; a claim with no unit
// in the shard is left out of a shard's report.
RunSummary run_campaign(const std::vector<Claim>& claims, const CampaignOptions& opts);

// The reports of shards 1/N .. N/N of one campaign merged into the report of the unsharded run.
// Throws usage_error when they are not one campaign (other seed, cases, claims or version; a shard
// missing or given twice) or a part is not in this catalog.
RunSummary merge_shards(const std::vector<RunSummary>& shards, const std::vector<std::string>& origins);

}  // namespace entropic::cli
