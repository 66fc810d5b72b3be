// N6 — "Diagonal (Adam-like) preconditioning preserves rotation symmetry" (catalog section 3,
// negative control; guards T3, T11).
//
// For an orthogonal symmetry R of l, grad l(R theta) = R grad l(theta), so one preconditioned step
// theta' = theta - eta P grad l_lambda gives
//     step(R theta) - R step(theta) = eta (R P - P R) grad l_lambda(theta),
// and grad l^T P grad l at R theta is g^T R^T P R g: both need RP = PR (catalog T3). A diagonal
// P = diag(p_1, p_2) with p_1 != p_2 commutes with no rotation other than +-I, so the claim fails at
// any theta with g != 0. Instances:
//   the catalog's: a radial loss l = c_1 |theta|^2 + c_2 |theta|^4 in two parameters (lambda = 0, so
//     that the symmetry is the loss's own), a Cayley rotation R, P = diag(p_1, p_2);
//   a neural one: a linear two-layer net f = U W x, the hidden rotation (W, U) -> (G W, U G^T), a
//     positive diagonal P over all parameters, a few SGD steps (heavy ball and weight decay allowed).
// Every counterexample is exact (rational arithmetic) and shrinks to small numbers.
#include "entropic/theory/equivariance.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/preconditioned_rotation.hpp"

namespace entropic {
namespace {

// l = c_1 |theta|^2 + c_2 |theta|^4 (theta in R^2), one preconditioned step from theta at lambda = 0.
struct RadialStep {
  Rational c1, c2;
  Vec<Rational> theta;
  Mat<Rational> R;  // 2 x 2 Cayley rotation
  Rational p1, p2;  // P = diag(p1, p2)
  Rational eta;

