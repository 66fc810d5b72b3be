#include "entropic/verify/report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "entropic/version.hpp"

namespace entropic {

bool RunSummary::all_as_expected() const {
  for (const ClaimResult& r : results)
    if (!r.as_expected()) return false;
  return true;
}

namespace {
nlohmann::json counterexample_json(const Counterexample& c) {
  nlohmann::json j = {{"instance", c.instance},
          {"residual", c.verdict.residual},
          {"detail", c.verdict.detail},
          {"arithmetic", c.verdict.arithmetic.name()},
          {"evidence", evidence_name(c.verdict.evidence)},
          {"replay", c.replay},
          {"shrink_steps", c.shrink_steps}};
  if (!c.verdict.series.empty()) j["residual_series"] = c.verdict.series;
  return j;
}
nlohmann::json counterexample_json_with_scenario(const Counterexample& c) {
  nlohmann::json j = counterexample_json(c);
  if (!c.scenario.empty()) j["scenario"] = c.scenario;
  return j;
}

bool has_coverage(const PartResult& p) { return !p.mutant && (p.coverage.stated() || p.coverage.instances); }

nlohmann::json coverage_json(const Coverage& c) {
  nlohmann::json j = {{"instances", c.instances},
                      {"degenerate", c.degenerate},
                      {"degenerate_fraction", c.degenerate_fraction()},
                      {"covers", c.covers()}};
  j["degeneracies"] = c.degeneracies;
  if (!c.excluded.empty()) j["excluded"] = c.excluded;
  j["degenerate_by"] = c.degenerate_by;
  j["features"] = c.features;
  if (!c.replayed_parameters.empty()) j["replayed_parameters"] = c.replayed_parameters;
  return j;
}

// "12 of 200 degenerate (zero drift 12)" or "none degenerate (excluded: ...)".
std::string coverage_text(const Coverage& c, bool positive) {
  std::string t;
  if (!c.stated()) return "degenerate instances: not stated";
  if (c.degenerate == 0)
    t = "none of " + std::to_string(c.instances) + " degenerate";
  else
    t = std::to_string(c.degenerate) + " of " + std::to_string(c.instances) + " degenerate";
  std::string by;
  for (const auto& [what, n] : c.degenerate_by) by += (by.empty() ? "" : ", ") + what + " " + std::to_string(n);
  if (!by.empty()) t += " (" + by + ")";
  if (!c.excluded.empty()) t += "; excluded by the generator: " + c.excluded;
  if (positive && !c.covers()) t += "; MORE THAN 5 % DEGENERATE";
  return t;
}

// "batch size 1: 40, 2: 60; lambda = 0 yes: 3, no: 97".
std::string features_text(const Coverage& c) {
  std::string t;
  for (const auto& [name, values] : c.features) {
    t += (t.empty() ? "" : "; ") + name + " ";
    bool first = true;
    for (const auto& [value, n] : values) {
      t += (first ? "" : ", ") + value + ": " + std::to_string(n);
      first = false;
    }
  }
  return t;
}
}  // namespace

nlohmann::json to_json(const PartResult& p) {
  nlohmann::json j = {{"id", p.id},
                      {"name", p.name},
                      {"status", status_name(p.status())},
                      {"instances", p.instances},
                      {"held", p.held},
                      {"violated", p.violated},
                      {"inconclusive", p.inconclusive},
                      {"arithmetic", p.arithmetic.name()},
                      {"evidence", p.held ? evidence_name(p.evidence) : "none"}};
  if (!p.example_residual.empty()) j["residual"] = p.example_residual;
  if (!p.example_series.empty()) j["residual_series"] = p.example_series;
  if (!p.note.empty()) j["note"] = p.note;
  if (!p.example_detail.empty()) j["detail"] = p.example_detail;
  if (p.counterexample) j["counterexample"] = counterexample_json_with_scenario(*p.counterexample);
  if (p.first_violation) j["first_violation"] = p.first_violation;
  if (has_coverage(p)) {
    j["degenerate"] = p.coverage.degenerate;
    j["coverage"] = coverage_json(p.coverage);
  }
  return j;
}

nlohmann::json to_json(const ClaimResult& r) {
  nlohmann::json j = {{"id", r.id},
                      {"title", r.title},
                      {"provenance", provenance_name(r.provenance)},
                      {"kind", r.kind},
                      {"expected", expectation_name(r.expected)},
                      {"status", status_name(r.status())},
                      {"as_expected", r.as_expected()},
                      {"instances", r.instances()},
                      {"arithmetic", r.arithmetic().name()}};
  j["parts"] = nlohmann::json::array();
  for (const PartResult& p : r.parts) j["parts"].push_back(to_json(p));
  j["mutants"] = nlohmann::json::array();
  for (const PartResult& m : r.mutants) j["mutants"].push_back(to_json(m));
  if (const Counterexample* c = r.counterexample()) {
    j["counterexample"] = counterexample_json(*c);
    j["replay"] = c->replay;
  }
  return j;
}

nlohmann::json to_json(const RunSummary& s) {
  nlohmann::json j;
  j["schema"] = kReportSchema;
  j["entropic_version"] = s.version.empty() ? std::string(ENTROPIC_VERSION) : s.version;
  j["commit"] = s.commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.commit);
  // A string: JSON readers (jq, JavaScript) read numbers as doubles, which round 64-bit seeds.
  j["seed"] = std::to_string(s.options.seed);
  j["cases"] = s.options.cases;
  j["max_size"] = s.options.max_size;
  j["past_failures"] = s.options.replay_past_failures;
  if (s.profile != gen::SizeProfile::standard) j["profile"] = gen::size_profile_name(s.profile);
  j["selection"] = s.selection;
  if (!s.shard.empty()) j["shard"] = s.shard;
  j["seconds"] = s.seconds;
  j["all_as_expected"] = s.all_as_expected();
  j["claims"] = nlohmann::json::array();
  for (const ClaimResult& r : s.results) j["claims"].push_back(to_json(r));
  return j;
}

