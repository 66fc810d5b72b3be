// T12, statistical part: started at the Tr H-minimizer, label-noise SGD drifts to the entropic point
// and the sharpness rises (catalog T12, Example B; "progressive sharpening").
//
// f = U w x (deep_linear [1, 1, 2]: W1 = w, W2 = U). Data: the product data set {x} x {eps} (catalog
// section 0) with x in {+1, -1} (E x^2 = 1), y = V* x + eps, V* = (1, 0)^T, and eps uniform on
// {(+-1/2, 0), (0, +-2)}: E eps = 0, Sigma_eps = diag(s1, s2) = diag(1/8, 2). On the manifold U w = V*:
//     phi_1 ~ w^2 (s1 + s2) + s1 / w^2,   minimized at w_e^4 = s1/(s1 + s2) = 1/17  (the entropic point),
//     Tr H = 2 w^2 + w^-2,                 minimized at w^4 = 1/2                     (the flattest minimum),
// so with s1 << s2 the entropic force drives SGD from the flattest minimum to a sharper one:
// Tr H rises from 2 sqrt 2 = 2.83 to 2 w_e^2 + w_e^-2 = 4.61.
//
// SGD: batch size 1, i.i.d. uniform indices from a seeded std::mt19937_64, the library's sgd_step,
// eta = 1/50, no weight decay. The drift along the manifold is O(eta^2 sigma^2) per step, so the
// burn-in of 2e5 steps is about 100 times 1/(eta^2 (s1 + s2)).
// Estimator: the time averages of w^4 and of Tr H(w) = 2 w^2 + w^-2 after burn-in, K batch means,
// interval +- t_{K-1, 1-alpha/2} SE with alpha = 1e-3 (99.9%, Bonferroni over the two checks: each at
// 99.95%). Claims: |<w^4> - w_e^4| <= t SE + w_e^4 * 2 eta h (h = lambda_max at w_e = w_e^2 + w_e^-2:
// the O(eta) correction to the leading-order stationary point; the constant 2 is a stated allowance,
// not derived: with seed 20251126 the measured bias is 1.5 eta h, <w^4> = 0.0667 against 0.0588), and
// <Tr H> - Tr H(start) > t SE (sharper than the start). Controls that show the test can fail: the
// Tr H-minimizer w^4 = 1/2 is rejected as the stationary point, and full-batch GD from the same start
// does not move (at a minimum of L the gradient is exactly 0 on this product data set: catalog T13,
// no entropic force for GD at a minimum). Arithmetic: double; nothing here is exact.
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
constexpr long kMeasured = 8000000;
constexpr int kBatches = 40;
#else
constexpr long kMeasured = 2000000;
constexpr int kBatches = 20;
#endif

constexpr double kEta = 1.0 / 50, kS1 = 1.0 / 8, kS2 = 2;

struct ExampleB {
  std::unique_ptr<Model<double>> model;
  DataSet<double> data;
  SgdState<double> state;
  int w_index = 0;
};

ExampleB start_at_flattest_minimum() {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 2};
  ExampleB r{make_model<double>(spec), {}, {}, 0};
  Mat<double> xs(2, 1), v(2, 1), eps(4, 2);
  xs << 1, -1;
  v << 1, 0;
  eps << 0.5, 0, -0.5, 0, 0, 2, 0, -2;
  r.data = product_data<double>(xs, v, eps);
  const Layout& layout = r.model->layout();
  r.w_index = layout.at(layout.index("W1"), 0, 0);
  const double w0 = std::pow(0.5, 0.25);  // Tr H-minimizer, w^4 = 1/2
  r.state.theta = Vec<double>::Zero(3);
  r.state.theta[r.w_index] = w0;
  r.state.theta[layout.at(layout.index("W2"), 0, 0)] = 1 / w0;  // U = V* / w
  return r;
}

double trace_H(double w) { return 2 * w * w + 1 / (w * w); }

TEST(ProgressiveSharpening, SgdDriftsToTheEntropicPointAndSharpens) {
  ExampleB r = start_at_flattest_minimum();
  const double w_e4 = kS1 / (kS1 + kS2), w_e2 = std::sqrt(w_e4);
  const double h = w_e2 + 1 / w_e2;
  const double allowance = w_e4 * 2 * kEta * h;
  const double start_w = r.state.theta[r.w_index];
  const double trace_start = trace_H(start_w);

  const SgdConfig<double> cfg{kEta, 0.0, 0.0, false, {}};
  const long burn_in = 200000;
  std::mt19937_64 rng(stats::seed_or(20251126));
  std::uniform_int_distribution<int> pick(0, r.data.size() - 1);
  stats::BatchMeans w4(kBatches), trace(kBatches);
  const long per_batch = kMeasured / kBatches;
  Batch batch(1);
  for (long t = 0; t < burn_in + kMeasured; ++t) {
    if (t >= burn_in) {
      const double w = r.state.theta[r.w_index];
      const int b = static_cast<int>((t - burn_in) / per_batch);
      w4.add(b, w * w * w * w);
      trace.add(b, trace_H(w));
    }
    batch[0] = pick(rng);
    sgd_step(*r.model, r.data, batch, cfg, r.state);
  }
  const stats::Estimate m4 = stats::mean(w4), mt = stats::mean(trace);
  const double t = stats::t_quantile(kBatches - 1, 1e-3 / 2);
  RecordProperty("time_average_w4", std::to_string(m4.value));
  RecordProperty("entropic_point_w4", std::to_string(w_e4));
  RecordProperty("time_average_trace_H", std::to_string(mt.value));
  EXPECT_LE(std::abs(m4.value - w_e4), t * m4.standard_error + allowance)
      << "<w^4> = " << m4.value << " +- " << m4.standard_error << " (SE), w_e^4 = " << w_e4
      << ", allowance " << allowance;
  // Control: the flattest minimum is not where SGD settles.
  EXPECT_GT(std::abs(m4.value - 0.5), t * m4.standard_error + allowance);
  EXPECT_GT(mt.value - trace_start, t * mt.standard_error)
      << "<Tr H> = " << mt.value << " +- " << mt.standard_error << ", Tr H(start) = " << trace_start;
}

// GD from the same start stays there: full-batch gradient 0 at a minimum (T13), so no sharpening.
TEST(ProgressiveSharpening, GradientDescentStaysAtTheFlattestMinimum) {
  ExampleB r = start_at_flattest_minimum();
  const double w0 = r.state.theta[r.w_index];
  const SgdConfig<double> cfg{kEta, 0.0, 0.0, false, {}};
  const Batch all = Model<double>::all(r.data);
  for (int t = 0; t < 20000; ++t) sgd_step(*r.model, r.data, all, cfg, r.state);
  // Rounding only: 20000 steps of relative error ~1e-16 each.
  EXPECT_LE(std::abs(r.state.theta[r.w_index] - w0), 20000 * 8 * std::numeric_limits<double>::epsilon());
}

}  // namespace
}  // namespace entropic
