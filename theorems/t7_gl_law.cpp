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
// Degenerate instances (a law or a mutant holds trivially) are excluded by the generators and counted
// (0) by .degenerate: all-zero data; lambda M_t = 0 throughout (decay powers agree); zero drift at
// every step (flipped or dropped drift agrees); zero bias gradients (the law without the bias column
// agrees); G_U^T U symmetric for every sample and step (the transposed identity agrees, e.g. every
// width 1); lambda <M>_T = 0 or M_T = M_0 (pathwise); no label noise (label-noise part).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "support/charge_steps.hpp"
#include "entropic/gen/label_noise_points.hpp"
#include "entropic/gen/run_shapes.hpp"

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

// M_{t+1} observed; the catalog's law (charge_law: (1 - eta lambda)^2 M_t + eta^2 (G_U^T G_U - G_W G_W^T));
// and the mutants' (1 - eta lambda)^k M_t + sign eta^2 (...): k = 1 (decay not squared), sign = -1
// (drift G_W G_W^T - G_U^T G_U), or sign = 0 (no drift: gradient-flow conservation).
Charges observed_gl_charges(const TrainingRun& run) { return charges_along(run, gl_charges(run), charge_after_step); }
Charges gl_law(const TrainingRun& run) { return charges_along(run, gl_charges(run), charge_law(run, run.lambda)); }

auto wrong_law(int decay_power, int drift_sign) {
  return [decay_power, drift_sign](const TrainingRun& run) {
    const Rational decay = 1 - run.eta * run.lambda, eta2 = run.eta * run.eta;
    const Rational factor = decay_power == 2 ? Rational(decay * decay) : decay;
    return charges_along(run, gl_charges(run), [&](const Symmetry<Rational>& sym, const RunStep<Rational>& step) {
      return Mat<Rational>(factor * sym.charge(step.theta) + drift_sign * eta2 * sym.charge(step.g));
    });
  };
}

// Mutant of the biased pair: the law for the weights alone, as if the bias did not enter M:
// (1 - eta lambda)^2 (U^T U - W W^T) + eta^2 (G_U^T G_U - G_W G_W^T), predicted for M = U^T U - [W b][W b]^T.
Charges gl_law_without_bias(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  const int h = run.spec.widths[1];
  const auto weights_only = gl_symmetry<Rational>(mlp.layout(), mlp.weight_block(1), -1, mlp.weight_block(2),
                                                  Mat<Rational>::Identity(h, h));
  const std::string name = gl_charges(run).front().name;
  Charges out;
  for (const RunStep<Rational>& step : trajectory<Rational>(run))
    out.push_back({"step " + std::to_string(step.t) + ", " + name,
                   predicted_charge_after_step(weights_only, step.theta, step.g, run.eta, run.lambda)});
  return out;
}
bool zero_bias_gradients(const TrainingRun& run) {
  const Mlp<Rational> mlp(run.spec);
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    if (!mlp.layout().view(s.g, mlp.bias_block(1)).isZero(0)) return false;
  return true;
}

// W G_W^T = G_U^T U per sample, at every iterate, for every adjacent pair ([W b] with a bias). The
// mutant transposes one side, W G_W^T = U^T G_U: it would make W G_W^T symmetric, which the rank-one
// W G_W^T = h (U^T r)^T is not in general. `side` gives the matrix compared at (W, G_W, U, G_U).
template <class Side>
Quantities<Mat<Rational>> per_sample(const TrainingRun& run, Side side) {
  const auto model = make_model<Rational>(run.spec);
  const Layout& layout = model->layout();
  int w = 0, b = -1, u = 1, pairs = layout.count() - 1;
  if (run.spec.kind == ModelKind::mlp) {
    const Mlp<Rational> mlp(run.spec);
    w = mlp.weight_block(1), b = mlp.bias_block(1), u = mlp.weight_block(2), pairs = 1;
  }
  Quantities<Mat<Rational>> out;
  for (const RunStep<Rational>& step : trajectory<Rational>(run))
    for (int i = 0; i < run.data.size(); ++i) {
      const Vec<Rational> gi = model->gradient(step.theta, run.data, Batch{i});
      for (int p = 0; p < pairs; ++p) {
        const int wp = run.spec.kind == ModelKind::mlp ? w : p, up = run.spec.kind == ModelKind::mlp ? u : p + 1;
        const Mat<Rational> W = detail::with_bias(layout, step.theta, wp, b), GW = detail::with_bias(layout, gi, wp, b);
        const Mat<Rational> U = layout.view(step.theta, up), GU = layout.view(gi, up);
        out.push_back({"step " + std::to_string(step.t) + ", sample " + std::to_string(i) + ", " + layout[wp].name +
                           "/" + layout[up].name,
                       side(W, GW, U, GU)});
      }
    }
  return out;
}

