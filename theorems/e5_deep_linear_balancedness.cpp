// E5 — Deep-linear balancedness (catalog E5; Arora, Cohen & Hazan 2018; Du, Hu & Lee 2018).
//
// For f = W_D ... W_1 x and D_j = W_{j+1}^T W_{j+1} - W_j W_j^T:
//   key identity      W_{j+1}^T nabla_{j+1} = nabla_j W_j^T            (nabla_j = dL/dW_j)
//   gradient flow     theta' = -grad L_lambda gives dD_j/dt = -2 lambda D_j exactly, so D_j is
//                     conserved at lambda = 0 and D_j(t) = e^{-2 lambda t} D_j(0);
//   GD / SGD          D_j' = (1 - eta lambda)^2 D_j + eta^2 (nabla_{j+1}^T nabla_{j+1} - nabla_j nabla_j^T).
// The flow derivative along v is dD_j[v] = v_{j+1}^T W_{j+1} + W_{j+1}^T v_{j+1} - v_j W_j^T - W_j v_j^T,
// evaluated exactly at v = -(grad L + lambda theta).
//   stationary points of L_lambda = L + lambda/2 sum_j ||W_j||^2 with lambda > 0 are balanced: there
//                     nabla_j = -lambda W_j, and the key identity gives -lambda W_{j+1}^T W_{j+1} =
//                     -lambda W_j W_j^T, i.e. lambda D_j = 0. Checked at exact rational stationary points
//                     (stationary_points.hpp), with grad L + lambda theta = 0 verified, not assumed; at
//                     lambda = 0 the conclusion fails (the GL orbit of a minimum is unbalanced).
// Degenerate instances (a statement or a mutant holds trivially) are excluded by the generators and
// counted (0) by .degenerate: grad L = 0 at every iterate (key identity: both sides 0), lambda D_j = 0
// at every iterate (flow: every rate agrees), zero drift at every step (law: the flow's conservation
// agrees). The stationary points are built with lambda > 0 and S > 0 (every W_j != 0), or, at lambda = 0,
// moved by c != 1.
// Negative control: N1 (GD does not conserve D_j).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "support/charge_steps.hpp"
#include "entropic/gen/stationary_points.hpp"

