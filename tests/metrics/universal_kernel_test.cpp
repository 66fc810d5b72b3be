// The universal kernel Q* (metrics/universal_kernel.hpp): the 2 x 2 closed form against the
// Denman-Beavers root, a hand example, dimensions 3, shape errors; the rank-one (PSD) branch exactly
// on a hand example, as the limit of the SPD closed form, and not a solution for a rank-two B.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>

#include "entropic/metrics/universal_kernel.hpp"
#include "entropic/numeric/kind.hpp"

namespace entropic {
namespace {

Mat<Rational> rat(std::initializer_list<std::initializer_list<int>> rows) {
  Mat<Rational> m(rows.size(), rows.begin()->size());
  int i = 0;
  for (const auto& r : rows) {
    int j = 0;
    for (int v : r) m(i, j++) = v;
    ++i;
  }
  return m;
}

// Diagonal Sigma_x = diag(1, 4), B = diag(4, 4): Q Sigma_x Q = B gives Q = diag(2, 1), exactly
// representable, so the certified enclosure must contain it.
TEST(UniversalKernel, DiagonalHandExampleIsEnclosed) {
  PrecisionScope bits(128);
  const Mat<Interval> Q =
      universal_kernel_2x2<Interval>(from_rational<Interval>(rat({{1, 0}, {0, 4}})),
                                     from_rational<Interval>(rat({{4, 0}, {0, 4}})));
  EXPECT_TRUE(contains_zero(Interval(Q(0, 0) - 2)));
  EXPECT_TRUE(contains_zero(Interval(Q(1, 1) - 1)));
  EXPECT_TRUE(contains_zero(Q(0, 1)));
  EXPECT_FALSE(contains_zero(Interval(Q(0, 0) - 1)));  // the enclosure is not vacuous
}

TEST(UniversalKernel, ClosedFormAgreesWithDenmanBeavers) {
  PrecisionScope bits(256);
  const Mat<Real> S = from_rational<Real>(rat({{3, 1}, {1, 2}}));
  const Mat<Real> B = from_rational<Real>(rat({{5, -2}, {-2, 7}}));
  const Real eps = std::numeric_limits<Real>::epsilon();
  const Mat<Real> closed = universal_kernel_2x2<Real>(S, B);
  const Mat<Real> iterated = universal_kernel<Real>(S, B, Real(64 * eps));
  EXPECT_LE(Real((closed - iterated).cwiseAbs().maxCoeff()), Real(1024 * eps));
  EXPECT_LE(kernel_residual<Real>(closed, S, B), Real(1024 * eps));
  EXPECT_LE(kernel_residual<Real>(iterated, S, B), Real(1024 * eps));
  // Not the naive guesses.
  EXPECT_GT(kernel_residual<Real>(Mat<Real>(B), S, B), Real(1) / 10);
}

TEST(UniversalKernel, ThreeDimensionsByDenmanBeavers) {
  PrecisionScope bits(256);
  const Mat<Real> S = from_rational<Real>(rat({{4, 1, 0}, {1, 3, 1}, {0, 1, 2}}));
  const Mat<Real> B = from_rational<Real>(rat({{2, 0, 1}, {0, 5, 0}, {1, 0, 3}}));
  const Real eps = std::numeric_limits<Real>::epsilon();
  const Mat<Real> Q = universal_kernel<Real>(S, B, Real(64 * eps));
  EXPECT_LE(kernel_residual<Real>(Q, S, B), Real(4096 * eps));
  EXPECT_LE(Real((Q - Q.transpose()).cwiseAbs().maxCoeff()), Real(0));  // symmetrized
  Eigen::LLT<Mat<Real>> chol(Q);
  EXPECT_EQ(chol.info(), Eigen::Success);  // positive definite
}

// Sigma_x = [[2, 1], [1, 1]], v = (1, -1): v^T Sigma_x v = 1, B = 4 v v^T, tr(Sigma_x B) = 4, so
// Q* = B / 2 = 2 v v^T, rational. Q* Sigma_x Q* = 4 v (v^T Sigma_x v) v^T = B exactly, and the kernel
// of Q* is that of B, spanned by (1, 1).
TEST(UniversalKernel, RankOneHandExampleIsExact) {
  const Mat<Rational> S = rat({{2, 1}, {1, 1}}), B = rat({{4, -4}, {-4, 4}});
  const Mat<Rational> Q = universal_kernel_rank_one<Rational>(S, B);
  EXPECT_EQ(Q, rat({{2, -2}, {-2, 2}}));
  EXPECT_EQ(Mat<Rational>(Q * S * Q), B);
  EXPECT_EQ(det_2x2(Q), 0);
  EXPECT_EQ(Mat<Rational>(Q * rat({{1}, {1}})), Mat<Rational>::Zero(2, 1));
  // Ignoring Sigma_x (Q = B / sqrt(tr B), tr B = 8) is not rational here, let alone a solution.
  EXPECT_THROW(universal_kernel_rank_one<Rational>(Mat<Rational>::Identity(2, 2), B), not_rational);
}

// The branch needs B of rank one: for Sigma_x = I and B = diag(9, 16) it gives B / 5, whose square
// diag(81, 256) / 25 is not B.
TEST(UniversalKernel, RankOneBranchIsNoSolutionForRankTwo) {
  const Mat<Rational> B = rat({{9, 0}, {0, 16}});
  const Mat<Rational> Q = universal_kernel_rank_one<Rational>(Mat<Rational>::Identity(2, 2), B);
  EXPECT_NE(Mat<Rational>(Q * Q), B);
}

// The SPD closed form at B + delta I tends to the rank-one branch as delta -> 0, like sqrt(delta).
// In its 2 x 2 form Q(delta) = (B_d + s Sigma_x^{-1}) / sqrt(r + delta tr Sigma_x + 2 s), with
// B_d = B + delta I, s = sqrt(det Sigma_x det B_d), r = tr(Sigma_x B), and Q* = B / sqrt(r); since
// 0 <= 1/sqrt(r) - 1/sqrt(r + e) <= e / (2 r^{3/2}) for e >= 0,
//     |Q(delta) - Q*|_max <= (delta + s |Sigma_x^{-1}|_max) / sqrt(r) + |B|_max (delta tr Sigma_x + 2 s) / (2 r^{3/2}).
TEST(UniversalKernel, RankOneBranchIsTheLimitOfTheSpdClosedForm) {
  PrecisionScope bits(256);
  const Real eps = std::numeric_limits<Real>::epsilon();
  const Mat<Real> S = from_rational<Real>(rat({{3, 1}, {1, 2}}));
  const Mat<Real> V = from_rational<Real>(rat({{2, -1}, {-4, 2}}));  // rank one: (1, -2)^T (2, -1)
  const Mat<Real> B = target_kernel<Real>(V, from_rational<Real>(rat({{2, 1}, {1, 3}})));
  const Mat<Real> Q = universal_kernel_rank_one<Real>(S, B);
  const Real r = (S * B).trace();
  for (int k : {64, 128, 192}) {
    const Real delta = pow(Real(2), -k);
    const Mat<Real> B_d = B + delta * Mat<Real>::Identity(2, 2);
    const Real s = sqrt(det_2x2(S) * det_2x2(B_d));
    const Real bound = (delta + s * inverse_2x2(S).cwiseAbs().maxCoeff()) / sqrt(r) +
                       B.cwiseAbs().maxCoeff() * (delta * S.trace() + 2 * s) / (2 * r * sqrt(r));
    const Real error = (universal_kernel_2x2<Real>(S, B_d) - Q).cwiseAbs().maxCoeff();
    // The bound plus the rounding of a few hundred operations, as above.
    EXPECT_LE(error, bound + Real(1024 * eps) * B.cwiseAbs().maxCoeff()) << "delta = 2^-" << k;
  }
}

TEST(UniversalKernel, ShapesAreChecked) {
  EXPECT_THROW(universal_kernel_rank_one<Rational>(Mat<Rational>::Identity(2, 2), Mat<Rational>::Identity(3, 3)),
               std::invalid_argument);
  EXPECT_THROW(geometric_mean_2x2<Rational>(Mat<Rational>::Identity(3, 3), Mat<Rational>::Identity(2, 2)),
               std::invalid_argument);
  EXPECT_THROW(target_kernel<Rational>(Mat<Rational>::Identity(2, 2), Mat<Rational>::Identity(3, 3)),
               std::invalid_argument);
}

}  // namespace
}  // namespace entropic
