// Forward-mode derivatives (metrics/directional_derivative.hpp): hand-computed values, the Hessian-
// vector product of a polynomial loss against exact central differences of its gradient, and the
// shape error.
//
// Hand example: f(t) = t0^2 t1 + 3 t1^3 at theta = (1, 2), v = (1, -1/2).
//   grad f = (2 t0 t1, t0^2 + 9 t1^2) = (4, 37),            grad f . v = 4 - 37/2 = -29/2;
//   H = [[2 t1, 2 t0], [2 t0, 18 t1]] = [[4, 2], [2, 36]],   H v = (4 - 1, 2 - 18) = (3, -16).
// For a loss of degree <= 3 the gradient is quadratic in theta, so the central difference
// (g(theta + h v) - g(theta - h v)) / (2 h) equals H v exactly, for every rational h != 0.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <stdexcept>

#include "entropic/gen/polynomial_start.hpp"
#include "entropic/metrics/directional_derivative.hpp"
#include "entropic/metrics/hessian.hpp"

namespace entropic {
namespace {

using D = Dual<Rational>;

Vec<Rational> vec(Rational a, Rational b) {
  Vec<Rational> v(2);
  v << a, b;
  return v;
}

// f(t) = t0^2 t1 + 3 t1^3 and its hand-written gradient, on any scalar.
template <class T>
T f(const Vec<T>& t) {
  return t[0] * t[0] * t[1] + T(3) * t[1] * t[1] * t[1];
}
template <class T>
Vec<T> grad_f(const Vec<T>& t) {
  Vec<T> g(2);
  g << T(2) * t[0] * t[1], t[0] * t[0] + T(9) * t[1] * t[1];
  return g;
}

TEST(DirectionalDerivative, OfAScalarIsTheGradientAlongV) {
  const Vec<Rational> theta = vec(1, 2), v = vec(1, Rational(-1, 2));
  EXPECT_EQ(directional_derivative<Rational>([](const Vec<D>& t) { return f(t); }, theta, v), Rational(-29, 2));
}

TEST(DirectionalDerivative, OfTheGradientIsTheHessianVectorProduct) {
  const Vec<Rational> theta = vec(1, 2), v = vec(1, Rational(-1, 2));
  const Vec<Rational> hv = directional_derivative<Rational>([](const Vec<D>& t) { return grad_f(t); }, theta, v);
  EXPECT_EQ(hv, vec(3, -16));
}

TEST(ForwardGradient, IsTheHandComputedGradient) {
  const Vec<Rational> theta = vec(1, 2);
  EXPECT_EQ(forward_gradient<Rational>([](const Vec<D>& t) { return f(t); }, theta), vec(4, 37));
  EXPECT_EQ(forward_gradient<Rational>([](const Vec<D>& t) { return f(t); }, theta), grad_f(theta));
}

TEST(DirectionalDerivative, SizesMustAgree) {
  const Vec<Rational> theta = vec(1, 2);
  const Vec<Rational> v = Vec<Rational>::Ones(3);
  try {
    directional_derivative<Rational>([](const Vec<D>& t) { return f(t); }, theta, v);
    FAIL() << "no shape error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("theta has 2 entries, the direction 3"), std::string::npos) << e.what();
  }
}

// A generated loss of degree <= 3 in two parameters: H v by forward mode over the hand-written
// gradient equals the exact central difference of that gradient, and hessian_vector_product.
RC_GTEST_PROP(DirectionalDerivative, HessianProductIsTheCentralDifferenceOfTheGradient, ()) {
  const PolynomialStart p = *gen::polynomial_start(PolynomialDegree::at_most_cubic, false);
  const Vec<Rational> v = *gen::vector(2);
  const Rational h = *gen::nonzero_rational(4, 4);
  const auto model = make_model<Rational>(p.spec);
  const auto dual_model = make_model<D>(p.spec);
  const DataSet<Rational> data = p.data<Rational>();
  const DataSet<D> dual_data = p.data<D>();
  const Vec<Rational> hv = directional_derivative<Rational>(
      [&](const Vec<D>& t) { return dual_model->gradient(t, dual_data, p.batch()); }, p.theta, v);
  const Vec<Rational> central = (model->gradient(Vec<Rational>(p.theta + h * v), data, p.batch()) -
                                 model->gradient(Vec<Rational>(p.theta - h * v), data, p.batch())) /
                                (2 * h);
  RC_ASSERT(hv == central);
  RC_ASSERT(hv == hessian_vector_product(p.spec, data, p.batch(), p.theta, v));
  // The gradient of the loss by forward mode is the hand-written one.
  RC_ASSERT(forward_gradient<Rational>([&](const Vec<D>& t) { return dual_model->loss(t, dual_data, p.batch()); },
                                       p.theta) == model->gradient(p.theta, data, p.batch()));
}

}  // namespace
}  // namespace entropic
