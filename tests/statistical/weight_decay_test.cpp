// T10, statistical-stationary part: the time average of q = u^2 under online SGD with weight decay
// against the closed form of the leading-order stationary point (catalog T10).
//
// f = u (w . x) (deep_linear [2, 1, 1]: W1 = w^T, W2 = u). Data: the product data set {x_j} x {eps_m}
// (catalog section 0) with x_j in {(+-2, 0), (0, +-1)}, y = v . x + eps, v = (0, 1), eps in {+2, -2}:
// x and eps are independent, E eps = 0, sigma^2 = 4, Sigma = E[x x^T] = diag(2, 1/2) (the second
// moment: see docs/claims/T10.md), V = ||v||^2 = 1, A = v^T Sigma v = 1/2, t_x = Tr Sigma = 5/2.
// SGD: batches of S = 2 indices, i.i.d. uniform with replacement (kappa_S = 1/S), from a seeded
// std::mt19937_64; the library's sgd_step (PyTorch convention, theta' = (1 - eta lambda) theta - eta g_B).
//
// Prediction (catalog T10): with e = eta sigma^2/(2S), the leading-order stationary point is
//     q*^2 = (lambda V + e A)/(lambda + e t_x).
// Here eta = 1/200, so e = 1/200, and lambda = e (rho = lambda/e = 1, where dq*/drho is large):
// q*^2 = 3/7, q* = 0.6547. The mutant e' = eta sigma^2/(4S) (the 1/4 vs 1/2 confusion) gives rho = 2,
// q'^2 = 5/9, q' = 0.7454: 14% away.
//
// Allowance for what the closed form leaves out (stated, not fitted):
//  - O(eta): the fast modes (the product m = u w around its mean) fluctuate with relative size of
//    order eta h, h = (q + V/q) lambda_max(Sigma) the top curvature of L on the manifold; they enter
//    E_B g_u^2 and E_B ||g_w||^2 at that relative order. Allowance q* eta h.
//  - O(lambda): weight decay moves the mean product off u w = v, to m = v + delta with
//    Sigma delta = -lambda v / q (the w-stationarity of L_lambda), so the exact stationary charge law
//    (T5) gives the closed form with V, A replaced by ||m||^2 ~ V - 2 lambda v^T Sigma^{-1} v/q and
//    m^T Sigma m ~ A - 2 lambda V/q. q*^2 is a weighted mean of V and A/t_x, so its relative shift is
//    at most rel = max(2 lambda v^T Sigma^{-1} v/(q V), 2 lambda V/(q A)), and q*'s about rel/2; the
//    allowance q* rel is twice the first-order estimate. (The catalog names O(eta) and O(eta lambda)
//    corrections; this shift is O(lambda) relative to q* and is the larger one here.)
//  - O(eta lambda): the weight decay inside the gradient energies and the (1 - eta lambda/2) factor of
//    the exact law, relative eta lambda = 2.5e-5: inside the allowances above.
// With these numbers h = 4.36 and the allowance is q* (0.0218 + 0.0306) = 0.0343 (5.2% of q*). The
// first-order shifted prediction (the closed form with ||m||^2 and m^T Sigma m, solved for q by
// fixed-point iteration) is recorded beside the estimate as information; it is not asserted.
//
// Estimator: time average of u_t^2 after burn-in, K batch means, interval +- t_{K-1, 1-alpha/2} SE
// with alpha = 1e-3 (99.9%). Claim: |mean - q*| <= t SE + allowance; mutant: |mean - q'| > t SE +
// allowance. Arithmetic: double (relative rounding ~1e-16 per step against a sampling error ~1e-3);
// nothing here is exact. Fixed seed: reproducible; a different seed fails the claim with probability
// about 1e-3 if the allowance covers the true bias. ENTROPIC_STAT_SEED=N tries another seed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

#include "entropic/model/make_model.hpp"
#include "entropic/optim/sgd.hpp"
#include "stationary_stats.hpp"

