// T7 — GL ("double rotation") law for adjacent linear layers (catalog T7).
//
// If l(U G^{-1}, G W) = l(U, W) for every invertible G (no nonlinearity between W and U; a bias of W
// is an extra column of W), then per sample W G_W^T = G_U^T U, and one SGD step moves the matrix
// charge M = U^T U - W W^T exactly as
//     M_{t+1} = (1 - eta lambda)^2 M_t + eta^2 (G_U^T G_U - G_W G_W^T).
// Summing over a run gives the pathwise form of the stationary balance,
//     lambda (1 - eta lambda/2) <M>_T = eta/2 <G_U^T G_U - G_W G_W^T>_T - (M_T - M_0)/(2 eta T),
// whose expectation over a stationary run is the catalog's lambda > 0 stationarity (and at
// lambda = 0, equal time-averaged E G_U^T G_U and E G_W G_W^T up to the boundary term).
// Instances: deep linear nets with 2 and 3 layers, and a one-hidden-layer net with identity
// activation and biases (the bias column); every adjacent pair is checked. N3 is the same law on
// ReLU nets, where it fails off the diagonal.
// Label-noise minimum (catalog T7, exact at an optimum): at a phi_1-balanced minimum of f = W_2 W_1 x
// (r = -eps independent of x), by exact enumeration of a finite product data set,
//     E[G_U^T G_U] = E[G_W G_W^T],  i.e.  tr(Sigma_eps) E[a_1 a_1^T] = E||x||^2 W_2^T Sigma_eps W_2.
// Mutant: the same at another point of the same manifold of minima (W_1 -> 2 W_1, W_2 -> W_2 / 2),
// where phi_1 is not stationary: the identity is a property of the phi_1-balanced minimum, not of every
// label-noise minimum (and SGD's small-eta limit is not that minimum for anisotropic noise: N9).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "support/charge_steps.hpp"
#include "entropic/gen/label_noise_points.hpp"

namespace entropic {
namespace {

// f = W_D ... W_1 x with D = 2 or 3, widths up to 3 (shrinking toward 1).
gen::RunShape deep_linear_net(int depth) {
  gen::RunShape shape;
  shape.kind = ModelKind::deep_linear;
  shape.min_widths.assign(depth + 1, 1);
  shape.max_widths.assign(depth + 1, 3);
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

// z = W2 (W1 x + b1) + b2: identity activation with biases.
gen::RunShape linear_net_with_bias() {
  gen::RunShape shape;
  shape.min_widths = {1, 1, 1};
  shape.max_widths = {3, 3, 2};
  shape.activations = {ActivationKind::linear};
  shape.bias = true;
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

// The GL charge M = U^T U - [W b][W b]^T of every adjacent pair of weight blocks.
std::vector<Symmetry<Rational>> gl_charges(const TrainingRun& run) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  std::vector<Symmetry<Rational>> out;
  if (run.spec.kind == ModelKind::mlp) {
    const Mlp<Rational> mlp(run.spec);
    const int h = run.spec.widths[1];
    out.push_back(gl_symmetry<Rational>(layout, mlp.weight_block(1), mlp.bias_block(1),
                                        mlp.weight_block(2), Mat<Rational>::Identity(h, h)));
    return out;
  }
  for (int i = 0; i + 1 < layout.count(); ++i) {
    const int h = layout[i].rows;
    out.push_back(gl_symmetry<Rational>(layout, i, -1, i + 1, Mat<Rational>::Identity(h, h)));
  }
  return out;
}

// What a law predicts for M_{t+1}. The first is the catalog's; the others are mutants.
enum class Law {
  exact,             // (1 - eta lambda)^2 M + eta^2 (G_U^T G_U - G_W G_W^T)
  linear_decay,      // (1 - eta lambda) M + eta^2 (...)
  drift_sign_flip,   // (1 - eta lambda)^2 M - eta^2 (...)
};

Verdict matrix_law(const TrainingRun& run, Law law) {
  const Rational decay = 1 - run.eta * run.lambda, eta2 = run.eta * run.eta;
  return charges_follow(
      run, gl_charges(run),
      [&](const Symmetry<Rational>& sym, const Vec<Rational>& theta, const Vec<Rational>& g) {
        switch (law) {
          case Law::linear_decay: return Mat<Rational>(decay * sym.charge(theta) + eta2 * sym.charge(g));
          case Law::drift_sign_flip: return Mat<Rational>(decay * decay * sym.charge(theta) - eta2 * sym.charge(g));
          case Law::exact: break;
        }
        return predicted_charge_after_step(sym, theta, g, run.eta, run.lambda);
      },
      step_and_charge,
      "M_{t+1} = (1 - eta lambda)^2 M_t + eta^2 (G_U^T G_U - G_W G_W^T) for every adjacent pair");
}

// W G_W^T = G_U^T U per sample, at every iterate, for every adjacent pair ([W b] with a bias). The
// mutant transposes one side, W G_W^T = U^T G_U: it would make W G_W^T symmetric, which the rank-one
// W G_W^T = h (U^T r)^T is not in general.
Verdict per_sample_identity(const TrainingRun& run, bool transposed) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  Verdict worst{Outcome::holds, "rational", Evidence::exact, "0", "W G_W^T = G_U^T U per sample"};
  const int pairs = run.spec.kind == ModelKind::mlp ? 1 : layout.count() - 1;
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>&,
                                   const Vec<Rational>&) {
    for (int i = 0; i < run.data.size() && worst.outcome == Outcome::holds; ++i) {
      const Vec<Rational> gi = model->gradient(theta, run.data, Batch{i});
      for (int p = 0; p < pairs && worst.outcome == Outcome::holds; ++p) {
        int w = p, b = -1, u = p + 1;
        if (run.spec.kind == ModelKind::mlp) {
          const Mlp<Rational> mlp(run.spec);
          w = mlp.weight_block(1), b = mlp.bias_block(1), u = mlp.weight_block(2);
        }
        const Mat<Rational> W = detail::with_bias(layout, theta, w, b);
        const Mat<Rational> GW = detail::with_bias(layout, gi, w, b);
        const Mat<Rational> U = layout.view(theta, u), GU = layout.view(gi, u);
        const std::string where = "step " + std::to_string(t) + ", sample " + std::to_string(i) +
                                  ", " + layout[w].name + "/" + layout[u].name;
        const Mat<Rational> rhs = transposed ? Mat<Rational>(U.transpose() * GU)
                                             : Mat<Rational>(GU.transpose() * U);
        worst = compare_entries<Rational>(Mat<Rational>(W * GW.transpose()), rhs, where);
      }
    }
  });
  return worst;
}