Quantities<Mat<Rational>> observed_w_gw(const TrainingRun& run) {
  return per_sample(run, [](const Mat<Rational>& W, const Mat<Rational>& GW, const Mat<Rational>&,
                            const Mat<Rational>&) { return Mat<Rational>(W * GW.transpose()); });
}
auto gu_u(bool transposed) {
  return [transposed](const TrainingRun& run) {
    return per_sample(run, [transposed](const Mat<Rational>&, const Mat<Rational>&, const Mat<Rational>& U,
                                        const Mat<Rational>& GU) {
      return transposed ? Mat<Rational>(U.transpose() * GU) : Mat<Rational>(GU.transpose() * U);
    });
  };
}

// G_U^T U = U^T G_U for every sample, step and pair: the transposed identity agrees (every width 1, ...).
bool per_sample_symmetric(const TrainingRun& run) {
  const auto sides = gu_u(false)(run);
  for (const auto& q : sides)
    if (q.value != q.value.transpose()) return false;
  return true;
}

// The GL charge M = W W^T - U^T U of the first pair alone, for the pathwise balance
// eta/2 <G_U^T G_U - G_W G_W^T>_T - (M_T - M_0)/(2 eta T) = lambda (1 - eta lambda/2) <M>_T.
std::vector<Symmetry<Rational>> first_gl_charge(const TrainingRun& run) { return {gl_charges(run).front()}; }

// At the point (s W_1, W_2 / s) of the manifold of minima (s = 1: the phi_1-balanced one), by exact
// enumeration of the finite product data set: E[G_U^T G_U] = E[G_W G_W^T], and its catalog form
// tr(Sigma_eps) E[a_1 a_1^T] = E||x||^2 W_2^T Sigma_eps W_2 from the enumerated moments. The
// per-sample gradients are the library's model's of f = W_2 W_1 x (its own backward pass). The mutant
// checks the same at s = 2: the identity is a property of the balanced minimum, not of every minimum.
auto label_noise_identity_at(int s) {
  return [s](const gen::FiniteLabelNoiseMinimum& m) {
    const LinearChain<Rational> net = m.chain(Rational(s));
    const auto model = net.model();
    const Layout& layout = model->layout();
    const Mat<Rational> V = m.W2 * m.W1;  // the same product at either point
    const Mat<Rational> W2 = net.W(1);
    Mat<Rational> EU = Mat<Rational>::Zero(2, 2), EW = Mat<Rational>::Zero(2, 2), Eaa = Mat<Rational>::Zero(2, 2),
                  Eee = Mat<Rational>::Zero(2, 2);
    Rational Exx = 0;
    for (std::size_t j = 0; j < m.x.size(); ++j)
      for (std::size_t k = 0; k < m.eps.size(); ++k) {
        const Rational prob = m.p[j] * m.p_eps[k];
        const Vec<Rational> x = m.x[j], y = V * x + m.eps[k];
        const Vec<Rational> g = model->sample_gradient(net.theta, x, y);
        const Mat<Rational> GW = layout.view(g, 0), GU = layout.view(g, 1);  // d l / d W_1, d l / d W_2
        const Vec<Rational> a1 = net.W(0) * x;
        EU += prob * GU.transpose() * GU;
        EW += prob * GW * GW.transpose();
        Eaa += prob * a1 * a1.transpose();
        Eee += prob * m.eps[k] * m.eps[k].transpose();
        Exx += prob * x.squaredNorm();
      }
    return all_of({compare_entries<Rational>(EU, EW, "E[G_U^T G_U] = E[G_W G_W^T] at the label-noise minimum"),
                   compare_entries<Rational>(Mat<Rational>(Eee.trace() * Eaa), Mat<Rational>(Exx * W2.transpose() * Eee * W2),
                                             "tr(A_2 A_2^T Sigma_eps) E[a_1 a_1^T] = E||a_0||^2 A_1^T Sigma_eps A_1")});
  };
}

