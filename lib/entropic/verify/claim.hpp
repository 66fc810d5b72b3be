// Claim: an executable statement of the catalog (design.md, "verification vocabulary").
//
// A claim has an id (T5, N1, ...), a title, provenance, the catalog's kind, what is expected of it
// (`holds`, or `fails` for a negative control), and one or more parts. A part is a hypothesis
// generator (RapidCheck Gen of instances that satisfy it), a check turning one instance into a
// Verdict, and an exact printer for counterexamples. Mutants are parts that state a deliberately
// wrong prediction: the suite must falsify every one of them, which shows the claim's check can fail.
//
//   Claim("T8", "Scale symmetry: norm law")
//       .provenance(Provenance::derived).kind("exact identity")
//       .part("norm law", scale_invariant_runs(), norm_law, show_run)
//       .mutant("without the eta^2 |g|^2 term", scale_invariant_runs(), norm_law_no_drift, show_run);
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

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
  int max_size = 100;       // RapidCheck size grows from 0 to max_size over the cases
  int max_shrinks = 400;    // shrink steps at most
};

// Where a generated instance comes from: enough to regenerate it bit for bit.
struct ReplayKey {
  std::string claim, part;
  std::uint64_t seed = 0;
  int size = 0;
  std::vector<int> path;  // indices into successive shrink sequences
  std::string text() const;
  static std::optional<ReplayKey> parse(const std::string& text);
};

struct Counterexample {
  std::string instance;  // exact text of the (shrunk) instance
  Verdict verdict;
  std::string replay;
  int shrink_steps = 0;
};

struct PartResult {
  std::string name;
  bool mutant = false;
  int instances = 0, held = 0, violated = 0, inconclusive = 0;
  std::string arithmetic;            // of the verdicts (all parts' verdicts report it)
  Evidence evidence = Evidence::exact;  // weakest evidence among holding verdicts
  std::optional<Counterexample> counterexample;
  std::string example_residual, example_detail;  // a holding verdict, for the report
  std::string note;                  // first inconclusive reason, if any
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
  std::string arithmetic() const;
  const Counterexample* counterexample() const;
};

class Claim {
 public:
  // Runs a part: replays `replays` first, then `opts.cases` generated instances.
  using PartRunner =
      std::function<PartResult(const RunOptions&, const std::vector<ReplayKey>& replays)>;
  using Replayer = std::function<std::optional<Counterexample>(const ReplayKey&)>;
  struct Part {
    std::string name;
    bool mutant = false;
    PartRunner run;
    Replayer replay;
  };

  Claim(std::string id, std::string title) : id_(std::move(id)), title_(std::move(title)) {}

  Claim& provenance(Provenance p) { provenance_ = p; return *this; }
  Claim& kind(std::string k) { kind_ = std::move(k); return *this; }
  Claim& expect(Expectation e) { expected_ = e; return *this; }

  template <class Instance, class Check, class Show>
  Claim& part(std::string name, rc::Gen<Instance> gen, Check check, Show show);
  template <class Instance, class Check, class Show>
  Claim& mutant(std::string name, rc::Gen<Instance> gen, Check check, Show show);

  const std::string& id() const { return id_; }
  const std::string& title() const { return title_; }
  const std::string& kind() const { return kind_; }
  Provenance provenance() const { return provenance_; }
  Expectation expected() const { return expected_; }
  const std::vector<Part>& parts() const { return parts_; }

  ClaimResult run(const RunOptions& opts, const std::vector<ReplayKey>& past_failures) const;

 private:
  template <class Instance, class Check, class Show>
  Part make_part(std::string name, bool mutant, rc::Gen<Instance> gen, Check check, Show show) const;

  std::string id_, title_, kind_;
  Provenance provenance_ = Provenance::derived;
  Expectation expected_ = Expectation::holds;
  std::vector<Part> parts_;
};

// The claims the program knows, in catalog order. Theorem files register with ENTROPIC_CLAIM.
class ClaimRegistry {
 public:
  static ClaimRegistry& instance();
  void add(std::function<Claim()> make);
  std::vector<Claim> claims() const;  // sorted T*, E*, N*, S*, by number
  std::optional<Claim> find(const std::string& id) const;

 private:
  std::vector<std::function<Claim()>> makers_;
};

struct ClaimRegistration {
  explicit ClaimRegistration(std::function<Claim()> make) {
    ClaimRegistry::instance().add(std::move(make));
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

#include "entropic/verify/claim_runner.hpp"
