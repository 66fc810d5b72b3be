// theory/syre.hpp: the syre update and its mirror law.
#include "entropic/theory/syre.hpp"

#include <gtest/gtest.h>

namespace entropic {
namespace {

using Q = Rational;

Vec<Q> vec2(const Q& a, const Q& b) {
  Vec<Q> v(2);
  v << a, b;
  return v;
}

TEST(Syre, StepByHand) {
  // theta = (1, 2), g = (1/2, 0), eta = 1/2, lambda = 1, centre = (0, 4):
  // theta' = theta - 1/2 (g + theta - centre) = (1, 2) - 1/2 (3/2, -2) = (1/4, 3).
  EXPECT_EQ(syre_step(vec2(Q(1), Q(2)), vec2(Q(1, 2), Q(0)), Q(1, 2), Q(1), vec2(Q(0), Q(4))), vec2(Q(1, 4), Q(3)));
}

TEST(Syre, ZeroCentreIsWeightDecay) {
  const Vec<Q> theta = vec2(Q(3), Q(-1)), g = vec2(Q(1), Q(2)), zero = Vec<Q>::Zero(2);
  const Q eta(1, 3), lambda(1, 2);
  EXPECT_EQ(syre_step(theta, g, eta, lambda, zero), Vec<Q>((1 - eta * lambda) * theta - eta * g));
}

TEST(Syre, MirrorLawMatchesTheStep) {
  Mat<Q> O(2, 1);
  O << 1, -1;
  const Vec<Q> theta = vec2(Q(3), Q(-1)), g = vec2(Q(1), Q(2)), centre = vec2(Q(1, 5), Q(7));
  const Q eta(1, 3), lambda(1, 2);
  EXPECT_EQ(Vec<Q>(O.transpose() * syre_step(theta, g, eta, lambda, centre)),
            syre_mirror_law(O, theta, g, eta, lambda, centre));
}

TEST(SyreDiagonal, StepByHand) {
  // theta = (1, 2), g = (1/2, 0), eta = 1/2, lambda = 1, D = diag(2, 1/2), centre = (0, 4):
  // theta' = theta - 1/2 (g + D (theta - centre)) = (1, 2) - 1/2 (5/2, -1) = (-1/4, 5/2).
  EXPECT_EQ(syre_step(vec2(Q(1), Q(2)), vec2(Q(1, 2), Q(0)), Q(1, 2), Q(1), vec2(Q(2), Q(1, 2)), vec2(Q(0), Q(4))),
            vec2(Q(-1, 4), Q(5, 2)));
}

TEST(SyreDiagonal, IdentityDIsTheScalarStep) {
  const Vec<Q> theta = vec2(Q(3), Q(-1)), g = vec2(Q(1), Q(2)), centre = vec2(Q(1, 5), Q(7));
  const Q eta(1, 3), lambda(1, 2);
  EXPECT_EQ(syre_step(theta, g, eta, lambda, Vec<Q>(Vec<Q>::Ones(2)), centre), syre_step(theta, g, eta, lambda, centre));
}

TEST(SyreDiagonal, ClosedLawWhenDCommutesWithTheMirror) {
  // O = (1, -1)^T: R swaps the coordinates; D = diag(d, d) commutes with it and M = d.
  Mat<Q> O(2, 1);
  O << 1, -1;
  const Vec<Q> theta = vec2(Q(3), Q(-1)), g = vec2(Q(1), Q(2)), centre = vec2(Q(1, 5), Q(7)), d = vec2(Q(3, 2), Q(3, 2));
  const Q eta(1, 3), lambda(1, 2);
  EXPECT_EQ(syre_mirror_rate(O, d), Mat<Q>::Constant(1, 1, Q(3, 2)));
  EXPECT_EQ(Vec<Q>(O.transpose() * syre_step(theta, g, eta, lambda, d, centre)),
            syre_mirror_law(O, theta, g, eta, lambda, d, centre));
}

TEST(SyreDiagonal, NoClosedLawWhenDDoesNotCommute) {
  // D = diag(1, 2) does not commute with the swap: from theta = (1, 1) (O^T theta = 0) with g = 0 and
  // centre 0, O^T theta' = -eta lambda (1 - 2) = eta lambda, whereas the closed law gives 0.
  Mat<Q> O(2, 1);
  O << 1, -1;
  const Vec<Q> theta = vec2(Q(1), Q(1)), zero = Vec<Q>::Zero(2), d = vec2(Q(1), Q(2));
  const Q eta(1, 2), lambda(1, 2);
  EXPECT_EQ(Vec<Q>(O.transpose() * syre_step(theta, zero, eta, lambda, d, zero)), Vec<Q>::Constant(1, Q(1, 4)));
  EXPECT_EQ(syre_mirror_law(O, theta, zero, eta, lambda, d, zero), Vec<Q>::Zero(1));
}

TEST(SyreDiagonal, BadShapesAreRejected) {
  Mat<Q> O(2, 1);
  O << 1, -1;
  const Vec<Q> two = Vec<Q>::Ones(2), three = Vec<Q>::Ones(3);
  EXPECT_THROW(syre_step(two, two, Q(1), Q(1), three, two), std::invalid_argument);
  EXPECT_THROW(syre_mirror_rate(O, three), std::invalid_argument);
  EXPECT_THROW(syre_mirror_rate(Mat<Q>(Mat<Q>::Zero(2, 1)), two), std::invalid_argument);
}

}  // namespace
}  // namespace entropic
