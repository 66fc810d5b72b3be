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
// Negative control: N1 (GD does not conserve D_j).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
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

// W_{j+1}^T nabla_{j+1} = nabla_j W_j^T for the full-batch gradient at every iterate and every j.
Verdict key_identity(const TrainingRun& run) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0", "W_{j+1}^T nabla_{j+1} = nabla_j W_j^T"};
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>&,
                                   const Vec<Rational>&) {
    const Vec<Rational> grad = model->gradient(theta, run.data);
    for (int j = 0; j + 1 < layout.count() && out.outcome == Outcome::holds; ++j)
      out = compare_entries<Rational>(
          Mat<Rational>(block(layout, theta, j + 1).transpose() * block(layout, grad, j + 1)),
          Mat<Rational>(block(layout, grad, j) * block(layout, theta, j).transpose()),
          "iterate " + std::to_string(t) + ", j = " + std::to_string(j + 1));
  });
  return out;
}

// dD_j/dt along -grad L_lambda equals -rate * lambda * D_j; the law has rate = 2.
Verdict flow_derivative(const TrainingRun& run, int rate) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0", "dD_j/dt = -2 lambda D_j along the flow"};
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>&,
                                   const Vec<Rational>&) {
    const Vec<Rational> v = -(model->gradient(theta, run.data) + run.lambda * theta);
    for (int j = 0; j + 1 < layout.count() && out.outcome == Outcome::holds; ++j) {
      const Mat<Rational> W = block(layout, theta, j), U = block(layout, theta, j + 1);
      const Mat<Rational> vW = block(layout, v, j), vU = block(layout, v, j + 1);
      const Mat<Rational> dD = vU.transpose() * U + U.transpose() * vU - vW * W.transpose() - W * vW.transpose();
      const Mat<Rational> D = U.transpose() * U - W * W.transpose();
      out = compare_entries<Rational>(dD, Mat<Rational>(-rate * run.lambda * D),
                                      "iterate " + std::to_string(t) + ", j = " + std::to_string(j + 1));
    }
  });
  return out;
}

// The discrete law for every j at every step of the run (GD or SGD, weight decay). The mutant
// predicts with the flow's conservation: D_j' = (1 - eta lambda)^2 D_j, without the eta^2 term.
Verdict discrete_law(const TrainingRun& run, bool without_drift) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  std::vector<Symmetry<Rational>> charges;
  for (int j = 0; j + 1 < layout.count(); ++j)
    charges.push_back(gl_symmetry<Rational>(layout, j, -1, j + 1,
                                            Mat<Rational>::Identity(layout[j].rows, layout[j].rows)));
  return charges_follow(
      run, charges,
      [&](const Symmetry<Rational>& sym, const Vec<Rational>& theta, const Vec<Rational>& g) {
        Mat<Rational> predicted = predicted_charge_after_step(sym, theta, g, run.eta, run.lambda);
        if (without_drift) predicted -= run.eta * run.eta * sym.charge(g);
        return predicted;
      },
      step_and_charge,
      "D_j' = (1 - eta lambda)^2 D_j + eta^2 (nabla_{j+1}^T nabla_{j+1} - nabla_j nabla_j^T)");
}

// At a stationary point of L_lambda (grad L + lambda theta = 0, checked exactly) every D_j = 0. With
// `unbalanced_instances` (mutant) the points are stationary points of L at lambda = 0 rescaled along the
// GL orbit, and the same conclusion is claimed for them; a point that is not stationary makes the
// verdict inconclusive, so the mutant can only be falsified by D_j != 0.
Verdict stationary_balanced(const StationaryPoint& p) {
  const auto model = make_model<Rational>(p.spec);
  const Layout& layout = model->layout();
  const Vec<Rational> g = model->gradient(p.theta, p.data) + p.lambda * p.theta;
  const Verdict stationary =
      compare<Rational>(g, Vec<Rational>::Zero(g.size()), "grad L + lambda theta = 0 (stationary point)");
  if (stationary.outcome != Outcome::holds)
    return Verdict::inconclusive("not a stationary point of L_lambda: residual " + stationary.residual, "rational");
  std::vector<Verdict> verdicts{stationary};
  for (int j = 0; j + 1 < layout.count(); ++j) {
    const Mat<Rational> W = block(layout, p.theta, j), U = block(layout, p.theta, j + 1);
    verdicts.push_back(compare_entries<Rational>(Mat<Rational>(U.transpose() * U), Mat<Rational>(W * W.transpose()),
                                                 "D_" + std::to_string(j + 1) + " = W_{j+1}^T W_{j+1} - W_j W_j^T = 0"));
  }
  return all_of(verdicts);
}

std::string show_run(const TrainingRun& run) { return run.show(); }

}  // namespace

ENTROPIC_CLAIM(E5) {
  const auto runs = gen::training_run(three_layer_linear_net());
  return Claim("E5", "Deep-linear balancedness")
      .provenance(Provenance::classical)
      .kind("exact identity; exact at a stationary point")
      .part("key identity", runs, key_identity, show_run)
      .part("gradient flow: dD_j/dt = -2 lambda D_j", runs,
            [](const TrainingRun& r) { return flow_derivative(r, 2); }, show_run)
      .part("GD/SGD law", runs, [](const TrainingRun& r) { return discrete_law(r, false); }, show_run)
      .part("stationary points of L_lambda (lambda > 0) are balanced",
            gen::deep_linear_stationary_points(2, 3, true), stationary_balanced,
            [](const StationaryPoint& p) { return p.show(); })
      .mutant("flow rate lambda instead of 2 lambda", runs,
              [](const TrainingRun& r) { return flow_derivative(r, 1); }, show_run)
      .mutant("discrete steps conserve D_j like the flow (no eta^2 term)", runs,
              [](const TrainingRun& r) { return discrete_law(r, true); }, show_run)
      .mutant("stationary points of L at lambda = 0 are balanced", gen::deep_linear_stationary_points(2, 3, false),
              stationary_balanced, [](const StationaryPoint& p) { return p.show(); });
}

}  // namespace entropic
