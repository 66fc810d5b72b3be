// N5 — "Every continuous symmetry is broken" (catalog N5; a negative control, guards T4, T9).
//
// The wrong claim: SGD breaks every continuous symmetry of the loss, so for a one-parameter group
// element g either the run started at g theta_0 leaves the orbit (theta~_t != g theta_t for some t)
// or the entropic term tells the two points apart (phi_1(g theta) != phi_1(theta)). Isometries are
// kept (catalog T4): for a Cayley rotation R of the hidden layer of a linear two-layer net,
// (W, U) -> (R W, U R^T), theta~_t = R theta_t and phi_1(R theta_t) = phi_1(theta_t) exactly, with
// weight decay, momentum or Nesterov. The runner must find such an instance; the certificate is an
// exact zero difference. (Translations are the other counterexample: v^T theta follows
// (1 - eta lambda)^t exactly, claim T9.)
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/theory/equivariance.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/symmetric_run.hpp"

namespace entropic {
namespace {

// The claim speaks of points the group moves and where SGD moves: an instance with R theta_0 =
// theta_0 (R = I, theta_0 = 0, ...) or a zero first gradient misses its premise.
bool premise_missed(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  return Vec<Rational>(r.g.M * r.run.theta0) == r.run.theta0 ||
         (model->gradient(r.run.theta0, r.run.data, r.run.batches.front()).array() == Rational(0)).all();
}

// The wrong claim holds iff some exact difference is nonzero: max |theta~_t - R theta_t| and
// |phi_1(R theta_t) - phi_1(theta_t)| over the run. A counterexample is a run whose start the
// rotation really moves, |R theta_0 - theta_0|^2 > 0 (the residual reported: the certified premise),
// on which every one of those differences is exactly 0 (the detail says so). An instance that
// misses the premise is inconclusive.
Verdict rotation_is_broken(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  if (premise_missed(r))
    throw Inconclusive("premise not met: R theta_0 = theta_0 or g_0 = 0", Arithmetic::rational());
  const auto twins =
      twin_runs<Rational>(*model, r.run.data, r.run.batches, r.config_as<Rational>(), r.run.theta0, r.g.M);
  Rational largest = 0;
  for (const auto& twin : twins)
    for (Eigen::Index i = 0; i < twin.tilde.size(); ++i)
      largest = std::max<Rational>(largest, abs(twin.tilde[i] - twin.image[i]));
  Vec<Rational> theta = r.run.theta0;
  for (size_t t = 0; t < r.run.batches.size(); ++t) {
    const Rational moved = phi1(*model, r.run.data, r.run.batches[t], Vec<Rational>(r.g.M * theta), r.run.lambda) -
                           phi1(*model, r.run.data, r.run.batches[t], theta, r.run.lambda);
    largest = std::max<Rational>(largest, abs(moved));
    theta = Vec<Rational>(r.g.M.transpose() * twins[t].image);  // theta_{t+1} = R^T (R theta_{t+1})
  }
  if (largest != 0)
    return Verdict::holds(Arithmetic::rational(), to_text(largest),
                          "the rotation is broken: max |theta~_t - R theta_t|, |phi_1(R theta_t) - phi_1(theta_t)| > 0");
  const Rational moved = Vec<Rational>(r.g.M * r.run.theta0 - r.run.theta0).squaredNorm();
  return Verdict::violated(Arithmetic::rational(), to_text(moved),
                           "|R theta_0 - theta_0|^2 > 0, yet theta~_t = R theta_t and phi_1(R theta_t) = phi_1(theta_t) "
                           "exactly at every step: the symmetry is kept");
}

}  // namespace

ENTROPIC_CLAIM(N5) {
  return Claim::negative_control("N5", "Every continuous symmetry is broken")
      .part("rotation", "Cayley rotation of a linear two-layer net", gen::cayley_rotation_runs(3))
          .check(rotation_is_broken)
          .degenerate("R theta_0 = theta_0 or g_0 = 0 (premise not met: inconclusive)", premise_missed);
}

}  // namespace entropic
