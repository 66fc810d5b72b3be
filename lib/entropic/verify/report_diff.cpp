#include "entropic/verify/report_diff.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

namespace entropic {

using Json = nlohmann::ordered_json;

const char* report_kind_description(ReportKind k) {
  switch (k) {
    case ReportKind::verify: return "a verify report (entropic verify)";
    case ReportKind::expansion: return "an expansion (entropic expand)";
    case ReportKind::modified_field: return "a modified field (entropic expand --modified-field)";
    case ReportKind::simulation: return "a simulation (entropic simulate)";
  }
  return "?";
}

const char* report_kind_command(ReportKind k) {
  switch (k) {
    case ReportKind::verify: return "verify";
    case ReportKind::expansion: return "expand";
    case ReportKind::modified_field: return "expand --modified-field";
    case ReportKind::simulation: return "simulate";
  }
  return "?";
}

const char* change_level_name(ChangeLevel l) {
  switch (l) {
    case ChangeLevel::info: return "info";
    case ChangeLevel::change: return "change";
    case ChangeLevel::regression: return "regression";
  }
  return "?";
}

std::size_t ReportDiff::count(ChangeLevel l) const {
  return static_cast<std::size_t>(
      std::count_if(changes.begin(), changes.end(), [l](const ReportChange& c) { return c.level == l; }));
}

Json read_report(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw report_diff_error(path + ": not a readable file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) throw report_diff_error(path + ": cannot read the file");
  try {
    return Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, ...": the part after the tag.
    std::string what = e.what();
    if (const auto tag = what.find("] "); what.rfind("[json.exception", 0) == 0 && tag != std::string::npos)
      what = what.substr(tag + 2);
    throw report_diff_error(path + ": not valid JSON: " + what);
  }
}

ReportKind report_kind(const Json& report, const std::string& file) {
  if (!report.is_object())
    throw report_diff_error(file + ": not a JSON object, so not an output of entropic verify, expand or simulate");
  if (report.contains("claims")) return ReportKind::verify;
  if (report.contains("order") && report.contains("field")) return ReportKind::modified_field;
  if (report.contains("order") && report.contains("steps")) return ReportKind::expansion;
  if (report.contains("steps")) return ReportKind::simulation;
  throw report_diff_error(file +
                          ": not an output of entropic verify, expand or simulate --format json "
                          "(it has none of \"claims\", \"steps\", \"field\")");
}

namespace {

std::string in_quotes(const std::string& key) { return "\"" + key + "\""; }

std::string join_path(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

// Reading one input: every failure names the file and the field, in one line.
class Fields {
 public:
  explicit Fields(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw report_diff_error(file_ + ": " + (where.empty() ? "" : where + ": ") + what);
  }

  const Json& required(const Json& parent, const std::string& key, const std::string& where) const {
    const auto it = parent.find(key);
    if (it == parent.end()) fail(where, "missing field " + in_quotes(key));
    return *it;
  }

  const Json& array(const Json& parent, const std::string& key, const std::string& where) const {
    const Json& v = required(parent, key, where);
    if (!v.is_array()) fail(join_path(where, key), "expected an array");
    return v;
  }

  const Json& object(const Json& parent, const std::string& key, const std::string& where) const {
    const Json& v = required(parent, key, where);
    if (!v.is_object()) fail(join_path(where, key), "expected an object");
    return v;
  }

  std::string text(const Json& parent, const std::string& key, const std::string& where) const {
    const Json& v = required(parent, key, where);
    if (!v.is_string()) fail(join_path(where, key), "expected a string");
    return v.get<std::string>();
  }

  // Absent or null: nullopt.
  std::optional<std::string> optional_text(const Json& parent, const std::string& key,
                                           const std::string& where) const {
    const auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail(join_path(where, key), "expected a string");
    return it->get<std::string>();
  }

  bool boolean(const Json& parent, const std::string& key, const std::string& where) const {
    const Json& v = required(parent, key, where);
    if (!v.is_boolean()) fail(join_path(where, key), "expected true or false");
    return v.get<bool>();
  }

  long long integer(const Json& parent, const std::string& key, const std::string& where) const {
    const Json& v = required(parent, key, where);
    if (!v.is_number_integer()) fail(join_path(where, key), "expected an integer");
    return v.get<long long>();
  }

  // A seed or a count: written as a number, or (schema entropic.verify/2) as a decimal string.
  std::optional<std::string> number_or_text(const Json& parent, const std::string& key,
                                            const std::string& where) const {
    const auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return it->dump();
    fail(join_path(where, key), "expected an integer or a string");
  }

  // An optional count, kept as JSON (for old/new values).
  Json optional_count(const Json& parent, const std::string& key, const std::string& where) const {
    const auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return nullptr;
    if (!it->is_number_integer()) fail(join_path(where, key), "expected an integer");
    return *it;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// ---------------------------------------------------------------------------------------------
// Verify reports

struct CounterexampleView {
  std::string instance, residual, replay;
  Json json() const { return Json{{"instance", instance}, {"residual", residual}, {"replay", replay}}; }
  bool operator==(const CounterexampleView& o) const {
    return instance == o.instance && residual == o.residual && replay == o.replay;
  }
};

struct PartView {
  std::string id, status, evidence, arithmetic;
  std::optional<std::string> residual;
  Json residual_series;  // the coefficients of a series residual, when the report has them
  Json instances;  // null when absent
  Json coverage;   // "D of N degenerate", or null when the part has none (mutants)
  std::optional<CounterexampleView> counterexample;
};

struct ClaimView {
  std::string id, status, expected;
  bool as_expected = false;
  Json instances;
  std::vector<PartView> parts, mutants;
  bool positive() const { return expected != "fails"; }
  // The status of the claim, and of each of its parts, when it is as expected.
  std::string expected_status() const { return positive() ? "verified" : "falsified"; }
};

std::optional<CounterexampleView> read_counterexample(const Json& part, const Fields& f, const std::string& where) {
  const auto it = part.find("counterexample");
  if (it == part.end() || it->is_null()) return std::nullopt;
  const std::string at = join_path(where, "counterexample");
  if (!it->is_object()) f.fail(at, "expected an object");
  return CounterexampleView{f.text(*it, "instance", at), f.text(*it, "residual", at),
                            f.optional_text(*it, "replay", at).value_or("")};
}

Json read_coverage(const Json& part, const Fields& f, const std::string& where) {
  const auto it = part.find("coverage");
  if (it == part.end() || it->is_null()) return nullptr;
  const std::string at = join_path(where, "coverage");
  if (!it->is_object()) f.fail(at, "expected an object");
  std::string text = std::to_string(f.integer(*it, "degenerate", at)) + " of " +
                     std::to_string(f.integer(*it, "instances", at)) + " degenerate";
  if (it->contains("covers") && !f.boolean(*it, "covers", at)) text += " (more than 5 %)";
  return text;
}

std::vector<PartView> read_parts(const Json& claim, const std::string& key, const Fields& f,
                                 const std::string& where) {
  std::vector<PartView> parts;
  std::set<std::string> seen;
  const Json& list = f.array(claim, key, where);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + "." + key + "[" + std::to_string(i) + "]";
    const Json& p = list[i];
    if (!p.is_object()) f.fail(at, "expected an object");
    PartView v;
    v.id = f.text(p, "id", at);
    if (!seen.insert(v.id).second) f.fail(at, "duplicate id " + in_quotes(v.id));
    v.status = f.text(p, "status", at);
    v.evidence = f.optional_text(p, "evidence", at).value_or("");
    v.arithmetic = f.optional_text(p, "arithmetic", at).value_or("");
    v.residual = f.optional_text(p, "residual", at);
    if (const auto it = p.find("residual_series"); it != p.end()) v.residual_series = *it;
    v.instances = f.optional_count(p, "instances", at);
    v.coverage = read_coverage(p, f, at);
    v.counterexample = read_counterexample(p, f, at);
    parts.push_back(std::move(v));
  }
  return parts;
}

std::vector<ClaimView> read_claims(const Json& report, const Fields& f, ReportSide& side) {
  side.schema = f.optional_text(report, "schema", "").value_or("");
  side.entropic_version = f.optional_text(report, "entropic_version", "").value_or("");
  side.commit = f.optional_text(report, "commit", "").value_or("");
  side.seed = f.number_or_text(report, "seed", "").value_or("");
  side.cases = f.number_or_text(report, "cases", "").value_or("");
  std::vector<ClaimView> claims;
  std::set<std::string> seen;
  const Json& list = f.array(report, "claims", "");
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string at = "claims[" + std::to_string(i) + "]";
    const Json& c = list[i];
    if (!c.is_object()) f.fail(at, "expected an object");
    ClaimView v;
    v.id = f.text(c, "id", at);
    if (!seen.insert(v.id).second) f.fail(at, "duplicate claim id " + in_quotes(v.id));
    at += " (" + v.id + ")";
    v.status = f.text(c, "status", at);
    v.expected = f.text(c, "expected", at);
    v.as_expected = f.boolean(c, "as_expected", at);
    v.instances = f.optional_count(c, "instances", at);
    v.parts = read_parts(c, "parts", f, at);
    v.mutants = read_parts(c, "mutants", f, at);
    claims.push_back(std::move(v));
  }
  return claims;
}

class Changes {
 public:
  explicit Changes(std::vector<ReportChange>& out) : out_(out) {}

  ReportChange& add(std::string kind, ChangeLevel level, std::string what, Json old_value, Json new_value) {
    ReportChange c;
    c.kind = std::move(kind);
    c.level = level;
    c.what = std::move(what);
    c.old_value = std::move(old_value);
    c.new_value = std::move(new_value);
    out_.push_back(std::move(c));
    return out_.back();
  }

  ReportChange& add_to_claim(const std::string& claim, std::string kind, ChangeLevel level, std::string what,
                             Json old_value, Json new_value) {
    ReportChange& c = add(std::move(kind), level, std::move(what), std::move(old_value), std::move(new_value));
    c.claim = claim;
    return c;
  }

 private:
  std::vector<ReportChange>& out_;
};

ChangeLevel regression_if(bool regression) { return regression ? ChangeLevel::regression : ChangeLevel::change; }

// One part (or mutant) present in both reports.
void diff_part(const ClaimView& claim, const PartView& b, const PartView& l, bool mutant, Changes& out) {
  const std::string expected = mutant ? "falsified" : claim.expected_status();
  auto add = [&](std::string kind, ChangeLevel level, std::string what, Json o, Json n) {
    ReportChange& c = out.add_to_claim(claim.id, std::move(kind), level, std::move(what), std::move(o), std::move(n));
    c.part = l.id;
    c.mutant = mutant;
  };
  const bool status_changed = b.status != l.status;
  if (status_changed) {
    if (mutant && b.status == "falsified")
      add("mutant-survives", ChangeLevel::regression, "the mutant survives now", b.status, l.status);
    else if (mutant)
      add("status", ChangeLevel::change, l.status == "falsified" ? "the mutant is falsified now" : "status changed",
          b.status, l.status);
    else
      add("status", regression_if(b.status == expected),
          b.status == expected ? "no longer " + expected : "status changed", b.status, l.status);
  }
  // Counterexamples. A new or vanished one is the evidence of a status change, which carries the
  // regression; one that changed is a regression only for a positive claim's part: a mutant or a
  // negative control that is still falsified, by another instance, still stands.
  if (b.counterexample && l.counterexample) {
    if (!(*b.counterexample == *l.counterexample)) {
      const bool positive_part = !mutant && claim.positive();
      add("counterexample-changed", regression_if(positive_part),
          positive_part ? "counterexample changed" : "counterexample changed (still falsified)",
          b.counterexample->json(), l.counterexample->json());
    }
  } else if (b.counterexample || l.counterexample) {
    const bool vanished = b.counterexample.has_value();
    // Leaving the expected status: a vanished counterexample where falsified is expected, a new one
    // where verified is.
    const bool away = vanished ? expected == "falsified" : expected == "verified";
    add(vanished ? "counterexample-vanished" : "counterexample-new", regression_if(away && !status_changed),
        vanished ? "counterexample vanished" : "new counterexample",
        b.counterexample ? b.counterexample->json() : Json(nullptr),
        l.counterexample ? l.counterexample->json() : Json(nullptr));
  }
  if (b.evidence == "exact" && l.evidence == "exact" && b.residual && l.residual && *b.residual != *l.residual) {
    const bool positive_part = !mutant && claim.positive();
    add("residual", regression_if(positive_part), "exact residual changed", *b.residual, *l.residual);
  } else if (b.evidence == "exact" && l.evidence == "exact" && !b.residual_series.is_null() &&
             !l.residual_series.is_null() && b.residual_series != l.residual_series) {
    const bool positive_part = !mutant && claim.positive();
    add("residual", regression_if(positive_part), "exact residual series changed", b.residual_series,
        l.residual_series);
  }
  if (b.evidence != l.evidence && !b.evidence.empty() && !l.evidence.empty() && b.evidence != "none" &&
      l.evidence != "none")
    add("evidence", ChangeLevel::change, "evidence changed", b.evidence, l.evidence);
  if (b.arithmetic != l.arithmetic && !b.arithmetic.empty() && !l.arithmetic.empty())
    add("arithmetic", ChangeLevel::info, "arithmetic changed", b.arithmetic, l.arithmetic);
  if (b.instances != l.instances) add("instances", ChangeLevel::info, "instances", b.instances, l.instances);
  if (b.coverage != l.coverage) add("coverage", ChangeLevel::info, "coverage", b.coverage, l.coverage);
}

void diff_parts(const ClaimView& bc, const ClaimView& lc, bool mutants, Changes& out) {
  const auto& base = mutants ? bc.mutants : bc.parts;
  const auto& latest = mutants ? lc.mutants : lc.parts;
  const std::string noun = mutants ? "mutant" : "part";
  auto find = [](const std::vector<PartView>& parts, const std::string& id) -> const PartView* {
    for (const PartView& p : parts)
      if (p.id == id) return &p;
    return nullptr;
  };
  for (const PartView& b : base) {
    if (const PartView* l = find(latest, b.id)) {
      diff_part(lc, b, *l, mutants, out);
    } else {
      ReportChange& c = out.add_to_claim(bc.id, noun + "-removed", ChangeLevel::regression, noun + " removed",
                                         b.status, nullptr);
      c.part = b.id;
      c.mutant = mutants;
    }
  }
  for (const PartView& l : latest) {
    if (find(base, l.id)) continue;
    const std::string expected = mutants ? "falsified" : lc.expected_status();
    ReportChange& c = out.add_to_claim(
        lc.id, noun + "-added", regression_if(l.status != expected),
        l.status == expected ? "new " + noun : "new " + noun + ", not " + expected, nullptr, l.status);
    c.part = l.id;
    c.mutant = mutants;
  }
}

void diff_claim(const ClaimView& b, const ClaimView& l, Changes& out) {
  if (b.expected != l.expected)
    out.add_to_claim(l.id, "expected", ChangeLevel::regression, "the catalog's expectation changed", b.expected,
                     l.expected);
  const bool as_expected_changed = b.as_expected != l.as_expected;
  if (as_expected_changed)
    out.add_to_claim(l.id, "as-expected", regression_if(b.as_expected),
                     b.as_expected ? "no longer as expected" : "as expected now", b.as_expected, l.as_expected);
  if (b.status != l.status) {
    // When as_expected changed with it, that entry carries the regression.
    const bool away = b.status == b.expected_status() && !as_expected_changed;
    out.add_to_claim(l.id, "status", regression_if(away),
                     b.status == b.expected_status() ? "no longer " + b.status : "status changed", b.status,
                     l.status);
  }
  if (b.instances != l.instances) out.add_to_claim(l.id, "instances", ChangeLevel::info, "instances", b.instances, l.instances);
  diff_parts(b, l, false, out);
  diff_parts(b, l, true, out);
}

void diff_verify(const Json& base, const Json& latest, ReportDiff& d) {
  const Fields fb(d.base.file), fl(d.latest.file);
  const std::vector<ClaimView> bc = read_claims(base, fb, d.base);
  const std::vector<ClaimView> lc = read_claims(latest, fl, d.latest);
  if (d.base.seed != d.latest.seed)
    d.notes.push_back("seeds differ (base " + (d.base.seed.empty() ? "?" : d.base.seed) + ", new " +
                      (d.latest.seed.empty() ? "?" : d.latest.seed) + "): the reports are not strictly comparable");
  if (d.base.cases != d.latest.cases)
    d.notes.push_back("case counts differ (base " + (d.base.cases.empty() ? "?" : d.base.cases) + ", new " +
                      (d.latest.cases.empty() ? "?" : d.latest.cases) + "): the reports are not strictly comparable");
  // Run options of newer reports: compared when both have them (a shard when either is one).
  for (const char* option : {"max_size", "past_failures", "selection", "shard"}) {
    const auto b = base.find(option), l = latest.find(option);
    const bool both = b != base.end() && l != latest.end();
    const bool shard = std::string(option) == "shard" && (b != base.end() || l != latest.end());
    if ((both && *b != *l) || (shard && !(both && *b == *l)))
      d.notes.push_back(std::string(option) + " differs (base " + (b == base.end() ? "none" : b->dump()) +
                        ", new " + (l == latest.end() ? "none" : l->dump()) +
                        "): the reports are not strictly comparable");
  }
  // A report without "profile" ran the standard sizes.
  const auto profile_of = [](const Json& r) {
    const auto p = r.find("profile");
    return p != r.end() && p->is_string() ? p->get<std::string>() : std::string("standard");
  };
  if (profile_of(base) != profile_of(latest))
    d.notes.push_back("size profiles differ (base " + profile_of(base) + ", new " + profile_of(latest) +
                      "): the reports are not strictly comparable");
  if (!d.base.schema.empty() && !d.latest.schema.empty() && d.base.schema != d.latest.schema)
    d.notes.push_back("report schemas differ (base " + d.base.schema + ", new " + d.latest.schema + ")");
  Changes out(d.changes);
  std::map<std::string, const ClaimView*> latest_by_id;
  for (const ClaimView& c : lc) latest_by_id[c.id] = &c;
  std::set<std::string> base_ids;
  for (const ClaimView& b : bc) {
    base_ids.insert(b.id);
    const auto it = latest_by_id.find(b.id);
    if (it == latest_by_id.end())
      out.add_to_claim(b.id, "claim-removed", ChangeLevel::regression, "claim removed", b.status, nullptr);
    else
      diff_claim(b, *it->second, out);
  }
  for (const ClaimView& l : lc) {
    if (base_ids.count(l.id)) continue;
    out.add_to_claim(l.id, "claim-added", regression_if(!l.as_expected),
                     l.as_expected ? "new claim, as expected" : "new claim, not as expected", nullptr, l.status);
  }
}

// ---------------------------------------------------------------------------------------------
// Exact values: expand, expand --modified-field, simulate

// One iterate (a step t) or one term of the modified field (order j): its key and its values.
struct Section {
  long long key = 0;
  std::string where;  // for messages: steps[2]
  const Json* params = nullptr;
  std::optional<std::string> loss;  // simulate
};

struct ValuesView {
  std::string arithmetic;
  std::optional<long long> order;
  std::vector<Section> sections;
};

// A parameter block's cells, flattened in row-major order: the index of each cell and its value.
// Expansions hold a list of coefficients per cell (the last index is the power of eta).
using Cells = std::vector<std::pair<std::vector<std::size_t>, std::string>>;

void flatten(const Json& v, std::vector<std::size_t>& index, int depth, Cells& out, const Fields& f,
             const std::string& where) {
  if (depth == 0) {
    if (!v.is_string()) f.fail(where, "expected an exact value as a string");
    out.emplace_back(index, v.get<std::string>());
    return;
  }
  if (!v.is_array()) f.fail(where, "expected an array");
  for (std::size_t i = 0; i < v.size(); ++i) {
    index.push_back(i);
    flatten(v[i], index, depth - 1, out, f, where + "[" + std::to_string(i) + "]");
    index.pop_back();
  }
}

ValuesView read_values(const Json& report, ReportKind kind, const Fields& f, ReportSide& side) {
  ValuesView v;
  v.arithmetic = f.text(report, "arithmetic", "");
  side.arithmetic = v.arithmetic;
  if (kind != ReportKind::simulation) {
    v.order = f.integer(report, "order", "");
    side.order = std::to_string(*v.order);
  }
  const std::string list_key = kind == ReportKind::modified_field ? "field" : "steps";
  const std::string key_name = kind == ReportKind::modified_field ? "order" : "t";
  const Json& list = f.array(report, list_key, "");
  std::set<long long> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Section s;
    s.where = list_key + "[" + std::to_string(i) + "]";
    const Json& e = list[i];
    if (!e.is_object()) f.fail(s.where, "expected an object");
    s.key = f.integer(e, key_name, s.where);
    if (!seen.insert(s.key).second) f.fail(s.where, "duplicate " + in_quotes(key_name) + " " + std::to_string(s.key));
    s.params = &f.object(e, "params", s.where);
    if (kind == ReportKind::simulation) s.loss = f.text(e, "loss", s.where);
    v.sections.push_back(std::move(s));
  }
  return v;
}

std::string index_text(const std::vector<std::size_t>& index, std::size_t n) {
  std::string t;
  for (std::size_t i = 0; i < n; ++i) t += "[" + std::to_string(index[i]) + "]";
  return t;
}

std::string section_label(ReportKind kind, long long key) {
  if (kind == ReportKind::modified_field)
    return "f_" + std::to_string(key + 1) + " (eta^" + std::to_string(key) + ")";
  return "t = " + std::to_string(key);
}

class ValueDiff {
 public:
  ValueDiff(ReportKind kind, ReportDiff& d) : kind_(kind), d_(d), out_(d.changes) {}

  void run(const Json& base, const Json& latest) {
    const Fields fb(d_.base.file), fl(d_.latest.file);
    const ValuesView b = read_values(base, kind_, fb, d_.base);
    const ValuesView l = read_values(latest, kind_, fl, d_.latest);
    if (b.arithmetic != l.arithmetic) {
      d_.notes.push_back("arithmetics differ (base " + b.arithmetic + ", new " + l.arithmetic +
                         "): the values are not strictly comparable");
      add("arithmetic", ChangeLevel::regression, "arithmetic changed", "output", Json::object(), b.arithmetic,
          l.arithmetic);
    }
    // Coefficients (or field terms) are compared through the lower of the two orders.
    std::optional<long long> through;
    if (b.order && l.order) {
      through = std::min(*b.order, *l.order);
      if (*b.order != *l.order) {
        d_.notes.push_back("orders differ (base " + std::to_string(*b.order) + ", new " + std::to_string(*l.order) +
                           "): compared through eta^" + std::to_string(*through));
        add("order", regression_if(*l.order < *b.order), *l.order < *b.order ? "lower order" : "higher order",
            "output", Json::object(), *b.order, *l.order);
      }
    }
    const bool field = kind_ == ReportKind::modified_field;
    auto beyond = [&](const Section& s) { return field && through && s.key > *through; };
    const std::string noun = field ? "term" : "step";
    for (const Section& bs : b.sections) {
      if (beyond(bs)) continue;
      const Section* ls = find(l, bs.key);
      const std::string label = section_label(kind_, bs.key);
      if (!ls) {
        add(noun + "-removed", ChangeLevel::regression, noun + " removed", label, section_where(bs.key), label, nullptr);
        continue;
      }
      if (bs.loss && ls->loss && *bs.loss != *ls->loss) {
        Json where = section_where(bs.key);
        where["param"] = "loss";
        add("value", ChangeLevel::regression, "value changed", label + ", loss", where, *bs.loss, *ls->loss);
      }
      diff_params(bs, *ls, fb, fl, through);
    }
    for (const Section& ls : l.sections) {
      if (beyond(ls) || find(b, ls.key)) continue;
      const std::string label = section_label(kind_, ls.key);
      add(noun + "-added", ChangeLevel::change, noun + " added", label, section_where(ls.key), nullptr, label);
    }
  }

 private:
  static const Section* find(const ValuesView& v, long long key) {
    for (const Section& s : v.sections)
      if (s.key == key) return &s;
    return nullptr;
  }

  Json section_where(long long key) const {
    return Json{{kind_ == ReportKind::modified_field ? "term" : "t", key}};
  }

  void add(std::string kind, ChangeLevel level, std::string what, std::string location, Json where, Json o, Json n) {
    ReportChange c;
    c.kind = std::move(kind);
    c.level = level;
    c.what = std::move(what);
    c.location = std::move(location);
    c.where = std::move(where);
    c.old_value = std::move(o);
    c.new_value = std::move(n);
    out_.push_back(std::move(c));
  }

  // "2 x 3" for a block of rows x columns (ignoring the coefficients of an expansion).
  static std::string shape_text(const Cells& cells, std::size_t dims) {
    std::vector<std::size_t> extent(dims, 0);
    for (const auto& [index, value] : cells)
      for (std::size_t i = 0; i < dims; ++i) extent[i] = std::max(extent[i], index[i] + 1);
    std::string t;
    for (std::size_t i = 0; i < dims; ++i) t += (i ? " x " : "") + std::to_string(extent[i]);
    return cells.empty() ? "empty" : t;
  }

  void diff_params(const Section& bs, const Section& ls, const Fields& fb, const Fields& fl,
                   std::optional<long long> through) {
    const bool series = kind_ == ReportKind::expansion;
    const int depth = series ? 3 : 2;
    const std::size_t dims = 2;  // rows, columns
    const std::string label = section_label(kind_, bs.key);
    for (const auto& [name, bv] : bs.params->items()) {
      Json where = section_where(bs.key);
      where["param"] = name;
      const auto lit = ls.params->find(name);
      if (lit == ls.params->end()) {
        add("param-removed", ChangeLevel::regression, "parameter block removed", label + ", " + name, where, name,
            nullptr);
        continue;
      }
      Cells bc, lc;
      std::vector<std::size_t> index;
      flatten(bv, index, depth, bc, fb, bs.where + ".params." + name);
      flatten(*lit, index, depth, lc, fl, ls.where + ".params." + name);
      // Coefficients past the compared order are left out; the order change says so once.
      auto keep = [&](const Cells& cells) {
        Cells kept;
        for (const auto& cell : cells)
          if (!series || !through || static_cast<long long>(cell.first[2]) <= *through) kept.push_back(cell);
        return kept;
      };
      bc = keep(bc);
      lc = keep(lc);
      std::set<std::vector<std::size_t>> bi, li;
      for (const auto& c : bc) bi.insert(std::vector<std::size_t>(c.first.begin(), c.first.begin() + dims));
      for (const auto& c : lc) li.insert(std::vector<std::size_t>(c.first.begin(), c.first.begin() + dims));
      if (bi != li) {
        add("shape", ChangeLevel::regression, "shape changed", label + ", " + name, where, shape_text(bc, dims),
            shape_text(lc, dims));
        continue;
      }
      std::map<std::vector<std::size_t>, const std::string*> latest_cells;
      for (const auto& c : lc) latest_cells[c.first] = &c.second;
      for (const auto& [idx, value] : bc) {
        const auto it = latest_cells.find(idx);
        Json w = where;
        w["index"] = std::vector<std::size_t>(idx.begin(), idx.begin() + dims);
        std::string location = label + ", " + name + index_text(idx, dims);
        if (series) {
          w["eta_order"] = idx[2];
          location += ", eta^" + std::to_string(idx[2]);
        }
        if (it == latest_cells.end())
          add("value-removed", ChangeLevel::regression, "value removed", location, w, value, nullptr);
        else if (*it->second != value)
          add("value", ChangeLevel::regression, "value changed", location, w, value, *it->second);
      }
      if (series) {
        // Coefficients present only in the new output (a cell's series got longer at the same order).
        std::set<std::vector<std::size_t>> base_cells;
        for (const auto& c : bc) base_cells.insert(c.first);
        for (const auto& [idx, value] : lc)
          if (!base_cells.count(idx)) {
            Json w = where;
            w["index"] = std::vector<std::size_t>(idx.begin(), idx.begin() + dims);
            w["eta_order"] = idx[2];
            add("value-added", ChangeLevel::change, "value added",
                label + ", " + name + index_text(idx, dims) + ", eta^" + std::to_string(idx[2]), w, nullptr, value);
          }
      }
    }
    for (const auto& [name, lv] : ls.params->items()) {
      if (bs.params->contains(name)) continue;
      Json where = section_where(bs.key);
      where["param"] = name;
      add("param-added", ChangeLevel::change, "parameter block added", label + ", " + name, where, nullptr, name);
    }
  }

  ReportKind kind_;
  ReportDiff& d_;
  std::vector<ReportChange>& out_;
};

// ---------------------------------------------------------------------------------------------
// Renderings

// How many changes of each level text and markdown show: every one of a verify report (there are
// few per claim), the first few exact values (a changed start changes every later iterate).
std::size_t shown_per_level(ReportKind kind) { return kind == ReportKind::verify ? 1000 : 10; }

std::string scalar_text(const Json& v) {
  if (v.is_null()) return "(none)";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string subject(const ReportChange& c) {
  if (!c.location.empty()) return c.location;
  std::string s = c.claim;
  if (!c.part.empty()) s += (c.mutant ? " mutant " : " part ") + c.part;
  return s;
}

std::string side_text(const ReportSide& s) {
  std::vector<std::string> about;
  if (!s.entropic_version.empty()) about.push_back("entropic " + s.entropic_version);
  if (!s.commit.empty()) about.push_back("commit " + s.commit);
  if (!s.schema.empty()) about.push_back("schema " + s.schema);
  if (!s.seed.empty()) about.push_back("seed " + s.seed);
  if (!s.cases.empty()) about.push_back(s.cases + " cases");
  if (!s.order.empty()) about.push_back("order " + s.order);
  if (!s.arithmetic.empty()) about.push_back("arithmetic " + s.arithmetic);
  std::string t = s.file;
  for (std::size_t i = 0; i < about.size(); ++i) t += (i ? ", " : ": ") + about[i];
  return t;
}

// Fields of old and new values (objects, e.g. counterexamples): those that differ, or all of the
// one side that has them.
std::vector<std::pair<std::string, std::pair<Json, Json>>> field_changes(const ReportChange& c) {
  std::vector<std::pair<std::string, std::pair<Json, Json>>> out;
  std::vector<std::string> keys;
  for (const Json* v : {&c.old_value, &c.new_value})
    if (v->is_object())
      for (const auto& [k, x] : v->items())
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  for (const std::string& k : keys) {
    Json o = c.old_value.is_object() && c.old_value.contains(k) ? c.old_value[k] : Json(nullptr);
    Json n = c.new_value.is_object() && c.new_value.contains(k) ? c.new_value[k] : Json(nullptr);
    if (o != n) out.emplace_back(k, std::make_pair(o, n));
  }
  return out;
}

bool is_structured(const ReportChange& c) { return c.old_value.is_object() || c.new_value.is_object(); }

std::string verdict_text(const ReportDiff& d) {
  const std::size_t r = d.count(ChangeLevel::regression), c = d.count(ChangeLevel::change),
                    i = d.count(ChangeLevel::info);
  std::string counts;
  if (c) counts = std::to_string(c) + (r ? " other" : "") + (c == 1 ? " change" : " changes");
  if (i) counts += (counts.empty() ? "" : ", ") + std::to_string(i) + " informational";
  if (r == 0) return counts.empty() ? "no regression: the two outputs agree" : "no regression: " + counts;
  std::string claims;
  std::set<std::string> seen;
  for (const ReportChange& x : d.changes)
    if (x.regression() && !x.claim.empty() && seen.insert(x.claim).second) claims += (claims.empty() ? "" : ", ") + x.claim;
  return "REGRESSED: " + std::to_string(r) + (r == 1 ? " regression" : " regressions") +
         (claims.empty() ? "" : " in " + claims) + (counts.empty() ? "" : "; " + counts);
}

// "N more regressions not shown" lines, per level.
template <class Each>
void for_shown(const ReportDiff& d, Each each, std::vector<std::string>& hidden) {
  const std::size_t limit = shown_per_level(d.kind);
  for (ChangeLevel level : {ChangeLevel::regression, ChangeLevel::change, ChangeLevel::info}) {
    std::size_t n = 0;
    for (const ReportChange& c : d.changes)
      if (c.level == level && n++ < limit) each(c);
    if (n > limit)
      hidden.push_back(std::to_string(n - limit) + " more " + change_level_name(level) +
                       (n - limit == 1 ? "" : "s") + " not shown (--format json lists every change)");
  }
}

std::string md_cell(const std::string& text, bool code) {
  std::string t;
  for (char ch : text) {
    if (ch == '|') t += "\\|";
    else if (ch == '\n' || ch == '\r') t += ' ';
    else t += ch;
  }
  if (t.empty()) return "";
  if (code && t.find('`') == std::string::npos) return "`" + t + "`";
  return t;
}

std::string md_value(const Json& v) {
  if (v.is_null()) return "—";
  if (!v.is_object()) return md_cell(scalar_text(v), true);
  std::string t;
  for (const auto& [k, x] : v.items()) t += (t.empty() ? "" : "<br>") + k + ": " + md_cell(scalar_text(x), true);
  return t;
}

}  // namespace

ReportDiff diff_reports(const Json& base, const std::string& base_file, const Json& latest,
                        const std::string& latest_file) {
  ReportDiff d;
  const ReportKind bk = report_kind(base, base_file);
  const ReportKind lk = report_kind(latest, latest_file);
  if (bk != lk)
    throw report_diff_error("cannot compare " + base_file + ", " + report_kind_description(bk) + ", with " +
                            latest_file + ", " + report_kind_description(lk) +
                            ": both must be outputs of the same command");
  d.kind = bk;
  d.base.file = base_file;
  d.base.kind = bk;
  d.latest.file = latest_file;
  d.latest.kind = lk;
  if (bk == ReportKind::verify)
    diff_verify(base, latest, d);
  else
    ValueDiff(bk, d).run(base, latest);
  std::stable_sort(d.changes.begin(), d.changes.end(),
                   [](const ReportChange& a, const ReportChange& b) { return a.level > b.level; });
  return d;
}

std::string diff_text(const ReportDiff& d) {
  std::ostringstream out;
  out << "entropic diff of two " << report_kind_command(d.kind) << " outputs\n"
      << "  base: " << side_text(d.base) << "\n"
      << "  new:  " << side_text(d.latest) << "\n";
  for (const std::string& n : d.notes) out << "  note: " << n << "\n";
  if (!d.changes.empty()) out << "\n";
  constexpr std::size_t kInline = 60;  // old -> new on the first line when both fit
  std::vector<std::string> hidden;
  for_shown(
      d,
      [&](const ReportChange& c) {
        std::string level = c.regression() ? "REGRESSION" : change_level_name(c.level);
        level.resize(11, ' ');
        out << level << subject(c) << ": " << c.what;
        if (is_structured(c) && (c.old_value.is_null() || c.new_value.is_null())) {
          // New or vanished: the one side there is.
          out << "\n";
          for (const auto& [field, value] : (c.old_value.is_null() ? c.new_value : c.old_value).items())
            out << "             " << field << ": " << scalar_text(value) << "\n";
        } else if (is_structured(c)) {
          out << "\n";
          for (const auto& [field, values] : field_changes(c)) {
            const std::string o = scalar_text(values.first), n = scalar_text(values.second);
            if (o.size() + n.size() <= kInline)
              out << "             " << field << ": " << o << " -> " << n << "\n";
            else
              out << "             " << field << " was: " << o << "\n"
                  << "             " << field << " now: " << n << "\n";
          }
        } else {
          const std::string o = scalar_text(c.old_value), n = scalar_text(c.new_value);
          if (o.size() + n.size() <= kInline)
            out << ": " << o << " -> " << n << "\n";
          else
            out << "\n             was: " << o << "\n             now: " << n << "\n";
        }
      },
      hidden);
  for (const std::string& h : hidden) out << "... " << h << "\n";
  out << "\n" << verdict_text(d) << "\n";
  return out.str();
}

std::string diff_markdown(const ReportDiff& d) {
  std::ostringstream out;
  const std::size_t r = d.count(ChangeLevel::regression);
  out << "## entropic diff: " << report_kind_command(d.kind) << " — "
      << (r ? std::to_string(r) + (r == 1 ? " regression" : " regressions") : std::string("no regression"))
      << "\n\n";
  // Header: the two inputs, a row per field either of them has.
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> rows = {
      {"file", {d.base.file, d.latest.file}},
      {"entropic", {d.base.entropic_version, d.latest.entropic_version}},
      {"commit", {d.base.commit, d.latest.commit}},
      {"schema", {d.base.schema, d.latest.schema}},
      {"seed", {d.base.seed, d.latest.seed}},
      {"cases", {d.base.cases, d.latest.cases}},
      {"order", {d.base.order, d.latest.order}},
      {"arithmetic", {d.base.arithmetic, d.latest.arithmetic}}};
  out << "| | base | new |\n|---|---|---|\n";
  for (const auto& [name, v] : rows)
    if (!v.first.empty() || !v.second.empty())
      out << "| " << name << " | " << md_cell(v.first, true) << " | " << md_cell(v.second, true) << " |\n";
  out << "\n";
  for (const std::string& n : d.notes) out << "> **Note:** " << md_cell(n, false) << "\n>\n";
  if (!d.notes.empty()) out << "\n";
  if (!d.changes.empty()) {
    const bool values = d.kind != ReportKind::verify;
    out << (values ? "| | location | change | old | new |\n|---|---|---|---|---|\n"
                   : "| | claim | part or mutant | change | old | new |\n|---|---|---|---|---|---|\n");
    std::vector<std::string> hidden;
    for_shown(
        d,
        [&](const ReportChange& c) {
          out << "| " << (c.regression() ? "**regression**" : change_level_name(c.level)) << " | ";
          if (values)
            out << md_cell(c.location, false) << " | ";
          else
            out << md_cell(c.claim, false) << " | "
                << (c.part.empty() ? "" : md_cell(c.part, true) + (c.mutant ? " (mutant)" : "")) << " | ";
          if (is_structured(c)) {
            Json o = Json::object(), n = Json::object();
            for (const auto& [field, v] : field_changes(c)) {
              if (!v.first.is_null()) o[field] = v.first;
              if (!v.second.is_null()) n[field] = v.second;
            }
            out << md_cell(c.what, false) << " | " << (o.empty() ? "—" : md_value(o)) << " | "
                << (n.empty() ? "—" : md_value(n)) << " |\n";
          } else {
            out << md_cell(c.what, false) << " | " << md_value(c.old_value) << " | " << md_value(c.new_value) << " |\n";
          }
        },
        hidden);
    out << "\n";
    for (const std::string& h : hidden) out << "_" << md_cell(h, false) << "_\n\n";
  }
  out << "**Verdict:** " << md_cell(verdict_text(d), false) << "\n";
  return out.str();
}

Json diff_json(const ReportDiff& d) {
  auto side = [](const ReportSide& s) {
    Json j = {{"file", s.file}};
    if (!s.schema.empty()) j["schema"] = s.schema;
    if (!s.entropic_version.empty()) j["entropic_version"] = s.entropic_version;
    if (!s.commit.empty()) j["commit"] = s.commit;
    if (!s.seed.empty()) j["seed"] = s.seed;
    if (!s.cases.empty()) j["cases"] = s.cases;
    if (!s.order.empty()) j["order"] = s.order;
    if (!s.arithmetic.empty()) j["arithmetic"] = s.arithmetic;
    return j;
  };
  Json j;
  j["command"] = report_kind_command(d.kind);
  j["base"] = side(d.base);
  j["new"] = side(d.latest);
  j["comparable"] = d.notes.empty();
  j["notes"] = d.notes;
  j["changes"] = Json::array();
  for (const ReportChange& c : d.changes) {
    Json x = {{"kind", c.kind},
              {"level", change_level_name(c.level)},
              {"regression", c.regression()},
              {"claim", c.claim.empty() ? Json(nullptr) : Json(c.claim)},
              {"part", c.part.empty() ? Json(nullptr) : Json(c.part)}};
    if (!c.part.empty()) x["mutant"] = c.mutant;
    if (!c.location.empty()) {
      x["location"] = c.location;
      for (const auto& [k, v] : c.where.items()) x[k] = v;
    }
    x["what"] = c.what;
    x["old"] = c.old_value;
    x["new"] = c.new_value;
    j["changes"].push_back(std::move(x));
  }
  j["regressions"] = d.count(ChangeLevel::regression);
  j["changed"] = d.count(ChangeLevel::change);
  j["informational"] = d.count(ChangeLevel::info);
  j["regressed"] = d.regressed();
  j["verdict"] = verdict_text(d);
  return j;
}

}  // namespace entropic
