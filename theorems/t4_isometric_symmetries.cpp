// T4 — Isometric symmetries preserved, non-isometric broken (catalog T4).
//
// (a) If l(M theta) = l(theta) per sample for a linear action with Jacobian J = M, then
//         grad l(M theta) = M^{-T} grad l(theta),   ||grad l(M theta)||^2 = g^T J^{-1} J^{-T} g,
//     so phi_1 = 1/4 ||grad l_lambda||^2 is orbit-invariant iff J is isometric on gradients.
// (b) Orthogonal O: with the same batches, theta~_0 = O theta_0 implies theta~_t = O theta_t for every
//     t, eta, lambda, exactly; also for heavy ball and Nesterov; and phi_1(O theta) = phi_1(theta).
//     Models: a hidden permutation (ReLU or z - z^3/3), a unit's sign flip (z - z^3/3 exactly; tanh
//     certified by enclosures), a Cayley rotation R = (I - K)(I + K)^{-1} of f = W2 W1 x.
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

// theta~_t = g theta_t for t = 1..T, over the scalar S; the verdict of the last step (for
// enclosures, the widest) when every step holds.
template <class S>
Verdict equivariance(const SymmetricRun& r) {
  const auto model = make_model<S>(r.run.spec);
  const auto twins = twin_runs<S>(*model, from_rational<S>(r.run.data), r.run.batches,
                                  r.config_as<S>(), from_rational<S>(r.run.theta0),
                                  from_rational<S>(r.g.M));
  Verdict out;
  for (const auto& step : twins) {
    out = compare<S>(step.tilde, step.image,
                     "theta~_t = g theta_t at t = " + std::to_string(step.t) + " of " +
                         std::to_string(twins.size()));
    if (out.outcome != Outcome::holds) return out;
  }
  out.detail = "theta~_t = g theta_t for t = 1.." + std::to_string(twins.size()) + "; " + out.detail;
  return out;
}

// The sign flip of a tanh unit, certified by enclosures at an explicit precision.
Verdict certified_equivariance(const SymmetricRun& r) {
  const PrecisionScope precision(kCertifiedBits);
  return equivariance<Interval>(r);
}

// phi_1(g theta_0) = phi_1(theta_0) on every batch of the run, weight decay included.
Verdict phi1_invariance(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Vec<Rational> moved = r.g.act(r.run.theta0);
  Verdict out;
  for (size_t k = 0; k < r.run.batches.size(); ++k) {
    const Batch& b = r.run.batches[k];
    out = compare<Rational>(phi1(*model, r.run.data, b, moved, r.run.lambda),
                            phi1(*model, r.run.data, b, r.run.theta0, r.run.lambda),
                            "phi_1(g theta) = phi_1(theta) on batch " + std::to_string(k));
    if (out.outcome != Outcome::holds) return out;
  }
  return out;
}

// --- (a) how gradients transform ------------------------------------------------------------

