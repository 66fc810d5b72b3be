// Reading a JSON report back (report.hpp): every field that to_json writes and a report shows is
// read, so that to_json(summary_from_json(j)) is j again and the text, markdown and JUnit reports of
// merged shards are those of the unsharded run. Derived fields (a claim's status, as_expected,
// instances, arithmetic, counterexample) are recomputed from the parts, and checked against what
// the file says.
#include <stdexcept>
#include <string>

#include "entropic/verify/report.hpp"

namespace entropic {

namespace {

using json = nlohmann::json;

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw std::invalid_argument(where + ": " + what);
}

const json& field(const json& j, const char* name, const std::string& where) {
  if (!j.is_object()) malformed(where, "not an object");
  const auto it = j.find(name);
  if (it == j.end()) malformed(where, std::string("no field '") + name + "'");
  return *it;
}
std::string text_field(const json& j, const char* name, const std::string& where) {
  const json& v = field(j, name, where);
  if (!v.is_string()) malformed(where, std::string("'") + name + "' is not a string");
  return v.get<std::string>();
}
std::string optional_text(const json& j, const char* name, const std::string& where) {
  return j.contains(name) ? text_field(j, name, where) : std::string();
}
std::vector<std::vector<std::string>> optional_series(const json& j, const std::string& where) {
  if (!j.contains("residual_series")) return {};
  try {
    return j["residual_series"].get<std::vector<std::vector<std::string>>>();
  } catch (const json::exception&) {
    malformed(where, "'residual_series' is not a list of lists of coefficients");
  }
}
int int_field(const json& j, const char* name, const std::string& where) {
  const json& v = field(j, name, where);
  if (!v.is_number_integer()) malformed(where, std::string("'") + name + "' is not an integer");
  return v.get<int>();
}

Evidence evidence_from(const std::string& text, const std::string& where) {
  for (Evidence e : {Evidence::exact, Evidence::certified, Evidence::high_precision, Evidence::floating})
    if (text == evidence_name(e)) return e;
  if (text == "none") return Evidence::exact;  // a part with no holding verdict (to_json writes "none")
  malformed(where, "unknown evidence '" + text + "'");
}

// "series<dual<rational>>" -> the scalar's text with its wrappers.
Arithmetic arithmetic_from(std::string text, const std::string& where) {
  std::vector<bool> series_wrappers;  // outermost first
  for (;;) {
    if (text.rfind("series<", 0) == 0 && text.back() == '>') {
      series_wrappers.push_back(true);
      text = text.substr(7, text.size() - 8);
    } else if (text.rfind("dual<", 0) == 0 && text.back() == '>') {
      series_wrappers.push_back(false);
      text = text.substr(5, text.size() - 6);
    } else {
      break;
    }
  }
  Arithmetic a;
  try {
    a = Arithmetic::parse(text);
  } catch (const std::invalid_argument& e) {
    malformed(where, std::string("arithmetic: ") + e.what());
  }
  for (auto w = series_wrappers.rbegin(); w != series_wrappers.rend(); ++w) a = *w ? a.series() : a.dual();
  return a;
}

ArithmeticSet arithmetic_set_from(const std::string& text, const std::string& where) {
  ArithmeticSet set;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(", ", start);
    if (end == std::string::npos) end = text.size();
    set.add(arithmetic_from(text.substr(start, end - start), where));
    start = end + 2;
  }
  return set;
}

Counterexample counterexample_from(const json& j, const std::string& where) {
  Counterexample c;
  c.instance = text_field(j, "instance", where);
  c.verdict.outcome = Outcome::violated;
  c.verdict.residual = text_field(j, "residual", where);
  c.verdict.detail = text_field(j, "detail", where);
  c.verdict.arithmetic = arithmetic_set_from(text_field(j, "arithmetic", where), where);
  c.verdict.evidence = evidence_from(text_field(j, "evidence", where), where);
  c.replay = text_field(j, "replay", where);
  c.shrink_steps = int_field(j, "shrink_steps", where);
  c.scenario = optional_text(j, "scenario", where);
  c.verdict.series = optional_series(j, where);
  return c;
}

Coverage coverage_from(const json& j, const std::string& where) {
  Coverage c;
  try {
    c.instances = int_field(j, "instances", where);
    c.degenerate = int_field(j, "degenerate", where);
    c.degeneracies = field(j, "degeneracies", where).get<std::vector<std::string>>();
    c.excluded = optional_text(j, "excluded", where);
    c.degenerate_by = field(j, "degenerate_by", where).get<std::map<std::string, int>>();
    c.features = field(j, "features", where).get<std::map<std::string, std::map<std::string, int>>>();
    if (const auto r = j.find("replayed_parameters"); r != j.end())
      c.replayed_parameters = r->get<std::map<std::string, int>>();
  } catch (const json::exception& e) {
    malformed(where, std::string("coverage: ") + e.what());
  }
  return c;
}

}  // namespace

