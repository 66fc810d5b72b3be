// theory/linear_stability.hpp: the Jury test, the characteristic polynomials and their thresholds.
#include "entropic/theory/linear_stability.hpp"

#include <gtest/gtest.h>

namespace entropic {
namespace {

using Q = Rational;
using Poly = MonicQuadratic<Q>;

// (r - p)(r - q) = r^2 - (p + q) r + p q.
Poly with_roots(const Q& p, const Q& q) { return {Q(-(p + q)), Q(p * q)}; }

TEST(Jury, RealRootsInsideAndOutside) {
  EXPECT_TRUE(jury_stable(with_roots(Q(1, 2), Q(-9, 10))));
  EXPECT_FALSE(jury_stable(with_roots(Q(1, 2), Q(11, 10))));
  EXPECT_FALSE(jury_stable(with_roots(Q(1, 2), Q(-1))));  // a root on the circle is not stable
  EXPECT_FALSE(jury_stable(with_roots(Q(3), Q(1, 4))));   // |a0| < 1 but a root outside
}

TEST(Jury, ComplexPairByModulus) {
  // r^2 + a0 with a0 > 0: roots +-i sqrt(a0), modulus^2 = a0.
  EXPECT_TRUE(jury_stable(Poly{Q(0), Q(99, 100)}));
  EXPECT_FALSE(jury_stable(Poly{Q(0), Q(1)}));
  EXPECT_FALSE(jury_stable(Poly{Q(0), Q(2)}));
}

TEST(Jury, AgreesWithRootLocationOnAGrid) {
  for (int i = -12; i <= 12; ++i)
    for (int j = -12; j <= 12; ++j) {
      const Poly p{Q(i, 4), Q(j, 4)};
      EXPECT_EQ(jury_stable(p), roots_in_unit_disc(p)) << i << "/4, " << j << "/4";
    }
}

TEST(Thresholds, Values) {
  EXPECT_EQ(gd_threshold<Q>(), Q(2));
  EXPECT_EQ(heavy_ball_threshold(Q(1, 2)), Q(3));
  EXPECT_EQ(nesterov_threshold(Q(1, 2)), Q(3, 2));
  EXPECT_EQ(nesterov_threshold(Q(0)), gd_threshold<Q>());  // beta = 0 is GD
}

TEST(Thresholds, JuryChangesVerdictExactlyThere) {
  const Q beta(1, 3), e(1, 1000);
  for (const Q& x : {Q(heavy_ball_threshold(beta) - e), Q(e)})
    EXPECT_TRUE(jury_stable(heavy_ball_polynomial(x, beta)));
  for (const Q& x : {heavy_ball_threshold(beta), Q(0)}) EXPECT_FALSE(jury_stable(heavy_ball_polynomial(x, beta)));
  EXPECT_TRUE(jury_stable(nesterov_polynomial(Q(nesterov_threshold(beta) - e), beta)));
  EXPECT_FALSE(jury_stable(nesterov_polynomial(nesterov_threshold(beta), beta)));
  EXPECT_TRUE(jury_stable(gd_polynomial(Q(2 - e))));
  EXPECT_FALSE(jury_stable(gd_polynomial(Q(2))));
}

TEST(MeanSquare, FactorOfTwoEqualCurvatures) {
  // Samples with curvatures 1 and 3, S = 1 with replacement: E(1 - eta h)^2 at eta = 1/2 is
  // ((1/2)^2 + (-1/2)^2)/2 = 1/4; a = 2, s^2 = 1, kappa = 1: (1 - 1)^2 + 1/4 = 1/4.
  EXPECT_EQ(mean_square_factor(Q(1, 2), Q(2), Q(1), Q(1)), Q(1, 4));
}

TEST(MeanSquare, OperatorReducesToTheFactorInOneDimension) {
  // Curvatures 1 and 3 as 1 x 1 Hessians, M = [1]: T(M) = (1 - eta a)^2 + eta^2 s^2 kappa.
  const std::vector<Mat<Q>> h = {Mat<Q>::Constant(1, 1, Q(1)), Mat<Q>::Constant(1, 1, Q(3))};
  const Q eta(1, 3), kappa(1, 2);
  EXPECT_EQ(mean_square_operator(eta, h, kappa, Mat<Q>(Mat<Q>::Constant(1, 1, Q(1))))(0, 0),
            mean_square_factor(eta, Q(2), Q(1), kappa));
}

TEST(MeanSquare, OperatorWithoutNoiseIsTheGdConjugation) {
  Mat<Q> H1(2, 2), H2(2, 2), M(2, 2);
  H1 << 1, 0, 0, 0;
  H2 << 0, 0, 0, 1;
  M << 2, 1, 1, 3;
  const Q eta(1, 2);
  const Mat<Q> step = Mat<Q>::Identity(2, 2) - eta * (H1 + H2) / 2;
  EXPECT_EQ(mean_square_operator(eta, std::vector<Mat<Q>>{H1, H2}, Q(0), M), Mat<Q>(step * M * step));
  EXPECT_NE(mean_square_operator(eta, std::vector<Mat<Q>>{H1, H2}, Q(1), M), Mat<Q>(step * M * step));
}

}  // namespace
}  // namespace entropic
