// Regression of theory predictions: what changed between two JSON outputs of the same entropic
// command (`entropic diff BASE.json NEW.json`, docs/cli.md), so that CI can ask "did any prediction
// change since the last release?" (docs/ci.md).
//
// Two kinds of input, recognised by their content:
//
//   verify reports   (`entropic verify --format json`): claims added or removed; per claim its status,
//                    expectation and `as_expected`; per part and mutant its status, counterexample
//                    (instance, residual, replay) and, where the evidence is exact, its residual;
//                    instance counts and coverage as information. Timings are ignored, and so are
//                    top-level fields this version does not know.
//   exact values     (`entropic expand`, `expand --modified-field`, `entropic simulate`, each with
//                    --format json): every coefficient or iterate, located by step, parameter block,
//                    entry and power of eta.
//
// Every change has a level. A regression is a prediction that no longer stands as it did: a claim,
// part or mutant removed; a claim no longer as expected, or whose expectation changed; a part that
// leaves the status its claim expects (verified for a positive claim, falsified for a negative
// control); a mutant that survives now; a changed exact residual or counterexample of a positive
// claim's part; any changed, removed or reshaped exact value of expand or simulate, or a lower order
// or another arithmetic. A change is shown but does not fail CI (a negative control's or a mutant's
// counterexample that changed while still falsified, a claim that is as expected now, a part
// added); info describes the run (instances, coverage, arithmetic).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace entropic {

// A file diff cannot read, or two files it cannot compare. The message starts with the file.
struct report_diff_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Which command wrote a JSON output.
enum class ReportKind { verify, expansion, modified_field, simulation };
// "a verify report (entropic verify)", ...: for messages.
const char* report_kind_description(ReportKind k);
// "verify", "expand", "expand --modified-field", "simulate": the command.
const char* report_kind_command(ReportKind k);

enum class ChangeLevel { info, change, regression };
const char* change_level_name(ChangeLevel l);  // "info", "change", "regression"

struct ReportChange {
  std::string kind;  // claim-removed, mutant-survives, residual, counterexample-changed, value, ...
  ChangeLevel level = ChangeLevel::change;
  std::string claim;        // verify reports: the claim id
  std::string part;         // the part or mutant id ("law", "law/no-decay"); empty: the claim itself
  bool mutant = false;      // part is a mutant
  std::string location;     // exact values: "t = 2, W1[0][0], eta^1"
  nlohmann::ordered_json where = nlohmann::ordered_json::object();  // the location, as fields
  std::string what;         // one line for people: "the mutant survives now"
  nlohmann::ordered_json old_value, new_value;  // null when absent on that side
  bool regression() const { return level == ChangeLevel::regression; }
};

// What one input says about itself (every field optional except file and kind).
struct ReportSide {
  std::string file;
  ReportKind kind = ReportKind::verify;
  std::string schema, entropic_version, commit;  // verify reports that carry them
  std::string seed, cases;                       // verify reports, as text (a seed may be either)
  std::string arithmetic, order;                 // exact values
};

struct ReportDiff {
  ReportKind kind = ReportKind::verify;
  ReportSide base, latest;
  // Why the two are not strictly comparable (other seeds, case counts, orders, arithmetics).
  std::vector<std::string> notes;
  // Regressions first, then changes, then info; in the order of the inputs within each level.
  std::vector<ReportChange> changes;

  std::size_t count(ChangeLevel l) const;
  bool regressed() const { return count(ChangeLevel::regression) > 0; }
};

// Reads and parses a JSON file; throws report_diff_error("PATH: ...") when it cannot.
nlohmann::ordered_json read_report(const std::string& path);

// The kind of an output, recognised by its content; throws report_diff_error naming `file`.
ReportKind report_kind(const nlohmann::ordered_json& report, const std::string& file);

// Compares two outputs of the same kind. Throws report_diff_error when either is malformed (naming
// the file and the field) or when they are of different kinds.
ReportDiff diff_reports(const nlohmann::ordered_json& base, const std::string& base_file,
                        const nlohmann::ordered_json& latest, const std::string& latest_file);

// Renderings. Text and markdown show every change of a verify report, and the first few of the
// exact values with a count of the rest; JSON lists every change.
std::string diff_text(const ReportDiff& d);
std::string diff_markdown(const ReportDiff& d);  // for $GITHUB_STEP_SUMMARY and job summaries
nlohmann::ordered_json diff_json(const ReportDiff& d);

}  // namespace entropic
