// T4 — Isometric symmetries preserved, non-isometric broken (catalog T4).
//
// (a) If l(M theta) = l(theta) per sample for a linear action with Jacobian J = M, then
//         grad l(M theta) = M^{-T} grad l(theta),   ||grad l(M theta)||^2 = g^T J^{-1} J^{-T} g,
//     so phi_1 = 1/4 ||grad l_lambda||^2 is orbit-invariant iff J is isometric on gradients. In SGD:
//     x_t = M^-1 theta~_t (theta~ the run from M theta_0) is the run from theta_0 with every gradient
//     g replaced by (M^T M)^-1 g, which is SGD itself iff M is orthogonal; for a non-orthogonal GL
//     element of f = W2 W1 x it is not, and theta~_t != M theta_t.
// (b) Orthogonal O: with the same batches, theta~_0 = O theta_0 implies theta~_t = O theta_t for every
//     t, eta, lambda, exactly; also for heavy ball and Nesterov; and phi_1(O theta) = phi_1(theta).
//     Models: a hidden permutation (ReLU or z - z^3/3), a unit's sign flip (z - z^3/3 exactly; tanh
//     certified by enclosures), a Cayley rotation R = (I - K)(I + K)^{-1} of f = W2 W1 x. The sign
//     flip O of a ReLU unit is orthogonal but no symmetry (ReLU is not odd): theta~_t = O x_t with x
//     the run on l(O .), whose gradient is O^T g(O x), not the run on l.
// (d) The rescaling (su, w/s) is not an isometry. At lambda = 0, per batch and after averaging over
//     every batch,
//         phi_1(su, w/s) = 1/4 (s^-2 ||g_u||^2 + s^2 ||g_w||^2) + 1/4 ||g_rest||^2,
//     (g_rest: the blocks the rescaling fixes, e.g. the output bias), whose unique orbit minimiser is
//     s^4 = E||g_u||^2 / E||g_w||^2: gradient balance. For any lambda, phi_1 along the orbit is
//     A/t + B t + C in t = s^2 with A = ||g_u||^2 + lambda^2 ||w||^2, B = ||g_w||^2 + lambda^2 ||u||^2,
//     constant only if A = B = 0: phi_1 differs among s = 1, s, 1/s whenever g_u or g_w is nonzero.
// (c), translations, is T9.
//
// Provenance: the paper's abstract says the entropic forces "systematically break continuous
// parameter symmetries and preserve discrete ones"; the isometry criterion is derived. The blanket
// statement fails for rotations (N5).
#include "entropic/numeric/linear_solve.hpp"
#include "entropic/optim/expectation.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/theory/equivariance.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/symmetric_run.hpp"

