// entropic list | verify | replay: the catalog's status.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "commands.hpp"
#include "entropic/verify/report.hpp"
#include "output.hpp"

namespace entropic::cli {

int list_claims(const std::string& format) {
  const auto claims = ClaimRegistry::instance().claims();
  if (format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const Claim& c : claims) {
      nlohmann::json parts = nlohmann::json::array(), mutants = nlohmann::json::array();
      for (const PredictionInfo& p : c.predictions())
        (p.mutant ? mutants : parts).push_back({{"id", p.id}, {"name", p.title}});
      j.push_back({{"id", c.id()}, {"title", c.title()}, {"provenance", provenance_name(c.provenance())},
                   {"kind", c.kind()}, {"expected", expectation_name(c.expected())},
                   {"parts", parts}, {"mutants", mutants}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  // Columns as wide as their longest entry, so that the titles line up.
  int id_width = 2, provenance_width = 10, kind_width = 4;
  for (const Claim& c : claims) {
    id_width = std::max(id_width, static_cast<int>(c.id().size()));
    provenance_width = std::max(provenance_width, static_cast<int>(std::string(provenance_name(c.provenance())).size()));
    kind_width = std::max(kind_width, static_cast<int>(c.kind().size()));
  }
  std::printf("%-*s  %-*s  %-*s  %s\n", id_width, "id", provenance_width, "provenance", kind_width, "kind", "title");
  for (const Claim& c : claims)
    std::printf("%-*s  %-*s  %-*s  %s\n", id_width, c.id().c_str(), provenance_width, provenance_name(c.provenance()),
                kind_width, c.kind().c_str(), c.title().c_str());
  return 0;
}

namespace {
// The past failures to replay: the compiled-in lists and the --past-failures files, each entry
// checked against the catalog (an entry that names no part is an error, exit 2).
std::vector<ReplayKey> replays(const std::vector<std::string>& files, bool enabled) {
  if (!enabled) {
    if (!files.empty()) throw usage_error("--past-failures and --no-past-failures contradict each other");
    return {};
  }
  auto& registry = ClaimRegistry::instance();
  for (const std::string& file : files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
      throw usage_error("--past-failures: '" + file + "' is not a readable file");
    std::ifstream in(file);
    if (!in) throw usage_error("--past-failures: cannot read '" + file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    registry.add_past_failures(file, text.str());
  }
  try {
    return registry.checked_past_failures();
  } catch (const std::invalid_argument& e) {
    throw usage_error(std::string("past failures: ") + e.what());
  }
}

// The named claims, or the whole catalog; an unknown id is a usage error listing the known ones.
std::vector<Claim> select_claims(const std::vector<std::string>& ids) {
  if (ids.empty()) return ClaimRegistry::instance().claims();
  std::vector<Claim> claims;
  for (const std::string& id : ids) {
    auto c = ClaimRegistry::instance().find(id);
    if (!c) {
      std::string known;
      for (const Claim& k : ClaimRegistry::instance().claims()) known += " " + k.id();
      throw usage_error("unknown claim id '" + id + "' (known:" + known + ")");
    }
    claims.push_back(*c);
  }
  return claims;
}
}  // namespace

int verify(const VerifyArgs& args) {
  const std::vector<Claim> claims = select_claims(args.ids);
  RunSummary summary;
  summary.options.cases = args.cases;
  summary.options.seed = args.seed;
  summary.options.replay_past_failures = !args.no_past_failures;
  const auto past = replays(args.past_failures, !args.no_past_failures);
  const auto start = std::chrono::steady_clock::now();
  for (const Claim& c : claims) {
    summary.results.push_back(c.run(summary.options, past));
    if (args.format == "text" && args.output.empty()) {
      // Progress for people: one line per claim as it finishes.
      const ClaimResult& r = summary.results.back();
      std::fprintf(stderr, "  %s %s\n", r.id.c_str(), status_name(r.status()));
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string report = args.format == "json"       ? to_json(summary).dump(2) + "\n"
                             : args.format == "markdown" ? markdown_report(summary)
                                                         : text_report(summary);
  emit(report, args.output);
  return summary.all_as_expected() ? 0 : 1;
}

// Attack: many more cases than verify, stopping at the first certified counterexample of each part.
// Exit 0 when every named claim was falsified, 1 when some claim survived.
int falsify(const FalsifyArgs& args) {
  if (args.ids.empty()) throw usage_error("falsify needs claim ids (see `entropic list`)");
  const std::vector<Claim> claims = select_claims(args.ids);
  RunOptions opts;
  opts.cases = args.cases;
  opts.seed = args.seed;
  opts.max_size = args.max_size;
  opts.replay_past_failures = !args.no_past_failures;
  const auto past = replays(args.past_failures, !args.no_past_failures);
  nlohmann::json out = nlohmann::json::array();
  bool all_falsified = true;
  for (const Claim& c : claims) {
    const ClaimResult r = c.run(opts, past);
    std::vector<const PartResult*> attacked;
    for (const PartResult& p : r.parts) attacked.push_back(&p);
    if (args.mutants)
      for (const PartResult& m : r.mutants) attacked.push_back(&m);
    nlohmann::json parts = nlohmann::json::array();
    bool falsified = false;
    for (const PartResult* p : attacked) {
      parts.push_back(to_json(*p));
      falsified = falsified || (!p->mutant && p->counterexample.has_value());
      if (args.format == "text") {
        std::printf("%s %s%s: ", r.id.c_str(), p->mutant ? "mutant " : "", p->name.c_str());
        if (p->counterexample) {
          const Counterexample& cx = *p->counterexample;
          std::printf("FALSIFIED after %d instances (shrunk in %d steps)\n  instance: %s\n"
                      "  residual: %s (%s, %s, %s)\n  replay: %s\n",
                      p->instances, cx.shrink_steps, cx.instance.c_str(), cx.verdict.residual.c_str(),
                      cx.verdict.detail.c_str(), cx.verdict.arithmetic.name().c_str(),
                      evidence_name(cx.verdict.evidence), cx.replay.c_str());
        } else {
          std::printf("no counterexample in %d instances (%d held, %d inconclusive)\n", p->instances,
                      p->held, p->inconclusive);
        }
      }
    }
    all_falsified = all_falsified && falsified;
    out.push_back({{"id", r.id}, {"falsified", falsified}, {"parts", parts}});
  }
  if (args.format == "json") std::cout << out.dump(2) << "\n";
  return all_falsified ? 0 : 1;
}

int replay(const std::string& text, const std::string& format) {
  const auto key = ReplayKey::parse(text);
  if (!key) throw usage_error("not a replay string: '" + text + "' (expected CLAIM.part:s=SEED:z=SIZE[:p=PATH])");
  const auto claim = ClaimRegistry::instance().find(key->claim);
  if (!claim) throw usage_error("unknown claim id '" + key->claim + "' in replay string");
  const PartBase* part = claim->part_of(key->part);
  if (!part) {
    std::string known;
    for (const PredictionInfo& p : claim->predictions()) known += " " + p.id;
    throw usage_error("claim " + key->claim + " has no part or mutant '" + key->part + "' (it has:" + known + ")");
  }
  std::optional<Counterexample> c;
  try {
    c = part->replay(*key);
  } catch (const std::invalid_argument& e) {
    throw usage_error(std::string("replay string '") + text + "': " + e.what());
  }
  std::string title = part->title();
  for (const PredictionInfo& p : part->predictions())
    if (p.id == key->part) title = p.title;
  if (format == "json") {
    std::cout << nlohmann::json{{"claim", key->claim}, {"part", key->part}, {"name", title},
                                {"outcome", outcome_name(c->verdict.outcome)},
                                {"instance", c->instance}, {"residual", c->verdict.residual},
                                {"detail", c->verdict.detail},
                                {"arithmetic", c->verdict.arithmetic.name()},
                                {"evidence", evidence_name(c->verdict.evidence)}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << key->claim << " / " << title << ": " << outcome_name(c->verdict.outcome) << "\n"
              << "instance: " << c->instance << "\n"
              << "residual: " << c->verdict.residual << " (" << c->verdict.detail << ", "
              << c->verdict.arithmetic.name() << ", " << evidence_name(c->verdict.evidence) << ")\n";
  }
  return 0;
}

}  // namespace entropic::cli