// grad l_B(M theta) = M^{-T} grad l_B(theta) on every batch.
Verdict gradient_transform(const SymmetricRun& r) {
  const auto model = make_model<Rational>(r.run.spec);
  const Mat<Rational> inverse_transpose = r.g.M.partialPivLu().inverse().transpose();
  const Vec<Rational> moved = r.g.act(r.run.theta0);
  Verdict out;
  for (size_t k = 0; k < r.run.batches.size(); ++k) {
    const Batch& b = r.run.batches[k];
    out = compare<Rational>(model->gradient(moved, r.run.data, b),
                            inverse_transpose * model->gradient(r.run.theta0, r.run.data, b),
                            "grad l_B(M theta) = M^-T grad l_B(theta) on batch " + std::to_string(k));
    if (out.outcome != Outcome::holds) return out;
  }
  return out;
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

// E_B phi_1(su, w/s) = 1/4 (s^-2 E||g_u||^2 + s^2 E||g_w||^2 + E||g_rest||^2) at lambda = 0,
// over every batch of the run's size. `power` is the exponent of s on ||g_w||^2: 2 is the law, -2 the
// mutant in which gradients scale like the parameters (s^2 ||g_u||^2 + s^-2 ||g_w||^2).
Verdict orbit_identity(const RescaledRun& r, int power) {
  const auto model = make_model<Rational>(r.run.spec);
  const Vec<Rational> moved = r.g().act(r.run.theta0);
  const int n = r.run.data.size(), size = static_cast<int>(r.run.batches[0].size());
  // Per batch: phi_1 at the rescaled point, ||g_u||^2, ||g_w||^2, ||g_rest||^2 at theta.
  const Vec<Rational> mean = batch_expectation<Rational>(
      n, size, Sampling::without_replacement, [&](const Batch& b) {
        const OrbitParts p = orbit_parts(r, model->gradient(r.run.theta0, r.run.data, b));
        Vec<Rational> v(4);
        v << phi1(*model, r.run.data, b, moved, Rational(0)), p.u, p.w, p.rest;
        return v;
      });
  const Rational s2 = power > 0 ? Rational(r.s * r.s) : Rational(1 / (r.s * r.s));
  return compare<Rational>(mean[0], Rational((mean[1] / s2 + s2 * mean[2] + mean[3]) / 4),
                           power > 0 ? "E phi_1(su, w/s) = 1/4 (s^-2 E|g_u|^2 + s^2 E|g_w|^2 + E|g_rest|^2)"
                                     : "E phi_1(su, w/s) = 1/4 (s^2 E|g_u|^2 + s^-2 E|g_w|^2 + E|g_rest|^2)");
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
    const Rational a = *gen::nonzero_rational(), c = *gen::nonzero_rational(3, 3);
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

// At a candidate minimiser s: d/ds E_B phi_1(su, w/s) = 0 and d^2/ds^2 > 0 (exact, by forward-mode
// derivatives through the model), and the gradients there balance, E||g_u||^2 = E||g_w||^2.
// `squared` = the mutant's candidate s^2 = E||g_u||^2 / E||g_w||^2 (that is, s = s*^2).
Verdict orbit_minimiser(const RescaledRun& r, bool squared) {
  using D1 = Dual<Rational>;
  using D2 = Dual<D1>;
  const Rational s = squared ? Rational(r.s * r.s) : r.s;
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
}

template <class Instance>
std::string show(const Instance& instance) {
  return instance.show();
}

}  // namespace

ENTROPIC_CLAIM(T4) {
  using A = ActivationKind;
  return Claim("T4", "Isometric symmetries preserved, non-isometric broken")
      .provenance(Provenance::paper)
      .kind("exact identity; exact at an optimum")
      .part("(a) gradients at g theta are J^-T times the gradients (rescaling, GL)",
            non_isometric_symmetries(), gradient_transform, show<SymmetricRun>)
      .part("(b) hidden permutation: SGD equivariant",
            gen::hidden_permutation_runs({A::relu, A::odd_cubic}, kExactSteps),
            equivariance<Rational>, show<SymmetricRun>)
      .part("(b) sign flip, z - z^3/3: SGD equivariant",
            gen::sign_flip_runs(A::odd_cubic, kCubicSteps), equivariance<Rational>, show<SymmetricRun>)
      .part("(b) Cayley rotation of f = W2 W1 x: SGD equivariant",
            gen::cayley_rotation_runs(kExactSteps), equivariance<Rational>, show<SymmetricRun>)
      .part("(b) phi_1(O theta) = phi_1(theta)",
            rc::gen::oneOf(gen::hidden_permutation_runs({A::relu, A::odd_cubic}, 3),
                           gen::sign_flip_runs(A::odd_cubic, 3), gen::cayley_rotation_runs(3)),
            phi1_invariance, show<SymmetricRun>)
      .part("(b) sign flip, tanh: SGD equivariant, certified",
            gen::sign_flip_runs(A::tanh, kCertifiedSteps), certified_equivariance, show<SymmetricRun>)
      .part("(d) phi_1 differs along a rescaling orbit",
            rc::gen::suchThat(gen::rescaled_runs(1, true), moves_along_orbit), phi1_breaks,
            show<RescaledRun>)
      .part("(d) orbit identity phi_1(su, w/s) = 1/4 (s^-2 |g_u|^2 + s^2 |g_w|^2)",
            gen::rescaled_runs(1, false), [](const RescaledRun& r) { return orbit_identity(r, 2); },
            show<RescaledRun>)
      .part("(d) orbit minimiser s^4 = E|g_u|^2 / E|g_w|^2", fourth_power_orbits(),
            [](const RescaledRun& r) { return orbit_minimiser(r, false); }, show<RescaledRun>)
      .mutant("rescaling is an isometry: phi_1(su, w/s) = phi_1(u, w)", gen::rescaled_runs(1, true),
              phi1_orbit_invariant, show<RescaledRun>)
      .mutant("gradients scale like parameters: phi_1(su, w/s) = 1/4 (s^2 |g_u|^2 + s^-2 |g_w|^2)",
              gen::rescaled_runs(1, false), [](const RescaledRun& r) { return orbit_identity(r, -2); },
              show<RescaledRun>)
      .mutant("SGD equivariant under GL with a non-orthogonal G",
              gen::non_orthogonal_gl_runs(kExactSteps), equivariance<Rational>, show<SymmetricRun>)
      .mutant("discrete symmetries are preserved: sign flip of a ReLU unit",
              gen::sign_flip_runs(A::relu, kExactSteps), equivariance<Rational>, show<SymmetricRun>)
      .mutant("orbit minimiser at s^2 = E|g_u|^2 / E|g_w|^2", fourth_power_orbits(),
              [](const RescaledRun& r) { return orbit_minimiser(r, true); }, show<RescaledRun>);
}

}  // namespace entropic