namespace entropic {
namespace {

#ifdef ENTROPIC_STATISTICAL_LONG
constexpr long kMeasured = 24000000;
constexpr int kBatches = 40;
#else
constexpr long kMeasured = 6000000;
constexpr int kBatches = 20;
#endif

struct Instance {
  double eta = 1.0 / 200, sigma2 = 4;
  int S = 2;
  double V = 1, A = 0.5, t_x = 2.5;
  double vSinv_v = 2;  // v^T Sigma^{-1} v
  double lambda_max = 2;
  double e() const { return eta * sigma2 / (2 * S); }
  double lambda() const { return e(); }  // rho = 1
  // q* from the closed form with noise factor e_used.
  double q_star(double e_used) const {
    return std::sqrt((lambda() * V + e_used * A) / (lambda() + e_used * t_x));
  }
};

// f = u (w . x): deep_linear [2, 1, 1].
ModelSpec net_spec() {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {2, 1, 1};
  return spec;
}

// The product data set {x_j} x {eps_m} with y = v . x + eps of the header.
DataSet<double> instance_data() {
  Mat<double> xs(4, 2), v(1, 2), eps(2, 1);
  xs << 2, 0, -2, 0, 0, 1, 0, -1;
  v << 0, 1;
  eps << 2, -2;
  return product_data<double>(xs, v, eps);
}

TEST(WeightDecayVersusEntropicForce, TimeAverageOfUSquaredMatchesTheClosedForm) {
  const Instance in;
  const double q_star = in.q_star(in.e());
  const double q_mutant = in.q_star(in.e() / 2);  // e' = eta sigma^2/(4S)
  const double h = (q_star + in.V / q_star) * in.lambda_max;
  const double rel_lambda =
      std::max(2 * in.lambda() * in.vSinv_v / (q_star * in.V), 2 * in.lambda() * in.V / (q_star * in.A));
  const double allowance = q_star * (in.eta * h + rel_lambda);
  // Information only: the closed form on the shifted manifold, V -> V - 2 lambda v^T Sigma^{-1} v/q,
  // A -> A - 2 lambda V/q, iterated to its fixed point.
  double q_shifted = q_star;
  for (int k = 0; k < 50; ++k) {
    const double V = in.V - 2 * in.lambda() * in.vSinv_v / q_shifted;
    const double A = in.A - 2 * in.lambda() * in.V / q_shifted;
    q_shifted = std::sqrt((in.lambda() * V + in.e() * A) / (in.lambda() + in.e() * in.t_x));
  }

  const auto model = make_model<double>(net_spec());
  const DataSet<double> data = instance_data();
  const SgdConfig<double> cfg{in.eta, in.lambda(), 0.0, false, {}};
  // Start on u w = v with norm balance (q = 1): far from q* = 0.65, so the burn-in has work to do.
  SgdState<double> state{Vec<double>(3), Vec<double>()};
  state.theta << 0, 1, 1;  // W1 = (0, 1), W2 = 1
  const int u_index = model->layout().at(model->layout().index("W2"), 0, 0);

  // Relaxation: the charge contracts at rate ~ 2 eta lambda + eta^2 sigma^2 (...)/S ~ 1e-4 per
  // step, so 5e5 burn-in steps are ~50 relaxation times, and a batch (3e5 steps; 6e5 in the long
  // version) is ~30 or more.
  const long burn_in = 500000;
  const std::uint64_t seed = stats::seed_or(20251124);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pick(0, data.size() - 1);
  stats::BatchMeans q(kBatches);
  const long per_batch = kMeasured / kBatches;
  Batch batch(in.S);
  for (long t = 0; t < burn_in + kMeasured; ++t) {
    if (t >= burn_in) {
      const double u = state.theta[u_index];
      q.add(static_cast<int>((t - burn_in) / per_batch), u * u);
    }
    for (int& i : batch) i = pick(rng);
    sgd_step(*model, data, batch, cfg, state);
  }
  const stats::Estimate est = stats::mean(q);
  const double t = stats::t_quantile(kBatches - 1, 1e-3);
  const double band = t * est.standard_error + allowance;
  RecordProperty("time_average_u2", std::to_string(est.value));
  RecordProperty("standard_error", std::to_string(est.standard_error));
  RecordProperty("q_star", std::to_string(q_star));
  RecordProperty("q_star_mutant_quarter", std::to_string(q_mutant));
  RecordProperty("allowance", std::to_string(allowance));
  RecordProperty("q_shifted_first_order", std::to_string(q_shifted));
  EXPECT_LE(std::abs(est.value - q_star), band)
      << "<u^2> = " << est.value << " +- " << est.standard_error << " (SE), q* = " << q_star
      << ", allowance " << allowance << ", seed " << seed;
  EXPECT_GT(std::abs(est.value - q_mutant), band)
      << "the mutant e = eta sigma^2/(4S) is not rejected: q' = " << q_mutant;
  // The two limits the closed form interpolates are both excluded too: the data decide between them.
  EXPECT_GT(std::abs(est.value - std::sqrt(in.A / in.t_x)), band) << "gradient balance (lambda -> 0)";
  EXPECT_GT(std::abs(est.value - std::sqrt(in.V)), band) << "norm balance (eta sigma^2 -> 0)";
}

// T5, statistical-stationary part at lambda = 0, on the same f = u (w . x) and data: the sampled
// gradient energies balance, <g_u^2> = <||g_w||^2> (catalog T5: "At lambda = 0 with Delta bounded"),
// and <u^2> sits at the lambda -> 0 limit of T10, q* = sqrt(A/t_x) = 0.4472 (gradient balance), not at
// norm balance sqrt(V) = 1. Pathwise, <g_u^2 - ||g_w||^2>_T = (Delta_T - Delta_0)/(eta^2 T) exactly
// (the boundary term), so the ratio tends to 1 as the charge stays bounded; its interval is the
// batch-means one (K batches, 99.9%, Bonferroni over the two claims). The ratio's tolerance is
// t SE alone (the stationary law is exact); <u^2> gets the O(eta) allowance q* eta h of the test above
// (no weight decay, so no O(lambda) term).
TEST(WeightDecayVersusEntropicForce, GradientBalanceWithoutWeightDecay) {
  const Instance in;
  const double q_star = std::sqrt(in.A / in.t_x);  // q*^2 = A/t_x
  const double h = (q_star + in.V / q_star) * in.lambda_max;
  const double allowance = q_star * in.eta * h;

  const auto model = make_model<double>(net_spec());
  const DataSet<double> data = instance_data();
  const SgdConfig<double> cfg{in.eta, 0.0, 0.0, false, {}};
  SgdState<double> state{Vec<double>(3), Vec<double>()};
  state.theta << 0, 1, 1;  // norm balance, far from gradient balance
  const Layout& L = model->layout();
  const int u_index = L.at(L.index("W2"), 0, 0);
  const int w_block = L.index("W1");

  // Without weight decay the charge contracts only at rate eta^2 E r^2 (...) ~ 5e-5 per step:
  // 1e6 burn-in steps are ~50 relaxation times.
  const long burn_in = 1000000;
  const long measured = kMeasured / 2;
  const std::uint64_t seed = stats::seed_or(20251125);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pick(0, data.size() - 1);
  stats::BatchMeans gu2(kBatches), gw2(kBatches), q(kBatches);
  const long per_batch = measured / kBatches;
  Batch batch(in.S);
  for (long t = 0; t < burn_in + measured; ++t) {
    for (int& i : batch) i = pick(rng);
    const double u = state.theta[u_index];
    const Vec<double> g = sgd_step(*model, data, batch, cfg, state);
    if (t >= burn_in) {
      const int b = static_cast<int>((t - burn_in) / per_batch);
      gu2.add(b, g[u_index] * g[u_index]);
      gw2.add(b, L.view(g, w_block).squaredNorm());
      q.add(b, u * u);
    }
  }
  const double t = stats::t_quantile(kBatches - 1, 1e-3 / 2);
  const stats::Estimate r = stats::ratio(gu2, gw2), qe = stats::mean(q);
  RecordProperty("ratio_gu2_gw2", std::to_string(r.value) + " +- " + std::to_string(r.standard_error));
  RecordProperty("time_average_u2", std::to_string(qe.value) + " +- " + std::to_string(qe.standard_error));
  RecordProperty("q_star_lambda0", std::to_string(q_star));
  EXPECT_LE(std::abs(r.value - 1), t * r.standard_error) << "<g_u^2>/<||g_w||^2> = " << r.value << ", seed " << seed;
  EXPECT_LE(std::abs(qe.value - q_star), t * qe.standard_error + allowance)
      << "<u^2> = " << qe.value << ", gradient balance q* = " << q_star << ", seed " << seed;
  EXPECT_GT(std::abs(qe.value - std::sqrt(in.V)), t * qe.standard_error + allowance) << "norm balance";
}

}  // namespace
}  // namespace entropic