std::string text_report(const RunSummary& s) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-4s %-13s %-9s %-10s %-9s  %s\n", "id", "status", "expected",
                "instances", "mutants", "arithmetic");
  out << line;
  for (const ClaimResult& r : s.results) {
    int killed = 0;
    for (const PartResult& m : r.mutants) killed += m.status() == Status::falsified;
    const std::string mutants = std::to_string(killed) + "/" + std::to_string(r.mutants.size());
    std::snprintf(line, sizeof line, "%-4s %-13s %-9s %-10d %-9s  %s%s\n", r.id.c_str(),
                  status_name(r.status()), expectation_name(r.expected), r.instances(),
                  mutants.c_str(), r.arithmetic().name().c_str(), r.as_expected() ? "" : "   << NOT AS EXPECTED");
    out << line;
    for (const PartResult& p : r.parts) {
      out << "       " << p.name << ": " << status_name(p.status()) << ", " << p.instances
          << " instances";
      if (p.held) out << " (" << evidence_name(p.evidence) << ")";
      if (!p.note.empty()) out << "; " << p.note;
      out << "\n";
      if (has_coverage(p) && (!p.coverage.stated() || p.coverage.degenerate || !p.coverage.covers()))
        out << "         coverage: " << coverage_text(p.coverage, r.expected == Expectation::holds) << "\n";
      if (const auto& c = p.counterexample) {
        out << "       counterexample: " << c->instance << "\n";
        out << "       residual: " << c->verdict.residual << " (" << c->verdict.detail << ", "
            << c->verdict.arithmetic.name() << ")\n";
        out << "       replay: " << c->replay << "\n";
      }
    }
    for (const PartResult& m : r.mutants)
      if (m.status() != Status::falsified)
        out << "       mutant survived: " << m.name << " (" << status_name(m.status()) << ")\n";
  }
  int ok = 0;
  for (const ClaimResult& r : s.results) ok += r.as_expected();
  const std::string profile = s.profile == gen::SizeProfile::standard
                                  ? ""
                                  : std::string(", profile ") + gen::size_profile_name(s.profile);
  std::snprintf(line, sizeof line, "%d of %zu claims as expected (seed %llu, %d cases per part%s, %.1f s)\n",
                ok, s.results.size(), static_cast<unsigned long long>(s.options.seed),
                s.options.cases, profile.c_str(), s.seconds);
  out << line;
  return out.str();
}

namespace {
// A table cell: '|' would end the cell.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}
}  // namespace

