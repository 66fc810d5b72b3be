// The FLINT and Arb kernels under Eigen's product and the exact and certified solves
// (numeric/matrix_kernels.hpp, numeric/linear_solve.hpp), against the scalar definitions:
//   - a Rational product through fmpq_mat_mul equals the triple loop exactly, for every storage order
//     of the operands, for a scaled product (alpha) and an accumulating one;
//   - an Interval product through arb_mat_mul contains the exact product of the rational points and
//     is narrow: a value moved by a few ulps of the precision lies outside;
//   - exact_solve / exact_inverse satisfy A X = B exactly; certified_solve / certified_inverse
//     contain the exact solution; singular and ill-shaped inputs are refused by name.
#include <gtest/gtest.h>

#include <cstdint>

#include "entropic/numeric/arb_interval.hpp"
#include "entropic/numeric/kind.hpp"
#include "entropic/numeric/linear_solve.hpp"

namespace entropic {
namespace {

using Q = Rational;

// Small fractions with a few denominators, from a fixed linear congruential sequence.
Mat<Q> fractions(int rows, int cols, std::uint32_t seed) {
  Mat<Q> m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      seed = seed * 1664525u + 1013904223u;
      m(i, j) = Q(static_cast<int>(seed >> 24) % 19 - 9, 1 + static_cast<int>((seed >> 8) % 6));
    }
  return m;
}

// The product by its definition, one scalar at a time (no Eigen product involved).
Mat<Q> triple_loop(const Mat<Q>& a, const Mat<Q>& b) {
  Mat<Q> c(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      Q s(0);
      for (Eigen::Index k = 0; k < a.cols(); ++k) s += a(i, k) * b(k, j);
      c(i, j) = s;
    }
  return c;
}

TEST(MatrixKernels, RationalProductIsTheTripleLoopExactly) {
  // Sizes past Eigen's threshold for its coefficient loop (rows + cols + depth >= 20).
  const Mat<Q> a = fractions(23, 31, 1), b = fractions(31, 17, 2), c0 = fractions(23, 17, 3);
  const Mat<Q> expected = triple_loop(a, b);
  EXPECT_EQ(Mat<Q>(a * b), expected);
  const Mat<Q> at = a.transpose(), bt = b.transpose();
  EXPECT_EQ(Mat<Q>(at.transpose() * b), expected);          // row-major lhs
  EXPECT_EQ(Mat<Q>(a * bt.transpose()), expected);          // row-major rhs
  EXPECT_EQ(Mat<Q>((bt * at).transpose()), expected);       // the transposed product
  Eigen::Matrix<Q, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = a * b;
  EXPECT_EQ(Mat<Q>(row_major), expected);                   // row-major result
  Mat<Q> scaled = c0;
  scaled.noalias() += Q(-2, 3) * (a * b);
  EXPECT_EQ(scaled, Mat<Q>(c0 + Q(-2, 3) * expected));      // alpha and accumulation
  // Negative control: the comparison sees a change of one entry.
  Mat<Q> wrong = expected;
  wrong(5, 7) += Q(1, 1000000);
  EXPECT_NE(Mat<Q>(a * b), wrong);
}

TEST(MatrixKernels, IntervalProductEnclosesTheExactProductNarrowly) {
  for (unsigned bits : {64u, 256u}) {
    const PrecisionScope precision(bits);
    const Mat<Q> a = fractions(30, 25, 4), b = fractions(25, 28, 5);
    const Mat<Q> exact = triple_loop(a, b);
    const Mat<Interval> c = from_rational<Interval>(a) * from_rational<Interval>(b);
    // 2^(16 - bits) relative: the product's rounding, with room for its 25 terms and the conversions.
    const Q slack = Q(1) / Q(Integer(1) << (bits - 16));
    int outside_after_shift = 0;
    for (Eigen::Index i = 0; i < c.rows(); ++i)
      for (Eigen::Index j = 0; j < c.cols(); ++j) {
        ASSERT_TRUE(contains(c(i, j), exact(i, j))) << bits << " bits, (" << i << ", " << j << ")";
        const Q scale = std::max(Q(1), Q(abs(exact(i, j))));
        EXPECT_TRUE(Real(width(c(i, j))) <= Real(slack * scale)) << to_text(c(i, j));
        outside_after_shift += !contains(c(i, j), Q(exact(i, j) + 2 * slack * scale));
      }
    EXPECT_EQ(outside_after_shift, c.size()) << "a shifted value was inside an enclosure";
  }
}

// Matrix-vector products (Eigen's gemv, handed to the same kernels above its small-size threshold):
// the exact product for both storage orders of A, as a row vector times a matrix, and accumulating
// (r += alpha A x); intervals contain it narrowly. Sizes on both sides of the threshold (rows + cols
// < 20 stays on the coefficient loop).
TEST(MatrixKernels, MatrixVectorProductsAreTheLoopExactly) {
  for (int n : {4, 23, 60}) {
    const Mat<Q> a = fractions(n, n + 3, 6), x = fractions(n + 3, 1, 7), r0 = fractions(n, 1, 8);
    const Mat<Q> expected = triple_loop(a, x);
    const Vec<Q> xv = x.col(0);
    EXPECT_EQ(Mat<Q>(a * xv), expected) << n;
    const Eigen::Matrix<Q, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = a;
    EXPECT_EQ(Mat<Q>(row_major * xv), expected) << n;
    EXPECT_EQ(Mat<Q>((xv.transpose() * a.transpose()).transpose()), expected) << n;
    Vec<Q> acc = r0.col(0);
    acc += Q(-2, 3) * (a * xv);
    EXPECT_EQ(Mat<Q>(acc), Mat<Q>(r0 + Q(-2, 3) * expected)) << n;
    Vec<Q> wrong = expected.col(0);
    wrong(n / 2) += Q(1, 1000000);
    EXPECT_NE(Vec<Q>(a * xv), wrong);  // negative control
    const PrecisionScope precision(128);
    const Vec<Interval> c = from_rational<Interval>(a) * from_rational<Interval>(Mat<Q>(xv));
    const Vec<Interval> cr = Eigen::Matrix<Interval, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>(
                                 from_rational<Interval>(a)) * from_rational<Interval>(Mat<Q>(xv));
    const Q slack = Q(1) / Q(Integer(1) << (128 - 16));
    for (int i = 0; i < n; ++i) {
      const Q scale = std::max(Q(1), Q(abs(expected(i, 0))));
      EXPECT_TRUE(contains(c(i), expected(i, 0))) << n << ", " << i;
      EXPECT_TRUE(contains(cr(i), expected(i, 0))) << n << ", " << i;
      EXPECT_TRUE(Real(width(c(i))) <= Real(slack * scale)) << to_text(c(i));
      EXPECT_FALSE(contains(c(i), Q(expected(i, 0) + 2 * slack * scale)));
    }
  }
}

TEST(MatrixKernels, ExactSolveAndInverse) {
  const Mat<Q> a = Mat<Q>(fractions(24, 24, 6) + Mat<Q>(Q(10) * Mat<Q>::Identity(24, 24)));
  const Mat<Q> b = fractions(24, 3, 7);
  const Mat<Q> x = exact_solve(a, b);
  EXPECT_EQ(triple_loop(a, x), b);
  EXPECT_EQ(triple_loop(a, exact_inverse(a)), Mat<Q>(Mat<Q>::Identity(24, 24)));
  EXPECT_EQ(linear_solve(a, b), x);
  Mat<Q> wrong = x;
  wrong(0, 0) += 1;
  EXPECT_NE(triple_loop(a, wrong), b);  // negative control

  Mat<Q> singular = a;
  singular.row(3) = singular.row(1) * Q(2, 3);
  EXPECT_THROW(exact_solve(singular, b), std::domain_error);
  EXPECT_THROW(exact_inverse(singular), std::domain_error);
  EXPECT_THROW(exact_solve(fractions(3, 4, 1), fractions(3, 1, 2)), std::invalid_argument);
  EXPECT_THROW(exact_solve(a, fractions(5, 1, 2)), std::invalid_argument);
}

TEST(MatrixKernels, CertifiedSolveAndInverseContainTheExactOnes) {
  const PrecisionScope precision(128);
  const Mat<Q> a = Mat<Q>(fractions(20, 20, 8) + Mat<Q>(Q(12) * Mat<Q>::Identity(20, 20)));
  const Mat<Q> b = fractions(20, 2, 9);
  const Mat<Q> x = exact_solve(a, b), inv = exact_inverse(a);
  const Mat<Interval> xi = certified_solve(from_rational<Interval>(a), from_rational<Interval>(b));
  const Mat<Interval> invi = certified_inverse(from_rational<Interval>(a));
  for (Eigen::Index i = 0; i < 20; ++i) {
    for (Eigen::Index j = 0; j < 2; ++j) EXPECT_TRUE(contains(xi(i, j), x(i, j))) << i << ", " << j;
    for (Eigen::Index j = 0; j < 20; ++j) EXPECT_TRUE(contains(invi(i, j), inv(i, j))) << i << ", " << j;
  }
  EXPECT_FALSE(contains(xi(0, 0), Q(x(0, 0) + Q(1, 1000000))));  // narrow enough to reject a wrong value
  // An interval matrix that contains a singular one cannot be certified invertible.
  Mat<Interval> near_singular(2, 2);
  near_singular << Interval(1), Interval(1), Interval(1), Interval(Interval(1) + Interval(-1e-60, 1e-60));
  EXPECT_THROW(certified_solve(near_singular, Mat<Interval>::Ones(2, 1)), interval_error);
  EXPECT_THROW(certified_inverse(near_singular), interval_error);
}

}  // namespace
}  // namespace entropic
