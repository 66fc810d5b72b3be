// E5 — Deep-linear balancedness (catalog E5; Arora, Cohen & Hazan 2018; Du, Hu & Lee 2018).
//
// For f = W_D ... W_1 x and D_j = W_{j+1}^T W_{j+1} - W_j W_j^T:
//   key identity      W_{j+1}^T nabla_{j+1} = nabla_j W_j^T            (nabla_j = dL/dW_j)
//   gradient flow     theta' = -grad L_lambda gives dD_j/dt = -2 lambda D_j exactly, so D_j is
//                     conserved at lambda = 0 and D_j(t) = e^{-2 lambda t} D_j(0);
//   GD / SGD          D_j' = (1 - eta lambda)^2 D_j + eta^2 (nabla_{j+1}^T nabla_{j+1} - nabla_j nabla_j^T).
// The flow derivative along v is dD_j[v] = v_{j+1}^T W_{j+1} + W_{j+1}^T v_{j+1} - v_j W_j^T - W_j v_j^T,
// evaluated exactly at v = -(grad L + lambda theta).
// (Stationary points of L_lambda with lambda > 0 being balanced follows from the key identity:
// nabla_j = -lambda W_j turns it into lambda D_j = 0. Not sampled: exact stationary points are not
// generated.) Negative control: N1 (GD does not conserve D_j).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "charge_steps.hpp"

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

std::string show_run(const TrainingRun& run) { return run.show(); }

}  // namespace

ENTROPIC_CLAIM(E5) {
  const auto runs = gen::training_run(three_layer_linear_net());
  return Claim("E5", "Deep-linear balancedness")
      .provenance(Provenance::classical)
      .kind("exact identity")
      .part("key identity", runs, key_identity, show_run)
      .part("gradient flow: dD_j/dt = -2 lambda D_j", runs,
            [](const TrainingRun& r) { return flow_derivative(r, 2); }, show_run)
      .part("GD/SGD law", runs, [](const TrainingRun& r) { return discrete_law(r, false); }, show_run)
      .mutant("flow rate lambda instead of 2 lambda", runs,
              [](const TrainingRun& r) { return flow_derivative(r, 1); }, show_run)
      .mutant("discrete steps conserve D_j like the flow (no eta^2 term)", runs,
              [](const TrainingRun& r) { return discrete_law(r, true); }, show_run);
}

}  // namespace entropic
