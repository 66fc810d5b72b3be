// Flows of step-size-dependent fields, and the central order statement of backward error analysis:
// the flow of the modified field truncated after h^p reproduces the GD step through h^{p+1}, and
// misses it at h^{p+2} by exactly -h^{p+2} f_{p+2}(y0).
#include <gtest/gtest.h>

#include <chrono>

#include "entropic/theory/flow.hpp"
#include "entropic/theory/modified_field.hpp"
#include "entropic/verify/compare.hpp"

#include "expansion_support.hpp"

namespace entropic {
namespace {

using J = Jet<Rational>;
using Q = Rational;
using S = Series<Q>;

using test::vec;

// y' = h c for time h ends at y0 + c h^2. flow_series integrates the h inside the field as if it
// were the time and gives y0 + c h^2 / 2; modified_flow_series keeps the two apart.
TEST(ModifiedFlowExpansion, StepSizeInsideTheFieldIsNotTheTime) {
  const Vec<Q> y0 = vec({Q(1)});
  const Q c(3);
  const auto captured = flow_series<Q>(
      [&](const Vec<S>&) {
        Vec<S> f(1);
        f[0] = S(c) * S::variable(3);
        return f;
      },
      y0, 3);
  EXPECT_EQ(captured[0][2], c / 2);  // the pitfall
  const auto flow = modified_flow_series<Q>(
      [&](const Vec<J>&, const J& h) {
        Vec<J> f(1);
        f[0] = J(c) * h;
        return f;
      },
      y0, 3);
  EXPECT_EQ(flow[0][1], 0);
  EXPECT_EQ(flow[0][2], c);
  EXPECT_EQ(flow[0][3], 0);
}

// Without h in the field both agree: y' = y^2, y(h) = y0 / (1 - h y0) = sum_n y0^{n+1} h^n.
TEST(ModifiedFlowExpansion, AgreesWithFlowSeriesWhenTheFieldIgnoresTheStepSize) {
  const Q y0(2, 3);
  const auto flow = modified_flow_series<Q>(
      [](const Vec<J>& y, const J&) { return Vec<J>(y.cwiseProduct(y)); }, vec({y0}), 6);
  const auto reference = flow_series<Q>(
      [](const Vec<S>& y) { return Vec<S>(y.cwiseProduct(y)); }, vec({y0}), 6);
  Q power = y0;
  for (int n = 0; n <= 6; ++n) {
    EXPECT_EQ(flow[0][n], power);
    EXPECT_EQ(reference[0][n], power);
    power *= y0;
  }
}

// flow of f_1 + ... + h^p f_{p+1} for time h minus (y0 + h f_1(y0)): zero through h^{p+1}; at h^{p+2}
// exactly -f_{p+2}(y0).
void expect_truncation_orders(const ModelSpec& spec, const DataSet<Q>& data, const Vec<Q>& theta0,
                              const Q& lambda, int p_max) {
  for (int p = 0; p <= p_max; ++p) {
    const auto start = std::chrono::steady_clock::now();
    const auto f = gradient_descent_modified_field_jets<Q>(spec, data, theta0, lambda, p + 1, p + 1);
    const Vec<S> flow = truncated_modified_flow(f, theta0, p, p + 2);
    Vec<S> residual(flow.size());
    const Vec<Q> f1 = value_at_point(f[0]);
    for (Eigen::Index i = 0; i < flow.size(); ++i)
      residual[i] = flow[i] - S(std::vector<Q>{theta0[i], f1[i]}, p + 2);
    const Verdict v = order_claim(residual, p + 2, "flow - GD step, p = " + std::to_string(p));
    EXPECT_EQ(v.outcome, Outcome::holds) << v.residual;
    const Vec<Q> f_next = value_at_point(f[p + 1]);
    for (Eigen::Index i = 0; i < flow.size(); ++i) EXPECT_EQ(residual[i][p + 2], -f_next[i]);
    EXPECT_FALSE(f_next.isZero(0)) << "the order is sharp at this point";
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::testing::Test::RecordProperty("p" + std::to_string(p) + "_seconds", std::to_string(seconds));
  }
}

TEST(ModifiedFlowExpansion, TruncationOrdersOnADeepLinearNet) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 2, 1};
  Mat<Q> X(2, 1), Y(2, 1);
  X << 1, Q(-1, 2);
  Y << Q(1, 3), 2;
  expect_truncation_orders(spec, DataSet<Q>{X, Y}, vec({Q(1, 2), Q(-1), Q(2), Q(1, 3)}), Q(1, 10), 5);
}

TEST(ModifiedFlowExpansion, TruncationOrdersOnAPolynomialLoss) {
  // l = theta_1^2 theta_2 - 1/2 theta_2^3 + 1/3 theta_1 theta_2^2: non-quadratic, no symmetry.
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {2, 1};
  spec.polynomial = {Monomial{Q(1), {2, 1}}, Monomial{Q(-1, 2), {0, 3}}, Monomial{Q(1, 3), {1, 2}}};
  expect_truncation_orders(spec, DataSet<Q>{Mat<Q>::Zero(1, 1), Mat<Q>::Zero(1, 1)},
                           vec({Q(1, 2), Q(-1, 3)}), Q(0), 5);
}

// docs/expansions.md: two GD steps on u w x (x = 1, y = 1, from (w, u) = (1, 2)) are
//   w: 1 - 4 h + 11 h^2 - 9 h^3 + 2 h^4,   u: 2 - 2 h + 7 h^2 - 12 h^3 + 4 h^4,
// and the flow of f_1 + h f_2 + h^2 f_3 for time 2h agrees with them through h^3.
TEST(ModifiedFlowExpansion, TwoStepsAreTheFlowForTimeTwoH) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 1};
  Mat<Q> X(1, 1), Y(1, 1);
  X << 1;
  Y << 1;
  const Vec<Q> theta0 = vec({Q(1), Q(2)});
  const auto f = gradient_descent_modified_field_jets<Q>(spec, DataSet<Q>{X, Y}, theta0, Q(0), 3, 3);
  // The flow for time 2h of f~ (whose h stays the step size) is the flow for time h of 2 f~.
  std::vector<FieldJet<Q>> doubled;
  for (int j = 0; j < 3; ++j) doubled.push_back(FieldJet<Q>(f[j] * J(2)));
  const Vec<S> flow = truncated_modified_flow(doubled, theta0, 2, 4);
  const std::vector<Q> w = {1, -4, 11, -9}, u = {2, -2, 7, -12};
  for (int n = 0; n <= 3; ++n) {
    EXPECT_EQ(flow[0][n], w[n]) << "h^" << n;
    EXPECT_EQ(flow[1][n], u[n]) << "h^" << n;
  }
  EXPECT_EQ(flow[0][4], Q(235));  // two steps: 2
}

}  // namespace
}  // namespace entropic
