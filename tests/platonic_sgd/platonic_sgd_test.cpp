// T11, statistical part (catalog T11 (c); Ziyin & Chuang 2025): do the time-averaged normalized
// hidden kernels of online SGD with label noise approach Q* / tr Q* within O(eta)?
//
// Instance (platonic_sgd.hpp): x ~ N(0, Sigma_x), y = V* x + eps, eps ~ N(0, Sigma_eps) independent
// of x, Sigma_eps far from isotropic; loss 1/2 ||f - y||^2; batch size 1; double precision (floating,
// not exact). Two nets: A, depth 2, widths 2-2-2, no view; B, depth 3, widths 2-3-2-2, view
// Z = [[1, 1], [0, 2]]. Both start at a phi_1-minimizer on the manifold of minima, where every hidden
// kernel equals c_i Q* to solver precision (the deterministic part, theorems/t11_universal_kernel.cpp).
//
// Estimator: after a burn-in of B steps (B eta^2 tr Sigma_eps >= 30, i.e. B >> 1/(eta^2 sigma^2)),
// the average of K_i / tr K_i over the next T steps, split into 20 consecutive batches (batch means;
// a batch spans >= 2 / (eta^2 tr Sigma_eps) steps). Interval: each entry within t_{19, 0.9995} = 3.88 standard
// errors of the batch means (99.9% each, Student t with 19 degrees of freedom); the Frobenius distance to a target is
// then within z ||se||_F (platonic_sgd.hpp, `distance`). Fixed seed 20251122; std::mt19937_64 and
// std::normal_distribution of libstdc++ (the normal variates are implementation-defined, so the quoted
// numbers reproduce with that library). The burn-in covers the deterministic transient: the limiting
// drift, followed from the phi_1-minimizer (the start of net A), halves its distance to the kernel
// where it settles every 2 units of eta^2-time (0.057 -> 0.0012 in 8 units), and the burn-in is
// 40 / tr Sigma_eps = 32 units, so the transient left is below 1e-6.
//
// Finding (what these tests assert). The averages are NOT within O(eta) of Q* / tr Q*:
//   - started exactly at Q*, SGD moves away, and the averaged kernel of net A lies off Q* / tr Q*
//     by far more than its interval;
//   - halving eta does not halve the distance (an O(eta) deviation would).
// They ARE within O(eta) of the corrected prediction: the kernel where the limiting drift of
// label-noise SGD on the manifold of minima (Li, Wang & Arora 2022; theory/limiting_drift.hpp)
// settles. That drift is the entropic force -1/2 R_i of phi_1 plus a skew (rotational) force, which
// vanishes for isotropic noise; SGD moves in the Euclidean metric of the weights, where the rotational
// force also changes the kernel, so the kernels settle off Q*, and the hidden space keeps rotating at
// the rate the drift predicts (0.0264 eta^2 per step here, measured below).
//
// Controls: full-batch GD (catalog N7) from a random start keeps a kernel far from Q* / tr Q*, and
// the estimator distinguishes the SGD average from the kernel of the noise-free guess
// Sigma_x^{-1} # (V*^T V*) as well. Positive control: with isotropic label noise the same estimator
// finds the average within O(eta) of Q* / tr Q*, so the check can pass.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "platonic_sgd.hpp"

namespace entropic {
namespace {

using namespace platonic_sgd;

constexpr std::uint64_t kSeed = 20251122;
constexpr int kBatches = 20;
const double kZ = batch_means_quantile(kBatches);  // t_{19, 0.9995} = 3.88: 99.9% per entry

MatD q_star_normalized(const Teacher& t) {
  return normalized(universal_kernel_2x2<double>(t.sigma_x(), target_kernel<double>(t.V, t.sigma_eps())));
}

LinearChain<double> net_a(std::mt19937_64& rng) {
  return random_chain(rng, {2, 2, 2}, {1.0, 1.0}, MatD::Identity(2, 2));
}
LinearChain<double> net_b(std::mt19937_64& rng) {
  return random_chain(rng, {2, 3, 2, 2}, {1.0, 1.0, 1.0}, mat2(1.0, 1.0, 0.0, 2.0));
}

std::string show(const MatD& m) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "[%.4f %.4f; %.4f %.4f]", m(0, 0), m(0, 1), m(1, 0), m(1, 1));
  return buf;
}

