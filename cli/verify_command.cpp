// entropic list | verify | replay: the catalog's status.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "entropic/verify/report.hpp"
#include "output.hpp"
#include "past_failures.hpp"

namespace entropic::cli {

int list_claims(const std::string& format) {
  const auto claims = ClaimRegistry::instance().claims();
  if (format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const Claim& c : claims) {
      nlohmann::json parts = nlohmann::json::array(), mutants = nlohmann::json::array();
      for (const auto& p : c.parts()) (p.mutant ? mutants : parts).push_back(p.name);
      j.push_back({{"id", c.id()}, {"title", c.title()}, {"provenance", provenance_name(c.provenance())},
                   {"kind", c.kind()}, {"expected", expectation_name(c.expected())},
                   {"parts", parts}, {"mutants", mutants}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  for (const Claim& c : claims)
    std::printf("%-4s %-17s %-34s %s\n", c.id().c_str(), provenance_name(c.provenance()),
                c.kind().c_str(), c.title().c_str());
  return 0;
}

int verify(const VerifyArgs& args) {
  std::vector<Claim> claims;
  if (args.ids.empty()) {
    claims = ClaimRegistry::instance().claims();
  } else {
    for (const std::string& id : args.ids) {
      auto c = ClaimRegistry::instance().find(id);
      if (!c) {
        std::string known;
        for (const Claim& k : ClaimRegistry::instance().claims()) known += " " + k.id();
        throw usage_error("unknown claim id '" + id + "' (known:" + known + ")");
      }
      claims.push_back(*c);
    }
  }
  RunSummary summary;
  summary.options.cases = args.cases;
  summary.options.seed = args.seed;
  const auto replays = past_failures();
  const auto start = std::chrono::steady_clock::now();
  for (const Claim& c : claims) {
    summary.results.push_back(c.run(summary.options, replays));
    if (args.format == "text" && args.output.empty()) {
      // Progress for people: one line per claim as it finishes.
      const ClaimResult& r = summary.results.back();
      std::fprintf(stderr, "  %s %s\n", r.id.c_str(), status_name(r.status()));
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string report =
      args.format == "json" ? to_json(summary).dump(2) + "\n" : text_report(summary);
  emit(report, args.output);
  return summary.all_as_expected() ? 0 : 1;
}

int replay(const std::string& text, const std::string& format) {
  const auto key = ReplayKey::parse(text);
  if (!key) throw usage_error("not a replay string: '" + text + "' (expected CLAIM.part:s=SEED:z=SIZE[:p=PATH])");
  const auto claim = ClaimRegistry::instance().find(key->claim);
  if (!claim) throw usage_error("unknown claim id '" + key->claim + "' in replay string");
  for (const auto& part : claim->parts()) {
    if (auto c = part.replay(*key)) {
      if (format == "json") {
        std::cout << nlohmann::json{{"claim", key->claim}, {"part", part.name},
                                    {"outcome", outcome_name(c->verdict.outcome)},
                                    {"instance", c->instance}, {"residual", c->verdict.residual},
                                    {"detail", c->verdict.detail},
                                    {"arithmetic", c->verdict.arithmetic},
                                    {"evidence", evidence_name(c->verdict.evidence)}}
                         .dump(2)
                  << "\n";
      } else {
        std::cout << key->claim << " / " << part.name << ": " << outcome_name(c->verdict.outcome) << "\n"
                  << "instance: " << c->instance << "\n"
                  << "residual: " << c->verdict.residual << " (" << c->verdict.detail << ", "
                  << c->verdict.arithmetic << ", " << evidence_name(c->verdict.evidence) << ")\n";
      }
      return 0;
    }
  }
  throw usage_error("claim " + key->claim + " has no part '" + key->part + "'");
}

}  // namespace entropic::cli
