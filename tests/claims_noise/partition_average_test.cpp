// Catalog E2 on hand examples: the enumeration of equal-size partitions, the partition average of the
// batch-gradient spread, and the order-averaged epoch.
//
// Hand example: f = w x at w = 1 with x_i = 1 and y = (0, 2, -1, 1), so grad l_i = w - y_i =
// a = (1, -1, 2, 0) and grad L = 1/2. N = 4, S = 2: three partitions,
//     {01|23}: batch gradients 0, 1    -> (1/2)((1/2)^2 + (1/2)^2) = 1/4
//     {02|13}: batch gradients 3/2, -1/2 -> (1/2)(1 + 1)          = 1
//     {03|12}: batch gradients 1/2, 1/2 -> 0
// average 5/12. Tr C = (1/4)((1/2)^2 + (3/2)^2 + (3/2)^2 + (1/2)^2) = 5/4 and
// (N - S)/(S (N - 1)) = 2/6 = 1/3, so kappa Tr C = 5/12.
#include <gtest/gtest.h>

#include <set>

#include "entropic/theory/random_reshuffling.hpp"

namespace entropic {
namespace {

ModelSpec scalar_regression() {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1};
  return spec;
}

Mat<Rational> column(std::initializer_list<int> values) {
  Mat<Rational> m(static_cast<Eigen::Index>(values.size()), 1);
  Eigen::Index i = 0;
  for (int v : values) m(i++, 0) = v;
  return m;
}

// N! / (m! (S!)^m) partitions, each a set of disjoint batches covering 0..N-1, no two alike.
TEST(E2Partitions, CountsAndShapes) {
  const struct { int n, s; size_t count; } cases[] = {{1, 1, 1}, {4, 1, 1}, {4, 2, 3}, {4, 4, 1},
                                                     {6, 2, 15}, {6, 3, 10}, {8, 2, 105}};
  for (const auto& c : cases) {
    const auto partitions = equal_partitions(c.n, c.s);
    EXPECT_EQ(partitions.size(), c.count) << "N = " << c.n << ", S = " << c.s;
    std::set<std::vector<Batch>> distinct(partitions.begin(), partitions.end());
    EXPECT_EQ(distinct.size(), partitions.size());
    for (const auto& p : partitions) {
      std::vector<int> seen;
      for (const Batch& b : p) {
        EXPECT_EQ(static_cast<int>(b.size()), c.s);
        seen.insert(seen.end(), b.begin(), b.end());
      }
      std::sort(seen.begin(), seen.end());
      for (int i = 0; i < c.n; ++i) EXPECT_EQ(seen.at(i), i);
    }
  }
  EXPECT_THROW(equal_partitions(5, 2), std::invalid_argument);
}

TEST(E2Partitions, HandExamplePartitionAverage) {
  const auto model = make_model<Rational>(scalar_regression());
  const DataSet<Rational> data = finite_data<Rational>(column({1, 1, 1, 1}), column({0, 2, -1, 1}));
  const Vec<Rational> w = Vec<Rational>::Constant(1, Rational(1));
  const Vec<Rational> grad = model->gradient(w, data);
  ASSERT_EQ(grad[0], Rational(1, 2));
  const Rational per_partition[] = {Rational(1, 4), Rational(1), Rational(0)};
  const auto partitions = equal_partitions(4, 2);
  ASSERT_EQ(partitions.size(), 3u);
  Rational total = 0;
  for (size_t k = 0; k < partitions.size(); ++k) {
    Rational spread = 0;
    for (const Batch& b : partitions[k]) spread += (model->gradient(w, data, b) - grad).squaredNorm();
    EXPECT_EQ(spread / 2, per_partition[k]) << "partition " << k;
    total += spread / 2;
  }
  EXPECT_EQ(total / 3, Rational(5, 12));
  EXPECT_EQ(gradient_noise_trace(*model, data, w), Rational(5, 4));
  EXPECT_EQ(noise_factor<Rational>(4, 2, Sampling::without_replacement) * Rational(5, 4), Rational(5, 12));
}

// Two batches, two orders: the order average is the midpoint of the two end points. With one batch
// (m = 1) the epoch is one full-batch GD step.
TEST(E2Partitions, OrderAverageOfTwoBatchesAndOfOne) {
  const auto model = make_model<Rational>(scalar_regression());
  const DataSet<Rational> data = finite_data<Rational>(column({1, 2, -1, 3}), column({0, 2, -1, 1}));
  const Vec<Rational> w = Vec<Rational>::Constant(1, Rational(1, 3));
  const Rational eps(1, 5);
  const std::vector<Batch> two{{0, 3}, {1, 2}};
  EXPECT_EQ(order_averaged_epoch(*model, data, two, eps, w),
            Vec<Rational>((epoch(*model, data, two, {0, 1}, eps, w) + epoch(*model, data, two, {1, 0}, eps, w)) / 2));
  EXPECT_NE(epoch(*model, data, two, {0, 1}, eps, w), epoch(*model, data, two, {1, 0}, eps, w));
  const std::vector<Batch> one{{0, 1, 2, 3}};
  EXPECT_EQ(order_averaged_epoch(*model, data, one, eps, w),
            Vec<Rational>(w - eps * model->gradient(w, data)));
}

}  // namespace
}  // namespace entropic