// Burn-in and averaging lengths in units of 1/(eta^2 tr Sigma_eps).
RunConfig config(double eta, const Teacher& t, double burn_units, double avg_units) {
  const double unit = 1.0 / (eta * eta * t.sigma_eps().trace());
  return RunConfig{eta, long(burn_units * unit), long(avg_units * unit), kBatches};
}

TEST(PlatonicSgd, StartsAtTheUniversalKernel) {
  const Teacher t = default_teacher();
  const MatD q = q_star_normalized(t);
  std::mt19937_64 rng(kSeed);
  for (auto c : {net_a(rng), net_b(rng)}) {
    ASSERT_TRUE(place_at_phi1_minimizer(c, t));
    EXPECT_LT((c.product() - t.V).norm(), 1e-12);
    for (int i = 1; i < c.depth(); ++i) EXPECT_LT((normalized(c.kernel(i)) - q).norm(), 1e-9) << "layer " << i;
  }
}

// Net A from Q*, eta = 0.02 and 0.01. Asserted: (i) each average is off Q* / tr Q* by more than its
// half-width plus 0.02, and halving eta does not halve that distance; (ii) each average lies within
// c eta + z ||se||_F of the limiting-drift kernel (c = 1 for a trace-1 kernel: a stated order-eta
// allowance, as in the isotropic control below, not a derived constant), and Q* / tr Q* lies outside
// that same allowance, so the two predictions are told apart by the same check.
TEST(PlatonicSgd, TimeAverageReachesTheLimitingDriftKernelNotQStar) {
  const Teacher t = default_teacher();
  const MatD q = q_star_normalized(t);
  std::mt19937_64 rng(kSeed);
  LinearChain<double> start = net_a(rng);
  ASSERT_TRUE(place_at_phi1_minimizer(start, t));
  const std::vector<MatD> predicted = limiting_kernels(start, t);
  ASSERT_EQ(predicted.size(), 1u) << "the limiting drift did not settle";
  std::printf("Q*/trQ* %s; limiting-drift kernel %s\n", show(q).c_str(), show(predicted[0]).c_str());

  const double eta = 0.02, c = 1.0;
  Distance d[2];
  for (int k = 0; k < 2; ++k) {
    const double step = eta / (1 << k);
    std::vector<LinearChain<double>> chains{start};
    const auto avg = run_sgd(chains, t, config(step, t, 40, 400), rng)[0][0];
    d[k] = distance(avg, q, kZ);
    const Distance to_drift = distance(avg, predicted[0], kZ);
    RecordProperty("kernel_eta_" + std::to_string(step), show(avg.mean));
    std::printf("eta %.3f: mean K/trK %s, se %s, distance to Q*/trQ* %.4f +- %.4f, to the limiting-drift kernel "
                "%.4f +- %.4f (allowed %.4f)\n",
                step, show(avg.mean).c_str(), show(avg.std_err).c_str(), d[k].value, d[k].half_width, to_drift.value,
                to_drift.half_width, c * step + to_drift.half_width);
    EXPECT_GT(d[k].value - d[k].half_width, 0.02) << "the average is not distinguishable from Q*";
    EXPECT_LT(to_drift.value, c * step + to_drift.half_width) << "eta " << step;
    EXPECT_GT(d[k].value, c * step + d[k].half_width) << "Q* passes the check the corrected prediction passes";
  }
  // O(eta) would give d(eta/2) ~ d(eta)/2; the lower end at eta/2 exceeds half the upper end at eta.
  EXPECT_GT(d[1].value - d[1].half_width, 0.5 * (d[0].value + d[0].half_width))
      << "the deviation shrinks like eta: T11 (c) would be consistent";
}

