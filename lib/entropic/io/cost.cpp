#include "entropic/io/cost.hpp"

#include <gmp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace entropic {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// How the time of a step grows with the bit length h of its numbers: GMP multiplies in
// O(h^1.585) (Karatsuba) up to a few thousand limbs and near O(h log h) (FFT) beyond; 1.3 fits
// the pilot-to-run ratio of a depth-2 linear net from 10^4 to 10^7 bits.
constexpr double kTimeExponent = 1.3;
// Below a few dozen limbs the cost of an operation is mostly its overhead, not its length.
constexpr double kSmallBits = 2048;

double limb_bytes(unsigned bits) { return 8.0 * std::ceil(bits / 64.0); }

// Bytes of one entry (heap blocks counted with 16 bytes of allocator overhead).
double entry_bytes(const Arithmetic& a, double rational_bits) {
  switch (a.kind) {
    case Arithmetic::Kind::floating: return 8;
    case Arithmetic::Kind::real: return 32 + 16 + limb_bytes(a.bits);
    case Arithmetic::Kind::interval: return 64 + 2 * (16 + limb_bytes(a.bits));
    case Arithmetic::Kind::rational: return 32 + 2 * 16 + std::max(16.0, rational_bits / 8);
  }
  return 8;
}

// Seconds of one operation, a lower bound (cost.hpp); rational: a product of two numbers of
// `bits` bits in all, as GMP's Karatsuba, at 1 ns per 64-bit limb product.
double operation_seconds(const Arithmetic& a, double rational_bits) {
  switch (a.kind) {
    case Arithmetic::Kind::floating: return 0.2e-9;
    case Arithmetic::Kind::real: return 50e-9 + 0.1e-9 * a.bits;
    case Arithmetic::Kind::interval: return 2 * (50e-9 + 0.1e-9 * a.bits);
    case Arithmetic::Kind::rational: return 50e-9 + 1e-9 * std::pow(std::max(1.0, rational_bits / 64), 1.585);
  }
  return 0.2e-9;
}

int largest_batch(const Scenario& s) {
  const int n = s.data.size();
  if (s.schedule.is_full()) return n;
  std::size_t b = 1;
  for (const auto& batch : s.schedule.batches()) b = std::max<std::size_t>(b, batch.size());
  return static_cast<int>(b);
}

// The memory that does not depend on the arithmetic's growth: the scenario's exact values.
double scenario_bytes(const Scenario& s) {
  double bits = 0;
  for (Eigen::Index k = 0; k < s.theta0.size(); ++k) bits += bit_length(s.theta0[k]);
  for (Eigen::Index i = 0; i < s.data.X.rows(); ++i)
    for (Eigen::Index j = 0; j < s.data.X.cols(); ++j) bits += bit_length(s.data.X(i, j));
  for (Eigen::Index i = 0; i < s.data.Y.rows(); ++i)
    for (Eigen::Index j = 0; j < s.data.Y.cols(); ++j) bits += bit_length(s.data.Y(i, j));
  const double values = static_cast<double>(s.theta0.size() + s.data.X.size() + s.data.Y.size());
  return values * 64 + bits / 8;
}

double data_values(const Scenario& s) { return static_cast<double>(s.data.X.size() + s.data.Y.size()); }

std::string count_text(double x) {
  char buffer[64];
  if (x < 1e6) std::snprintf(buffer, sizeof buffer, "%.0f", x);
  else std::snprintf(buffer, sizeof buffer, "%.2g", x);
  return buffer;
}

std::string basis_text(const Scenario& s, const std::string& arithmetic) {
  return count_text(static_cast<double>(s.theta0.size())) + " parameters, " + std::to_string(s.steps) +
         " steps of " + arithmetic;
}

}  // namespace

double bit_length(const Rational& q) {
  const fmpq* p = q.backend().data();
  return static_cast<double>(fmpz_sizeinbase(fmpq_numref(p), 2) + fmpz_sizeinbase(fmpq_denref(p), 2));
}

double operations_per_step(const Scenario& s) {
  const double p = static_cast<double>(s.theta0.size());
  return p * (2.0 * largest_batch(s) + s.data.size()) + p;
}

RunEstimate estimate_run(const Scenario& s, const Arithmetic& a) {
  double start_bits = 0;
  if (a.kind == Arithmetic::Kind::rational)
    for (Eigen::Index k = 0; k < s.theta0.size(); ++k) start_bits = std::max<double>(start_bits, bit_length(s.theta0[k]));
  const double p = static_cast<double>(s.theta0.size());
  RunEstimate e;
  e.bytes = scenario_bytes(s) + (3 * p + data_values(s)) * entry_bytes(a, start_bits);
  e.seconds = (s.steps + 1.0) * operations_per_step(s) * operation_seconds(a, start_bits);
  e.basis = basis_text(s, a.text());
  e.at_least = true;
  return e;
}

double loss_operations(const Scenario& s) {
  return static_cast<double>(s.theta0.size()) * s.data.size();
}