namespace entropic {
namespace {

// Three-layer linear nets, widths up to 3, shrinking toward 1.
gen::RunShape three_layer_linear_net() {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths = {1, 1, 1, 1};
  shape.max_widths = {3, 3, 3, 2};
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

Mat<Rational> block(const Layout& layout, const Vec<Rational>& v, int j) { return layout.view(v, j); }

// value(layout, theta_t, j) at every iterate t of the run and every j = 1 .. D-1 (0-based j here),
// named "iterate t, j = ...".
template <class Value>
Quantities<Mat<Rational>> at_every_iterate(const TrainingRun& run, Value value) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  Quantities<Mat<Rational>> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    for (int j = 0; j + 1 < layout.count(); ++j)
      out.push_back({"iterate " + std::to_string(s.t) + ", j = " + std::to_string(j + 1), value(*model, s.theta, j)});
  return out;
}

// Key identity, for the full-batch gradient: W_{j+1}^T nabla_{j+1} (observed) = nabla_j W_j^T.
Quantities<Mat<Rational>> upper_side(const TrainingRun& run) {
  return at_every_iterate(run, [&](const Model<Rational>& model, const Vec<Rational>& theta, int j) {
    const Vec<Rational> grad = model.gradient(theta, run.data);
    return Mat<Rational>(block(model.layout(), theta, j + 1).transpose() * block(model.layout(), grad, j + 1));
  });
}
Quantities<Mat<Rational>> lower_side(const TrainingRun& run) {
  return at_every_iterate(run, [&](const Model<Rational>& model, const Vec<Rational>& theta, int j) {
    const Vec<Rational> grad = model.gradient(theta, run.data);
    return Mat<Rational>(block(model.layout(), grad, j) * block(model.layout(), theta, j).transpose());
  });
}

// dD_j[v] = v_{j+1}^T W_{j+1} + W_{j+1}^T v_{j+1} - v_j W_j^T - W_j v_j^T at v = -(grad L + lambda theta).
Quantities<Mat<Rational>> flow_derivative(const TrainingRun& run) {
  return at_every_iterate(run, [&](const Model<Rational>& model, const Vec<Rational>& theta, int j) {
    const Layout& layout = model.layout();
    const Vec<Rational> v = -(model.gradient(theta, run.data) + run.lambda * theta);
    const Mat<Rational> W = block(layout, theta, j), U = block(layout, theta, j + 1);
    const Mat<Rational> vW = block(layout, v, j), vU = block(layout, v, j + 1);
    return Mat<Rational>(vU.transpose() * U + U.transpose() * vU - vW * W.transpose() - W * vW.transpose());
  });
}
// -rate lambda D_j; the law has rate = 2.
auto flow_rate(int rate) {
  return [rate](const TrainingRun& run) {
    return at_every_iterate(run, [&](const Model<Rational>& model, const Vec<Rational>& theta, int j) {
      const Mat<Rational> W = block(model.layout(), theta, j), U = block(model.layout(), theta, j + 1);
      const Mat<Rational> D = U.transpose() * U - W * W.transpose();
      return Mat<Rational>(Rational(-rate * run.lambda) * D);
    });
  };
}

// The charges D_j of the GL symmetries between W_j and W_{j+1}.
std::vector<Symmetry<Rational>> balancedness_charges(const TrainingRun& run) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  std::vector<Symmetry<Rational>> charges;
  for (int j = 0; j + 1 < layout.count(); ++j)
    charges.push_back(gl_symmetry<Rational>(layout, j, -1, j + 1,
                                            Mat<Rational>::Identity(layout[j].rows, layout[j].rows)));
  return charges;
}
// D_j after every step (GD or SGD, weight decay), and the law
// D_j' = (1 - eta lambda)^2 D_j + eta^2 (nabla_{j+1}^T nabla_{j+1} - nabla_j nabla_j^T).
Charges observed_charges(const TrainingRun& run) {
  return charges_along(run, balancedness_charges(run), charge_after_step);
}
Charges discrete_law(const TrainingRun& run) {
  return charges_along(run, balancedness_charges(run), charge_law(run, run.lambda));
}
// Mutant: the flow's conservation, D_j' = (1 - eta lambda)^2 D_j, without the eta^2 term.
Charges discrete_law_without_drift(const TrainingRun& run) {
  const auto law = charge_law(run, run.lambda);
  return charges_along(run, balancedness_charges(run), [&](const Symmetry<Rational>& sym, const RunStep<Rational>& s) {
    return Mat<Rational>(law(sym, s) - run.eta * run.eta * sym.charge(s.g));
  });
}

// D_j = W_{j+1}^T W_{j+1} - W_j W_j^T at a stationary point of L_lambda, after checking
// grad L + lambda theta = 0 exactly: a point that is not stationary is inconclusive.
Quantities<Mat<Rational>> imbalances(const StationaryPoint& p) {
  const auto model = make_model<Rational>(p.spec);
  const Layout& layout = model->layout();
  const Vec<Rational> g = model->gradient(p.theta, p.data) + p.lambda * p.theta;
  if (!g.isZero(0))
    throw Inconclusive("not a stationary point of L_lambda: grad L + lambda theta = " + gen::show(g),
                       Arithmetic::rational());
  Quantities<Mat<Rational>> out;
  for (int j = 0; j + 1 < layout.count(); ++j) {
    const Mat<Rational> W = block(layout, p.theta, j), U = block(layout, p.theta, j + 1);
    out.push_back({"D_" + std::to_string(j + 1) + " = W_{j+1}^T W_{j+1} - W_j W_j^T",
                   Mat<Rational>(U.transpose() * U - W * W.transpose())});
  }
  return out;
}
Quantities<Mat<Rational>> balanced(const StationaryPoint& p) {
  Quantities<Mat<Rational>> out = imbalances(p);
  for (auto& q : out) q.value.setZero();
  return out;
}

// At lambda = 0 the conclusion fails: some D_j != 0 on the GL orbit of a stationary point of L.
Verdict some_imbalance(const StationaryPoint& p) {
  for (const auto& q : imbalances(p))
    if (!q.value.isZero(0))
      return Verdict::holds(Arithmetic::rational(), gen::show(q.value), q.name + " != 0 at a stationary point of L");
  return Verdict::violated(Arithmetic::rational(), "0", "every D_j = 0 at a stationary point of L");
}
// Mutant: such points are balanced too.
Verdict every_balanced(const StationaryPoint& p) {
  return compare_observed(imbalances(p), balanced(p), "stationary points of L at lambda = 0 are balanced");
}

// grad L(theta_t) = 0 (full batch) at every iterate.
bool gradient_zero_throughout(const TrainingRun& run) {
  const auto model = make_model<Rational>(run.spec);
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    if (!model->gradient(s.theta, run.data).isZero(0)) return false;
  return true;
}
// lambda D_j(theta_t) = 0 for every j at every iterate.
bool rate_untested(const TrainingRun& run) {
  if (run.lambda == 0) return true;
  for (const auto& q : flow_rate(1)(run))
    if (!q.value.isZero(0)) return false;
  return true;
}

}  // namespace

