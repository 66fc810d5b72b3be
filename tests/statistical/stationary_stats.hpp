// Batch-means estimators for the statistical-stationary claims (catalog section 0, "Statistical":
// state the estimator and a confidence bound).
//
// A run of a stationary ergodic chain is cut, after a burn-in, into K consecutive batches of equal
// length. When a batch is many relaxation times long, the K batch means are close to independent and
// normal, so for the grand mean m of a quantity,
//     m +- t_{K-1, 1-alpha/2} s / sqrt(K)        (s: the sample standard deviation of the batch means)
// is an approximate (1 - alpha) confidence interval for its stationary expectation. For a ratio of
// two stationary expectations E a / E c the ratio estimator r = sum a_b / sum c_b has the
// delta-method standard error sqrt(sum_b (a_b - r c_b)^2 / (K (K - 1))) / mean(c_b).
#pragma once

#include <boost/math/distributions/students_t.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace entropic::stats {

// The seed of a statistical test: `fallback` (fixed, so CI is reproducible), or ENTROPIC_STAT_SEED=N
// to try another one by hand.
// A value that is not a decimal integer in 0..2^64-1 is refused (the test fails), never read as 0.
inline std::uint64_t seed_or(std::uint64_t fallback) {
  const char* s = std::getenv("ENTROPIC_STAT_SEED");
  if (!s) return fallback;
  const std::string text = s;
  std::uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || text.front() < '0' || text.front() > '9' || ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("ENTROPIC_STAT_SEED must be a decimal integer in 0..18446744073709551615, got '" +
                                text + "'");
  return seed;
}

// Accumulates one quantity per batch.
class BatchMeans {
 public:
  explicit BatchMeans(int batches) : sum_(batches, 0.0), count_(batches, 0) {}
  void add(int batch, double value) {
    sum_.at(batch) += value;
    ++count_.at(batch);
  }
  int batches() const { return static_cast<int>(sum_.size()); }
  double batch_mean(int b) const {
    if (count_.at(b) == 0) throw std::logic_error("empty batch");
    return sum_[b] / count_[b];
  }
  double mean() const {
    double m = 0;
    for (int b = 0; b < batches(); ++b) m += batch_mean(b);
    return m / batches();
  }
  // Standard error of mean(): s / sqrt(K).
  double standard_error() const {
    const double m = mean();
    double ss = 0;
    for (int b = 0; b < batches(); ++b) ss += (batch_mean(b) - m) * (batch_mean(b) - m);
    const int K = batches();
    return std::sqrt(ss / (K - 1) / K);
  }

 private:
  std::vector<double> sum_;
  std::vector<long> count_;
};

struct Estimate {
  double value = 0, standard_error = 0;
};

// E a / E c from the batch means of a and c (same batches).
inline Estimate ratio(const BatchMeans& a, const BatchMeans& c) {
  const int K = a.batches();
  double sa = 0, sc = 0;
  for (int b = 0; b < K; ++b) {
    sa += a.batch_mean(b);
    sc += c.batch_mean(b);
  }
  const double r = sa / sc, cbar = sc / K;
  double ss = 0;
  for (int b = 0; b < K; ++b) {
    const double d = a.batch_mean(b) - r * c.batch_mean(b);
    ss += d * d;
  }
  return {r, std::sqrt(ss / (K * (K - 1.0))) / cbar};
}

inline Estimate mean(const BatchMeans& a) { return {a.mean(), a.standard_error()}; }

// Two-sided Student-t quantile t_{dof, 1 - alpha/2}.
inline double t_quantile(int dof, double alpha) {
  return boost::math::quantile(boost::math::students_t_distribution<double>(dof), 1 - alpha / 2);
}

}  // namespace entropic::stats
