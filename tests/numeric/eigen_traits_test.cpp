// Eigen::NumTraits for the multiprecision scalars (numeric/eigen_traits.hpp), proved the way Eigen's
// own test/boostmultiprec.cpp proves Boost's: run the dense solvers on them and check the results
// against exact references, with tolerances written as multiples of the arithmetic's epsilon.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <limits>

#include "entropic/numeric/kind.hpp"

namespace entropic {
namespace {

using Eigen::NumTraits;

// The exact value of a binary floating-point number (mpfr_get_q is exact).
Rational exact_value(const Real& x) {
  mpq_t m;
  mpq_init(m);
  mpfr_get_q(m, x.backend().data());
  Rational q;
  fmpq_set_mpq(q.backend().data(), m);
  mpq_clear(m);
  return q;
}

// 2^e as an exact rational.
Rational pow2(int e) {
  Rational r(1);
  for (int i = 0; i < (e < 0 ? -e : e); ++i) r *= 2;
  return e < 0 ? Rational(1 / r) : r;
}

// The second-difference matrix tridiag(-1, 2, -1) of order n. Its eigenvalues are
// 2 - 2 cos(k pi / (n + 1)), k = 1..n (classical; e.g. G. Strang, Linear Algebra and Its
// Applications, the discrete Laplacian), a reference independent of the solver.
Mat<Rational> second_difference(int n) {
  Mat<Rational> A = Mat<Rational>::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    A(i, i) = 2;
    if (i + 1 < n) A(i, i + 1) = A(i + 1, i) = -1;
  }
  return A;
}

struct EigenRun {
  Real max_residual;          // max_k ||A v_k - mu_k v_k|| / ||A||
  Real max_orthogonality;     // ||V^T V - I||_max
  Real max_eigenvalue_error;  // max_k |mu_k - (2 - 2 cos(k pi / (n + 1)))|
  Real epsilon;
};

// Everything is created inside the scope, so every temporary Eigen makes has `bits` bits.
EigenRun solve_second_difference(int n, unsigned bits) {
  PrecisionScope scope(bits);
  const Mat<Real> A = from_rational<Real>(second_difference(n));
  Eigen::SelfAdjointEigenSolver<Mat<Real>> es(A);
  EXPECT_EQ(es.info(), Eigen::Success);
  const Mat<Real>& V = es.eigenvectors();
  const Vec<Real>& mu = es.eigenvalues();  // ascending
  const Real pi = 4 * atan(Real(1));
  EigenRun run{Real(0), Real(0), Real(0), NumTraits<Real>::epsilon()};
  const Real norm_A = A.norm();
  for (int k = 0; k < n; ++k) {
    const Real r = Vec<Real>(A * V.col(k) - mu[k] * V.col(k)).norm() / norm_A;
    if (r > run.max_residual) run.max_residual = r;
    const Real exact = 2 - 2 * cos(Real(k + 1) * pi / Real(n + 1));
    const Real e = abs(mu[k] - exact);
    if (e > run.max_eigenvalue_error) run.max_eigenvalue_error = e;
  }
  run.max_orthogonality =
      Mat<Real>(V.transpose() * V - Mat<Real>::Identity(n, n)).cwiseAbs().maxCoeff();
  return run;
}

// A backward-stable symmetric eigensolver has residual and loss of orthogonality O(n eps) and, for a
// well-conditioned symmetric problem, eigenvalue error O(n eps ||A||) (Golub & Van Loan, 8.1-8.3).
// ||A|| <= 4 here; kSolverFactor absorbs the constant.
constexpr int kN = 8;
constexpr int kSolverFactor = 16;

TEST(EigenTraitsReal, SelfAdjointEigenSolverAt256Bits) {
  const EigenRun run = solve_second_difference(kN, 256);
  const Real bound = kSolverFactor * kN * run.epsilon;
  EXPECT_LE(run.max_residual, bound);
  EXPECT_LE(run.max_orthogonality, bound);
  EXPECT_LE(run.max_eigenvalue_error, 4 * bound);
}

TEST(EigenTraitsReal, PrecisionIsHonoured) {
  const EigenRun low = solve_second_difference(kN, 64);
  const EigenRun high = solve_second_difference(kN, 256);
  // epsilon follows the working precision: 2^(1 - p) with p the bits in force.
  {
    PrecisionScope scope(64);
    EXPECT_EQ(exact_value(low.epsilon), pow2(1 - static_cast<int>(scope.bits())));
  }
  {
    PrecisionScope scope(256);
    EXPECT_EQ(exact_value(high.epsilon), pow2(1 - static_cast<int>(scope.bits())));
  }
  // Each run is accurate to its own precision ...
  EXPECT_LE(low.max_eigenvalue_error, 4 * kSolverFactor * kN * low.epsilon);
  EXPECT_LE(high.max_eigenvalue_error, 4 * kSolverFactor * kN * high.epsilon);
  // ... and the 64-bit run really rounded at 64 bits: its error is far above what 256 bits allow.
  // (If the solver ignored the working precision, both runs would agree.)
  EXPECT_GT(low.max_eigenvalue_error, 4 * kSolverFactor * kN * high.epsilon);
  EXPECT_GT(low.max_residual + low.max_orthogonality, 2 * kSolverFactor * kN * high.epsilon);
}

TEST(EigenTraitsReal, LimitsAtTheWorkingPrecision) {
  PrecisionScope scope(128);
  const Real eps = NumTraits<Real>::epsilon();
  EXPECT_EQ(exact_value(eps), pow2(1 - static_cast<int>(scope.bits())));
  EXPECT_GT(Real(1) + eps, Real(1));
  EXPECT_EQ(Real(1) + eps / 4, Real(1));  // below half an ulp of 1: rounds back to 1
  // Boost reports INT_MAX digits for the run-time precision; Eigen must see the bits in force.
  EXPECT_EQ(NumTraits<Real>::digits(), static_cast<int>(scope.bits()));
  EXPECT_EQ(NumTraits<Real>::digits10(), static_cast<int>(Real::default_precision()));
  // Boost 1.74's eigen.hpp returned the smallest positive value as lowest(); it must be -highest().
  const Real hi = NumTraits<Real>::highest(), lo = NumTraits<Real>::lowest();
  EXPECT_TRUE(boost::multiprecision::isfinite(hi));
  EXPECT_GT(hi, Real(std::numeric_limits<double>::max()));
  EXPECT_LT(lo, Real(0));
  EXPECT_EQ(lo, -hi);
  // dummy_precision = eps^(3/4), Eigen's relation for double, between eps and 1.
  EXPECT_GT(NumTraits<Real>::dummy_precision(), eps);
  EXPECT_LT(NumTraits<Real>::dummy_precision(), Real(1));
}

TEST(EigenTraitsStaticReal, LimitsFollowTheCompileTimeDigits) {
  using R50 = StaticReal<50>;
  EXPECT_EQ(NumTraits<R50>::epsilon(), std::numeric_limits<R50>::epsilon());
  EXPECT_GE(NumTraits<R50>::digits10(), 50);
  EXPECT_EQ(NumTraits<R50>::lowest(), -NumTraits<R50>::highest());
  EXPECT_LT(NumTraits<R50>::lowest(), R50(0));
}

TEST(EigenTraitsInterval, LimitsAtTheWorkingPrecision) {
  PrecisionScope scope(96);
  const Real eps = upper(NumTraits<Interval>::epsilon());
  EXPECT_EQ(exact_value(eps), pow2(1 - static_cast<int>(scope.bits())));
  // No tolerance is ever implied for an enclosure.
  EXPECT_EQ(upper(NumTraits<Interval>::dummy_precision()), Real(0));
  EXPECT_EQ(NumTraits<Interval>::digits(), static_cast<int>(scope.bits()));
  // Boost 1.74's numeric_limits for the run-time precision interval are all 0: lowest() must
  // still be the most negative finite number.
  const Interval hi = NumTraits<Interval>::highest();
  EXPECT_TRUE(boost::multiprecision::isfinite(upper(hi)));
  EXPECT_EQ(lower(hi), upper(hi));
  EXPECT_GT(lower(hi), Real(std::numeric_limits<double>::max()));
  EXPECT_LT(upper(NumTraits<Interval>::lowest()), Real(0));
  EXPECT_EQ(lower(NumTraits<Interval>::lowest()), -upper(hi));
}

TEST(EigenTraitsRational, ExactArithmeticHasNoTolerance) {
  EXPECT_EQ(NumTraits<Rational>::epsilon(), 0);
  EXPECT_EQ(NumTraits<Rational>::dummy_precision(), 0);
  EXPECT_EQ(NumTraits<Rational>::IsInteger, 0);
  EXPECT_EQ(NumTraits<Rational>::IsSigned, 1);
  // The wrappers inherit the tolerance of their coefficients.
  EXPECT_EQ(NumTraits<Dual<Rational>>::epsilon().value(), 0);
  EXPECT_EQ((NumTraits<Series<Rational, 3>>::epsilon().constant()), 0);
  {
    PrecisionScope scope(64);
    EXPECT_EQ(NumTraits<Dual<Real>>::epsilon().value(), NumTraits<Real>::epsilon());
  }
}

// The inverse of the 4x4 Hilbert matrix H_ij = 1/(i + j - 1) is the integer matrix below
// (M.-D. Choi, "Tricks or treats with the Hilbert matrix", Amer. Math. Monthly 90 (1983); MATLAB's
// invhilb(4)).
Mat<Rational> hilbert(int n) {
  Mat<Rational> H(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) H(i, j) = Rational(1, i + j + 1);
  return H;
}
Mat<Rational> inverse_hilbert4() {
  Mat<Rational> K(4, 4);
  K << 16, -120, 240, -140,      //
      -120, 1200, -2700, 1680,   //
      240, -2700, 6480, -4200,   //
      -140, 1680, -4200, 2800;
  return K;
}

TEST(EigenTraitsRational, PartialPivLuInverseOfHilbertIsExact) {
  const Mat<Rational> H = hilbert(4);
  const Mat<Rational> inv = H.partialPivLu().inverse();
  EXPECT_EQ(inv, inverse_hilbert4());
  EXPECT_EQ(Mat<Rational>(H * inv), Mat<Rational>::Identity(4, 4));
}

TEST(EigenTraitsRational, PartialPivLuSolveHasZeroResidual) {
  const Mat<Rational> H = hilbert(4);
  // b = H x for x = (1, -1/2, 1/3, -1/4): the solve must return x itself.
  Vec<Rational> x(4);
  x << 1, Rational(-1, 2), Rational(1, 3), Rational(-1, 4);
  const Vec<Rational> b = H * x;
  const Vec<Rational> solved = H.partialPivLu().solve(b);
  EXPECT_EQ(solved, x);
  EXPECT_TRUE(Vec<Rational>(H * solved - b).isZero(0));
  EXPECT_EQ(H.partialPivLu().determinant(), Rational(1, 6048000));  // det H_4 = 1/6048000
}

TEST(EigenTraitsRational, FullPivLuSolveAndInverseAreExact) {
  Mat<Rational> A(3, 3);
  A << Rational(1, 2), 3, -1,  //
      0, Rational(2, 7), 5,    //
      4, -1, Rational(1, 3);
  const Eigen::FullPivLU<Mat<Rational>> lu(A);
  ASSERT_TRUE(lu.isInvertible());
  EXPECT_EQ(lu.rank(), 3);
  EXPECT_EQ(Mat<Rational>(A * lu.inverse()), Mat<Rational>::Identity(3, 3));
  Vec<Rational> b(3);
  b << 1, Rational(-2, 3), Rational(5, 4);
  EXPECT_TRUE(Vec<Rational>(A * lu.solve(b) - b).isZero(0));
}

TEST(EigenTraitsRational, FullPivLuRankIsExact) {
  // Rank 2: row 3 = row 1 + 2 row 2. A floating LU would also see rank 2 here ...
  Mat<Rational> A(3, 3);
  A << 1, Rational(1, 3), 2,  //
      Rational(1, 5), 1, -1,  //
      Rational(7, 5), Rational(7, 3), 0;
  const Eigen::FullPivLU<Mat<Rational>> lu(A);
  EXPECT_EQ(lu.rank(), 2);
  EXPECT_FALSE(lu.isInvertible());
  const Mat<Rational> kernel = lu.kernel();
  ASSERT_EQ(kernel.cols(), 1);
  EXPECT_FALSE(kernel.isZero(0));
  EXPECT_TRUE(Mat<Rational>(A * kernel).isZero(0));
  // ... but only exact arithmetic with epsilon() = 0 sees full rank in diag(1, 10^-40): any
  // tolerance proportional to a floating epsilon would call the second pivot zero.
  Mat<Rational> tiny = Mat<Rational>::Identity(2, 2);
  tiny(1, 1) = Rational(1, Integer("10000000000000000000000000000000000000000"));
  EXPECT_EQ(Eigen::FullPivLU<Mat<Rational>>(tiny).rank(), 2);
}

TEST(EigenTraitsInterval, MatrixProductEnclosesTheExactProduct) {
  PrecisionScope scope(80);
  const Mat<Rational> H = hilbert(3);
  const Mat<Rational> exact = H * H;
  const Mat<Interval> enclosure = from_rational<Interval>(H) * from_rational<Interval>(H);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_LE(exact_value(lower(enclosure(i, j))), exact(i, j));
      EXPECT_GE(exact_value(upper(enclosure(i, j))), exact(i, j));
      // Narrow: a few rounding units of the entry.
      EXPECT_LE(width(enclosure(i, j)),
                16 * upper(NumTraits<Interval>::epsilon()) * upper(enclosure(i, j)));
    }
}

}  // namespace
}  // namespace entropic