// lambda (1 + sign eta lambda/2) <M>_T = eta/2 <D>_T - (M_T - M_0)/(2 eta T), D = G_U^T G_U - G_W G_W^T,
// for the first pair; the law has sign = -1.
Verdict pathwise_average(const TrainingRun& run, int sign) {
  const auto sym = gl_charges(run).front();
  Mat<Rational> sum_m, sum_d;
  Vec<Rational> last = run.theta0;
  for_each_step<Rational>(run, [&](int, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    const Mat<Rational> m = sym.charge(theta), d = sym.charge(g);
    sum_m = sum_m.size() ? Mat<Rational>(sum_m + m) : m;
    sum_d = sum_d.size() ? Mat<Rational>(sum_d + d) : d;
    last = next;
  });
  const Rational T = run.steps();
  const Mat<Rational> lhs = run.lambda * (1 + sign * run.eta * run.lambda / 2) / T * sum_m;
  const Mat<Rational> rhs =
      run.eta / (2 * T) * sum_d - (sym.charge(last) - sym.charge(run.theta0)) / (2 * run.eta * T);
  return compare_entries<Rational>(
      lhs, rhs, "lambda (1 - eta lambda/2) <M>_T = eta/2 <D>_T - (M_T - M_0)/(2 eta T)");
}

enum class MinimumAt { phi1_balanced, rescaled };

