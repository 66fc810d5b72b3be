// Claim: an executable statement of the catalog (design.md, "verification vocabulary";
// docs/your-claims.md, the reference).
//
// A claim has an id (T5, N1, U1, ...), a title, provenance, the catalog's kind, what is expected of it
// (`holds`, or `fails` for a negative control), and one or more parts. A part states
//
//   its instances   a RapidCheck generator of instances that satisfy the hypothesis;
//   what is observed, and what is predicted, as values of one type, compared with the meaning the
//                   arithmetic gives them (observation.hpp), or a check turning one instance into a
//                   Verdict when the statement is not an equation;
//   its mutants     other predictions of the same observation (a theorist's plausible error): the
//                   suite must falsify every one of them, which shows the part's check can fail.
//
//   ENTROPIC_CLAIM(T8) {
//     return Claim("T8", "Scale symmetry: norm law")
//         .provenance(Provenance::derived).kind("exact identity")
//         .part("norm-law", "norm law", gen::training_run(scale_invariant_net()))
//             .observe(norm_after_each_step)
//             .predict(norm_law)
//             .mutant("no-drift", "without the eta^2 |g|^2 term", norm_law_without_drift);
//   }
//
// Parts and mutants have short stable ids ([a-z0-9-]); a replay string names a part
// ("T8.norm-law:s=..:z=..") or one of its mutants ("T8.norm-law/no-drift:s=..").
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "entropic/verify/coverage.hpp"
#include "entropic/verify/verdict.hpp"

namespace entropic {

enum class Provenance { paper, derived, classical, negative_control };
enum class Expectation { holds, fails };
enum class Status { verified, falsified, inconclusive };

const char* provenance_name(Provenance p);
const char* expectation_name(Expectation e);
const char* status_name(Status s);

struct RunOptions {
  int cases = 100;          // generated instances per part (after the replayed past failures)
  std::uint64_t seed = 1;   // base seed: case k of part p uses a seed derived from (seed, p, k)
  int max_size = 100;       // largest RapidCheck size; case sizes spread over [1, max_size] (detail::case_size)
  int max_shrinks = 400;    // shrink steps at most
  bool replay_past_failures = true;  // replay the past failures before generated cases
  // Called after each generated case of a part with (part id, cases done): progress reports. It
  // must not change anything the run computes.
  std::function<void(const std::string& part, int done)> on_case;
};

// Where a generated instance comes from: enough to regenerate it bit for bit. Its text, the replay
// string, is CLAIM.PART[/MUTANT]:s=SEED:z=SIZE[:p=I.J.K]: CLAIM as a claim id ([A-Za-z0-9_-]),
// PART and MUTANT as part ids ([a-z0-9-]), SEED a decimal integer in 0..2^64-1, SIZE one in
// 0..kMaxSize, and the path (absent when the instance was not shrunk) decimal shrink indices
// separated by dots.
struct ReplayKey {
  static constexpr int kMaxSize = 1000;  // the largest RapidCheck size a run uses (falsify --max-size)
  std::string claim, part;  // part: a part id, or "part-id/mutant-id"
  std::uint64_t seed = 0;
  int size = 0;
  std::vector<int> path;  // indices into successive shrink sequences
  std::string text() const;
  // The key of a replay string, or nullopt when `text` is not one exactly (no sign, space, empty or
  // extra field, out-of-range number); then *why, when given, names the offending field and says
  // what it must be, in one line.
  static std::optional<ReplayKey> parse(const std::string& text, std::string* why = nullptr);
};

struct Counterexample {
  std::string instance;  // exact text of the (shrunk) instance
  Verdict verdict;
  std::string replay;
  int shrink_steps = 0;
  std::string scenario;  // a scenario file (docs/scenario.md) of the instance, when it is a training run
};

struct PartResult {
  std::string id;                    // "law" or "law/no-decay"
  std::string name;                  // the title
  bool mutant = false;
  int instances = 0, held = 0, violated = 0, inconclusive = 0;
  ArithmeticSet arithmetic;          // of the verdicts (every arithmetic any instance used)
  Evidence evidence = Evidence::exact;  // weakest evidence among holding verdicts
  std::optional<Counterexample> counterexample;
  std::string example_residual, example_detail;  // a holding verdict, for the report
  std::vector<std::vector<std::string>> example_series;  // its series residual (Verdict::series)
  std::string note;                  // first inconclusive reason, if any
  Coverage coverage;                 // of the part's instances (on the part's own result only)
  int first_violation = 0;           // the generated instance (1-based) that first violated, or 0
  Status status() const;
};

struct ClaimResult {
  std::string id, title, kind;
  Provenance provenance = Provenance::derived;
  Expectation expected = Expectation::holds;
  std::vector<PartResult> parts, mutants;
  Status status() const;
  // The claim behaves as the catalog says (verified / falsified as expected) and every mutant is
  // falsified.
  bool as_expected() const;
  int instances() const;
  ArithmeticSet arithmetic() const;
  const Counterexample* counterexample() const;
};

// One prediction of a part: the part's own (id = part id) or a mutant's (id = "part/mutant").
struct PredictionInfo {
  std::string id, title;
  bool mutant = false;
};

// A part with its instance type erased: what the runner, the reports and replay need.
class PartBase {
 public:
  virtual ~PartBase() = default;
  const std::string& id() const { return id_; }
  const std::string& title() const { return title_; }
  virtual std::vector<PredictionInfo> predictions() const = 0;
  // One result per prediction (the part's first, then its mutants): past failures naming a
  // prediction are replayed first, then `opts.cases` generated instances, shared by all predictions.
  virtual std::vector<PartResult> run(const RunOptions& opts, const std::vector<ReplayKey>& replays) const = 0;
  // Regenerates the instance of `key` (which names one of predictions()) and checks that prediction.
  virtual Counterexample replay(const ReplayKey& key) const = 0;

