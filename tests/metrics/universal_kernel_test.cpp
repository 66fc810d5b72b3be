// The universal kernel Q* (metrics/universal_kernel.hpp): the 2 x 2 closed form against the
// Denman-Beavers root, a hand example, dimensions 3, shape errors.
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
  EXPECT_TRUE(mp::zero_in(Interval(Q(0, 0) - 2)));
  EXPECT_TRUE(mp::zero_in(Interval(Q(1, 1) - 1)));
  EXPECT_TRUE(mp::zero_in(Q(0, 1)));
  EXPECT_FALSE(mp::zero_in(Interval(Q(0, 0) - 1)));  // the enclosure is not vacuous
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

TEST(UniversalKernel, ShapesAreChecked) {
  EXPECT_THROW(geometric_mean_2x2<Rational>(Mat<Rational>::Identity(3, 3), Mat<Rational>::Identity(2, 2)),
               std::invalid_argument);
  EXPECT_THROW(target_kernel<Rational>(Mat<Rational>::Identity(2, 2), Mat<Rational>::Identity(3, 3)),
               std::invalid_argument);
}

}  // namespace
}  // namespace entropic
