// certified_exp (numeric/interval_expm.hpp), tested the way Arb tests its functions: at a random
// precision (64 to 512 bits) on random small rational matrices, every entry of the result must
// contain a value known independently, exactly or as an enclosure of the elementary function computed
// at a higher precision:
//   exp(diag(q))        = diag(exp(q_i))
//   exp(N), N nilpotent = sum_{m < n} N^m / m!          (a finite rational sum)
//   exp([[0, -t], [t, 0]]) = [[cos t, -sin t], [sin t, cos t]]
//   exp(A) exp(-A)      = I
//   exp(A)^2            = exp(2A)                       (two enclosures of one matrix overlap)
// and the enclosures must be narrow, or containment would say nothing. Large norms are scaled and
// squared; a non-square matrix and an unbounded entry are refused with std::invalid_argument.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "entropic/gen/generators.hpp"
#include "entropic/numeric/interval_expm.hpp"
#include "entropic/numeric/kind.hpp"

namespace entropic {
namespace {

constexpr unsigned kReferenceExtraBits = 128;

rc::Gen<unsigned> precisions() { return rc::gen::inRange(64u, 513u); }

// inner is inside outer (both enclosures; any precisions).
bool inside(const Interval& inner, const Interval& outer) { return contains(outer, inner); }

// Width at most 2^(-bits/2) times max(1, |x|): the enclosure is informative at `bits`.
bool narrow(const Interval& x, unsigned bits) {
  const Real scale = std::max<Real>(Real(1), Real(upper(abs(x))));
  return Real(width(x)) <= scale * mp::ldexp(Real(1), -static_cast<int>(bits / 2));
}

Mat<Interval> enclose(const Mat<Rational>& m) { return from_rational<Interval>(m); }

void log_matrix(const char* name, const Mat<Interval>& m) {
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) RC_LOG() << name << "(" << i << ", " << j << ") = " << to_text(m(i, j)) << "\n";
}

RC_GTEST_PROP(CertifiedExp, DiagonalEnclosesExpOfEachEntry, ()) {
  const unsigned bits = *precisions();
  const int n = *gen::dimension(1, 4);
  const Vec<Rational> q = *gen::vector(n, gen::rational(9, 9));
  RC_LOG() << "bits " << bits << ", q = " << gen::show(q) << "\n";
  Mat<Interval> E;
  {
    const PrecisionScope scope(bits);
    E = certified_exp(enclose(Mat<Rational>(q.asDiagonal())));
  }
  log_matrix("exp", E);
  const PrecisionScope reference_scope(bits + kReferenceExtraBits);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i != j) {
        RC_ASSERT(contains(E(i, j), Rational(0)));
        continue;
      }
      const Interval reference = exp(from_rational<Interval>(q[i]));
      RC_ASSERT(inside(reference, E(i, i)));
      RC_ASSERT(narrow(E(i, i), bits));
    }
}

RC_GTEST_PROP(CertifiedExp, NilpotentEnclosesTheFiniteSum, ()) {
  const unsigned bits = *precisions();
  const int n = *gen::dimension(1, 4);
  Mat<Rational> N = *gen::matrix(n, n, gen::rational(9, 9));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j <= i; ++j) N(i, j) = 0;  // strictly upper triangular: N^n = 0
  RC_LOG() << "bits " << bits << ", N = " << gen::show(N) << "\n";
  Mat<Rational> exact = Mat<Rational>::Identity(n, n), power = exact;
  for (int m = 1; m < n; ++m) {
    power = Mat<Rational>(power * N) / Rational(m);
    exact += power;
  }
  const PrecisionScope scope(bits);
  const Mat<Interval> E = certified_exp(enclose(N));
  log_matrix("exp", E);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      RC_ASSERT(contains(E(i, j), exact(i, j)));
      RC_ASSERT(narrow(E(i, j), bits));
    }
}

RC_GTEST_PROP(CertifiedExp, RotationGeneratorEnclosesCosAndSin, ()) {
  const unsigned bits = *precisions();
  const Rational t = *gen::rational(9, 9);
  RC_LOG() << "bits " << bits << ", t = " << to_text(t) << "\n";
  Mat<Rational> A(2, 2);
  A << 0, -t, t, 0;
  Mat<Interval> E;
  {
    const PrecisionScope scope(bits);
    E = certified_exp(enclose(A));
  }
  log_matrix("exp", E);
  const PrecisionScope reference_scope(bits + kReferenceExtraBits);
  const Interval c = cos(from_rational<Interval>(t)), s = sin(from_rational<Interval>(t));
  RC_ASSERT(inside(c, E(0, 0)));
  RC_ASSERT(inside(c, E(1, 1)));
  RC_ASSERT(inside(s, E(1, 0)));
  RC_ASSERT(inside(Interval(-s), E(0, 1)));
  for (Eigen::Index k = 0; k < 4; ++k) RC_ASSERT(narrow(E.data()[k], bits));
}