TEST(PlatonicSgd, ControlsGradientDescentAndNoiseFreeGuess) {
  const Teacher t = default_teacher();
  const MatD q = q_star_normalized(t);
  const MatD guess = normalized(universal_kernel_2x2<double>(t.sigma_x(), target_kernel<double>(t.V, MatD::Identity(2, 2))));
  std::mt19937_64 rng(kSeed + 1);
  const LinearChain<double> start = random_chain(rng, {2, 2, 2}, {1.5, 0.4}, MatD::Identity(2, 2));
  const double eta = 0.02;
  const RunConfig cfg = config(eta, t, 40, 400);

  // (ii) full-batch GD from the random start: the kernel freezes where the drift dies (catalog N7).
  LinearChain<double> gd = start;
  const auto model = gd.model();
  const DataSet<double> population = population_without_noise(t);
  for (long s = 0; s < cfg.burn_in + cfg.averaged; ++s) gd_step(*model, gd, population, eta);
  ASSERT_LT((gd.product() - t.V).norm(), 1e-9) << "GD did not reach the manifold";
  const MatD k_gd = normalized(gd.kernel(1));

  // SGD from the same start.
  std::vector<LinearChain<double>> chains{start};
  const auto avg = run_sgd(chains, t, cfg, rng)[0][0];
  const Distance to_q = distance(avg, q, kZ), to_gd = distance(avg, k_gd, kZ), to_guess = distance(avg, guess, kZ);
  std::printf("GD kernel %s (distance to Q* %.4f); SGD average %s; distance to GD %.4f, to noise-free guess "
              "%.4f, to Q* %.4f, half-width %.4f\n",
              show(k_gd).c_str(), (k_gd - q).norm(), show(avg.mean).c_str(), to_gd.value, to_guess.value,
              to_q.value, to_q.half_width);
  EXPECT_GT((k_gd - q).norm(), 0.1) << "GD reached the universal kernel";
  EXPECT_GT(to_gd.value - to_gd.half_width, 0.1) << "SGD did not move off GD's kernel";
  EXPECT_GT(to_guess.value - to_guess.half_width, 0.1) << "the noise-free guess is not rejected";
}

// The mechanism. For net A (depth 2) the GL charge C = W_2^T W_2 - W_1 W_1^T changes by exactly
// Delta C = eta^2 I_t, I_t = g_2^T g_2 - g_1 g_1^T (the first-order terms cancel by the symmetry),
// and the phi_1 balance R_1 = 0 that defines Q* is E[I] = 0 near the manifold. The hidden space
// rotates instead (W_1 -> O W_1, W_2 -> W_2 O^T keeps every kernel and sends C to O C O^T): with
// J = [[0, -1], [1, 0]] a steady rotation O = e^{omega t J} gives E[Delta C] = omega [J, C], so
//     s_t = tr(I_t [J, C_t]) / ||[J, C_t]||_F^2
// has mean omega / eta^2, the rotation rate in units of eta^2 per step, and E[I] is not 0 in the
// frame that turns with C. Estimator: s_t by batch means over 100 / (eta^2 tr Sigma_eps) steps after
// the burn-in (20 batches, t_{19, 0.9995} = 3.88), eta = 0.02 and 0.01, net A started at Q*. Asserted: at both
// eta the interval of omega / eta^2 excludes 0 and contains the rate of the limiting drift where its
// kernels settle (the skew generator Xi_1 = omega J, theory/limiting_drift.hpp), up to a relative
// O(eta) allowance.
TEST(PlatonicSgd, HiddenSpaceRotatesAtOrderEtaSquared) {
  const Teacher t = default_teacher();
  std::mt19937_64 rng(kSeed + 2);
  LinearChain<double> start = net_a(rng);
  ASSERT_TRUE(place_at_phi1_minimizer(start, t));
  // The rotation the limiting drift predicts where it settles: Xi_1 = omega J (skew) in units of eta^2.
  LinearChain<double> settled = start;
  ASSERT_GE(follow_limiting_drift<double>(settled, t.sigma_x(), t.sigma_eps(), 0.5, std::ldexp(1.0, -40), 100000), 0);
  const double predicted_rate = limiting_drift<double>(settled, t.sigma_x(), t.sigma_eps()).generator[0](1, 0);
  for (double eta : {0.02, 0.01}) {
    LinearChain<double> c = start;
    const auto model = c.model();
    const RunConfig cfg = config(eta, t, 40, 100);
    std::normal_distribution<double> n01;
    VecD g(2), e(2);
    DataSet<double> sample{MatD(1, 2), MatD(1, 2)};
    const MatD J = mat2(0.0, -1.0, 1.0, 0.0);
    const long per_batch = cfg.averaged / kBatches;
    double sum = 0, sum2 = 0, acc = 0;
    for (long s = 0; s < cfg.burn_in + per_batch * kBatches; ++s) {
      g << n01(rng), n01(rng);
      e << n01(rng), n01(rng);
      const VecD x = t.Lx * g, y = t.V * x + t.Le * e;
      sample.X.row(0) = x.transpose();
      sample.Y.row(0) = y.transpose();
      const MatD C = c.W(1).transpose() * c.W(1) - c.W(0) * c.W(0).transpose();  // before the step
      const VecD grad = sgd_step(*model, c, sample, {0}, eta);
      const MatD g1 = c.layout.view(grad, 0), g2 = c.layout.view(grad, 1);  // d l / d W_1, d l / d W_2
      if (s >= cfg.burn_in) {
        const MatD comm = J * C - C * J;
        acc += (g2.transpose() * g2 - g1 * g1.transpose()).cwiseProduct(comm).sum() / comm.squaredNorm();
        if ((s - cfg.burn_in + 1) % per_batch == 0) {
          const double m = acc / double(per_batch);
          sum += m;
          sum2 += m * m;
          acc = 0;
        }
      }
    }
    const double mean = sum / kBatches;
    const double half = kZ * std::sqrt((sum2 - kBatches * mean * mean) / (kBatches - 1) / kBatches);
    std::printf("eta %.3f: rotation rate omega / eta^2 = %.4f +- %.4f (limiting drift: %.4f)\n", eta, mean, half,
                predicted_rate);
    RecordProperty("omega_over_eta2_at_" + std::to_string(eta), std::to_string(mean));
    EXPECT_GT(std::abs(mean), half) << "no steady rotation of the hidden space at eta " << eta;
    // The drift's rate within the interval plus a stated O(eta) allowance relative to the rate.
    EXPECT_LT(std::abs(mean - predicted_rate), half + eta * std::abs(predicted_rate)) << "eta " << eta;
  }
}