 protected:
  PartBase(std::string claim, std::string id, std::string title)
      : claim_(std::move(claim)), id_(std::move(id)), title_(std::move(title)) {}
  std::string claim_, id_, title_;
};

template <class Instance>
class PartDraft;
template <class Instance, class Value>
class PartRef;

class Claim {
 public:
  Claim(std::string id, std::string title);
  // A statement the catalog expects to be false: provenance `negative control`, kind "must be
  // falsified", expected to fail. Its parts state the false prediction; it has no mutants.
  static Claim negative_control(std::string id, std::string title);

  // On a named claim these set it and return it; on a temporary (`return Claim(...).kind(...)...`)
  // they pass the temporary on, so that the statement's chain owns it to the end.
  Claim& provenance(Provenance p) & { provenance_ = p; return *this; }
  Claim& kind(std::string k) & { kind_ = std::move(k); return *this; }
  Claim& expect(Expectation e) & { expected_ = e; return *this; }
  Claim&& provenance(Provenance p) && { provenance_ = p; return std::move(*this); }
  Claim&& kind(std::string k) && { kind_ = std::move(k); return std::move(*this); }
  Claim&& expect(Expectation e) && { expected_ = e; return std::move(*this); }

  // A new part over the instances `gen` draws; continue with .observe(...) or .check(...). On a
  // named claim the part is added to it; on a temporary the chain takes the claim over (it converts
  // back to a Claim at its end), so no chain refers to a claim that is gone.
  template <class Instance>
  PartDraft<Instance> part(std::string id, std::string title, rc::Gen<Instance> gen) &;
  template <class Instance>
  PartDraft<Instance> part(std::string id, std::string title, rc::Gen<Instance> gen) &&;

