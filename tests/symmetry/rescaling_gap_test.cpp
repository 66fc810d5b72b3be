// Catalog N4's mechanism, exactly (rational): for a layer rescaling g = M of a positively homogeneous
// net, grad l(M theta) = M^{-T} grad l(theta) (T4(a)), so one SGD step with weight decay gives
//     step(M theta) - M step(theta) = eta (M - M^{-T}) g,     g = grad l(theta) on the batch,
// i.e. eta g_u (s - 1/s) on the scaled block and eta g_w (1/s - s) on the other, weight decay
// cancelling. Checked on the same generated one-step runs N4 is falsified on
// (`gen::rescaled_single_steps`: f = W2 W1 x or a one-hidden-layer MLP with ReLU, leaky ReLU or
// identity and biases, lambda >= 0, s > 0, s != 1); the wrong gap eta (M - M^{-1}) g lambda-weighted
// (weight decay not cancelling) is rejected on the same instances.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "entropic/theory/equivariance.hpp"
#include "entropic/gen/symmetric_run.hpp"

namespace entropic {
namespace {

struct Gap {
  Vec<Rational> observed, predicted, g, theta0;
  Mat<Rational> M;
};

Gap gap_of(const RescaledRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Mat<Rational> M = r.g().M;
  const auto twins = twin_runs<Rational>(*model, r.run.data, r.run.batches, r.run.config(), r.run.theta0, M);
  const Vec<Rational> g = model->gradient(r.run.theta0, r.run.data, r.run.batches.front());
  const Mat<Rational> M_inv_T = M.partialPivLu().inverse().transpose();
  return Gap{Vec<Rational>(twins.front().tilde - twins.front().image), Vec<Rational>(r.run.eta * (M - M_inv_T) * g), g,
             r.run.theta0, M};
}

RC_GTEST_PROP(RescalingGap, IsEtaTimesMMinusMInverseTransposeTimesG, ()) {
  const RescaledRun r = *gen::rescaled_single_steps();
  const Gap gap = gap_of(r);
  RC_ASSERT(gap.observed == gap.predicted);
}

// The mutant: a gap that also carries weight decay, eta (M - M^{-T}) (g + lambda theta). It differs
// from the observed gap whenever lambda (M - M^{-T}) theta != 0, which the generator produces.
RC_GTEST_PROP(RescalingGap, WeightDecayDoesNotEnterTheGap, ()) {
  const RescaledRun r = *gen::rescaled_single_steps();
  RC_PRE(r.run.lambda != 0);
  const Gap gap = gap_of(r);
  const Mat<Rational> M_inv_T = gap.M.partialPivLu().inverse().transpose();
  const Vec<Rational> lambda_part = r.run.eta * r.run.lambda * (gap.M - M_inv_T) * gap.theta0;
  RC_PRE(!(lambda_part.array() == Rational(0)).all());
  RC_ASSERT(!(gap.observed == Vec<Rational>(gap.predicted + lambda_part)));
}

// The catalog's own counterexample: f = u w x, one sample, s = 2, eta = 1/2: the u-entry of the gap
// is eta g_u (s - 1/s) = 3/4 g_u.
TEST(RescalingGap, CatalogInstanceUWX) {
  const Rational s(2), eta(1, 2), u(1), w(1), x(1), y(3);
  const Rational r_res = u * w * x - y;     // residual f - y
  const Rational gu = r_res * w * x, gw = r_res * u * x;  // gradients of 1/2 (u w x - y)^2
  // step from (s u, w / s): the residual is unchanged (u w is invariant); gradients scale by 1/s, s.
  const Rational u_tilde = s * u - eta * gu / s, w_tilde = w / s - eta * gw * s;
  const Rational u_image = s * (u - eta * gu), w_image = (w - eta * gw) / s;
  EXPECT_EQ(u_tilde - u_image, eta * gu * (s - 1 / s));
  EXPECT_EQ(w_tilde - w_image, eta * gw * (1 / s - s));
  EXPECT_NE(u_tilde - u_image, Rational(0));
}

}  // namespace
}  // namespace entropic