// The parameter counts of a claim's instances (the coverage feature "parameters" of the generated
// ones and the counts of the replayed past failures, verify/part.hpp), "1-12", or "—" when no
// instance has a parameter vector.
std::string parameter_range(const ClaimResult& r) {
  int lo = 0, hi = 0;
  const auto include = [&](const std::map<std::string, int>& counts) {
    for (const auto& [value, count] : counts) {
      const int n = std::stoi(value);
      lo = lo == 0 ? n : std::min(lo, n);
      hi = std::max(hi, n);
    }
  };
  for (const PartResult& p : r.parts) {
    if (const auto f = p.coverage.features.find("parameters"); f != p.coverage.features.end()) include(f->second);
    include(p.coverage.replayed_parameters);
  }
  if (hi == 0) return "—";
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + "–" + std::to_string(hi);
}

// Deterministic for a given seed and case count (no wall time), so that the committed page can be
// checked against a fresh run.
std::string markdown_report(const RunSummary& s) {
  std::ostringstream out;
  int ok = 0;
  for (const ClaimResult& r : s.results) ok += r.as_expected();
  // The claims asked for, when they are not the whole catalog: the command must regenerate the page.
  std::string ids;
  if (s.selection.size() < ClaimRegistry::instance().claims().size())
    for (const std::string& id : s.selection) ids += " " + id;
  out << "# Results of `entropic verify`\n\n"
      << "Generated by `entropic verify" << ids << " --format markdown --seed " << s.options.seed << " --cases "
      << s.options.cases
      << (s.profile == gen::SizeProfile::standard ? "" : std::string(" --profile ") + gen::size_profile_name(s.profile))
      << "`; do not edit by hand. The suite's results-page tests (`tests/cli/check_results_page.sh`) "
      << "regenerate it and fail when it differs. " << ok << " of " << s.results.size()
      << " claims behave as the catalog says: positive claims verified with every mutated "
      << "prediction falsified, negative controls falsified. What the columns mean: "
      << "[catalog.md](catalog.md) and [cli.md](cli.md). \"parameters\" is the range of the parameter counts "
      << "(the dimension of theta) of the instances, generated and replayed: a training run's parameters, a loss's "
      << "variables (— where no instance has a parameter vector, as for representation matrices); `--profile large` "
      << "takes them to at least " << gen::kLargeProfileParameters << " where the claim leaves the widths free.\n\n"
      << "| id | claim | provenance | kind | expected | status | instances | parameters | mutants falsified | arithmetic |\n"
      << "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const ClaimResult& r : s.results) {
    int killed = 0;
    for (const PartResult& m : r.mutants) killed += m.status() == Status::falsified;
    out << "| " << r.id << " | " << cell(r.title) << " | " << provenance_name(r.provenance) << " | "
        << cell(r.kind) << " | " << expectation_name(r.expected) << " | **" << status_name(r.status())
        << "**" << (r.as_expected() ? "" : " (NOT AS EXPECTED)") << " | " << r.instances() << " | "
        << parameter_range(r) << " | " << killed << "/" << r.mutants.size() << " | " << cell(r.arithmetic().name()) << " |\n";
  }
  for (const ClaimResult& r : s.results) {
    out << "\n## " << r.id << " — " << r.title << "\n\n";
    for (const PartResult& p : r.parts) {
      out << "- " << p.name << ": " << status_name(p.status()) << ", " << p.instances << " instances";
      if (p.held) out << " (" << evidence_name(p.evidence) << ", " << p.arithmetic.name() << ")";
      if (!p.note.empty()) out << "; " << p.note;
      out << "\n";
      if (has_coverage(p)) {
        out << "  - coverage: " << coverage_text(p.coverage, r.expected == Expectation::holds) << "\n";
        if (const std::string f = features_text(p.coverage); !f.empty()) out << "  - features: " << f << "\n";
      }
    }
    for (const PartResult& m : r.mutants) {
      out << "- mutant \"" << m.name << "\": " << status_name(m.status());
      if (m.first_violation) out << " at instance " << m.first_violation;
      out << "\n";
    }
    if (const Counterexample* c = r.counterexample()) {
      out << "\nCounterexample (" << evidence_name(c->verdict.evidence) << ", " << c->verdict.arithmetic.name()
          << "):\n\n```\n" << c->instance << "\nresidual: " << c->verdict.residual << " ("
          << c->verdict.detail << ")\nreplay: " << c->replay << "\n```\n";
    }
  }
  return out.str();
}