RunEstimate project_rational_run(const Scenario& s, const std::vector<double>& heights,
                                 const std::vector<double>& step_seconds, double start_seconds) {
  RunEstimate e = estimate_run(s, Arithmetic::rational());
  const int k = static_cast<int>(heights.size()) - 1;
  if (k < 1) {
    // Only L(theta_0) was computed: its time per operation prices every step, with no growth.
    const double measured = s.steps * operations_per_step(s) * start_seconds / std::max(1.0, loss_operations(s));
    if (measured > e.seconds) {
      char per_operation[48];
      std::snprintf(per_operation, sizeof per_operation, "%.3g ns", 1e9 * start_seconds / std::max(1.0, loss_operations(s)));
      e.seconds = measured;
      e.basis += std::string(" at the time per operation that L(theta_0) took, ") + per_operation +
                 ", and no growth of the entries";
    }
    return e;
  }
  if (k >= s.steps) return e;  // nothing to project: the pilot ran the whole run
  const double h_k = std::max(1.0, heights[static_cast<size_t>(k)]);
  const double remaining = s.steps - k;
  const double ratio = h_k / std::max(1.0, heights[static_cast<size_t>(k - 1)]);
  const double previous = k >= 2 ? heights[static_cast<size_t>(k - 1)] / std::max(1.0, heights[static_cast<size_t>(k - 2)]) : ratio;
  const double r = std::min(ratio, previous);
  const double step_k = step_seconds.empty() ? 0 : step_seconds.back();
  // log2 h_T, and the time of the remaining steps relative to step k: the sum over t of
  // (h_t / h_k)^kTimeExponent, counting numbers below kSmallBits as costing the same.
  const bool geometric = r >= 1.5;  // a step of degree g >= 2 multiplies h by about g; a linear one adds to it
  const double d = std::max(0.0, (h_k - heights.front()) / k);
  const double log2_h_T = geometric ? std::log2(h_k) + remaining * std::log2(r) : std::log2(h_k + d * remaining);
  double time_factor = 0;
  const double base = std::max(h_k, kSmallBits);
  for (double i = 1; i <= remaining && time_factor < 1e300; ++i) {
    const double log2_h = geometric ? std::log2(h_k) + i * std::log2(r) : std::log2(h_k + d * i);
    time_factor += log2_h > 1000 ? kInf : std::pow(std::max(std::exp2(log2_h), kSmallBits) / base, kTimeExponent);
  }
  char growth[160];
  if (geometric)
    std::snprintf(growth, sizeof growth, "the exact entries grow about %.2gx per step (from %.0f to %.0f bits in %d step%s)",
                  r, heights.front(), h_k, k, k == 1 ? "" : "s");
  else
    std::snprintf(growth, sizeof growth, "the exact entries grow about %.3g bits per step (from %.0f to %.0f bits in %d step%s)",
                  d, heights.front(), h_k, k, k == 1 ? "" : "s");
  const double p = static_cast<double>(s.theta0.size());
  const double h_T = log2_h_T < 1000 ? std::exp2(log2_h_T) : kInf;
  double pilot = 0;
  for (double t : step_seconds) pilot += t;
  // theta, the gradient and a temporary, and the text of one reported iterate (log10 2 digits a bit)
  e.bytes = scenario_bytes(s) + 3 * p * entry_bytes(Arithmetic::rational(), h_T) +
            data_values(s) * entry_bytes(Arithmetic::rational(), 0) + p * h_T * 0.30103;
  e.seconds = pilot + step_k * time_factor;
  e.basis = basis_text(s, "rational") + ": " + growth + ", " +
            (log2_h_T < 60 ? count_text(h_T) : "2^" + count_text(log2_h_T)) + " bits at step " +
            std::to_string(s.steps);
  e.at_least = false;
  return e;
}

RunEstimate estimate_expansion(const Scenario& s, int order) {
  RunEstimate e = estimate_run(s, s.arithmetic);
  const double coefficients = order + 1.0;
  const double p = static_cast<double>(s.theta0.size());
  e.bytes = scenario_bytes(s) + (3 * p + data_values(s)) * coefficients * entry_bytes(s.arithmetic, 0);
  e.seconds *= coefficients * (coefficients + 1) / 2;
  e.basis += ", series to eta^" + std::to_string(order);
  return e;
}

RunEstimate estimate_modified_field(const Scenario& s, int order) {
  // Gregory's formula on the orbit: K + 1 steps of GD on series to h^(K+1).
  Scenario orbit = s;
  orbit.steps = order + 1;
  RunEstimate e = estimate_expansion(orbit, order + 1);
  e.basis = "the modified field to order " + std::to_string(order) + ": " + e.basis;
  return e;
}

std::string budget_excess(const RunEstimate& e, const Budget& budget) {
  const auto qualifier = [&](double x) {
    return !(x < std::numeric_limits<double>::max()) ? "" : e.at_least ? "at least " : "about ";
  };
  if (budget.limits_memory() && !(e.bytes <= static_cast<double>(budget.memory_bytes)))
    return std::string("needs ") + qualifier(e.bytes) + bytes_text(e.bytes) + " (" + e.basis + "), more than " + budget.memory_text() +
           "; raise it with --max-memory";
  if (budget.limits_time() && !(e.seconds <= budget.seconds))
    return std::string("needs ") + qualifier(e.seconds) + seconds_text(e.seconds) + " (" + e.basis + "), more than " + budget.time_text() +
           "; raise it with --timeout";
  return "";
}

void refuse_beyond(const std::string& request, const RunEstimate& estimate, const Budget& budget) {
  if (const std::string excess = budget_excess(estimate, budget); !excess.empty())
    throw budget_error(request + " " + excess);
}

}  // namespace entropic
