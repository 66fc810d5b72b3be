// T11 (c), the longer sweep (label slow): the same estimator as platonic_sgd_test.cpp (batch means,
// 20 batches, t_{19, 0.9995} = 3.88 per entry, fixed seed 20251122; floating point, not exact), at
// eta = 0.02, 0.01, 0.005, 0.0025, each started at the phi_1-minimizer (kernel Q* to solver
// precision), burn-in 40 / (eta^2 tr Sigma_eps) steps, then 400 / (eta^2 tr Sigma_eps) averaged.
//
// If the deviation of the averaged kernel from Q* / tr Q* were O(eta), it would halve with every
// halving of eta. Asserted instead: at every halving the lower end of the new deviation exceeds half
// the upper end of the previous one, and at the smallest eta the deviation still exceeds its interval
// by a wide margin; the deviation per unit eta therefore grows as eta falls.
// Net B (depth 3, widths 2-3-2-2, view Z) is run at eta = 0.01 and 0.005 alongside and its two hidden
// kernels compared with Q* and with net A's: each is off Q* / tr Q* beyond its interval, and net B's
// first hidden kernel is off net A's beyond both intervals.
// The corrected prediction (the kernels where the limiting drift of label-noise SGD settles,
// theory/limiting_drift.hpp): every average of net A lies within c eta + z ||se||_F of it (c = 1, the
// stated allowance of platonic_sgd_test.cpp), and net B's layers, whose constant is larger (about 2 in
// the isotropic control below), approach it like O(eta): the lower end at eta = 0.005 is at most half
// the upper end at 0.01.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "platonic_sgd.hpp"

