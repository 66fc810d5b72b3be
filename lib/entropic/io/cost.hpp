// What a run of a scenario costs, estimated before it runs (docs/cli.md, "Budget").
//
// Work per step. One SGD step of a model with P parameters on a batch of B samples, followed by
// the training loss over all N samples (what `simulate` reports), costs at least
//     ops = P (2 B + N) + P
// scalar multiply-adds: a forward and a backward pass touch every parameter once per sample each.
// Its time is ops times the cost of one operation in the arithmetic:
//     double                      0.2 ns
//     real:BITS                   50 ns + 0.1 ns per bit
//     interval:BITS               twice real:BITS
// (lower bounds: the fastest this library runs them on a current x86-64 core is 2-3 times slower,
// bench/ and docs/benchmarks.md). Memory is the scenario's exact values, the converted data and at
// least three vectors of P entries (theta, the gradient, the momentum buffer or a temporary), an
// entry taking 8 bytes (double), 32 bytes plus its limbs (real), or twice that (interval).
//
// Exact rationals grow. A step is a polynomial or rational map of degree g in theta (g = 2D - 1 for
// a depth-D linear net), so the bit length h_t of the entries follows h_{t+1} ~ g h_t + c: a
// geometric growth when g > 1, a linear one when g = 1 (a linear model) or when the start is a
// fixed point. Which one a scenario has, and its rate, is measured on its first steps (a pilot run
// of at most kPilotSteps steps and kPilotSeconds, simulate.cpp; when a step costs more than that,
// the run itself goes on measuring and is projected again after each of its first kPilotSteps
// steps) and projected to step T:
//     geometric   h_T = h_k r^(T - k),   r = the smaller of the last two ratios h_t / h_{t-1}
//     linear      h_T = h_k + d (T - k), d = the mean increment over the pilot
// and the time of a step scales as the cost of multiplying numbers of h bits, (h_t / h_k)^1.3
// times the pilot's last step. The projection is an estimate ("about"), not a bound;
// what bounds the run is the budget enforced while it runs (cli/limits.hpp).
#pragma once

#include <string>
#include <vector>

#include "entropic/io/budget.hpp"
#include "entropic/io/scenario.hpp"

namespace entropic {

inline constexpr int kPilotSteps = 6;
inline constexpr double kPilotSeconds = 1.0;

struct RunEstimate {
  double bytes = 0;    // peak memory
  double seconds = 0;  // time of the whole run
  std::string basis;   // what the figures rest on: "2080 parameters, 1000 steps of double"
  bool at_least = true;  // a lower bound (false: a projection, "about")
};

// Bits of numerator plus denominator: the size of an exact entry.
double bit_length(const Rational& q);

// Scalar operations of one step and the loss after it (above).
double operations_per_step(const Scenario& scenario);

// The run in `arithmetic` (the scenario's own or another one, for the divergence hint), from the
// formulas above; for rational, with the entries at their starting size (a lower bound, and the
// whole estimate when the pilot shows no growth).
RunEstimate estimate_run(const Scenario& scenario, const Arithmetic& arithmetic);

// Scalar operations of the loss over all N samples, P N: what is computed before step 1.
double loss_operations(const Scenario& scenario);

// The rational run projected from its pilot: the maximum bit length of theta's entries (numerator
// plus denominator) at t = 0 .. k, the seconds each step took (step_seconds[t - 1] for step t) and
// the seconds to L(theta_0). With k = 0 the run is priced at its starting sizes, at the cost per
// operation that L(theta_0) took (or the formula's, whichever is more): a lower bound.
RunEstimate project_rational_run(const Scenario& scenario, const std::vector<double>& heights,
                                 const std::vector<double>& step_seconds, double start_seconds = 0);

// `entropic expand` (io/expand.hpp), lower bounds from the same formulas:
//   iterates         every scalar a Series of K + 1 coefficients: memory times K + 1, and a
//                    truncated product costs (K + 1)(K + 2) / 2 scalar operations;
//   modified field   Gregory's formula on GD's orbit (theory/modified_field_from_orbit.hpp): the
//                    iterates of K + 1 steps to order K + 1.
RunEstimate estimate_expansion(const Scenario& scenario, int order);
RunEstimate estimate_modified_field(const Scenario& scenario, int order);

// "" when the estimate fits the budget; else why not, naming the limit and how to raise it:
// "about 3.1e+21 bytes (theta_1000's entries grow about 3.0x per step ...), more than --max-memory
// 4 GiB; raise it with --max-memory".
std::string budget_excess(const RunEstimate& estimate, const Budget& budget);

// Throws budget_error "REQUEST needs ..." (budget_excess) when the estimate does not fit.
void refuse_beyond(const std::string& request, const RunEstimate& estimate, const Budget& budget);

}  // namespace entropic
