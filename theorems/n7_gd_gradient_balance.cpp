// N7 — "Full-batch GD reaches gradient balance" (catalog section 3, negative control; guards T5,
// T6, T10, T11, T13).
//
// The wrong claim: along full-batch GD at lambda = 0 the gradient-balance residual
//     B_t = E_i[ ||grad_u l_i||^2 - ||grad_w l_i||^2 ]
// tends to 0. The balance of T5 is a noise balance; GD's drift dies at a minimum and the charge
// freezes. On f = u w x (deep_linear [1, 1, 1], u = W2, w = W1), with m = u w, s = u^2 + w^2,
// Delta = u^2 - w^2, a = E x^2, b = E x y and the full-batch residual r = E[(m x_i - y_i) x_i] = a m - b:
//     grad_u l_i = w r_i x_i, grad_w l_i = u r_i x_i (r_i = m x_i - y_i), so B = -Delta E_i[r_i^2 x_i^2];
//     Delta_{t+1} = (1 - eta^2 r_t^2) Delta_t                     (T5's product formula, lambda = 0);
//     m_{t+1} = (1 + eta^2 r_t^2) m_t - eta r_t s_t, hence
//     r_{t+1} = mu_t r_t,  mu_t = 1 - eta a s_t + eta^2 a r_t m_t;  s_t^2 = Delta_t^2 + 4 m_t^2.
// GD that converges reaches m* = b/a (the only zero of r), where B_inf = -Delta_inf c* with the exact
// c* = E_i[(m* x_i - y_i)^2 x_i^2], which is > 0 exactly when the data are not interpolable. The claim
// is falsified by a certified enclosure of Delta_inf that excludes 0.
//
// The certificate (the run's exact steps, then (r, Delta) in interval arithmetic until a geometric
// tail bound closes) is n7/gd_limit.hpp's, shared with T5's part "gd-limit".
// Instances: data no single product fits (c* > 0: 2 to 4 samples with x_i != 0), a start with
// Delta_0 != 0 and r_0 != 0, and a step size at which GD settles (uwx_gd::settling_runs(false)), so that
// every instance's limit is certified and falsifies the claim. Interpolating data (c* = 0), every
// x_i = 0, or Delta_0 = 0 cannot falsify it (there B_inf = 0): the generator excludes them, and the
// positive statement on interpolating data (B_inf = 0 while Delta_inf != 0) is T5's part "gd-limit".
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "n7/gd_limit.hpp"

namespace entropic {
namespace {

// The wrong claim, on one GD run: B_inf = 0. Holds when it is certified that B_inf = 0 (Delta frozen
// at 0, no input, or interpolating data), violated when an enclosure of B_inf excludes 0.
// Inconclusive (thrown) when GD does not settle, the bound does not close, or the enclosure contains 0.
Verdict gd_reaches_balance(const TrainingRun& run) {
  const uwx_gd::Limit limit = uwx_gd::gd_limit(run);
  if (limit.kind != uwx_gd::Limit::Kind::certified) return Verdict::holds(Arithmetic::rational(), "0", limit.detail);
  if (limit.c_star == 0)
    return Verdict::holds(limit.arithmetic, "0",
                          "interpolating data: c* = 0, so B_inf = 0 whatever Delta_inf; " + limit.detail);
  if (contains_zero(limit.balance))
    throw Inconclusive("the enclosure " + to_text(limit.balance) + " of B_inf contains 0; " + limit.detail,
                       limit.arithmetic);
  return Verdict::violated(limit.arithmetic, to_text(limit.balance),
                           "B_inf = 0 (the limit of GD is balanced): the enclosure of B_inf excludes 0; " +
                               limit.detail);
}

// The instances that cannot falsify the claim: c* = 0 (interpolating data, or every x_i = 0), and
// Delta_0 = 0 (Delta stays 0, B_t = 0).
bool cannot_unbalance(const TrainingRun& run) {
  const uwx_gd::Moments mo = uwx_gd::moments(run.data);
  return mo.a == 0 || mo.c(mo.b / mo.a) == 0;
}

}  // namespace

ENTROPIC_CLAIM(N7) {
  return Claim::negative_control("N7", "Full-batch GD reaches gradient balance")
      .part("gd-limit", "limit of GD on u w x", uwx_gd::settling_runs(false))
          .check(gd_reaches_balance)
          .degenerate("c* = 0 (interpolating data or every x_i = 0)", cannot_unbalance)
          .degenerate("Delta_0 = 0", [](const TrainingRun& r) { return uwx_gd::charge(r.theta0) == 0; })
          .nondegenerate(
              "the generator draws x_i != 0, data no product fits, Delta_0 != 0, r_0 != 0 and a settling eta")
          .feature("Delta_0 > 0", [](const TrainingRun& r) { return uwx_gd::charge(r.theta0) > 0; });
}

}  // namespace entropic
