// Alignment metrics (metrics/alignment.hpp, catalog E6): hand-computed small examples, the identities
// between the forms (exactly, in Rational), tie detection in mutual kNN, and shape errors.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <initializer_list>
#include <stdexcept>
#include <string>

#include "entropic/metrics/alignment.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic {
namespace {

// A rational matrix from rows of integers.
Mat<Rational> mat(std::initializer_list<std::initializer_list<int>> rows) {
  Mat<Rational> m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& row : rows) {
    Eigen::Index j = 0;
    for (int v : row) m(i, j++) = Rational(v);
    ++i;
  }
  return m;
}

// `f` throws E whose message contains `needle`.
template <class E, class F>
void expect_throw_with(F f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// --- hand-computed examples ---------------------------------------------------------------------

TEST(Centering, ColumnsHaveMeanZeroAndEqualHX) {
  const Mat<Rational> X = mat({{1, 4}, {2, 0}, {6, 2}});
  EXPECT_TRUE(center_columns(X) == mat({{-2, 2}, {-1, -2}, {3, 0}}));
  EXPECT_TRUE(center_columns(X) == Mat<Rational>(centering_matrix<Rational>(3) * X));
}

// X = [[1,0],[0,1],[-1,-1]] (centred), Y = its first column: X^T X = [[2,1],[1,2]], ||X^T X||^2 = 10,
// Y^T X = [2, 1], ||Y^T X||^2 = 5, ||Y^T Y||^2 = 4, so CKA^2 = 25 / 40 = 5/8.
TEST(LinearCka, HandComputedTwoDimensional) {
  const Mat<Rational> X = mat({{1, 0}, {0, 1}, {-1, -1}});
  const Mat<Rational> Y = mat({{1}, {0}, {-1}});
  EXPECT_EQ(cka_squared(X, Y), Rational(5, 8));
  EXPECT_EQ(cka_squared_gram(linear_kernel(X), linear_kernel(Y)), Rational(5, 8));
  EXPECT_EQ(cka_squared(X, X), Rational(1));
}

// x = [1,2,3], y = [1,3,2]: centred [-1,0,1] and [-1,1,0], x.y = 1, |x|^2 = |y|^2 = 2, so
// r = 1/2, CKA = r^2 = 1/4 and CKA^2 = 1/16.
TEST(LinearCka, HandComputedOneDimensionalIsPearsonSquared) {
  const Mat<Rational> x = mat({{1}, {2}, {3}}), y = mat({{1}, {3}, {2}});
  EXPECT_EQ(cka_squared(x, y), Rational(1, 16));
  // The sqrt forms in double, as floating screening (not exact): within 1e-12 of 1/4.
  EXPECT_NEAR(linear_cka<double>(x.cast<double>(), y.cast<double>()), 0.25, 1e-12);
  EXPECT_NEAR(linear_cka_gram<double>(linear_kernel(x).cast<double>(), linear_kernel(y).cast<double>()), 0.25,
              1e-12);
}

// x = [1,1,0,0], y = [1,0,1,0], n = 4. K~ has ones at (0,1),(1,0); L~ at (0,2),(2,0).
//   HSIC_u(K,L): tr(K~L~) = 0, 1^T K~ 1 1^T L~ 1/(3*2) = 4/6, 2/2 1^T K~ L~ 1 = 1  ->  (2/3 - 1)/4 = -1/12
//   HSIC_u(K,K): 2 + 2/3 - 2 = 2/3  ->  1/6;   HSIC_u(L,L) = 1/6 likewise.
// Ratio -1/12 / (1/6) = -1/2, signed square -1/4. Feature form: 0 - 2 (4/16) + 1/6 = -1/3 = 4 * (-1/12).
TEST(DebiasedHsic, HandComputedNegativeExample) {
  const Mat<Rational> x = mat({{1}, {1}, {0}, {0}}), y = mat({{1}, {0}, {1}, {0}});
  const Mat<Rational> K = linear_kernel(x), L = linear_kernel(y);
  EXPECT_EQ(hsic_unbiased(K, L), Rational(-1, 12));
  EXPECT_EQ(hsic_unbiased(K, K), Rational(1, 6));
  EXPECT_EQ(hsic_unbiased(L, L), Rational(1, 6));
  EXPECT_EQ(debiased_cka_signed_square(K, L), Rational(-1, 4));
  EXPECT_NEAR(debiased_cka<double>(K.cast<double>(), L.cast<double>()), -0.5, 1e-12);  // floating
  EXPECT_EQ(debiased_dot_product_similarity(x, y), Rational(-1, 3));
}

TEST(DebiasedHsic, UndefinedRatioIsAnError) {
  const Mat<Rational> x = mat({{1}, {1}, {1}, {1}});  // constant: HSIC_u(K,K) = 0
  const Mat<Rational> y = mat({{1}, {0}, {1}, {0}});
  expect_throw_with<std::domain_error>(
      [&] { debiased_cka_signed_square(linear_kernel(x), linear_kernel(y)); }, "not positive");
}

// A = [1,2,3,4]: N_A = {2,3},{2,3},{1,3},{1,2} (k = 2). B = [4,3,2,1]: N_B = {1,2},{0,2},{0,1},{0,1}.
// One shared neighbour in every row: m = 4 / (4 * 2) = 1/2.
TEST(MutualKnn, HandComputedWithoutTies) {
  const Mat<Rational> A = mat({{1}, {2}, {3}, {4}}), B = mat({{4}, {3}, {2}, {1}});
  const auto na = nearest_neighbours(A, 2);
  EXPECT_EQ(na, (std::vector<std::vector<int>>{{2, 3}, {2, 3}, {1, 3}, {1, 2}}));
  EXPECT_EQ(mutual_knn(A, B, 2), Rational(1, 2));
  EXPECT_EQ(mutual_knn(A, A, 2), Rational(1));
  // Rotation by 90 degrees and scaling by 3 keep F F^T up to the factor 9.
  const Mat<Rational> A2 = mat({{1, 0}, {0, 2}, {3, 1}, {-1, 4}});
  const Mat<Rational> R = mat({{0, -3}, {3, 0}});
  EXPECT_EQ(mutual_knn(A2, Mat<Rational>(A2 * R), 1), Rational(1));
}

// The sample is never its own neighbour: with k = n - 1 every other sample is a neighbour.
TEST(MutualKnn, DiagonalIsExcluded) {
  const Mat<Rational> A = mat({{5}, {1}, {2}});
  EXPECT_EQ(nearest_neighbours(A, 1), (std::vector<std::vector<int>>{{2}, {0}, {0}}));
  EXPECT_EQ(nearest_neighbours(A, 2), (std::vector<std::vector<int>>{{1, 2}, {0, 2}, {0, 1}}));
}

TEST(MutualKnn, TieAtTheBoundaryIsAnError) {
  // Row 3 (value 2) sees similarities 2, 2, 2: its top-1 set is a tie-break.
  const Mat<Rational> A = mat({{1}, {1}, {1}, {2}});
  EXPECT_TRUE(has_top_k_tie(A, 1));
  expect_throw_with<std::domain_error>([&] { mutual_knn(A, A, 1); }, "tie at the top-1 boundary");
}

TEST(MutualKnn, TieInsideTheTopKIsNotAnError) {
  // Row 0 (value 1) sees 3, 3, 2: the top-2 set {1, 2} is the same whichever way the tie breaks.
  const Mat<Rational> A = mat({{1}, {3}, {3}, {2}});
  EXPECT_FALSE(has_top_k_tie(A, 2));
  EXPECT_EQ(nearest_neighbours(A, 2)[0], (std::vector<int>{1, 2}));
}

// --- shape errors -------------------------------------------------------------------------------

TEST(ShapeErrors, NamedInTheMessage) {
  const Mat<Rational> X = mat({{1, 0}, {0, 1}, {2, 2}}), Y4 = mat({{1}, {2}, {3}, {5}});
  expect_throw_with<std::invalid_argument>([&] { cka_squared(X, Y4); }, "X is 3x2 and Y is 4x1");
  expect_throw_with<std::invalid_argument>([&] { cka_squared(mat({{1}}), mat({{2}})); }, "needs n >= 2");
  expect_throw_with<std::invalid_argument>(
      [&] { cka_squared_gram(linear_kernel(X), linear_kernel(Y4)); }, "K is 3x3 and L is 4x4");
  expect_throw_with<std::invalid_argument>([&] { hsic_unbiased(linear_kernel(X), linear_kernel(X)); },
                                           "n = 3 examples; needs n >= 4");
  expect_throw_with<std::invalid_argument>([&] { hsic_unbiased(X, X); }, "K is 3x2");
  expect_throw_with<std::invalid_argument>([&] { debiased_dot_product_similarity(X, X); }, "needs n >= 4");
  expect_throw_with<std::invalid_argument>([&] { mutual_knn(X, Y4, 1); }, "A is 3x2 and B is 4x1");
  expect_throw_with<std::invalid_argument>([&] { mutual_knn(Y4, Y4, 4); }, "k = 4 with n = 4");
  expect_throw_with<std::invalid_argument>([&] { mutual_knn(Y4, Y4, 0); }, "needs 1 <= k < n");
}

// --- identities on generated instances (exact) --------------------------------------------------

// n examples, features of widths dx and dy.
std::pair<Mat<Rational>, Mat<Rational>> any_pair(int min_n, int max_n) {
  const int n = *gen::dimension(min_n, max_n);
  return {*gen::matrix(n, *gen::dimension(1, 3)), *gen::matrix(n, *gen::dimension(1, 3))};
}

bool constant(const Mat<Rational>& F) { return center_columns(F).isZero(0); }

RC_GTEST_PROP(LinearCka, FeatureFormEqualsGramForm, ()) {
  const auto [X, Y] = any_pair(2, 6);
  RC_PRE(!constant(X) && !constant(Y));
  const Mat<Rational> Xc = center_columns(X), Yc = center_columns(Y);
  RC_ASSERT((Yc.transpose() * Xc).squaredNorm() == centered_kernel_product(linear_kernel(X), linear_kernel(Y)));
  RC_ASSERT(cka_squared(X, Y) == cka_squared_gram(linear_kernel(X), linear_kernel(Y)));
}

RC_GTEST_PROP(LinearCka, OneDimensionalIsPearsonSquared, ()) {
  const int n = *gen::dimension(2, 6);
  const Mat<Rational> x = *gen::matrix(n, 1), y = *gen::matrix(n, 1);
  RC_PRE(!constant(x) && !constant(y));
  const Vec<Rational> xc = center_columns(x).col(0), yc = center_columns(y).col(0);
  const Rational r2 = xc.dot(yc) * xc.dot(yc) / (xc.squaredNorm() * yc.squaredNorm());
  RC_ASSERT(cka_squared(x, y) == r2 * r2);  // CKA = r^2
}

RC_GTEST_PROP(DebiasedHsic, GoogleResearchFormIsNNMinus3TimesHsicU, ()) {
  const auto [X, Y] = any_pair(4, 7);
  const Rational n = X.rows();
  RC_ASSERT(debiased_dot_product_similarity(X, Y) ==
            n * (n - 3) * hsic_unbiased(linear_kernel(X), linear_kernel(Y)));
}

}  // namespace
}  // namespace entropic
