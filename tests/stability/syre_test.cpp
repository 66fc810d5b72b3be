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

}  // namespace
}  // namespace entropic