// The per-sample gradients come from the library's model of f = W_2 W_1 x (its own backward pass);
// expectations are the exact finite sums over the product data set. The second comparison is the
// catalog's form of the first, from the enumerated moments.
Verdict label_noise_minimum(const gen::FiniteLabelNoiseMinimum& m, MinimumAt at) {
  const gen::LibraryNet net = gen::as_library_net(m, at == MinimumAt::rescaled ? Rational(2) : Rational(1));
  const auto& model = net.model;
  const Vec<Rational>& theta = net.theta;
  const Layout& layout = model->layout();
  const Mat<Rational> V = m.W2 * m.W1;  // the same product at either point
  const Mat<Rational> W2 = layout.view(theta, 1);
  Mat<Rational> EU = Mat<Rational>::Zero(2, 2), EW = Mat<Rational>::Zero(2, 2), Eaa = Mat<Rational>::Zero(2, 2),
                Eee = Mat<Rational>::Zero(2, 2);
  Rational Exx = 0;
  for (std::size_t j = 0; j < m.x.size(); ++j)
    for (std::size_t k = 0; k < m.eps.size(); ++k) {
      const Rational prob = m.p[j] * m.p_eps[k];
      const Vec<Rational> x = m.x[j], y = V * x + m.eps[k];
      const Vec<Rational> g = model->sample_gradient(theta, x, y);
      const Mat<Rational> GW = layout.view(g, 0), GU = layout.view(g, 1);  // d l / d W_1, d l / d W_2
      const Vec<Rational> a1 = layout.view(theta, 0) * x;
      EU += prob * GU.transpose() * GU;
      EW += prob * GW * GW.transpose();
      Eaa += prob * a1 * a1.transpose();
      Eee += prob * m.eps[k] * m.eps[k].transpose();
      Exx += prob * x.squaredNorm();
    }
  return all_of({compare_entries<Rational>(EU, EW, "E[G_U^T G_U] = E[G_W G_W^T] at the label-noise minimum"),
                 compare_entries<Rational>(Mat<Rational>(Eee.trace() * Eaa), Mat<Rational>(Exx * W2.transpose() * Eee * W2),
                                           "tr(A_2 A_2^T Sigma_eps) E[a_1 a_1^T] = E||a_0||^2 A_1^T Sigma_eps A_1")});
}

std::string show_run(const TrainingRun& run) { return run.show(); }
std::string show_minimum(const gen::FiniteLabelNoiseMinimum& m) { return m.show(); }

}  // namespace

ENTROPIC_CLAIM(T7) {
  const auto two_layers = gen::training_run(deep_linear_net(2));
  const auto three_layers = gen::training_run(deep_linear_net(3));
  const auto with_bias = gen::training_run(linear_net_with_bias());
  return Claim("T7", "GL (double rotation) law for adjacent linear layers")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary (pathwise form); exact at an optimum")
      .part("matrix law, 2 layers", two_layers, [](const TrainingRun& r) { return matrix_law(r, Law::exact); },
            show_run)
      .part("matrix law, 3 layers", three_layers,
            [](const TrainingRun& r) { return matrix_law(r, Law::exact); }, show_run)
      .part("matrix law, bias as a column", with_bias,
            [](const TrainingRun& r) { return matrix_law(r, Law::exact); }, show_run)
      .part("per-sample W G_W^T = G_U^T U", three_layers,
            [](const TrainingRun& r) { return per_sample_identity(r, false); }, show_run)
      .part("pathwise stationary balance", two_layers,
            [](const TrainingRun& r) { return pathwise_average(r, -1); }, show_run)
      .part("label-noise minimum (phi_1-balanced): E G_U^T G_U = E G_W G_W^T, exact enumeration",
            gen::balanced_label_noise_minimum(),
            [](const gen::FiniteLabelNoiseMinimum& m) { return label_noise_minimum(m, MinimumAt::phi1_balanced); },
            show_minimum)
      .mutant("decay (1 - eta lambda) instead of its square", two_layers,
              [](const TrainingRun& r) { return matrix_law(r, Law::linear_decay); }, show_run)
      .mutant("drift G_W G_W^T - G_U^T G_U", three_layers,
              [](const TrainingRun& r) { return matrix_law(r, Law::drift_sign_flip); }, show_run)
      .mutant("per-sample identity with one side transposed, W G_W^T = U^T G_U", three_layers,
              [](const TrainingRun& r) { return per_sample_identity(r, true); }, show_run)
      .mutant("weight decay inside phi_1: prefactor (1 + eta lambda/2)", two_layers,
              [](const TrainingRun& r) { return pathwise_average(r, +1); }, show_run)
      .mutant("the label-noise identity at every minimum (W_1 -> 2 W_1, W_2 -> W_2 / 2)",
              gen::balanced_label_noise_minimum(),
              [](const gen::FiniteLabelNoiseMinimum& m) { return label_noise_minimum(m, MinimumAt::rescaled); },
              show_minimum);
}

}  // namespace entropic