namespace entropic {
namespace {

// Exact Rational runs: the iterate's digits roughly triple per step (degree-3 maps) and grow
// sevenfold with z - z^3/3, so exact runs stay short; enclosures make ten steps cheap.
constexpr int kExactSteps = 5;
constexpr int kCubicSteps = 3;
constexpr int kCertifiedSteps = 10;
constexpr unsigned kCertifiedBits = 128;

// --- (b) equivariance -------------------------------------------------------------------------

// after * theta_t for t = 1..T, theta_t the run of r (its batches, eta, lambda, momentum, Nesterov)
// from `start`, over the scalar S. Observed: theta~_t, the run from g theta_0 (after = I);
// predicted: g theta_t (start theta_0, after = M).
using Iterates = Quantities<Vec<Rational>>;
template <class S>
Quantities<Vec<S>> iterates(const SymmetricRun& r, const Vec<S>& start, const Mat<S>& after) {
  const auto model = make_model<S>(r.run.spec);
  const DataSet<S> data = from_rational<S>(r.run.data);
  const SgdConfig<S> cfg = r.config_as<S>();
  SgdState<S> state{start, Vec<S>()};
  Quantities<Vec<S>> out;
  for (int t = 0; t < r.run.steps(); ++t) {
    sgd_step(*model, data, r.run.batches[t], cfg, state);
    out.push_back({"theta at step " + std::to_string(t + 1), Vec<S>(after * state.theta)});
  }
  return out;
}
template <class S>
Quantities<Vec<S>> moved_run(const SymmetricRun& r) {
  const Mat<S> M = from_rational<S>(r.g.M);
  return iterates<S>(r, Vec<S>(M * from_rational<S>(r.run.theta0)), Mat<S>::Identity(M.rows(), M.cols()));
}
template <class S>
Quantities<Vec<S>> image_of_run(const SymmetricRun& r) {
  return iterates<S>(r, from_rational<S>(r.run.theta0), from_rational<S>(r.g.M));
}

// M x_t for t = 1..T, x the run from theta_0 whose step uses the gradient gradient(x, B) in place of
// g_B(x) (weight decay, momentum and Nesterov unchanged). With x = M^-1 theta~ the run from g theta_0
// reads x' = x - eta d(M^-1 g(M x)), and:
//   l(M theta) = l(theta) gives g(M x) = M^-T g(x): theta~_t = M x_t for the gradient (M^T M)^-1 g(x)
//     (= g(x) iff M is orthogonal on gradients: the isometry criterion of (a));
//   M orthogonal, any loss: theta~_t = M x_t for the gradient M^T g(M x), the run on l(M .).
template <class Gradient>
Iterates image_of_pulled_back_run(const SymmetricRun& r, Gradient&& gradient) {
  const SgdConfig<Rational> cfg = r.config_as<Rational>();
  SgdState<Rational> x{r.run.theta0, Vec<Rational>()};
  Iterates out;
  for (int t = 0; t < r.run.steps(); ++t) {
    const Vec<Rational> d = sgd_direction(x.theta, gradient(x.theta, r.run.batches[t]), cfg, x.velocity);
    x.theta = x.theta + (-cfg.lr) * d;
    out.push_back({"theta at step " + std::to_string(t + 1), Vec<Rational>(r.g.M * x.theta)});
  }
  return out;
}
Iterates image_of_metric_run(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Mat<Rational> metric = exact_inverse(r.g.M.transpose() * r.g.M);
  return image_of_pulled_back_run(r, [&](const Vec<Rational>& x, const Batch& b) {
    return Vec<Rational>(metric * model->gradient(x, r.run.data, b));
  });
}
Iterates image_of_run_on_moved_loss(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  return image_of_pulled_back_run(r, [&](const Vec<Rational>& x, const Batch& b) {
    return Vec<Rational>(r.g.M.transpose() * model->gradient(Vec<Rational>(r.g.M * x), r.run.data, b));
  });
}

// phi_1 at g theta_0 (observed) and at theta_0 (predicted) on every batch of the run, weight decay
// included.
auto phi1_on_batches(bool moved) {
  return [moved](const SymmetricRun& r) {
    const auto model = make_model<Rational>(r.run.spec);
    const Vec<Rational> at = moved ? r.g.act(r.run.theta0) : r.run.theta0;
    Quantities<Rational> out;
    for (size_t k = 0; k < r.run.batches.size(); ++k)
      out.push_back({"phi_1 on batch " + std::to_string(k), phi1(*model, r.run.data, r.run.batches[k], at, r.run.lambda)});
    return out;
  };
}

// --- (a) how gradients transform ------------------------------------------------------------

// grad l_B(M theta) (observed) and M^{-T} grad l_B(theta) (predicted) on every batch.
Iterates gradients_at_moved_point(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Vec<Rational> moved = r.g.act(r.run.theta0);
  Iterates out;
  for (size_t k = 0; k < r.run.batches.size(); ++k)
    out.push_back({"grad l_B on batch " + std::to_string(k), model->gradient(moved, r.run.data, r.run.batches[k])});
  return out;
}
Iterates transformed_gradients(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Mat<Rational> inverse_transpose = exact_inverse(r.g.M).transpose();
  Iterates out;
  for (size_t k = 0; k < r.run.batches.size(); ++k)
    out.push_back({"grad l_B on batch " + std::to_string(k),
                   Vec<Rational>(inverse_transpose * model->gradient(r.run.theta0, r.run.data, r.run.batches[k]))});
  return out;
}

// Degenerate for the equivariance parts: the first gradient vanishes (x = 0, theta_0 = 0 in a linear
// net, ...), so both runs start by only decaying, which commutes with every linear g.
bool first_gradient_vanishes(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  return (model->gradient(r.run.theta0, r.run.data, r.run.batches.front()).array() == Rational(0)).all();
}

rc::Gen<SymmetricRun> non_isometric_symmetries() {
  return rc::gen::oneOf(
      rc::gen::map(gen::rescaled_runs(1, true), [](const RescaledRun& r) { return r.as_symmetric_run(); }),
      gen::non_orthogonal_gl_runs(1));
}

// --- (d) rescaling breaks phi_1 -----------------------------------------------------------------

// ||g_u||^2 = ||g_{W_l}||^2 + ||g_{b_l}||^2 and ||g_w||^2 = ||g_{W_{l+1}}||^2 of a gradient.
struct OrbitParts {
  Rational u, w, rest;
};
OrbitParts orbit_parts(const RescaledRun& r, const Vec<Rational>& g) {
  const auto [w_in, b_in, w_out] = rescaling_blocks(r.run.spec, r.layer);
  const Layout L = make_model<Rational>(r.run.spec)->layout();
  OrbitParts p;
  p.u = L.view(g, w_in).squaredNorm();
  if (b_in >= 0) p.u += L.view(g, b_in).squaredNorm();
  p.w = L.view(g, w_out).squaredNorm();
  p.rest = Rational(g.squaredNorm()) - p.u - p.w;
  return p;
}

// Hypothesis of the breaking: g_u or g_w nonzero on the run's first batch.
bool moves_along_orbit(const RescaledRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const OrbitParts p = orbit_parts(r, model->gradient(r.run.theta0, r.run.data, r.run.batches[0]));
  return p.u != 0 || p.w != 0;
}

// phi_1 along the orbit at s = 1, s, 1/s: some difference is certainly nonzero.
Verdict phi1_breaks(const RescaledRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Batch& b = r.run.batches[0];
  auto phi_at = [&](const Rational& s) {
    return phi1(*model, r.run.data, b, r.rescaling<Rational>(s).act(r.run.theta0), r.run.lambda);
  };
  const Rational at_one = phi_at(1), at_s = phi_at(r.s), at_inverse = phi_at(1 / r.s);
  const bool first = at_s != at_one;
  return certainly_nonzero<Rational>(
      first ? Rational(at_s - at_one) : Rational(at_inverse - at_one),
      first ? "phi_1(su, w/s) - phi_1(u, w)" : "phi_1(u/s, ws) - phi_1(u, w)");
}

// Mutant: rescaling as if it were an isometry, phi_1(su, w/s) = phi_1(u, w).
Verdict phi1_orbit_invariant(const RescaledRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Batch& b = r.run.batches[0];
  return compare<Rational>(phi1(*model, r.run.data, b, r.g().act(r.run.theta0), r.run.lambda),
                           phi1(*model, r.run.data, b, r.run.theta0, r.run.lambda),
                           "phi_1(su, w/s) = phi_1(u, w)");
}

// E_B phi_1(su, w/s) at lambda = 0, over every batch of the run's size (observed), and
// 1/4 (s^-2 E||g_u||^2 + s^2 E||g_w||^2 + E||g_rest||^2) at theta (predicted). `power` is the exponent
// of s on ||g_w||^2: 2 is the law, -2 the mutant in which gradients scale like the parameters
// (s^2 ||g_u||^2 + s^-2 ||g_w||^2).
Rational mean_phi1_on_orbit(const RescaledRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Vec<Rational> moved = r.g().act(r.run.theta0);
  return batch_expectation<Rational>(r.run.data.size(), static_cast<int>(r.run.batches[0].size()),
                                     Sampling::without_replacement, [&](const Batch& b) {
                                       return phi1(*model, r.run.data, b, moved, Rational(0));
                                     });
}
auto orbit_identity(int power) {
  return [power](const RescaledRun& r) {
    const auto model = make_model<Rational>(r.run.spec);
    const Vec<Rational> mean = batch_expectation<Rational>(
        r.run.data.size(), static_cast<int>(r.run.batches[0].size()), Sampling::without_replacement,
        [&](const Batch& b) {
          const OrbitParts p = orbit_parts(r, model->gradient(r.run.theta0, r.run.data, b));
          Vec<Rational> v(3);
          v << p.u, p.w, p.rest;
          return v;
        });
    const Rational s2 = power > 0 ? Rational(r.s * r.s) : Rational(1 / (r.s * r.s));
    return Rational((mean[0] / s2 + s2 * mean[1] + mean[2]) / 4);
  };
}

// f = W2 W1 x with W1 = a, W2 = +-a c^2: E||g_u||^2 / E||g_w||^2 = W2^2 / W1^2 = c^4, so the orbit
// minimiser s* = |c| is rational (stored as the run's s); there (s* W1, W2 / s*) = (a|c|, +-a|c|).
// Hypothesis: some batch residual r_B = mean_B (W2 W1 x_i - y_i) x_i is nonzero.
rc::Gen<RescaledRun> fourth_power_orbits() {
  gen::RunShape shape = gen::linear_two_layer(1);
  shape.max_widths = {1, 1, 1};
  shape.momentum = false;
  shape.weight_decay = false;
  shape.max_samples = 4;
  auto orbits = rc::gen::exec([shape]() {
    RescaledRun r;
    r.run = *gen::training_run(shape);
    // |c| != 1: at s* = 1 the mutant's s*^2 is s* itself.
    const Rational a = *gen::nonzero_rational(),
                   c = *rc::gen::suchThat(gen::nonzero_rational(3, 3), [](const Rational& x) { return abs(x) != 1; });
    const bool flip = *rc::gen::arbitrary<bool>();
    r.run.theta0 << a, flip ? Rational(-a * c * c) : Rational(a * c * c);
    r.s = abs(c);
    return r;
  });
  return rc::gen::suchThat(orbits, [](const RescaledRun& r) {
    const auto model = make_model<Rational>(r.run.spec);
    for (const Batch& b : all_batches(r.run.data.size(), static_cast<int>(r.run.batches[0].size()),
                                      Sampling::without_replacement))
      if (!model->gradient(r.run.theta0, r.run.data, b).isZero(0)) return true;
    return false;
  });
}

// At a candidate minimiser s = candidate(r): d/ds E_B phi_1(su, w/s) = 0 and d^2/ds^2 > 0 (exact, by
// forward-mode derivatives through the model), and the gradients there balance, E||g_u||^2 = E||g_w||^2.
// The law's candidate is s* (s^4 = E||g_u||^2 / E||g_w||^2); the mutant's s*^2
// (s^2 = E||g_u||^2 / E||g_w||^2).
Rational s_star(const RescaledRun& r) { return r.s; }
Rational s_star_squared(const RescaledRun& r) { return r.s * r.s; }
auto orbit_minimiser_at(Rational (*candidate)(const RescaledRun&)) {
  return [candidate](const RescaledRun& r) {
    using D1 = Dual<Rational>;
    using D2 = Dual<D1>;
    const Rational s = candidate(r);
    const auto model = make_model<D2>(r.run.spec);
    const DataSet<D2> data = from_rational<D2>(r.run.data);
    const Vec<D2> moved = r.rescaling<D2>(D2(D1(s, 1), D1(1, 0))).M * from_rational<D2>(r.run.theta0);
    const int n = r.run.data.size(), size = static_cast<int>(r.run.batches[0].size());
    const D2 phi = batch_expectation<D2>(n, size, Sampling::without_replacement, [&](const Batch& b) {
      return phi1(*model, data, b, moved, D2(0));
    });
    const Rational first = phi.value().tangent(), second = phi.tangent().tangent();

    const auto exact = make_model<Rational>(r.run.spec);
    const Vec<Rational> at_min = r.rescaling<Rational>(s).act(r.run.theta0);
    const Vec<Rational> balance = batch_expectation<Rational>(
        n, size, Sampling::without_replacement, [&](const Batch& b) {
          const OrbitParts p = orbit_parts(r, exact->gradient(at_min, r.run.data, b));
          Vec<Rational> v(2);
          v << p.u, p.w;
          return v;
        });
    const std::string at = " at s = " + to_text(s);
    return all_of({compare<Rational>(first, Rational(0), "d/ds E phi_1(su, w/s) = 0" + at),
                   certainly_positive<Rational>(second, "d^2/ds^2 E phi_1(su, w/s) > 0" + at),
                   compare<Rational>(balance[0], balance[1], "E|g_u|^2 = E|g_w|^2" + at)});
  };
}

}  // namespace

ENTROPIC_CLAIM(T4) {
  using A = ActivationKind;
  return Claim("T4", "Isometric symmetries preserved, non-isometric broken")
      .provenance(Provenance::paper)
      .kind("exact identity; exact at an optimum")
      .part("gradient-transform", "(a) gradients at g theta are J^-T times the gradients (rescaling, GL)",
            non_isometric_symmetries())
          .observe(gradients_at_moved_point)
          .predict(transformed_gradients)
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("gl-metric", "(a) GL, non-orthogonal G: theta~_t = M x_t, x SGD with gradients (M^T M)^-1 g",
            gen::non_orthogonal_gl_runs(kExactSteps))
          .observe(moved_run<Rational>)
          .predict(image_of_metric_run)
          .mutant("gl-equivariant", "SGD equivariant under GL with a non-orthogonal G", image_of_run<Rational>)
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("permutation", "(b) hidden permutation: SGD equivariant",
            gen::hidden_permutation_runs({A::relu, A::odd_cubic}, kExactSteps))
          .observe(moved_run<Rational>)
          .predict(image_of_run<Rational>)
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("sign-flip-cubic", "(b) sign flip, z - z^3/3: SGD equivariant", gen::sign_flip_runs(A::odd_cubic, kCubicSteps))
          .observe(moved_run<Rational>)
          .predict(image_of_run<Rational>)
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("sign-flip-relu", "(b) sign flip of a ReLU unit (no symmetry): theta~_t = O x_t, x SGD on l(O .)",
            gen::sign_flip_runs(A::relu, kExactSteps))
          .observe(moved_run<Rational>)
          .predict(image_of_run_on_moved_loss)
          .mutant("relu-equivariant", "discrete symmetries are preserved: sign flip of a ReLU unit",
                  image_of_run<Rational>)
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("cayley", "(b) Cayley rotation of f = W2 W1 x: SGD equivariant",
            rc::gen::suchThat(gen::cayley_rotation_runs(kExactSteps),
                              [](const SymmetricRun& r) { return !first_gradient_vanishes(r); }))
          .observe(moved_run<Rational>)
          .predict(image_of_run<Rational>)
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("phi1-invariant", "(b) phi_1(O theta) = phi_1(theta)",
            rc::gen::oneOf(gen::hidden_permutation_runs({A::relu, A::odd_cubic}, 3),
                           gen::sign_flip_runs(A::odd_cubic, 3), gen::cayley_rotation_runs(3)))
          .observe(phi1_on_batches(true))
          .predict(phi1_on_batches(false))
          .degenerate("g_0 = 0: both runs start by only decaying", first_gradient_vanishes)
      .part("sign-flip-tanh", "(b) sign flip, tanh: SGD equivariant, certified", gen::sign_flip_runs(A::tanh, kCertifiedSteps))
          .observe(moved_run<Interval>)
          .predict(image_of_run<Interval>)
          .precision(kCertifiedBits)
          .degenerate("x = 0 and y = 0: every gradient 0", [](const SymmetricRun& r) {
            return (r.run.data.X.array() == Rational(0)).all() && (r.run.data.Y.array() == Rational(0)).all();
          })
      .part("phi1-breaks", "(d) phi_1 differs along a rescaling orbit",
            rc::gen::suchThat(gen::rescaled_runs(1, true), moves_along_orbit))
          .check(phi1_breaks)
          .mutant("isometry", "rescaling is an isometry: phi_1(su, w/s) = phi_1(u, w)", phi1_orbit_invariant)
          .nondegenerate("g_u or g_w nonzero on the first batch and s != 1, by the generator (suchThat)")
      .part("orbit-identity", "(d) orbit identity phi_1(su, w/s) = 1/4 (s^-2 |g_u|^2 + s^2 |g_w|^2)",
            rc::gen::suchThat(gen::rescaled_runs(1, false), moves_along_orbit))
          .observe(mean_phi1_on_orbit)
          .predict(orbit_identity(2))
          .mutant("parameter-scaling", "gradients scale like parameters: phi_1(su, w/s) = 1/4 (s^2 |g_u|^2 + s^-2 |g_w|^2)",
                  orbit_identity(-2))
          .degenerate("g_u = g_w = 0 on the first batch: the orbit does not show in phi_1 (excluded by the generator)",
                      [](const RescaledRun& r) { return !moves_along_orbit(r); })
          .feature("s > 1", [](const RescaledRun& r) { return r.s > 1; })
      .part("minimiser", "(d) orbit minimiser s^4 = E|g_u|^2 / E|g_w|^2", fourth_power_orbits())
          .check(orbit_minimiser_at(s_star))
          .mutant("squared", "orbit minimiser at s^2 = E|g_u|^2 / E|g_w|^2", orbit_minimiser_at(s_star_squared))
          .degenerate("s* = 1: the mutant's s*^2 is s*", [](const RescaledRun& r) { return r.s == 1; });
}

}  // namespace entropic
