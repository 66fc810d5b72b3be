// Batch schedules, the enumeration of every minibatch, the noise factor kappa_S and exact
// expectations over batches (catalog section 0 and T2).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <functional>
#include <set>

#include "entropic/optim/expectation.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic {
namespace {

Vec<Rational> vec(std::initializer_list<Rational> values) {
  Vec<Rational> v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const Rational& x : values) v[i++] = x;
  return v;
}

void expect_invalid_argument(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message \"" << e.what() << "\" does not mention \"" << needle << "\"";
  }
}

Integer power(int n, int s) { return mp::pow(Integer(n), static_cast<unsigned>(s)); }
Integer choose(int n, int s) {
  Integer c = 1;
  for (int i = 0; i < s; ++i) c = c * (n - i) / (i + 1);
  return c;
}

// --- BatchSchedule -----------------------------------------------------------------------------------

TEST(BatchSchedule, CyclesThroughItsBatches) {
  const BatchSchedule schedule(std::vector<Batch>{{0}, {1, 2}, {2, 0}});
  EXPECT_FALSE(schedule.is_full());
  EXPECT_EQ(schedule.batch(0, 3), Batch({0}));
  EXPECT_EQ(schedule.batch(1, 3), Batch({1, 2}));
  EXPECT_EQ(schedule.batch(2, 3), Batch({2, 0}));
  EXPECT_EQ(schedule.batch(3, 3), Batch({0}));
  EXPECT_EQ(schedule.batch(3001, 3), Batch({1, 2}));  // 3001 = 3 * 1000 + 1
  EXPECT_NO_THROW(schedule.check(3));
}

TEST(BatchSchedule, FullBatchIsEveryIndex) {
  const BatchSchedule full = BatchSchedule::full();
  EXPECT_TRUE(full.is_full());
  EXPECT_EQ(full.batch(0, 4), Batch({0, 1, 2, 3}));
  EXPECT_EQ(full.batch(17, 2), Batch({0, 1}));
  EXPECT_NO_THROW(full.check(1));
}

TEST(BatchSchedule, Errors) {
  expect_invalid_argument([] { BatchSchedule(std::vector<Batch>{}); }, "batches: empty schedule");
  expect_invalid_argument([] { BatchSchedule(std::vector<Batch>{{0}, {}}); }, "batches[1]: empty batch");
  expect_invalid_argument([] { BatchSchedule(std::vector<Batch>{{0}, {1, 3}}).check(3); },
                          "batches[1]: index 3 outside 0..2");
  expect_invalid_argument([] { BatchSchedule(std::vector<Batch>{{-1}}).check(3); }, "batches[0]: index -1");
}

// --- all_batches and kappa_S -------------------------------------------------------------------------