namespace entropic {
namespace {

using namespace platonic_sgd;

const double kZ = batch_means_quantile(20);  // t_{19, 0.9995} = 3.88: 99.9% per entry
constexpr std::uint64_t kSeed = 20251122;

TEST(PlatonicSgdSlow, DeviationFromQStarDoesNotShrinkWithEta) {
  const Teacher t = default_teacher();
  const MatD q = normalized(universal_kernel_2x2<double>(t.sigma_x(), target_kernel<double>(t.V, t.sigma_eps())));
  std::mt19937_64 rng(kSeed);
  LinearChain<double> a = random_chain(rng, {2, 2, 2}, {1.0, 1.0}, MatD::Identity(2, 2));
  LinearChain<double> b = random_chain(rng, {2, 3, 2, 2}, {1.0, 1.0, 1.0}, mat2(1.0, 1.0, 0.0, 2.0));
  ASSERT_TRUE(place_at_phi1_minimizer(a, t));
  ASSERT_TRUE(place_at_phi1_minimizer(b, t));

  const std::vector<MatD> drift_a = limiting_kernels(a, t), drift_b = limiting_kernels(b, t);
  ASSERT_EQ(drift_a.size(), 1u);
  ASSERT_EQ(drift_b.size(), 2u);
  std::vector<std::vector<Distance>> b_to_drift;

  double previous_upper = 0;
  for (double eta : {0.02, 0.01, 0.005, 0.0025}) {
    const double unit = 1.0 / (eta * eta * t.sigma_eps().trace());
    std::vector<LinearChain<double>> chains{a};
    if (eta == 0.01 || eta == 0.005) chains.push_back(b);
    const auto avg = run_sgd(chains, t, RunConfig{eta, long(40 * unit), long(400 * unit), 20}, rng);
    const Distance d = distance(avg[0][0], q, kZ);
    std::printf("net A, eta %.4f: K/trK [%.4f %.4f; . %.4f] se (%.4f %.4f %.4f), |mean - Q*/trQ*| %.4f +- %.4f, per eta %.2f\n",
                eta, avg[0][0].mean(0, 0), avg[0][0].mean(0, 1), avg[0][0].mean(1, 1), avg[0][0].std_err(0, 0),
                avg[0][0].std_err(0, 1), avg[0][0].std_err(1, 1), d.value, d.half_width, d.value / eta);
    if (previous_upper > 0) {
      EXPECT_GT(d.value - d.half_width, 0.5 * previous_upper) << "eta " << eta;
    }
    previous_upper = d.value + d.half_width;
    EXPECT_GT(d.value, 3 * d.half_width) << "eta " << eta;
    const Distance to_drift = distance(avg[0][0], drift_a[0], kZ);
    std::printf("net A, eta %.4f: |mean - limiting-drift kernel| %.4f +- %.4f (allowed %.4f)\n", eta, to_drift.value,
                to_drift.half_width, eta + to_drift.half_width);
    EXPECT_LT(to_drift.value, eta + to_drift.half_width) << "eta " << eta;
    if (chains.size() == 2) {
      std::vector<Distance> row;
      for (int i = 0; i < 2; ++i) {
        row.push_back(distance(avg[1][i], drift_b[i], kZ));
        std::printf("net B layer %d, eta %.4f: K/trK [%.4f %.4f; . %.4f], limiting drift [%.4f %.4f; . %.4f], "
                    "distance %.4f +- %.4f\n",
                    i + 1, eta, avg[1][i].mean(0, 0), avg[1][i].mean(0, 1), avg[1][i].mean(1, 1), drift_b[i](0, 0),
                    drift_b[i](0, 1), drift_b[i](1, 1), row.back().value, row.back().half_width);
      }
      b_to_drift.push_back(row);
    }
    if (eta == 0.01) {
      for (int i = 0; i < 2; ++i) {
        const Distance to_q = distance(avg[1][i], q, kZ), to_a = distance(avg[1][i], avg[0][0].mean, kZ);
        std::printf("net B layer %d, eta 0.01: K/trK [%.4f %.4f; . %.4f], |mean - Q*/trQ*| %.4f +- %.4f, "
                    "|mean - net A| %.4f +- %.4f (plus net A's %.4f)\n",
                    i + 1, avg[1][i].mean(0, 0), avg[1][i].mean(0, 1), avg[1][i].mean(1, 1), to_q.value,
                    to_q.half_width, to_a.value, to_a.half_width, d.half_width);
        EXPECT_GT(to_q.value - to_q.half_width, 0.02) << "net B layer " << i + 1;
      }
      // The two nets disagree as well: net B's first hidden kernel is off net A's by more than
      // both intervals together.
      const double gap = (avg[1][0].mean - avg[0][0].mean).norm();
      EXPECT_GT(gap, kZ * (avg[1][0].std_err.norm() + avg[0][0].std_err.norm()));
    }
  }
  ASSERT_EQ(b_to_drift.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    // Resolved at eta = 0.01, so that the halving below is evidence and not noise.
    EXPECT_GT(b_to_drift[0][i].value, 3 * b_to_drift[0][i].half_width) << "net B layer " << i + 1;
    EXPECT_LE(b_to_drift[1][i].value - b_to_drift[1][i].half_width,
              0.5 * (b_to_drift[0][i].value + b_to_drift[0][i].half_width))
        << "net B layer " << i + 1 << " does not approach the limiting-drift kernel like O(eta)";
  }
}

// The positive control at two step sizes: Sigma_eps = I, both nets from random starts, eta = 0.01 and
// 0.005 (burn-in 40, averaged 400 units of 1/(eta^2 tr Sigma_eps)). O(eta) predicts that halving eta
// halves the distance to Q* / tr Q*; asserted, the mirror of the test above: the lower end at eta/2 is
// at most half the upper end at eta, for every hidden layer of both nets.
TEST(PlatonicSgdSlow, IsotropicNoiseDeviationShrinksWithEta) {
  Teacher t = default_teacher();
  t.Le = MatD::Identity(2, 2);
  const MatD q = normalized(universal_kernel_2x2<double>(t.sigma_x(), target_kernel<double>(t.V, t.sigma_eps())));
  std::mt19937_64 rng(kSeed + 3);
  const std::vector<LinearChain<double>> start{
      random_chain(rng, {2, 2, 2}, {1.5, 0.4}, MatD::Identity(2, 2)),
      random_chain(rng, {2, 3, 2, 2}, {1.2, 0.8, 0.4}, mat2(1.0, 1.0, 0.0, 2.0))};
  std::vector<std::vector<Distance>> d(2);
  for (double eta : {0.01, 0.005}) {
    std::vector<LinearChain<double>> chains = start;
    const double unit = 1.0 / (eta * eta * t.sigma_eps().trace());
    const auto avg = run_sgd(chains, t, RunConfig{eta, long(40 * unit), long(400 * unit), 20}, rng);
    std::vector<Distance> row;
    for (std::size_t n = 0; n < avg.size(); ++n)
      for (std::size_t i = 0; i < avg[n].size(); ++i) {
        row.push_back(distance(avg[n][i], q, kZ));
        std::printf("isotropic, eta %.3f, net %c layer %zu: K/trK [%.4f %.4f; . %.4f], |mean - Q*/trQ*| %.4f +- %.4f\n",
                    eta, char('A' + n), i + 1, avg[n][i].mean(0, 0), avg[n][i].mean(0, 1), avg[n][i].mean(1, 1),
                    row.back().value, row.back().half_width);
      }
    d[eta == 0.01 ? 0 : 1] = row;
  }
  for (std::size_t k = 0; k < d[0].size(); ++k)
    EXPECT_LE(d[1][k].value - d[1][k].half_width, 0.5 * (d[0][k].value + d[0][k].half_width)) << "layer " << k;
}

}  // namespace
}  // namespace entropic