PartResult part_from_json(const json& j, bool mutant) {
  const std::string where = "part " + (j.is_object() && j.contains("id") && j["id"].is_string()
                                           ? j["id"].get<std::string>() : std::string("?"));
  PartResult p;
  p.id = text_field(j, "id", where);
  p.name = text_field(j, "name", where);
  p.mutant = mutant;
  p.instances = int_field(j, "instances", where);
  p.held = int_field(j, "held", where);
  p.violated = int_field(j, "violated", where);
  p.inconclusive = int_field(j, "inconclusive", where);
  p.arithmetic = arithmetic_set_from(text_field(j, "arithmetic", where), where);
  p.evidence = evidence_from(text_field(j, "evidence", where), where);
  p.example_residual = optional_text(j, "residual", where);
  p.example_detail = optional_text(j, "detail", where);
  p.note = optional_text(j, "note", where);
  p.example_series = optional_series(j, where);
  if (j.contains("counterexample")) p.counterexample = counterexample_from(j["counterexample"], where + ", counterexample");
  if (j.contains("first_violation")) p.first_violation = int_field(j, "first_violation", where);
  if (j.contains("coverage")) p.coverage = coverage_from(j["coverage"], where + ", coverage");
  if (text_field(j, "status", where) != status_name(p.status()))
    malformed(where, "status '" + text_field(j, "status", where) + "' does not follow from its counts");
  return p;
}

ClaimResult claim_from_json(const json& j) {
  const std::string where = "claim " + (j.is_object() && j.contains("id") && j["id"].is_string()
                                            ? j["id"].get<std::string>() : std::string("?"));
  ClaimResult r;
  r.id = text_field(j, "id", where);
  r.title = text_field(j, "title", where);
  r.kind = text_field(j, "kind", where);
  const std::string provenance = text_field(j, "provenance", where);
  bool known = false;
  for (Provenance p : {Provenance::paper, Provenance::derived, Provenance::classical, Provenance::negative_control})
    if (provenance == provenance_name(p)) r.provenance = p, known = true;
  if (!known) malformed(where, "unknown provenance '" + provenance + "'");
  const std::string expected = text_field(j, "expected", where);
  if (expected == expectation_name(Expectation::holds)) r.expected = Expectation::holds;
  else if (expected == expectation_name(Expectation::fails)) r.expected = Expectation::fails;
  else malformed(where, "unknown expectation '" + expected + "'");
  for (const char* list : {"parts", "mutants"}) {
    const json& items = field(j, list, where);
    if (!items.is_array()) malformed(where, std::string("'") + list + "' is not an array");
    for (const json& item : items)
      (list[0] == 'p' ? r.parts : r.mutants).push_back(part_from_json(item, list[0] == 'm'));
  }
  return r;
}

RunSummary summary_from_json(const json& j) {
  const std::string where = "report";
  if (!j.is_object()) malformed(where, "not a JSON object (a report of `entropic verify --format json`)");
  if (!j.contains("schema")) malformed(where, std::string("no 'schema' field: not a report of this version (") + kReportSchema + ")");
  if (text_field(j, "schema", where) != kReportSchema)
    malformed(where, "schema '" + text_field(j, "schema", where) + "', this entropic reads " + kReportSchema);
  RunSummary s;
  const std::string seed = text_field(j, "seed", where);
  std::size_t used = 0;
  try {
    if (seed.empty() || seed[0] < '0' || seed[0] > '9') throw std::invalid_argument(seed);
    s.options.seed = std::stoull(seed, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != seed.size()) malformed(where, "seed '" + seed + "' is not a 64-bit unsigned integer");
  s.options.cases = int_field(j, "cases", where);
  s.options.max_size = int_field(j, "max_size", where);
  const json& past = field(j, "past_failures", where);
  if (!past.is_boolean()) malformed(where, "'past_failures' is not a boolean");
  s.options.replay_past_failures = past.get<bool>();
  if (const std::string profile = optional_text(j, "profile", where); !profile.empty()) {
    try {
      s.profile = gen::parse_size_profile(profile);
    } catch (const std::invalid_argument& e) {
      malformed(where, e.what());
    }
  }
  s.version = text_field(j, "entropic_version", where);
  const json& commit = field(j, "commit", where);
  if (!commit.is_null()) s.commit = text_field(j, "commit", where);
  s.shard = optional_text(j, "shard", where);
  try {
    s.selection = field(j, "selection", where).get<std::vector<std::string>>();
  } catch (const json::exception&) {
    malformed(where, "'selection' is not a list of claim ids");
  }
  const json& seconds = field(j, "seconds", where);
  if (!seconds.is_number()) malformed(where, "'seconds' is not a number");
  s.seconds = seconds.get<double>();
  const json& claims = field(j, "claims", where);
  if (!claims.is_array()) malformed(where, "'claims' is not an array");
  for (const json& c : claims) s.results.push_back(claim_from_json(c));
  return s;
}

}  // namespace entropic