// Random A with entries p/q, |p| <= 3, q <= 3, in dimension 1 to 3 (||A||_inf <= 9).
rc::Gen<Mat<Rational>> small_matrices() {
  return rc::gen::mapcat(gen::dimension(1, 3), [](int n) { return gen::matrix(n, n, gen::rational(3, 3)); });
}

RC_GTEST_PROP(CertifiedExp, ExpOfMinusAIsTheInverse, ()) {
  const unsigned bits = *precisions();
  const Mat<Rational> A = *small_matrices();
  RC_LOG() << "bits " << bits << ", A = " << gen::show(A) << "\n";
  const PrecisionScope scope(bits);
  const Mat<Interval> P = certified_exp(enclose(A)) * certified_exp(enclose(Mat<Rational>(-A)));
  log_matrix("exp(A) exp(-A)", P);
  const Mat<Rational> I = Mat<Rational>::Identity(A.rows(), A.cols());
  for (Eigen::Index k = 0; k < P.size(); ++k) {
    RC_ASSERT(contains(P.data()[k], I.data()[k]));
    // exp(A) entries reach e^9: allow that much cancellation.
    RC_ASSERT(Real(width(P.data()[k])) <= mp::ldexp(Real(1), -static_cast<int>(bits / 2)) * 1e8);
  }
}

RC_GTEST_PROP(CertifiedExp, SquareOverlapsExpOfTwoA, ()) {
  const unsigned bits = *precisions();
  const Mat<Rational> A = *small_matrices();
  RC_LOG() << "bits " << bits << ", A = " << gen::show(A) << "\n";
  const PrecisionScope scope(bits);
  const Mat<Interval> E = certified_exp(enclose(A));
  const Mat<Interval> square = E * E, doubled = certified_exp(enclose(Mat<Rational>(2 * A)));
  log_matrix("exp(A)^2", square);
  log_matrix("exp(2A)", doubled);
  for (Eigen::Index k = 0; k < E.size(); ++k) {
    RC_ASSERT(overlap(square.data()[k], doubled.data()[k]));
    RC_ASSERT(narrow(doubled.data()[k], bits));
  }
}

TEST(CertifiedExp, ZeroIsTheIdentityExactly) {
  const PrecisionScope scope(128);
  const Mat<Interval> E = certified_exp(Mat<Interval>::Zero(3, 3));
  for (Eigen::Index i = 0; i < 3; ++i)
    for (Eigen::Index j = 0; j < 3; ++j) {
      EXPECT_EQ(lower(E(i, j)), i == j ? 1 : 0);
      EXPECT_EQ(upper(E(i, j)), i == j ? 1 : 0);
    }
}

// An interval entry: exp encloses exp(M) for every M in it. exp([0, 1]) contains 1 and e.
TEST(CertifiedExp, WideEntryEnclosesEveryPointMatrix) {
  const PrecisionScope scope(128);
  Mat<Interval> A(1, 1);
  A(0, 0) = Interval(0, 1);
  const Mat<Interval> E = certified_exp(A);
  EXPECT_TRUE(contains(E(0, 0), Rational(1)));
  EXPECT_TRUE(inside(exp(Interval(1)), E(0, 0)));
}

TEST(CertifiedExp, RejectsANonSquareMatrix) {
  const PrecisionScope scope(128);
  try {
    certified_exp(Mat<Interval>::Zero(2, 3));
    FAIL() << "a 2 x 3 matrix was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not square (2 x 3)"), std::string::npos) << e.what();
  }
}

// A norm far beyond a plain Taylor series' reach: exp of the nilpotent [[0, 5000], [0, 0]] is exactly
// [[1, 5000], [0, 1]], and exp(t I) = e^t I at t = 3000 (about 2^4328).
TEST(CertifiedExp, ScalesAndSquaresALargeNorm) {
  const PrecisionScope scope(128);
  Mat<Interval> N = Mat<Interval>::Zero(2, 2);
  N(0, 1) = Interval(5000);
  const Mat<Interval> E = certified_exp(N);
  EXPECT_TRUE(contains(E(0, 0), Rational(1)) && contains(E(1, 1), Rational(1)));
  EXPECT_TRUE(contains(E(0, 1), Rational(5000)) && contains(E(1, 0), Rational(0)));
  EXPECT_TRUE(narrow(E(0, 1), 128));
  const Mat<Interval> big = certified_exp(Mat<Interval>(Interval(3000) * Mat<Interval>::Identity(2, 2)));
  EXPECT_TRUE(overlap(big(0, 0), exp(Interval(3000))));  // two enclosures of e^3000
  EXPECT_TRUE(narrow(big(0, 0), 128));
  EXPECT_TRUE(contains(big(0, 1), Rational(0)));
}

TEST(CertifiedExp, RejectsAnUnboundedEntry) {
  const PrecisionScope scope(128);
  Mat<Interval> A(1, 1);
  A(0, 0) = Interval(0, std::numeric_limits<Real>::infinity());
  EXPECT_THROW(certified_exp(A), std::invalid_argument);
}

}  // namespace
}  // namespace entropic
