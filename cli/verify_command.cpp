// entropic list | verify | falsify | merge: the catalog's status.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include <unistd.h>

#include "campaign.hpp"
#include "commands.hpp"
#include "entropic/commit.hpp"
#include "entropic/verify/report.hpp"
#include "entropic/version.hpp"
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
    emit(j.dump(2) + "\n", "");
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

// A case-insensitive match, or one edit away: what the user probably meant by an unknown id.
std::string suggestion(const std::string& id) {
  auto lower = [](std::string t) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  auto one_edit = [](const std::string& a, const std::string& b) {
    if (a.size() == b.size()) {
      int diff = 0;
      for (std::size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
      return diff == 1;
    }
    const std::string& s = a.size() < b.size() ? a : b;
    const std::string& l = a.size() < b.size() ? b : a;
    if (l.size() != s.size() + 1) return false;
    for (std::size_t skip = 0; skip < l.size(); ++skip)
      if (l.substr(0, skip) + l.substr(skip + 1) == s) return true;
    return false;
  };
  std::string near;
  for (const Claim& k : ClaimRegistry::instance().claims()) {
    if (lower(k.id()) == lower(id)) return k.id();
    if (near.empty() && one_edit(lower(k.id()), lower(id))) near = k.id();
  }
  return near;
}

// The named claims, or the whole catalog; an unknown id is a usage error that suggests the id meant,
// or lists the known ones.
std::vector<Claim> select_claims(const std::vector<std::string>& ids) {
  if (ids.empty()) return ClaimRegistry::instance().claims();
  std::vector<Claim> claims;
  for (const std::string& id : ids) {
    auto c = ClaimRegistry::instance().find(id);
    if (!c) {
      if (const std::string meant = suggestion(id); !meant.empty())
        throw usage_error("unknown claim id '" + id + "' (did you mean " + meant + "?)");
      std::string known;
      for (const Claim& k : ClaimRegistry::instance().claims()) known += " " + k.id();
      throw usage_error("unknown claim id '" + id + "' (known:" + known + ")");
    }
    claims.push_back(*c);
  }
  return claims;
}

// The options every campaign command checks before it runs anything.
CampaignOptions campaign_options(const CampaignArgs& args) {
  CampaignOptions o;
  o.run.cases = args.cases;
  o.run.seed = parse_seed(args.seed, "--seed");
  o.run.max_size = args.max_size;
  o.profile = gen::parse_size_profile(args.profile);
  // Past failures are replay strings of standard-sized instances: replayed at the standard profile only.
  if (o.profile != gen::SizeProfile::standard && !args.past_failures.empty())
    throw usage_error("--past-failures: replay strings are of standard-sized instances; they do not go with --profile " +
                      args.profile);
  const bool replay = !args.no_past_failures && o.profile == gen::SizeProfile::standard;
  o.run.replay_past_failures = replay;
  // A shrink step re-runs a whole instance, and one of 200 parameters takes seconds: under `large`
  // counterexamples are reported as found (their replay strings regenerate them); the standard
  // profile is where the small ones come from.
  if (o.profile == gen::SizeProfile::large) o.run.max_shrinks = 0;
  o.past_failures = replays(args.past_failures, replay);
  if (!args.shard.empty()) {
    o.shard = Shard::parse(args.shard);
    o.sharded = true;
  }
  o.jobs = args.jobs;
  if (args.progress && args.quiet) throw usage_error("--progress and --quiet contradict each other");
  o.progress = args.quiet ? ProgressMode::quiet : args.progress ? ProgressMode::forced : ProgressMode::automatic;
  return o;
}

// The counterexamples directory: created if missing, and writable, before the run starts.
void prepare_directory(const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw usage_error("--counterexamples: cannot create the directory '" + dir + "'" + (ec ? ": " + ec.message() : ""));
  if (::access(dir.c_str(), W_OK) != 0)
    throw usage_error("--counterexamples: the directory '" + dir + "' is not writable");
}

// Every counterexample of the run into DIR: CLAIM.PART[.MUTANT].replay (its replay string, with the
// instance and residual as comments: a past-failures file of one entry) and, when the instance is a
// training run, CLAIM.PART[.MUTANT].scenario.json, which `simulate` and `expand` run.
int write_counterexamples(const RunSummary& summary, const std::string& dir) {
  if (dir.empty()) return 0;
  int written = 0;
  for (const ClaimResult& r : summary.results)
    for (const auto* list : {&r.parts, &r.mutants})
      for (const PartResult& p : *list) {
        if (!p.counterexample) continue;
        std::string name = r.id + "." + p.id;
        std::replace(name.begin(), name.end(), '/', '.');
        const Counterexample& c = *p.counterexample;
        const std::string base = (std::filesystem::path(dir) / name).string();
        emit("# " + r.id + " / " + p.name + "\n# instance: " + c.instance + "\n# residual: " + c.verdict.residual +
                 " (" + c.verdict.detail + ", " + c.verdict.arithmetic.name() + ", " +
                 evidence_name(c.verdict.evidence) + ")\n" + c.replay + "\n",
             base + ".replay");
        if (!c.scenario.empty()) emit(c.scenario, base + ".scenario.json");
        ++written;
      }
  return written;
}

// The report in `format`, into --output or standard output. The JSON document is serialized into
// the output as it is walked, not dumped into a string first; the other formats are built as text.
void write_report(const RunSummary& summary, const std::string& format, const std::string& path) {
  if (format == "json") {
    const nlohmann::json document = to_json(summary);
    return emit_with(path, [&](Writer& out) {
      WriterStream stream(out);
      stream << std::setw(2) << document << "\n";
    });
  }
  emit(format == "markdown" ? markdown_report(summary) : format == "junit" ? junit_report(summary) : text_report(summary),
       path);
}

RunSummary stamped(RunSummary s) {
  s.version = ENTROPIC_VERSION;
  s.commit = ENTROPIC_COMMIT;
  return s;
}
}  // namespace