namespace {
// XML 1.0 text: the five entities escaped; control characters other than tab and newline (which XML
// 1.0 cannot carry) shown as \xNN.
std::string xml(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n') {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02X", c);
          out += hex;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string counterexample_text(const Counterexample& c) {
  return "counterexample: " + c.instance + "\nresidual: " + c.verdict.residual + " (" + c.verdict.detail + ", " +
         c.verdict.arithmetic.name() + ", " + evidence_name(c.verdict.evidence) + ")\nreplay: " + c.replay + "\n";
}

// One testcase: what the prediction did, and whether that is what the catalog expects of it.
struct JUnitCase {
  std::string name, failure_message, body;
  bool failed = false;
};

JUnitCase junit_case(const ClaimResult& r, const PartResult& p) {
  JUnitCase t;
  t.name = (p.mutant ? "mutant " : "") + p.id + ": " + p.name;
  const Status want = p.mutant || r.expected == Expectation::fails ? Status::falsified : Status::verified;
  const Status got = p.status();
  std::string what = std::string(status_name(got)) + ", " + std::to_string(p.instances) + " instances";
  if (p.held) what += " (" + std::string(evidence_name(p.evidence)) + ", " + p.arithmetic.name() + ")";
  if (p.first_violation) what += "; first violated by generated instance " + std::to_string(p.first_violation);
  if (!p.note.empty()) what += "; " + p.note;
  t.body = what + "\n" + (p.counterexample ? counterexample_text(*p.counterexample) : "");
  if (got != want) {
    t.failed = true;
    t.failure_message = p.mutant ? "mutant survived: the check cannot tell this wrong prediction from the claim"
                        : want == Status::falsified ? "negative control not falsified"
                                                    : std::string("not verified: ") + status_name(got);
  }
  return t;
}
}  // namespace

std::string junit_report(const RunSummary& s) {
  std::ostringstream out;
  std::vector<std::vector<JUnitCase>> suites;
  int tests = 0, failures = 0;
  for (const ClaimResult& r : s.results) {
    std::vector<JUnitCase> cases;
    for (const PartResult& p : r.parts) cases.push_back(junit_case(r, p));
    for (const PartResult& m : r.mutants) cases.push_back(junit_case(r, m));
    for (const JUnitCase& c : cases) failures += c.failed;
    tests += static_cast<int>(cases.size());
    suites.push_back(std::move(cases));
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.seconds);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"entropic verify\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"0\" time=\"" << seconds << "\">\n";
  for (std::size_t i = 0; i < s.results.size(); ++i) {
    const ClaimResult& r = s.results[i];
    int suite_failures = 0;
    for (const JUnitCase& c : suites[i]) suite_failures += c.failed;
    out << "  <testsuite name=\"" << xml(r.id + " " + r.title) << "\" tests=\"" << suites[i].size()
        << "\" failures=\"" << suite_failures << "\" errors=\"0\" skipped=\"0\">\n"
        << "    <properties>\n"
        << "      <property name=\"provenance\" value=\"" << xml(provenance_name(r.provenance)) << "\"/>\n"
        << "      <property name=\"kind\" value=\"" << xml(r.kind) << "\"/>\n"
        << "      <property name=\"expected\" value=\"" << expectation_name(r.expected) << "\"/>\n"
        << "      <property name=\"seed\" value=\"" << s.options.seed << "\"/>\n"
        << "      <property name=\"cases\" value=\"" << s.options.cases << "\"/>\n"
        << "    </properties>\n";
    for (const JUnitCase& c : suites[i]) {
      out << "    <testcase classname=\"entropic." << xml(r.id) << "\" name=\"" << xml(c.name) << "\">\n";
      if (c.failed)
        out << "      <failure message=\"" << xml(c.failure_message) << "\" type=\"not-as-expected\">"
            << xml(c.body) << "</failure>\n";
      else
        out << "      <system-out>" << xml(c.body) << "</system-out>\n";
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

}  // namespace entropic