// No label noise: every eps = 0 (both sides of the identity vanish).
bool no_label_noise(const gen::FiniteLabelNoiseMinimum& m) {
  for (const Vec<Rational>& e : m.eps)
    if (!e.isZero(0)) return false;
  return true;
}

}  // namespace

ENTROPIC_CLAIM(T7) {
  const auto two_layers = gen::training_run(deep_linear_net(2));
  const auto three_layers = gen::training_run(deep_linear_net(3));
  const auto zero_drift = zero_drift_throughout(gl_charges);
  const auto untested_decay = decay_untested(gl_charges);
  const auto pathwise_degenerate = either(weight_decay_term_zero(first_gl_charge), no_boundary_term(first_gl_charge));
  return Claim("T7", "GL (double rotation) law for adjacent linear layers")
      .provenance(Provenance::derived)
      .kind("exact identity; statistical-stationary (pathwise form); exact at an optimum")
      .part("law-2", "matrix law, 2 layers",
            gen::excluding(two_layers, [=](const TrainingRun& r) {
              return all_zero_data(r) || zero_drift(r) || untested_decay(r);
            }))
          .observe(observed_gl_charges)
          .predict(gl_law)
          .mutant("linear-decay", "decay (1 - eta lambda) instead of its square", wrong_law(1, +1))
          .mutant("no-drift", "gradient-flow conservation: (1 - eta lambda)^2 M_t, no eta^2 term", wrong_law(2, 0))
          .degenerate("all-zero data", all_zero_data)
          .degenerate("zero charge drift at every step", zero_drift)
          .degenerate("lambda M = 0 before every step", untested_decay)
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
      .part("law-3", "matrix law, 3 layers",
            gen::excluding(three_layers, [=](const TrainingRun& r) { return all_zero_data(r) || zero_drift(r); }))
          .observe(observed_gl_charges)
          .predict(gl_law)
          .mutant("drift-flipped", "drift G_W G_W^T - G_U^T G_U", wrong_law(2, -1))
          .degenerate("all-zero data", all_zero_data)
          .degenerate("zero charge drift at every step", zero_drift)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("law-bias", "matrix law, bias as a column",
            gen::excluding(gen::training_run(linear_net_with_bias()), zero_bias_gradients))
          .observe(observed_gl_charges)
          .predict(gl_law)
          .mutant("bias-dropped", "the law of the weights alone: the bias column left out of M", gl_law_without_bias)
          .degenerate("zero bias gradients at every step", zero_bias_gradients)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("per-sample", "per-sample W G_W^T = G_U^T U", gen::excluding(three_layers, per_sample_symmetric))
          .observe(observed_w_gw)
          .predict(gu_u(false))
          .mutant("transposed", "per-sample identity with one side transposed, W G_W^T = U^T G_U", gu_u(true))
          .degenerate("G_U^T U symmetric for every sample and step", per_sample_symmetric)
          .nondegenerate("such runs are filtered out (suchThat)")
      .part("pathwise", "pathwise stationary balance", gen::excluding(two_layers, pathwise_degenerate))
          .observe(pathwise_balance(first_gl_charge))
          .predict(weight_decay_balance(first_gl_charge, -1))
          .mutant("decay-in-phi1", "weight decay inside phi_1: prefactor (1 + eta lambda/2)",
                  weight_decay_balance(first_gl_charge, +1))
          .mutant("no-boundary", "the stationary balance along a finite run: boundary term dropped",
                  balance_without_boundary(first_gl_charge))
          .degenerate("lambda <M>_T = 0", weight_decay_term_zero(first_gl_charge))
          .degenerate("M_T = M_0", no_boundary_term(first_gl_charge))
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
      .part("label-noise", "label-noise minimum (phi_1-balanced): E G_U^T G_U = E G_W G_W^T, exact enumeration",
            gen::balanced_label_noise_minimum())
          .check(label_noise_identity_at(1))
          .mutant("every-minimum", "the label-noise identity at every minimum (W_1 -> 2 W_1, W_2 -> W_2 / 2)",
                  label_noise_identity_at(2))
          .degenerate("no label noise", no_label_noise)
          .nondegenerate("the generator draws W_1, W_2 invertible, Sigma_x nonsingular and noise of scale q > 0");
}

}  // namespace entropic