  const std::string& id() const { return id_; }
  const std::string& title() const { return title_; }
  const std::string& kind() const { return kind_; }
  Provenance provenance() const { return provenance_; }
  Expectation expected() const { return expected_; }
  const std::vector<std::shared_ptr<const PartBase>>& parts() const { return parts_; }
  // Every prediction of every part, in order.
  std::vector<PredictionInfo> predictions() const;
  // The part that owns prediction `id` ("law" or "law/no-decay"), or null.
  const PartBase* part_of(const std::string& prediction_id) const;
  // Regenerates and checks the instance of a replay string of this claim; nullopt when the key names
  // no prediction of it.
  std::optional<Counterexample> replay(const ReplayKey& key) const;

  ClaimResult run(const RunOptions& opts, const std::vector<ReplayKey>& past_failures) const;

  // Used by PartDraft: registers a part (its id checked for form and uniqueness).
  void add_part(std::shared_ptr<const PartBase> part);

 private:
  std::string id_, title_, kind_;
  Provenance provenance_ = Provenance::derived;
  Expectation expected_ = Expectation::holds;
  std::vector<std::shared_ptr<const PartBase>> parts_;
};

// A claim stated wrongly (a malformed or repeated id, a part with nothing predicted, an observation
// type with no comparison): a programming error, raised when the claim is built or run, never
// counted as an inconclusive instance.
struct ClaimDefinitionError : std::logic_error {
  using std::logic_error::logic_error;
};

// Part and mutant ids: nonempty, lowercase letters, digits and '-'. Throws ClaimDefinitionError
// naming the claim otherwise.
void check_prediction_id(const std::string& claim, const std::string& id);

// A past failure: a replay string from a past-failures list, with where it came from.
struct PastFailure {
  ReplayKey key;
  std::string origin;  // "past_failures.txt line 3"
};

// The claims a program knows, in catalog order, and the past failures it replays. Claim files
// register with ENTROPIC_CLAIM; a catalog's compiled-in past-failures list registers with
// ENTROPIC_PAST_FAILURES (or add_past_failures), and `--past-failures FILE` adds a file at run time.
class ClaimRegistry {
 public:
  static ClaimRegistry& instance();
  void add(std::function<Claim()> make);
  std::vector<Claim> claims() const;  // sorted T*, E*, N*, S*, then others, by number
  std::optional<Claim> find(const std::string& id) const;

  // A past-failures list: one replay string a line, '#' starts a comment. Parsed when used.
  void add_past_failures(const std::string& origin, const std::string& text);
  // The replay keys of every past failure, after checking that each is a replay string and names a
  // prediction of a known claim: a malformed entry, or one that matches nothing, throws
  // std::invalid_argument naming its origin and line (a renamed part must not silently drop its
  // regression).
  std::vector<ReplayKey> checked_past_failures() const;

 private:
  std::vector<std::function<Claim()>> makers_;
  std::vector<std::pair<std::string, std::string>> past_failure_lists_;  // (origin, text)
};

std::vector<PastFailure> parse_past_failures(const std::string& origin, const std::string& text);

struct ClaimRegistration {
  explicit ClaimRegistration(std::function<Claim()> make) {
    ClaimRegistry::instance().add(std::move(make));
  }
};
struct PastFailureRegistration {
  PastFailureRegistration(const char* origin, const char* text) {
    ClaimRegistry::instance().add_past_failures(origin, text);
  }
};

#define ENTROPIC_CLAIM_CAT2(a, b) a##b
#define ENTROPIC_CLAIM_CAT(a, b) ENTROPIC_CLAIM_CAT2(a, b)
// ENTROPIC_CLAIM(T5) { return Claim("T5", ...)...; }
#define ENTROPIC_CLAIM(ID)                                                              \
  static ::entropic::Claim ENTROPIC_CLAIM_CAT(entropic_claim_, ID)();                   \
  static const ::entropic::ClaimRegistration ENTROPIC_CLAIM_CAT(entropic_registration_, \
                                                                ID)(                    \
      &ENTROPIC_CLAIM_CAT(entropic_claim_, ID));                                        \
  static ::entropic::Claim ENTROPIC_CLAIM_CAT(entropic_claim_, ID)()

}  // namespace entropic

#include "entropic/verify/part.hpp"