  ModelSpec spec() const {
    ModelSpec s;
    s.kind = ModelKind::polynomial;
    s.widths = {2, 1};
    s.polynomial = {Monomial{c1, {2, 0}}, Monomial{c1, {0, 2}}, Monomial{c2, {4, 0}},
                    Monomial{2 * c2, {2, 2}}, Monomial{c2, {0, 4}}};
    return s;
  }
  DataSet<Rational> data() const { return DataSet<Rational>{Mat<Rational>::Zero(1, 1), Mat<Rational>::Zero(1, 1)}; }
  Mat<Rational> P() const {
    Mat<Rational> P = Mat<Rational>::Zero(2, 2);
    P(0, 0) = p1;
    P(1, 1) = p2;
    return P;
  }
  std::string show() const {
    std::string l;
    for (const auto& [c, r] : {std::pair{c1, "|theta|^2"}, std::pair{c2, "|theta|^4"}}) {
      if (c == 0) continue;
      const Rational a = abs(c);
      l += (c < 0 ? (l.empty() ? "-" : " - ") : (l.empty() ? "" : " + ")) + (a == 1 ? "" : to_text(a) + " ") + r;
    }
    return "l = " + (l.empty() ? std::string("0") : l) + "; theta = " + gen::show(theta) + "; R = " +
           gen::show(R) + "; P = diag(" + to_text(p1) + ", " + to_text(p2) + "); eta = " + to_text(eta);
  }
};

rc::Gen<RadialStep> radial_steps() {
  return rc::gen::exec([]() {
    RadialStep s;
    s.c1 = *gen::rational(4, 4);
    s.c2 = *gen::rational(4, 4);
    s.theta = *gen::vector(2, gen::rational(4, 4));
    s.R = *gen::cayley_rotation(2);
    s.p1 = *gen::positive_rational(4, 4);
    s.p2 = *gen::positive_rational(4, 4);
    s.eta = *gen::step_size(Rational(1, 2));
    return s;
  });
}

// The instance's hypothesis l(R theta) = l(theta), exactly; a point that misses it is inconclusive.
void require_rotation_invariance(const RadialStep& s, const Model<Rational>& model) {
  const DataSet<Rational> data = s.data();
  const Batch all{0};
  if (!(model.loss(s.R * s.theta, data, all) == model.loss(s.theta, data, all)))
    throw Inconclusive("the loss is not rotation invariant", Arithmetic::rational());
}

// The wrong claim, twice: the step from R theta is R times the step from theta, and the entropic term
// grad l^T P grad l is the same at theta and R theta (P = diag(p1, p2), lambda = 0).
SgdConfig<Rational> preconditioned(const RadialStep& s) { return {s.eta, 0, 0, false, s.P()}; }

Vec<Rational> step_from_rotated_point(const RadialStep& s) {
  const auto model = make_model<Rational>(s.spec());
  require_rotation_invariance(s, *model);
  return sgd_map(*model, s.data(), Batch{0}, preconditioned(s), Vec<Rational>(s.R * s.theta));
}
Vec<Rational> rotated_step(const RadialStep& s) {
  const auto model = make_model<Rational>(s.spec());
  return s.R * sgd_map(*model, s.data(), Batch{0}, preconditioned(s), s.theta);
}

// grad l^T P grad l at `at`.
Rational entropic_term(const RadialStep& s, const Vec<Rational>& at) {
  const auto model = make_model<Rational>(s.spec());
  const Vec<Rational> g = model->gradient(at, s.data(), Batch{0});
  return g.dot(s.P() * g);
}
Rational entropic_term_at_rotated_point(const RadialStep& s) {
  require_rotation_invariance(s, *make_model<Rational>(s.spec()));
  return entropic_term(s, s.R * s.theta);
}
Rational entropic_term_at_point(const RadialStep& s) { return entropic_term(s, s.theta); }

// The same wrong claim for Adam-like P on a linear two-layer net: theta~_t = G . theta_t every step.
template <Vec<Rational> TwinIterates<Rational>::*iterate>
Quantities<Vec<Rational>> twin_iterates(const PreconditionedRotation& r) {
  const auto model = make_model<Rational>(r.run.spec);
  Quantities<Vec<Rational>> out;
  for (const auto& twin : twin_runs(*model, r.run.data, r.run.batches, r.config_as<Rational>(), r.run.theta0, r.M))
    out.push_back({"step " + std::to_string(twin.t) + ": theta~_t = G . theta_t", twin.*iterate});
  return out;
}

}  // namespace

ENTROPIC_CLAIM(N6) {
  return Claim::negative_control("N6", "Diagonal (Adam-like) preconditioning preserves rotation symmetry")
      .part("radial-step", "radial loss, P = diag(p1, p2): step(R theta) = R step(theta)", radial_steps())
          .observe(step_from_rotated_point)
          .predict(rotated_step)
          .degenerate("step(R theta) = R step(theta) on this instance (p1 = p2, or theta at the origin)",
                      [](const RadialStep& s) { return step_from_rotated_point(s) == rotated_step(s); })
      .part("radial-entropic-term", "radial loss, P = diag(p1, p2): grad l^T P grad l rotation invariant",
            radial_steps())
          .observe(entropic_term_at_rotated_point)
          .predict(entropic_term_at_point)
          .degenerate("grad l^T P grad l equal at theta and R theta on this instance",
                      [](const RadialStep& s) { return entropic_term_at_rotated_point(s) == entropic_term_at_point(s); })
      .part("net", "linear two-layer net, diagonal P: hidden rotation equivariance",
            gen::preconditioned_rotation(PreconditionerFamily::diagonal))
          .observe(twin_iterates<&TwinIterates<Rational>::tilde>)
          .predict(twin_iterates<&TwinIterates<Rational>::image>)
          .degenerate("the twin runs agree on this instance (P commutes with the rotation there, or nothing moves)",
                      [](const PreconditionedRotation& r) {
                        return compare_observed(twin_iterates<&TwinIterates<Rational>::tilde>(r),
                                                twin_iterates<&TwinIterates<Rational>::image>(r), "")
                                   .outcome == Outcome::holds;
                      });
}

}  // namespace entropic