TEST(AllBatches, ContentsInLexicographicOrder) {
  EXPECT_EQ(all_batches(3, 2, Sampling::with_replacement),
            (std::vector<Batch>{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}}));
  EXPECT_EQ(all_batches(4, 2, Sampling::without_replacement),
            (std::vector<Batch>{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
  EXPECT_EQ(all_batches(3, 3, Sampling::without_replacement), (std::vector<Batch>{{0, 1, 2}}));
  EXPECT_EQ(all_batches(1, 1, Sampling::with_replacement), (std::vector<Batch>{{0}}));
  // With replacement a batch may be larger than the data set.
  EXPECT_EQ(all_batches(2, 3, Sampling::with_replacement).size(), 8u);
}

TEST(AllBatches, Errors) {
  expect_invalid_argument([] { all_batches(3, 0, Sampling::with_replacement); }, "S = 0");
  expect_invalid_argument([] { all_batches(0, 1, Sampling::with_replacement); }, "N = 0");
  expect_invalid_argument([] { all_batches(2, 3, Sampling::without_replacement); },
                          "need 1 <= S <= N (S = 3, N = 2)");
}

RC_GTEST_PROP(AllBatches, CountsAreNToTheSAndNChooseS, ()) {
  const int n = *gen::dimension(1, 6);
  const int s = *gen::dimension(1, n);
  const auto with = all_batches(n, s, Sampling::with_replacement);
  const auto without = all_batches(n, s, Sampling::without_replacement);
  RC_ASSERT(Integer(with.size()) == power(n, s));
  RC_ASSERT(Integer(without.size()) == choose(n, s));
  // Every batch has size s and valid indices; subsets are strictly increasing (hence distinct
  // sets); ordered tuples are distinct.
  for (const Batch& b : with) {
    RC_ASSERT(static_cast<int>(b.size()) == s);
    for (int i : b) RC_ASSERT(0 <= i && i < n);
  }
  for (const Batch& b : without) {
    RC_ASSERT(static_cast<int>(b.size()) == s);
    for (int k = 0; k + 1 < s; ++k) RC_ASSERT(b[k] < b[k + 1]);
    RC_ASSERT(0 <= b.front() && b.back() < n);
  }
  RC_ASSERT(std::set<Batch>(with.begin(), with.end()).size() == with.size());
  RC_ASSERT(std::set<Batch>(without.begin(), without.end()).size() == without.size());
}

TEST(NoiseFactor, CatalogValues) {
  // kappa_S = 1/S with replacement; (N - S)/(S (N - 1)) for a uniform S-subset.
  EXPECT_EQ(noise_factor<Rational>(10, 4, Sampling::with_replacement), Rational(1, 4));
  EXPECT_EQ(noise_factor<Rational>(10, 4, Sampling::without_replacement), Rational(6, 36));
  EXPECT_EQ(noise_factor<Rational>(5, 5, Sampling::without_replacement), 0);  // full batch: no noise
  EXPECT_EQ(noise_factor<Rational>(5, 1, Sampling::without_replacement), 1);  // one sample: as i.i.d.
  EXPECT_EQ(noise_factor<Rational>(1, 1, Sampling::without_replacement), 0);
  EXPECT_EQ(noise_factor<double>(3, 2, Sampling::without_replacement), 0.25);
}

// --- exact expectations over batches, by hand ----------------------------------------------------------

// f(x) = w x (deep_linear [1, 1]) on (x, y) = (1, 1), (2, 0), (1, -1) at w = 1:
// r_i = x_i - y_i = (0, 2, 2), g_i = r_i x_i = (0, 4, 2), grad L = 2, Tr C = (0 + 16 + 4)/3 - 4 = 8/3.
class ExpectationByHand : public ::testing::Test {
 protected:
  std::unique_ptr<Model<Rational>> model = make_model<Rational>(spec());
  DataSet<Rational> data = finite_data<Rational>(Mat<Rational>(vec({1, 2, 1})),
                                                 Mat<Rational>(vec({1, 0, -1})));
  Vec<Rational> theta = vec({1});

  static ModelSpec spec() {
    ModelSpec s;
    s.kind = ModelKind::deep_linear;
    s.widths = {1, 1};
    return s;
  }
  Rational squared_batch_gradient(const Batch& b) const {
    return model->gradient(theta, data, b).squaredNorm();
  }
};

// With replacement, S = 2: the 9 ordered pairs have g_B = (g_i + g_j)/2 =
//   (0,0) 0, (0,1) 2, (0,2) 1, (1,0) 2, (1,1) 4, (1,2) 3, (2,0) 1, (2,1) 3, (2,2) 2,
// so E ||g_B||^2 = (0 + 4 + 1 + 4 + 16 + 9 + 1 + 9 + 4)/9 = 48/9 = 16/3  (= 4 + (1/2)(8/3)).
TEST_F(ExpectationByHand, WithReplacement) {
  const Rational e = batch_expectation<Rational>(
      3, 2, Sampling::with_replacement, [&](const Batch& b) { return squared_batch_gradient(b); });
  EXPECT_EQ(e, Rational(16, 3));
}

// Without replacement, S = 2: {0,1} 2, {0,2} 1, {1,2} 3, so E ||g_B||^2 = (4 + 1 + 9)/3 = 14/3
// (= 4 + (1/4)(8/3)).
TEST_F(ExpectationByHand, WithoutReplacement) {
  const Rational e = batch_expectation<Rational>(
      3, 2, Sampling::without_replacement, [&](const Batch& b) { return squared_batch_gradient(b); });
  EXPECT_EQ(e, Rational(14, 3));
}

// E_B theta' with lr = 1/2, lambda = 1/4, beta = 1/2 (first step: v = d, no history):
// theta' = w - lr (g_B + lambda w) is linear in g_B, so E theta' = 1 - (1/2)(2 + 1/4) = -1/8.
TEST_F(ExpectationByHand, ExpectedSgdStep) {
  SgdConfig<Rational> cfg;
  cfg.lr = Rational(1, 2);
  cfg.weight_decay = Rational(1, 4);
  cfg.momentum = Rational(1, 2);
  for (Sampling sampling : {Sampling::with_replacement, Sampling::without_replacement}) {
    EXPECT_EQ(expected_sgd_step(*model, data, cfg, theta, 2, sampling), vec({Rational(-1, 8)}));
  }
  // Vector- and matrix-valued functions average entrywise.
  const Mat<Rational> outer = batch_expectation<Rational>(3, 1, Sampling::with_replacement, [&](const Batch& b) {
    const Vec<Rational> g = model->gradient(theta, data, b);
    return Mat<Rational>(g * g.transpose());
  });
  EXPECT_EQ(outer(0, 0), Rational(20, 3));  // (0 + 16 + 4)/3
}

// --- catalog T2(a) and the mean gradient, for random models --------------------------------------

struct Instance {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta;
};

Instance any_instance() {
  Instance in;
  if (*rc::gen::arbitrary<bool>()) {
    in.spec.kind = ModelKind::deep_linear;
    in.spec.widths = {*gen::dimension(1, 2), *gen::dimension(1, 2), *gen::dimension(1, 2)};
  } else {
    in.spec.kind = ModelKind::mlp;
    in.spec.widths = {*gen::dimension(1, 2), *gen::dimension(1, 2), 1};
    in.spec.activation.kind = ActivationKind::odd_cubic;
    in.spec.bias = true;
  }
  in.data = *gen::dataset(in.spec, *gen::dimension(2, 4));
  in.theta = *gen::parameters(in.spec);
  return in;
}

RC_GTEST_PROP(BatchExpectation, MeanBatchGradientIsTheFullGradient, ()) {
  const Instance in = any_instance();
  const auto model = make_model<Rational>(in.spec);
  const int n = in.data.size(), s = *gen::dimension(1, n);
  const Vec<Rational> full = model->gradient(in.theta, in.data);
  for (Sampling sampling : {Sampling::with_replacement, Sampling::without_replacement}) {
    const Vec<Rational> mean = batch_expectation<Rational>(n, s, sampling, [&](const Batch& b) {
      return model->gradient(in.theta, in.data, b);
    });
    RC_ASSERT(mean == full);
  }
}

// E_B ||g_B + lambda theta||^2 = ||grad L + lambda theta||^2 + kappa_S Tr C (catalog T2(a)), with
// C the covariance of the per-sample gradients normalised by 1/N.
RC_GTEST_PROP(BatchExpectation, SquaredGradientDecomposesIntoDriftAndNoise, ()) {
  const Instance in = any_instance();
  const auto model = make_model<Rational>(in.spec);
  const int n = in.data.size(), s = *gen::dimension(1, n);
  const Rational lambda = *gen::rational(3, 4);
  const Vec<Rational> full = model->gradient(in.theta, in.data);
  Rational trace_c = 0;
  for (int i = 0; i < n; ++i) trace_c += (model->gradient(in.theta, in.data, {i}) - full).squaredNorm();
  trace_c /= n;
  const Rational drift = (full + lambda * in.theta).squaredNorm();
  for (Sampling sampling : {Sampling::with_replacement, Sampling::without_replacement}) {
    const Rational expected = batch_expectation<Rational>(n, s, sampling, [&](const Batch& b) {
      return Rational((model->gradient(in.theta, in.data, b) + lambda * in.theta).squaredNorm());
    });
    RC_ASSERT(expected == drift + noise_factor<Rational>(n, s, sampling) * trace_c);
    // The other sampling's kappa is wrong whenever there is noise and 1 < S: the check can fail.
    const Sampling other = sampling == Sampling::with_replacement ? Sampling::without_replacement
                                                                  : Sampling::with_replacement;
    if (trace_c != 0 && s > 1)
      RC_ASSERT(expected != drift + noise_factor<Rational>(n, s, other) * trace_c);
  }
}

}  // namespace
}  // namespace entropic
