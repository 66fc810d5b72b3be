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

// The wrong claim, twice: the step from R theta is R times the step from theta, and the entropic term
// grad l^T P grad l is the same at theta and R theta. (The instance satisfies l(R theta) = l(theta)
// exactly; the check says so first.)
Verdict radial_symmetry_preserved(const RadialStep& s, bool entropic_term) {
  const auto model = make_model<Rational>(s.spec());
  const DataSet<Rational> data = s.data();
  const Batch all{0};
  const Vec<Rational> moved = s.R * s.theta;
  const Verdict symmetric = compare<Rational>(model->loss(moved, data, all), model->loss(s.theta, data, all),
                                              "hypothesis l(R theta) = l(theta)");
  if (symmetric.outcome != Outcome::holds) return Verdict::inconclusive("the loss is not rotation invariant", "rational");
  if (entropic_term) {
    const Vec<Rational> g = model->gradient(s.theta, data, all);
    const Vec<Rational> g_moved = model->gradient(moved, data, all);
    return compare<Rational>(Rational(g_moved.dot(s.P() * g_moved)), Rational(g.dot(s.P() * g)),
                             "grad l^T P grad l at R theta and at theta");
  }
  SgdConfig<Rational> cfg{s.eta, 0, 0, false, s.P()};
  return compare<Rational>(sgd_map(*model, data, all, cfg, moved), Vec<Rational>(s.R * sgd_map(*model, data, all, cfg, s.theta)),
                           "step(R theta) = R step(theta) with P = diag(p1, p2)");
}

// The same wrong claim for Adam-like P on a linear two-layer net: theta~_t = G . theta_t every step.
Verdict net_symmetry_preserved(const PreconditionedRotation& r) {
  const auto model = make_model<Rational>(r.run.spec);
  std::vector<Verdict> parts;
  for (const auto& twin : twin_runs(*model, r.run.data, r.run.batches, r.config_as<Rational>(),
                                    r.run.theta0, r.M))
    parts.push_back(compare<Rational>(twin.tilde, twin.image,
                                      "step " + std::to_string(twin.t) + ": theta~_t = G . theta_t, diagonal P"));
  return all_of(parts);
}

template <class Instance>
std::string show(const Instance& in) {
  return in.show();
}

}  // namespace

ENTROPIC_CLAIM(N6) {
  return Claim("N6", "Diagonal (Adam-like) preconditioning preserves rotation symmetry")
      .provenance(Provenance::negative_control)
      .kind("must be falsified")
      .expect(Expectation::fails)
      .part("radial loss, P = diag(p1, p2): step(R theta) = R step(theta)", radial_steps(),
            [](const RadialStep& s) { return radial_symmetry_preserved(s, false); }, show<RadialStep>)
      .part("radial loss, P = diag(p1, p2): grad l^T P grad l rotation invariant", radial_steps(),
            [](const RadialStep& s) { return radial_symmetry_preserved(s, true); }, show<RadialStep>)
      .part("linear two-layer net, diagonal P: hidden rotation equivariance",
            gen::preconditioned_rotation(PreconditionerFamily::diagonal), net_symmetry_preserved,
            show<PreconditionedRotation>);
}

}  // namespace entropic
