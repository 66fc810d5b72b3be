// The n-step map of catalog T1 / N8 on hand-computed cases, and the smallness of N8's shrunk
// counterexample.
//
// Reference values: for l = theta_1^2 (g = (2 theta_1, 0), H = diag(2, 0)) at theta = (1, 0) and n = 2,
// one step of eta/2 multiplies theta_1 by 1 - eta/2 (2 + 2 eta c 4) = 1 - eta - 4 c eta^2, so
//   c = 0   (plain, N8):  (1 - eta)^2            = 1 - 2 eta + eta^2:     eta^2 coefficient 1 = (n-1)/(2n) (Hg)_1
//   c = 1/8 (c_2, T1):    (1 - eta - eta^2/2)^2  = 1 - 2 eta + eta^3 + eta^4/4: eta^3 coefficient 1 = (H^2 g)_1 / 8
// against the GD step 1 - 2 eta.
#include <gtest/gtest.h>

#include "entropic/theory/n_step.hpp"
#include "entropic/verify/claim.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

// c_n = (n-1)/(4n) -> 1/4 (implicit gradient regularization): 1/4 - c_n = 1/(4n) exactly.
TEST(T1NStepCoefficient, TendsToTheIgrQuarter) {
  EXPECT_EQ(n_step_coefficient(1), Rational(0));
  for (int n = 1; n <= 64; ++n) EXPECT_EQ(Rational(1, 4) - n_step_coefficient(n), Rational(1, 4 * n)) << n;
}

// theta_1 after n = 2 steps with coefficient c, minus the GD step, for l = theta_1^2 from (1, 0).
Ser residual_on_square(const Rational& c) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {2, 1};
  spec.polynomial = {Monomial{Rational(1), {2, 0}}};
  const DataSet<Ser> data{Mat<Ser>::Zero(1, 1), Mat<Ser>::Zero(1, 1)};
  const Ser eta = Ser::variable(4);
  Vec<Ser> theta(2);
  theta << Ser(1), Ser(0);
  const Mat<Ser> Lambda = Mat<Ser>(Mat<Ser>::Identity(2, 2)) * eta;
  const Vec<Ser> after = n_step_map<Ser>(spec, data, Batch{0}, Ser(0), Lambda, Ser(c), 2, theta);
  EXPECT_EQ(after[1], Ser(0));
  return after[0] - (Ser(1) - Ser(2) * eta);
}

TEST(N8PlainSteps, LeaveHalfOfHgTimesNMinusOneOverN) {
  const Ser r = residual_on_square(0);
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(r[1], 0);
  EXPECT_EQ(r[2], Rational(1));
}

TEST(T1CorrectedSteps, LeaveHSquaredGOverEightAtNEqualsTwo) {
  const Ser r = residual_on_square(n_step_coefficient(2));
  EXPECT_EQ(r.leading_order(), 3);
  EXPECT_EQ(r[3], Rational(1));
  EXPECT_EQ(r[4], Rational(1, 4));
}

// N8's default run finds and shrinks a counterexample to a loss of at most one term and n = 2 (l = 0
// with lambda > 0 is the quadratic lambda/2 |theta|^2, on which the plain steps already miss at eta^2).
// A learning-rate matrix of another size than theta is refused with both sizes, not read out of
// bounds (a 2 x 2 P against the 200-variable loss of the large profile was one).
TEST(NStepMap, RefusesALearningRateMatrixOfTheWrongSize) {
  ModelSpec spec;
  spec.kind = ModelKind::polynomial;
  spec.widths = {3, 1};
  spec.polynomial = {Monomial{Rational(1), {2, 0, 1}}};
  const DataSet<Rational> data{Mat<Rational>::Zero(1, 1), Mat<Rational>::Zero(1, 1)};
  const Vec<Rational> theta = Vec<Rational>::Ones(3);
  try {
    n_step_map<Rational>(spec, data, Batch{0}, Rational(0), Mat<Rational>::Identity(2, 2), Rational(0), 2, theta);
    FAIL() << "a 2x2 Lambda for 3 parameters was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Lambda is 2x2, theta has 3 entries"), std::string::npos) << e.what();
  }
  // The control: the 3 x 3 identity runs.
  EXPECT_EQ(n_step_map<Rational>(spec, data, Batch{0}, Rational(0), Mat<Rational>::Identity(3, 3), Rational(0), 1, theta),
            Vec<Rational>(theta - Vec<Rational>((Vec<Rational>(3) << 2, 0, 1).finished())));
}

TEST(N8Counterexample, ShrinksToAtMostOneTermAndTwoSteps) {
  const auto claim = ClaimRegistry::instance().find("N8");
  ASSERT_TRUE(claim);
  const ClaimResult r = claim->run(RunOptions{}, {});
  const Counterexample* c = r.counterexample();
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->verdict.certified_violation());
  const std::string& text = c->instance;
  EXPECT_EQ(text.find(" + "), std::string::npos) << text;
  EXPECT_EQ(text.find(" - "), std::string::npos) << text;
  EXPECT_NE(text.find("n = 2"), std::string::npos) << text;
  EXPECT_TRUE(text.find("l = 0;") != std::string::npos || text.find("lambda = 0") != std::string::npos) << text;
}

}  // namespace
}  // namespace entropic
