// Characteristic polynomials (Faddeev-LeVerrier) and polynomials from roots (numeric/polynomial.hpp),
// exactly in Rational: hand-expanded small cases, triangular matrices (the roots are the diagonal),
// invariance under similarity, and Cayley-Hamilton p(M) = 0 on generated matrices.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <Eigen/LU>

#include "entropic/gen/generators.hpp"
#include "entropic/numeric/polynomial.hpp"

namespace entropic {
namespace {

Vec<Rational> coefficients(std::initializer_list<Rational> c) {
  Vec<Rational> v(static_cast<Eigen::Index>(c.size()));
  Eigen::Index i = 0;
  for (const Rational& x : c) v[i++] = x;
  return v;
}

TEST(Polynomial, FromRootsExpandsTheProduct) {
  // (x - 2)(x + 3) = x^2 + x - 6;  x (x - 1/2)^2 = x^3 - x^2 + x/4.
  EXPECT_EQ(polynomial_from_roots<Rational>({2, -3}), coefficients({-6, 1, 1}));
  EXPECT_EQ(polynomial_from_roots<Rational>({0, Rational(1, 2), Rational(1, 2)}),
            coefficients({0, Rational(1, 4), -1, 1}));
  EXPECT_EQ(polynomial_from_roots<Rational>({}), coefficients({1}));
}

TEST(Polynomial, CharacteristicPolynomialOfSmallMatrices) {
  // [[a, b], [c, d]]: x^2 - (a + d) x + (a d - b c).
  Mat<Rational> M(2, 2);
  M << 1, 2, 3, 4;
  EXPECT_EQ(characteristic_polynomial(M), coefficients({-2, -5, 1}));
  // [[2, 1, 0], [1, 2, 1], [0, 1, 2]]: eigenvalues 2, 2 +- sqrt 2, so (x - 2)(x^2 - 4x + 2).
  Mat<Rational> T(3, 3);
  T << 2, 1, 0, 1, 2, 1, 0, 1, 2;
  EXPECT_EQ(characteristic_polynomial(T), coefficients({-4, 10, -6, 1}));
  EXPECT_EQ(characteristic_polynomial(Mat<Rational>(Mat<Rational>::Zero(1, 1))), coefficients({0, 1}));
}

RC_GTEST_PROP(Polynomial, TriangularMatrixHasItsDiagonalAsRoots, ()) {
  const int n = *gen::dimension(1, 5);
  Mat<Rational> M = *gen::matrix(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < i; ++j) M(i, j) = 0;
  std::vector<Rational> diagonal;
  for (int i = 0; i < n; ++i) diagonal.push_back(M(i, i));
  RC_ASSERT(characteristic_polynomial(M) == polynomial_from_roots(diagonal));
}

RC_GTEST_PROP(Polynomial, InvariantUnderSimilarityAndAnnihilatesItsMatrix, ()) {
  const int n = *gen::dimension(1, 4);
  const Mat<Rational> M = *gen::matrix(n, n);
  const Mat<Rational> P = *gen::matrix(n, n);
  RC_PRE(P.fullPivLu().isInvertible());
  const Vec<Rational> c = characteristic_polynomial(M);
  RC_ASSERT(characteristic_polynomial(Mat<Rational>(P * M * P.inverse())) == c);
  Mat<Rational> p = Mat<Rational>::Zero(n, n), power = Mat<Rational>::Identity(n, n);
  for (int k = 0; k <= n; ++k, power = power * M) p += c[k] * power;
  RC_ASSERT(p.isZero(0));
}

}  // namespace
}  // namespace entropic