// Positive control: with isotropic label noise, Sigma_eps = I (Sigma_x and V* as above), the same
// estimator finds the averaged kernel of net A, started at random (not at Q*), within O(eta) of
// Q* / tr Q* (= Sigma_x^{-1} # (V*^T V*) normalized, since Sigma_eps = I), so the tests above can
// pass. Tolerance: c eta with c = 1 for the trace-1 kernel (a stated order-eta allowance, not a
// derived constant: the corrections to the balance are relative O(eta tr Sigma_x ||W||^2), with
// tr Sigma_x = 1.34 and ||W_i||^2 of order 1 here), plus the batch-means half-width z ||se||_F.
// eta = 0.01; burn-in 40 / (eta^2 tr Sigma_eps) steps, 200 / (eta^2 tr Sigma_eps) averaged. Net B and
// the halving of eta are in the slow sweep.
TEST(PlatonicSgd, IsotropicNoiseReachesQStarWithinOrderEta) {
  Teacher t = default_teacher();
  t.Le = MatD::Identity(2, 2);
  const MatD q = q_star_normalized(t);
  std::mt19937_64 rng(kSeed + 3);
  std::vector<LinearChain<double>> chains{random_chain(rng, {2, 2, 2}, {1.5, 0.4}, MatD::Identity(2, 2))};
  const MatD k_start = normalized(chains[0].kernel(1));
  const double eta = 0.01, c = 1.0;
  const KernelAverage avg = run_sgd(chains, t, config(eta, t, 40, 200), rng)[0][0];
  const Distance d = distance(avg, q, kZ);
  std::printf("isotropic noise: Q*/trQ* %s, start %s, average %s, distance %.4f, allowed %.4f + %.4f\n",
              show(q).c_str(), show(k_start).c_str(), show(avg.mean).c_str(), d.value, c * eta, d.half_width);
  EXPECT_LT(d.value, c * eta + d.half_width);
  // The starting kernel is rejected by the same check (the test can fail).
  EXPECT_GT((k_start - avg.mean).norm(), c * eta + d.half_width);
}

}  // namespace
}  // namespace entropic
