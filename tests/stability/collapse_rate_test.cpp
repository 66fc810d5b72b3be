// E7, statistical part: the collapse rate of SGD at the origin of the uw example against the exact
// exponent (catalog E7; classical: Chen, Kunin, Yamamura, Ganguli, 2023).
//
// f = u w x, x = (1, 1), y = (c, -c), one sample per step drawn uniformly with replacement. Near the
// origin p = u + w is multiplied by 1 + eta c or 1 - eta c with probability 1/2 each, so
//     rate = (1/T) ln|p_T / p_0|  ->  E ln|mult| = 1/2 ln|1 - eta^2 c^2|,
// although E mult^2 = 1 + eta^2 c^2 > 1 (no collapse in mean square).
//
// Estimator: K independent runs of T steps of the library's sgd_step from (u, w) = (1e-3, 2e-3); the
// mean of the K per-run rates. The runs use 256-bit floating point (Real): p and q = u - w shrink at
// rates whose difference is a random walk of +-ln 3 per step, so |p|/|q| spreads over e^{+-40} and
// p = u + w would cancel to 0 in double; 256 bits keep every digit the rate needs. Each rate is a mean of T independent log-multipliers (plus a
// nonlinear correction of order eta |u w|, below 1e-5 here), so the estimate has standard error
// s / sqrt(K) with s the sample standard deviation of the rates. Claim: the exponent lies in the
// 99.9% interval mean +- 3.29 s / sqrt(K), and the interval lies below 0. Fixed seed: the test is
// reproducible; a different seed fails with probability about 1e-3.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "entropic/model/make_model.hpp"
#include "entropic/optim/sgd.hpp"

namespace entropic {
namespace {

constexpr int kRuns = 1000;         // K
constexpr int kSteps = 100;         // T
constexpr unsigned kBits = 256;
constexpr double kZ999 = 3.2905;    // two-sided 99.9% normal quantile
constexpr std::uint64_t kSeed = 20251122;

TEST(CollapseRate, MatchesTheExactExponent) {
  const double c = 1.0, eta = 0.5;  // eta c = 1/2 < sqrt 2
  const double exponent = 0.5 * std::log(std::abs(1.0 - eta * eta * c * c));
  ASSERT_LT(exponent, 0.0);

  const PrecisionScope precision(kBits);
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 1};
  const auto model = make_model<Real>(spec);
  Mat<Real> X(2, 1), Y(2, 1);
  X << Real(1), Real(1);
  Y << Real(c), Real(-c);
  const DataSet<Real> data{X, Y};
  const SgdConfig<Real> cfg{Real(eta), Real(0), Real(0), false, {}};

  std::mt19937_64 rng(kSeed);
  std::bernoulli_distribution coin(0.5);
  double sum = 0, sum2 = 0;
  for (int k = 0; k < kRuns; ++k) {
    SgdState<Real> state{Vec<Real>(2), Vec<Real>()};
    state.theta << Real(1) / 1000, Real(2) / 1000;
    const Real p0 = state.theta[0] + state.theta[1];
    for (int t = 0; t < kSteps; ++t) sgd_step(*model, data, Batch{coin(rng) ? 0 : 1}, cfg, state);
    const Real ratio = abs((state.theta[0] + state.theta[1]) / p0);
    const double rate = static_cast<double>(log(ratio)) / kSteps;
    sum += rate;
    sum2 += rate * rate;
  }
  const double mean = sum / kRuns;
  const double sd = std::sqrt((sum2 - kRuns * mean * mean) / (kRuns - 1));
  const double half_width = kZ999 * sd / std::sqrt(double(kRuns));
  RecordProperty("estimate", std::to_string(mean));
  RecordProperty("half_width_99_9", std::to_string(half_width));
  EXPECT_NEAR(mean, exponent, half_width) << "K = " << kRuns << ", T = " << kSteps << ", seed " << kSeed;
  EXPECT_LT(mean + half_width, 0.0) << "the collapse rate is not certainly negative";
}

}  // namespace
}  // namespace entropic