ENTROPIC_CLAIM(E5) {
  const auto runs = gen::training_run(three_layer_linear_net());
  const auto zero_drift = zero_drift_throughout(balancedness_charges);
  return Claim("E5", "Deep-linear balancedness")
      .provenance(Provenance::classical)
      .kind("exact identity; exact at a stationary point")
      .part("key-identity", "key identity", gen::excluding(runs, gradient_zero_throughout))
          .observe(upper_side)
          .predict(lower_side)
          .degenerate("grad L = 0 at every iterate", gradient_zero_throughout)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("flow", "gradient flow: dD_j/dt = -2 lambda D_j", gen::excluding(runs, rate_untested))
          .observe(flow_derivative)
          .predict(flow_rate(2))
          .mutant("rate-lambda", "flow rate lambda instead of 2 lambda", flow_rate(1))
          .degenerate("lambda D_j = 0 at every iterate", rate_untested)
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
      .part("law", "GD/SGD law", gen::excluding(runs, zero_drift))
          .observe(observed_charges)
          .predict(discrete_law)
          .mutant("no-drift", "discrete steps conserve D_j like the flow (no eta^2 term)", discrete_law_without_drift)
          .degenerate("zero charge drift at every step", zero_drift)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("stationary", "stationary points of L_lambda (lambda > 0) are balanced",
            gen::deep_linear_stationary_points(2, 3, true))
          .observe(imbalances)
          .predict(balanced)
          .nondegenerate("lambda > 0 and S > 0 by construction (every W_j != 0); grad L + lambda theta = 0 is checked")
          .feature("depth", [](const StationaryPoint& p) { return static_cast<int>(p.spec.widths.size()) - 1; })
      .part("unbalanced-at-zero", "stationary points of L at lambda = 0, moved along the GL orbit, are unbalanced",
            gen::deep_linear_stationary_points(2, 3, false))
          .check(some_imbalance)
          .mutant("balanced", "stationary points of L at lambda = 0 are balanced", every_balanced)
          .nondegenerate("c != 1 and S > 0 by construction: D_1 = (1/c^2 - c^2) U_1 S^2 U_1^T != 0")
          .feature("depth", [](const StationaryPoint& p) { return static_cast<int>(p.spec.widths.size()) - 1; });
}

}  // namespace entropic
