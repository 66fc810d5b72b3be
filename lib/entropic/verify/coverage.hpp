// Coverage: what a part's generated instances were, as Hypothesis' event() and QuickCheck's cover
// report it (verify/part.hpp counts it; the reports print it). Instance types name their features
// with a free function Features coverage_features(const Instance&), found by argument-dependent
// lookup (gen/training_run.hpp has TrainingRun's).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace entropic {

// Features of one instance, as (name, value) text: coverage_features(const Instance&) returns these.
using Features = std::vector<std::pair<std::string, std::string>>;

// A part whose generated instances are more than this fraction degenerate does not cover its
// hypothesis: its claim's test fails (tests/claims/claims_test.cpp).
constexpr double kMaxDegenerateFraction = 0.05;

// What a part's generated instances were (past failures are not counted): how many were
// degenerate (an instance on which the statement or a mutant holds trivially: zero data, zero
// drift, a collapsed closed form) and how its features were distributed.
struct Coverage {
  std::vector<std::string> degeneracies;  // what the part calls degenerate
  std::string excluded;                   // or why its generator yields none (.nondegenerate)
  int instances = 0;                      // generated instances counted
  int degenerate = 0;                     // of them, degenerate by at least one degeneracy
  std::map<std::string, int> degenerate_by;                     // degeneracy -> instances
  std::map<std::string, std::map<std::string, int>> features;   // feature -> value -> instances
  // The parameter counts of the replayed past failures, not counted above: parameters -> replays.
  std::map<std::string, int> replayed_parameters;
  // The part says what a degenerate instance is for it, or that the generator excludes them.
  bool stated() const { return !degeneracies.empty() || !excluded.empty(); }
  double degenerate_fraction() const { return instances ? static_cast<double>(degenerate) / instances : 0.0; }
  bool covers() const { return degenerate_fraction() <= kMaxDegenerateFraction; }
};

}  // namespace entropic