std::uint64_t parse_seed(const std::string& text, const std::string& option) {
  const std::string max = "18446744073709551615";
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const std::string trimmed = digits ? text.substr(std::min(text.find_first_not_of('0'), text.size() - 1)) : text;
  if (!digits || trimmed.size() > max.size() || (trimmed.size() == max.size() && trimmed > max))
    throw usage_error(option + " '" + text + "': expected an integer from 0 to " + max);
  return std::stoull(trimmed);
}

int verify(const VerifyArgs& args) {
  const std::vector<Claim> claims = select_claims(args.ids);
  const CampaignOptions opts = campaign_options(args);
  if (!args.output.empty()) check_writable(args.output);
  prepare_directory(args.counterexamples);
  const RunSummary summary = stamped(run_campaign(claims, opts));
  write_counterexamples(summary, args.counterexamples);
  write_report(summary, args.format, args.output);
  // A shard is as expected when its own parts are; the campaign's verdict is the merged report's.
  return summary.all_as_expected() ? 0 : 1;
}

int merge(const MergeArgs& args) {
  std::vector<RunSummary> shards;
  for (const std::string& path : args.reports) {
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    if (!in || !std::filesystem::is_regular_file(path, ec)) throw usage_error("merge: cannot read '" + path + "'");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw usage_error("merge: " + path + " is not JSON: " + e.what());
    }
    try {
      shards.push_back(summary_from_json(j));
    } catch (const std::invalid_argument& e) {
      throw usage_error("merge: " + path + ": " + e.what());
    }
  }
  if (!args.output.empty()) check_writable(args.output);
  const RunSummary merged = merge_shards(shards, args.reports);
  write_report(merged, args.format, args.output);
  return merged.all_as_expected() ? 0 : 1;
}

// Attack: many more cases than verify, stopping at the first certified counterexample of each part.
// Exit 0 when every named claim was falsified, 1 when some claim survived.
int falsify(const FalsifyArgs& args) {
  if (args.ids.empty()) throw usage_error("falsify needs claim ids (see `entropic list`)");
  const std::vector<Claim> claims = select_claims(args.ids);
  const CampaignOptions opts = campaign_options(args);
  prepare_directory(args.counterexamples);
  const RunSummary summary = stamped(run_campaign(claims, opts));
  write_counterexamples(summary, args.counterexamples);
  nlohmann::json out = nlohmann::json::array();
  bool all_falsified = true;
  std::string text;
  for (const ClaimResult& r : summary.results) {
    std::vector<const PartResult*> attacked;
    for (const PartResult& p : r.parts) attacked.push_back(&p);
    if (args.mutants)
      for (const PartResult& m : r.mutants) attacked.push_back(&m);
    nlohmann::json parts = nlohmann::json::array();
    bool falsified = false;
    for (const PartResult* p : attacked) {
      parts.push_back(to_json(*p));
      falsified = falsified || (!p->mutant && p->counterexample.has_value());
      char line[256];
      text += r.id + " " + (p->mutant ? "mutant " : "") + p->name + ": ";
      if (p->counterexample) {
        const Counterexample& cx = *p->counterexample;
        std::snprintf(line, sizeof line, "FALSIFIED after %d instances (shrunk in %d steps)\n", p->instances,
                      cx.shrink_steps);
        text += line;
        text += "  instance: " + cx.instance + "\n  residual: " + cx.verdict.residual + " (" + cx.verdict.detail +
                ", " + cx.verdict.arithmetic.name() + ", " + evidence_name(cx.verdict.evidence) + ")\n  replay: " +
                cx.replay + "\n";
      } else {
        std::snprintf(line, sizeof line, "no counterexample in %d instances (%d held, %d inconclusive)\n",
                      p->instances, p->held, p->inconclusive);
        text += line;
      }
    }
    all_falsified = all_falsified && falsified;
    out.push_back({{"id", r.id}, {"falsified", falsified}, {"parts", parts}});
  }
  emit(args.format == "json" ? out.dump(2) + "\n" : text, "");
  return all_falsified ? 0 : 1;
}

}  // namespace entropic::cli
