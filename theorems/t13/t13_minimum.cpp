// T13 (2): the entropic force phi_1 at a minimum, with label noise and with weight decay (the
// formulas: t13_edge_of_stability.cpp). All derivatives are exact, over Rational and Dual<Rational>.
#include "entropic/metrics/directional_derivative.hpp"
#include "entropic/metrics/hessian.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "t13/t13_parts.hpp"

namespace entropic::t13 {
namespace {

using D = Dual<Rational>;

// grad phi_1 for phi_1 = 1/4 ||grad L + lambda theta||^2 (full batch).
Vec<Rational> grad_phi1(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta,
                        const Rational& lambda = Rational(0)) {
  const auto model = make_model<D>(spec);
  const DataSet<D> lifted = lift<D>(data);
  const Batch all = Model<D>::all(lifted);
  return forward_gradient<Rational>([&](const Vec<D>& t) { return phi1<D>(*model, lifted, all, t, D(lambda)); }, theta);
}

// grad Tr C, Tr C = E||grad l_i||^2 - ||grad L||^2.
Vec<Rational> grad_trace_C(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta) {
  const auto model = make_model<D>(spec);
  const DataSet<D> lifted = lift<D>(data);
  return forward_gradient<Rational>([&](const Vec<D>& t) {
    D second(Rational(0));
    for (int i = 0; i < data.size(); ++i) {
      const Vec<D> gi = model->sample_gradient(t, lifted.x(i), lifted.y(i));
      second += gi.dot(gi);
    }
    const Vec<D> g = model->gradient(t, lifted);
    return D(second / D(Rational(data.size())) - g.dot(g));
  }, theta);
}

// 1/2 (H + shift I) v at theta, H the Hessian of L (full batch).
Vec<Rational> half_hessian(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta,
                           const Vec<Rational>& v, const Rational& shift) {
  const Vec<Rational> Hv = hessian_vector_product(spec, data, Model<Rational>::all(data), theta, v);
  return Vec<Rational>(Hv + shift * v) / Rational(2);
}

// On the manifold: grad L and grad phi_1 at the minimum, grad phi_1 and grad Tr C at the interpolating
// minimum, grad phi_1 at theta + delta; the law's prediction, with `force` the prediction of grad phi_1
// at the minimum.
Quantities<Vec<Rational>> predicted_at_minimum(const NoiseManifold& m, const Vec<Rational>& force) {
  const auto model = make_model<Rational>(m.spec);
  const Vec<Rational> zero = Vec<Rational>::Zero(m.theta.size()), off = m.theta + m.delta;
  return {{"grad L at W2 W1 = V", zero},
          {"grad phi_1 at the minimum", force},
          {"grad phi_1 at the interpolating minimum", zero},
          {"grad Tr C at the interpolating minimum", zero},
          {"grad phi_1 at theta + delta", half_hessian(m.spec, m.data, off, model->gradient(off, m.data), 0)}};
}

// An exact stationary point of L_lambda: the gradient of L_lambda vanishes, else the instance is
// inconclusive.
void require_stationary(const StationaryPoint& p) {
  const auto model = make_model<Rational>(p.spec);
  const Vec<Rational> g = regularized_gradient<Rational>(*model, p.data, Model<Rational>::all(p.data), p.theta, p.lambda);
  if (!g.isZero(0)) throw Inconclusive("not a stationary point of L_lambda: grad L_lambda = " + gen::show(g));
}

// The three forces of forces_with_weight_decay as predicted: at the stationary point (phi_1 of
// L_lambda, then of L) and at theta + delta.
Quantities<Vec<Rational>> decay_forces(Vec<Rational> at_point, Vec<Rational> of_L, Vec<Rational> off) {
  return {{"grad phi_1 at the stationary point", std::move(at_point)},
          {"grad 1/4 ||grad L||^2 at the stationary point", std::move(of_L)},
          {"grad phi_1 at theta + delta", std::move(off)}};
}

// 1/2 (H + shift I) grad L_lambda at theta (the law: shift = lambda).
Vec<Rational> half_hessian_of_gradient(const StationaryPoint& p, const Vec<Rational>& theta, const Rational& lambda,
                                       const Rational& shift) {
  const auto model = make_model<Rational>(p.spec);
  const Vec<Rational> g = regularized_gradient<Rational>(*model, p.data, Model<Rational>::all(p.data), theta, lambda);
  return half_hessian(p.spec, p.data, theta, g, shift);
}

}  // namespace

// ---- no entropic force at a minimum; label noise keeps one ------------------------------------------

rc::Gen<NoiseManifold> noise_manifolds() {
  return rc::gen::mapcat(
      rc::gen::tuple(gen::model_widths(ModelKind::deep_linear, {1, 1, 1}, {2, 2, 2}), gen::dimension(0, 2)),
      [](std::tuple<std::vector<int>, int> dims) {
        const auto& [widths, extra] = dims;
        const int din = widths[0], h = widths[1], dout = widths[2];
        ModelSpec spec;
        spec.kind = ModelKind::deep_linear;
        spec.widths = {din, h, dout};
        return rc::gen::apply(
            [spec, din = din, h = h, dout = dout](Mat<Rational> W1, Mat<Rational> W2, Mat<Rational> more,
                                                  Rational sigma, Vec<Rational> delta) {
              if (W1.isZero(0)) W1(0, 0) = 1;
              Mat<Rational> xs(din + more.rows(), din);
              xs << Mat<Rational>::Identity(din, din), more;
              Mat<Rational> noises(2 * dout, dout);
              noises << sigma * Mat<Rational>::Identity(dout, dout), -sigma * Mat<Rational>::Identity(dout, dout);
              NoiseManifold m;
              m.spec = spec;
              m.data = product_data<Rational>(xs, Mat<Rational>(W2 * W1), noises);
              m.clean = product_data<Rational>(xs, Mat<Rational>(W2 * W1), Mat<Rational>::Zero(1, dout));
              m.theta = Vec<Rational>(h * din + dout * h);
              const auto model = make_model<Rational>(spec);
              model->layout().view(m.theta, 0) = W1;
              model->layout().view(m.theta, 1) = W2;
              if (delta.isZero(0)) delta[0] = 1;  // off the minimum
              m.delta = delta;
              m.sigma = sigma;
              return m;
            },
            gen::matrix(h, din), gen::matrix(dout, h), gen::matrix(extra, din), gen::positive_rational(),
            gen::vector(h * din + dout * h));
      });
}

std::string NoiseManifold::show() const {
  const auto model = make_model<Rational>(spec);
  return "widths " + std::to_string(spec.widths[0]) + "-" + std::to_string(spec.widths[1]) + "-" +
         std::to_string(spec.widths[2]) + ", " + gen::show_parameters(model->layout(), theta) +
         ", sigma = " + to_text(sigma) + ", X = " + gen::show(data.X) + ", Y = " + gen::show(data.Y) +
         ", delta = " + gen::show(delta);
}

Quantities<Vec<Rational>> gradients_at_minimum(const NoiseManifold& m) {
  const auto model = make_model<Rational>(m.spec);
  return {{"grad L at W2 W1 = V", model->gradient(m.theta, m.data)},
          {"grad phi_1 at the minimum", grad_phi1(m.spec, m.data, m.theta)},
          {"grad phi_1 at the interpolating minimum", grad_phi1(m.spec, m.clean, m.theta)},
          {"grad Tr C at the interpolating minimum", grad_trace_C(m.spec, m.clean, m.theta)},
          {"grad phi_1 at theta + delta", grad_phi1(m.spec, m.data, m.theta + m.delta)}};
}

// grad phi_1 = 1/2 H grad L everywhere, so 0 where grad L = 0; on the clean (interpolating) data every
// per-sample gradient vanishes at theta, so grad Tr C = 0 there too: the force that survives at the
// minimum comes from the label noise alone.
Quantities<Vec<Rational>> no_force_at_minimum(const NoiseManifold& m) {
  const auto model = make_model<Rational>(m.spec);
  return predicted_at_minimum(m, half_hessian(m.spec, m.data, m.theta, model->gradient(m.theta, m.data), 0));
}

// The mutant: full-batch GD feels SGD's label-noise force at the minimum, grad phi_1 = 1/4 grad Tr C.
Quantities<Vec<Rational>> label_noise_force_for_gd(const NoiseManifold& m) {
  return predicted_at_minimum(m, Vec<Rational>(grad_trace_C(m.spec, m.data, m.theta) / Rational(4)));
}

// On the label-noise manifold grad Tr C equals the hand formula and is nonzero.
Verdict label_noise_force(const NoiseManifold& m) {
  const auto model = make_model<Rational>(m.spec);
  const Layout& layout = model->layout();
  const Mat<Rational> W1 = layout.view(m.theta, 0), W2 = layout.view(m.theta, 1);
  const int n = m.data.size();
  Mat<Rational> Sx = Mat<Rational>::Zero(m.data.input_dim(), m.data.input_dim());
  Mat<Rational> Se = Mat<Rational>::Zero(m.data.output_dim(), m.data.output_dim());
  Rational x2 = 0;
  for (int i = 0; i < n; ++i) {
    const Vec<Rational> x = m.data.x(i), eps = m.data.y(i) - W2 * W1 * x;
    Sx += x * x.transpose() / Rational(n);
    Se += eps * eps.transpose() / Rational(n);
    x2 += x.squaredNorm() / Rational(n);
  }
  Vec<Rational> predicted(m.theta.size());
  layout.view(predicted, 0) = 2 * Se.trace() * W1 * Sx;
  layout.view(predicted, 1) = 2 * x2 * Se * W2;
  const Vec<Rational> grad = grad_trace_C(m.spec, m.data, m.theta);
  return all_of({compare<Rational>(grad, predicted, "grad Tr C = (2 Tr(Sigma_eps) W1 Sigma_x, 2 E||x||^2 Sigma_eps W2)"),
                 certainly_nonzero<Rational>(Rational(grad.squaredNorm()), "||grad Tr C||^2 != 0")});
}

// ---- with weight decay ------------------------------------------------------------------------------

rc::Gen<DecayedMinimum> decayed_minima() {
  return rc::gen::mapcat(gen::deep_linear_stationary_points(2, 3, true), [](const StationaryPoint& p) {
    return rc::gen::map(gen::vector(static_cast<int>(p.theta.size())), [p](Vec<Rational> delta) {
      if (delta.isZero(0)) delta[0] = 1;  // off the stationary point
      return DecayedMinimum{p, delta};
    });
  });
}

// At the stationary point (grad L_lambda = 0, checked): grad phi_1 and grad 1/4 ||grad L||^2; at
// theta + delta: grad phi_1.
Quantities<Vec<Rational>> forces_with_weight_decay(const DecayedMinimum& m) {
  const StationaryPoint& p = m.point;
  require_stationary(p);
  return decay_forces(grad_phi1(p.spec, p.data, p.theta, p.lambda), grad_phi1(p.spec, p.data, p.theta),
                      grad_phi1(p.spec, p.data, p.theta + m.delta, p.lambda));
}

// grad phi_1 = 1/2 H_lambda grad L_lambda at every theta (= 0 at the stationary point), and without
// decay grad 1/4 ||grad L||^2 = 1/2 H grad L (= -lambda/2 H theta there).
Quantities<Vec<Rational>> weight_decay_law(const DecayedMinimum& m) {
  const StationaryPoint& p = m.point;
  return decay_forces(half_hessian_of_gradient(p, p.theta, p.lambda, p.lambda),
                      half_hessian_of_gradient(p, p.theta, 0, 0),
                      half_hessian_of_gradient(p, p.theta + m.delta, p.lambda, p.lambda));
}

// The mutant: H in place of H_lambda, grad phi_1 = 1/2 H grad L_lambda (off the stationary point,
// where grad L_lambda != 0).
Quantities<Vec<Rational>> hessian_without_decay(const DecayedMinimum& m) {
  const StationaryPoint& p = m.point;
  return decay_forces(half_hessian_of_gradient(p, p.theta, p.lambda, p.lambda),
                      half_hessian_of_gradient(p, p.theta, 0, 0),
                      half_hessian_of_gradient(p, p.theta + m.delta, p.lambda, 0));
}

// The mutant: phi_1 built from L instead of L_lambda feels no force at a stationary point of L_lambda
// (where grad L = -lambda theta).
Quantities<Vec<Rational>> phi1_of_L_at_rest(const DecayedMinimum& m) {
  const StationaryPoint& p = m.point;
  return decay_forces(half_hessian_of_gradient(p, p.theta, p.lambda, p.lambda), Vec<Rational>::Zero(p.theta.size()),
                      half_hessian_of_gradient(p, p.theta + m.delta, p.lambda, p.lambda));
}

}  // namespace entropic::t13
