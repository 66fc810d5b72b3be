// certified_positive_definite and certified_symmetric_eigenvalues (numeric/certified_spectrum.hpp) on
// symmetric matrices with a known spectrum: R diag(d) R^T, R the exactly orthogonal Cayley transform
// (I - K)(I + K)^-1 of a rational skew K, so that the eigenvalues are the rationals d. Each enclosure
// must contain its eigenvalue and exclude the neighbouring rationals d_i +- 1/1000; positive
// definiteness must be proved for d > 0 and not for a d with a negative entry.
#include <gtest/gtest.h>

#include "entropic/numeric/certified_spectrum.hpp"
#include "entropic/numeric/kind.hpp"
#include "entropic/numeric/linear_solve.hpp"

namespace entropic {
namespace {

using Q = Rational;

Mat<Q> with_spectrum(const std::vector<Q>& d) {
  const int n = static_cast<int>(d.size());
  Mat<Q> K = Mat<Q>::Zero(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      K(i, j) = Q(((i + 2 * j) % 5) - 2, 3 + (i + j) % 4);
      K(j, i) = -K(i, j);
    }
  const Mat<Q> I = Mat<Q>::Identity(n, n);
  const Mat<Q> R = (I - K) * exact_inverse(Mat<Q>(I + K));
  Mat<Q> D = Mat<Q>::Zero(n, n);
  for (int i = 0; i < n; ++i) D(i, i) = d[static_cast<size_t>(i)];
  return R * D * R.transpose();
}

TEST(CertifiedSpectrum, EnclosesAKnownSpectrumInOrder) {
  const PrecisionScope precision(128);
  const std::vector<Q> d = {Q(-3, 2), Q(1, 7), Q(1, 3), Q(2), Q(5)};  // increasing
  const Mat<Q> A = with_spectrum(d);
  const Vec<Interval> e = certified_symmetric_eigenvalues(from_rational<Interval>(A));
  ASSERT_EQ(e.size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(contains(e[i], d[static_cast<size_t>(i)])) << i << ": " << to_text(e[i]);
    EXPECT_FALSE(contains(e[i], Q(d[static_cast<size_t>(i)] + Q(1, 1000))));  // negative control
    EXPECT_FALSE(contains(e[i], Q(d[static_cast<size_t>(i)] - Q(1, 1000))));
  }
  EXPECT_FALSE(certified_positive_definite(from_rational<Interval>(A)));
}

TEST(CertifiedSpectrum, ProvesPositiveDefinitenessOnlyWhenItHolds) {
  const PrecisionScope precision(128);
  EXPECT_TRUE(certified_positive_definite(from_rational<Interval>(with_spectrum({Q(1, 100), Q(1), Q(3)}))));
  EXPECT_FALSE(certified_positive_definite(from_rational<Interval>(with_spectrum({Q(-1, 100), Q(1), Q(3)}))));
  // Singular (an eigenvalue 0): not proved, whatever the precision.
  EXPECT_FALSE(certified_positive_definite(from_rational<Interval>(with_spectrum({Q(0), Q(1), Q(3)}))));
}

TEST(CertifiedSpectrum, RefusesWhatItCannotCertify) {
  const PrecisionScope precision(128);
  // A double eigenvalue cannot be separated.
  EXPECT_THROW(certified_symmetric_eigenvalues(from_rational<Interval>(with_spectrum({Q(2), Q(2), Q(3)}))),
               interval_error);
  Mat<Interval> asymmetric = Mat<Interval>::Identity(2, 2);
  asymmetric(0, 1) = Interval(1);
  EXPECT_THROW(certified_symmetric_eigenvalues(asymmetric), std::invalid_argument);
  EXPECT_THROW(certified_positive_definite(Mat<Interval>::Identity(2, 3)), std::invalid_argument);
}

}  // namespace
}  // namespace entropic
