// The orbit descent of phi_1 (theory/platonic.hpp) in Real at 256 bits, on the instances of
// gen/platonic_nets.hpp and on one ill-conditioned instance.
//
// Each exact orbit move (detail::orbit_minimum) must zero its R_i to a multiple of the working
// epsilon times s_i (the size of R_i's two terms), keep the product A_0 N_0, and not raise phi_1.
// Control: going twice as far along the same geodesic (G^2) leaves R_i of the order of s_i. A
// chain whose A_i reads the complement of col(N_i) gets no exact move (the gradient step's case).
// The ill-conditioned instance needed 20257 gradient sweeps; the descent must finish it in 100.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "entropic/gen/platonic_nets.hpp"
#include "entropic/numeric/exact_text.hpp"

namespace entropic {
namespace {

constexpr unsigned kBits = 256;

void move(LinearChain<Real>& c, int i, const Mat<Real>& G, const Mat<Real>& G_inv) {
  const Mat<Real> W_in = c.W(i - 1), W_out = c.W(i);
  c.W(i - 1) = G * W_in;
  c.W(i) = W_out * G_inv;
}

// The 2 x 2 roots in orbit_minimum lose a factor of the condition numbers of C and B (entries of
// at most 3 in numerator and denominator, widths up to 3): 2^32 epsilons bound it with a margin of
// many orders; the control's R_i is a fixed fraction of s_i, 2^-8 of it is far above this bound.
RC_GTEST_PROP(OrbitMinimum, ZeroesItsOrbitGradientKeepsTheProductAndLowersPhi1, ()) {
  const gen::TwoNets t = *gen::two_nets();
  PrecisionScope precision(kBits);
  const Real eps = std::numeric_limits<Real>::epsilon(), exact_bound = ldexp(eps, 32), control_bound = ldexp(Real(1), -8);
  const Mat<Real> sx = from_rational<Real>(t.data.sigma_x), se = from_rational<Real>(t.data.sigma_eps);
  for (const LinearChain<Rational>* net : {&t.plain, &t.viewed}) {
    LinearChain<Real> c = chain_as<Real>(*net);
    for (int i = 1; i < c.depth(); ++i) {
      // Near-stationary starts (the control's G^2 would then move R_i by little) skip the control.
      const bool stationary = orbit_gradient(c, sx, se, i).norm() <= 16 * control_bound * orbit_scale(c, sx, se, i);
      RC_CLASSIFY(stationary, "an orbit starts near phi_1-stationary");
      Mat<Real> G, G_inv;
      RC_ASSERT(detail::orbit_minimum(c, sx, se, i, G, G_inv));
      const Mat<Real> product = c.product();
      const Real before = phi1_on_manifold(c, sx, se);
      LinearChain<Real> twice = c;
      move(c, i, G, G_inv);
      RC_ASSERT(orbit_gradient(c, sx, se, i).norm() <= exact_bound * orbit_scale(c, sx, se, i));
      RC_ASSERT((c.product() - product).norm() <= exact_bound * product.norm());
      RC_ASSERT(phi1_on_manifold(c, sx, se) <= before * (1 + exact_bound));
      if (!stationary) {
        move(twice, i, Mat<Real>(G * G), Mat<Real>(G_inv * G_inv));
        RC_ASSERT(orbit_gradient(twice, sx, se, i).norm() > control_bound * orbit_scale(twice, sx, se, i));
      }
    }
  }
}

Mat<Rational> rat(int rows, int cols, const std::vector<const char*>& entries) {
  Mat<Rational> m(rows, cols);
  for (int k = 0; k < rows * cols; ++k) m(k / cols, k % cols) = parse_rational(entries[k]);
  return m;
}

// The depth-3 net of an instance of gen::two_nets (seed 15 of `verify T11` while the hidden widths
// came from gen::model_widths), with Sigma_x and Sigma_eps of condition numbers about 41 and 22.
Mat<Real> ill_conditioned_sigma_x() { return from_rational<Real>(rat(2, 2, {"5/2", "-6", "-6", "37/2"})); }
Mat<Real> ill_conditioned_sigma_eps() { return from_rational<Real>(rat(2, 2, {"25/36", "-3/2", "-3/2", "31/3"})); }
LinearChain<Rational> ill_conditioned_net() {
  return LinearChain<Rational>(
      rat(2, 2, {"-2/3", "-2", "0", "-3/2"}), rat(2, 2, {"1", "0", "1", "1"}), rat(2, 2, {"1/3", "1/3", "0", "-1"}),
      {rat(3, 2, {"-3", "0", "-1/3", "-2", "0", "1/2"}),
       rat(3, 3, {"2619/2756", "2611/2756", "-145/689", "-933/1378", "1507/1378", "-604/2067", "1329/2756", "441/2756",
                  "-55/2067"}),
       rat(2, 3, {"-11276/4867", "44809/4867", "-12391/4867", "9702/4867", "-39054/4867", "10752/4867"})});
}

// Gradient steps alone took 20257 sweeps on this instance.
TEST(DescendEntropicTerm, FinishesAnIllConditionedInstanceInFewSweeps) {
  PrecisionScope precision(kBits);
  const Mat<Real> sx = ill_conditioned_sigma_x(), se = ill_conditioned_sigma_eps();
  const LinearChain<Rational> exact = ill_conditioned_net();
  ASSERT_EQ(exact.product(), rat(2, 2, {"-1/3", "0", "-6", "3"}));  // V* of the instance
  LinearChain<Real> c = chain_as<Real>(exact);
  const Real tolerance = ldexp(Real(1), -static_cast<int>(kBits) * 3 / 8);
  // Not already stationary: the descent has work to do.
  EXPECT_GT(Real(orbit_gradient(c, sx, se, 1).norm()), ldexp(Real(1), -8) * orbit_scale(c, sx, se, 1));
  const DescentReport r = descend_entropic_term(c, sx, se, tolerance, 100);
  EXPECT_TRUE(r.converged) << r.iterations << " sweeps";
  for (int i = 1; i < c.depth(); ++i)
    EXPECT_LE(Real(orbit_gradient(c, sx, se, i).norm()), tolerance * orbit_scale(c, sx, se, i));
}

// The same instance with W_2 given a component on the complement of U = col(N_1) that W_3 reads: the
// product is unchanged, but A_1 = M^O W_3 W_2 now reads the complement, so orbit 1 gets no exact move
// (the gradient step takes it), while the instance as generated does.
TEST(OrbitMinimum, RefusesAnOrbitWhoseOutputReadsBeyondColN) {
  PrecisionScope precision(kBits);
  const Mat<Real> sx = ill_conditioned_sigma_x(), se = ill_conditioned_sigma_eps();
  LinearChain<Rational> exact = ill_conditioned_net();
  Mat<Real> G, G_inv;
  ASSERT_TRUE(detail::orbit_minimum(chain_as<Real>(exact), sx, se, 1, G, G_inv));
  const Mat<Rational> n = exact.N(1);  // 3 x 2
  Vec<Rational> perp(3);               // n^T perp = 0: the cross product of n's columns
  perp << n(1, 0) * n(2, 1) - n(2, 0) * n(1, 1), n(2, 0) * n(0, 1) - n(0, 0) * n(2, 1),
      n(0, 0) * n(1, 1) - n(1, 0) * n(0, 1);
  const Mat<Rational> product = exact.product();
  exact.W(1) = Mat<Rational>(exact.W(1) + Vec<Rational>::Ones(3) * perp.transpose());
  ASSERT_EQ(exact.product(), product);
  EXPECT_FALSE(detail::orbit_minimum(chain_as<Real>(exact), sx, se, 1, G, G_inv));
}

}  // namespace
}  // namespace entropic
