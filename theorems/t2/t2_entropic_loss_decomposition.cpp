// T2 — SGD entropic loss = discretization + noise; exact charge drift (catalog T2).
//
// Paper: the entropic forces come from "stochasticity and discrete-time updates" (abstract). The
// precise statements below are derived; every expectation over minibatches is an exact finite sum
// over all N^S ordered batches (i.i.d., kappa_S = 1/S) or all C(N, S) subsets (kappa_S =
// (N - S)/(S (N - 1))), with C normalized by 1/N.
//
// (a) E_B ||grad l_{lambda,B}||^2 = ||grad L_lambda||^2 + kappa_S Tr C, so
//     phi_bar_eta = L_lambda + eta/4 ||grad L_lambda||^2 + eta/4 kappa_S Tr C (discretization part +
//     noise part), and the entropic force -eta/4 grad E_B ||grad l_{lambda,B}||^2 splits the same way.
// (b) For A symmetric with theta^T A grad l_i = 0: pathwise Q_A' = (1 - eta lambda)^2 Q_A + eta^2 g^T A g,
//     and E[Q_A' | theta] = (1 - eta lambda)^2 Q_A + eta^2 (grad L^T A grad L + kappa_S Tr A C). Along
//     the flow of -grad phi_bar_eta, eta dQ_A/dt = -eta lambda (2 + eta lambda) Q_A + eta^2 E_B g_B^T A g_B,
//     while SGD's expected change is -eta lambda (2 - eta lambda) Q_A + eta^2 E_B g_B^T A g_B: equal at
//     lambda = 0, different by exactly -2 eta^2 lambda^2 Q_A otherwise.
// (c) Scope caveat, as power series in eta: E[theta' | theta] = theta - eta grad L_lambda exactly; the
//     mean of theta_2 over all i.i.d. batch pairs equals the time-2 eta flow of the IGR loss
//     L_lambda + eta/4 ||grad L_lambda||^2 through eta^2, and differs from the phi_bar flow at eta^2 by
//     exactly (kappa_S / 2) grad Tr C, i.e. by twice eta times the noise force. For Q_A it is the other
//     way round: E Q_A(theta_2) follows the phi_bar flow through eta^2 and differs from Q_A along the
//     IGR flow at eta^2 by exactly 2 kappa_S Tr(A C). The catalog states this at lambda = 0; it holds
//     at lambda > 0 too, because the flow's factor exp(-eta lambda (2 + eta lambda)) over time eta is
//     (1 - eta lambda)^2 + O(eta^3): the gap -2 eta^2 lambda^2 Q_A of (b) is between eta dQ/dt and
//     the step, not between the flow map and the step.
// The instances and charges: t2_states.hpp; the series of (b) and (c): t2_series.hpp.
#include "entropic/metrics/directional_derivative.hpp"
#include "entropic/theory/charge_drift.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/theory/entropic_force.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/verify/observation.hpp"
#include "t2/t2_series.hpp"
#include "t2/t2_states.hpp"

namespace entropic {
namespace {

using namespace t2;
using D = Dual<Rational>;

// --- (a) the decomposition -------------------------------------------------------------------------

// E_B ||grad l_{lambda,B}||^2 over all batches, Tr C = (1/N) sum_i ||grad l_i - grad L||^2 and phi_bar_eta.
Quantities<Rational> entropic_loss_terms(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  return {{"E_B ||grad l_{lambda,B}||^2 (all batches)",
           mean_squared_batch_gradient(*model, s.data, s.theta, s.lambda, s.batches)},
          {"Tr C", gradient_noise_trace(*model, s.data, s.theta)},
          {"phi_bar_eta", phi_bar(*model, s.data, s.theta, s.eta, s.lambda, s.batches)}};
}

// The batches a theorist's kappa_S belongs to: the state's own, or the other sampling (mutant).
BatchSampling own_sampling(const MinibatchState& s) { return s.batches; }
BatchSampling other_sampling(const MinibatchState& s) {
  BatchSampling other = s.batches;
  other.sampling = s.batches.sampling == Sampling::with_replacement ? Sampling::without_replacement
                                                                    : Sampling::with_replacement;
  return other;
}
// The noise part eta/4 kappa_S Tr C of phi_bar_eta, or none (mutant).
Rational with_noise_part(const MinibatchState& s, const BatchSampling& b) {
  return noise_part(*make_model<Rational>(s.spec), s.data, s.theta, s.eta, b);
}
Rational without_noise_part(const MinibatchState&, const BatchSampling&) { return Rational(0); }

// E_B ||grad l_{lambda,B}||^2 = ||grad L_lambda||^2 + kappa_S Tr C, Tr C = tr of the covariance, and
// phi_bar_eta = L_lambda + eta/4 ||grad L_lambda||^2 + noise part, with kappa_S of `sampling`.
auto entropic_loss_decomposition(BatchSampling (*sampling)(const MinibatchState&),
                                 Rational (*noise)(const MinibatchState&, const BatchSampling&)) {
  return [sampling, noise](const MinibatchState& s) {
    const auto model = make_model<Rational>(s.spec);
    const BatchSampling b = sampling(s);
    const Rational trace_c = gradient_covariance(*model, s.data, s.theta).trace();
    return Quantities<Rational>{
        {"E_B ||grad l_{lambda,B}||^2 (all batches)",
         Rational(regularized_full_gradient(*model, s.data, s.theta, s.lambda).squaredNorm() +
                  b.noise_factor<Rational>(s.data.size()) * trace_c)},
        {"Tr C", trace_c},
        {"phi_bar_eta", Rational(regularized_loss(*model, s.data, s.theta, s.lambda) +
                                 discretization_part(*model, s.data, s.theta, s.eta, s.lambda) + noise(s, b))}};
  };
}

// The entropic force by Hessian products (one per batch), and as -eta/4 times the gradient of the
// enumerated scalar E_B ||grad l_{lambda,B}||^2 taken coordinate by coordinate in forward mode.
Quantities<Vec<Rational>> entropic_force_two_ways(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  const auto dual_model = make_model<D>(s.spec);
  const DataSet<D> dual_data = lift<D>(s.data);
  const Vec<Rational> gradient_of_term = forward_gradient<Rational>(
      [&](const Vec<D>& t) { return mean_squared_batch_gradient(*dual_model, dual_data, t, D(s.lambda), s.batches); },
      s.theta);
  return {{"entropic force (Hessian products)", entropic_force(*model, s.data, s.theta, s.eta, s.lambda, s.batches)},
          {"-eta/4 grad E_B ||grad l_{lambda,B}||^2 (forward mode)", Vec<Rational>(-(s.eta / 4) * gradient_of_term)}};
}
// Discretization force + noise force (per-sample Hessian products), for both.
Quantities<Vec<Rational>> force_parts(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  const Vec<Rational> sum = discretization_force(*model, s.data, s.theta, s.eta, s.lambda) +
                            noise_force(*model, s.data, s.theta, s.eta, s.batches);
  return {{"entropic force (Hessian products)", sum}, {"-eta/4 grad E_B ||grad l_{lambda,B}||^2 (forward mode)", sum}};
}

// --- (b) the exact charge drift ----------------------------------------------------------------------

Mat<Rational> one_by_one(const Rational& x) { return Mat<Rational>::Constant(1, 1, x); }
std::string batch_text(const Batch& b) {
  std::string out;
  for (int i : b) out += (out.empty() ? "" : ", ") + std::to_string(i);
  return "{" + out + "}";
}

// theta^T A grad l_i for every sample and form (the hypothesis of (b), 0 for these charges), Q after the
// step for every batch and charge (matrix charges whole), and E[Q'|theta] for every form, by enumeration.
Quantities<Mat<Rational>> charges_after_one_step(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  const SgdConfig<Rational> cfg{s.eta, s.lambda, 0, false, {}};
  const auto forms = charge_forms_of(s.spec);
  Quantities<Mat<Rational>> out;
  for (const auto& Q : forms) {
    Vec<Rational> products(s.data.size());
    for (int i = 0; i < s.data.size(); ++i)
      products[i] = Q.bilinear(s.theta, Vec<Rational>(model->sample_gradient(s.theta, s.data.x(i), s.data.y(i))));
    out.push_back({"theta^T A grad l_i, " + Q.name, Mat<Rational>(products)});
  }
  const auto batches = all_batches(s.data.size(), s.batches.size, s.batches.sampling);
  std::vector<Rational> mean(forms.size(), Rational(0));
  const auto symmetries = charges(s.spec);
  for (const Batch& b : batches) {
    const Vec<Rational> next = sgd_map(*model, s.data, b, cfg, s.theta);
    for (const auto& sym : symmetries) out.push_back({"Q' after batch " + batch_text(b) + ", " + sym.name, sym.charge(next)});
    for (size_t f = 0; f < forms.size(); ++f) mean[f] += forms[f](next);
  }
  for (size_t f = 0; f < forms.size(); ++f)
    out.push_back({"E[Q'|theta], " + forms[f].name, one_by_one(mean[f] / static_cast<int>(batches.size()))});
  return out;
}

// E[Q'|theta] as a theorist states it, from Q, grad L, C and kappa_S.
using ExpectedCharge = Rational (*)(const MinibatchState&, const ChargeForm<Rational>&, const Vec<Rational>& grad,
                                    const Mat<Rational>& C, const Rational& kappa);
// (1 - eta lambda)^2 Q + eta^2 (grad L^T A grad L + kappa_S Tr AC): the claim.
Rational expected_charge_law(const MinibatchState& s, const ChargeForm<Rational>& Q, const Vec<Rational>& grad,
                             const Mat<Rational>& C, const Rational& kappa) {
  return expected_charge_after_step(Q, s.theta, grad, C, kappa, s.eta, s.lambda);
}
// The SDE law of balance dQ/dt = -2 lambda Q + eta kappa_S Tr(A C) taken as exact over one step of time
// eta: (1 - 2 eta lambda) Q + eta^2 kappa_S Tr(A C) (mutant).
Rational sde_law_per_step(const MinibatchState& s, const ChargeForm<Rational>& Q, const Vec<Rational>&,
                          const Mat<Rational>& C, const Rational& kappa) {
  return (1 - 2 * s.eta * s.lambda) * Q(s.theta) + s.eta * s.eta * kappa * Q.trace_product(C);
}

// The hypothesis holds (0), the pathwise law Q' = (1 - eta lambda)^2 Q + eta^2 Q(g_B) for every batch,
// and E[Q'|theta] by `expected`.
auto charge_drift(ExpectedCharge expected) {
  return [expected](const MinibatchState& s) {
    const auto model = make_model<Rational>(s.spec);
    const auto forms = charge_forms_of(s.spec);
    Quantities<Mat<Rational>> out;
    for (const auto& Q : forms)
      out.push_back({"theta^T A grad l_i, " + Q.name, Mat<Rational>::Zero(s.data.size(), 1)});
    const auto symmetries = charges(s.spec);
    for (const Batch& b : all_batches(s.data.size(), s.batches.size, s.batches.sampling)) {
      const Vec<Rational> g = model->gradient(s.theta, s.data, b);
      for (const auto& sym : symmetries)
        out.push_back({"Q' after batch " + batch_text(b) + ", " + sym.name,
                       predicted_charge_after_step(sym, s.theta, g, s.eta, s.lambda)});
    }
    const Vec<Rational> grad = model->gradient(s.theta, s.data);
    const Mat<Rational> C = gradient_covariance(*model, s.data, s.theta);
    const Rational kappa = s.batches.noise_factor<Rational>(s.data.size());
    for (const auto& Q : forms) out.push_back({"E[Q'|theta], " + Q.name, one_by_one(expected(s, Q, grad, C, kappa))});
    return out;
  };
}

// Per form: eta dQ/dt along the flow of -grad phi_bar_eta (forward mode: Q on theta + e v,
// v = -grad phi_bar_eta), SGD's expected change E[Q'|theta] - Q, and their difference.
Quantities<Rational> flow_and_step_drift(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  const SgdConfig<Rational> cfg{s.eta, s.lambda, 0, false, {}};
  const Vec<Rational> velocity = -phi_bar_gradient(*model, s.data, s.theta, s.eta, s.lambda, s.batches);
  Quantities<Rational> out;
  for (const auto& Q : charge_forms_of(s.spec)) {
    const Rational dQdt = directional_derivative<Rational>([&](const Vec<D>& t) { return Q(t); }, s.theta, velocity);
    const Rational change = s.batches.expectation<Rational>(s.data.size(), [&](const Batch& b) {
      return Q(sgd_map(*model, s.data, b, cfg, s.theta));
    }) - Q(s.theta);
    out.push_back({"eta dQ/dt, " + Q.name, Rational(s.eta * dQdt)});
    out.push_back({"E[Q'|theta] - Q, " + Q.name, change});
    out.push_back({"eta dQ/dt - (E[Q'|theta] - Q), " + Q.name, Rational(s.eta * dQdt - change)});
  }
  return out;
}
// eta dQ/dt = -eta lambda (2 + sign eta lambda) Q + eta^2 E_B g_B^T A g_B,
// E[Q'|theta] - Q = -eta lambda (2 - eta lambda) Q + eta^2 E_B g_B^T A g_B, difference -(1 + sign) eta^2 lambda^2 Q.
// The law has sign = +1; the mutant (the flow's decay equals SGD's) sign = -1.
auto flow_drift_law(int sign) {
  return [sign](const MinibatchState& s) {
    const auto model = make_model<Rational>(s.spec);
    const Rational eta = s.eta, lambda = s.lambda;
    Quantities<Rational> out;
    for (const auto& Q : charge_forms_of(s.spec)) {
      const Rational q = Q(s.theta);
      const Rational drift = s.batches.expectation<Rational>(s.data.size(), [&](const Batch& b) {
        return Q(model->gradient(s.theta, s.data, b));
      });
      out.push_back({"eta dQ/dt, " + Q.name, Rational(-eta * lambda * (2 + sign * eta * lambda) * q + eta * eta * drift)});
      out.push_back({"E[Q'|theta] - Q, " + Q.name, Rational(-eta * lambda * (2 - eta * lambda) * q + eta * eta * drift)});
      out.push_back({"eta dQ/dt - (E[Q'|theta] - Q), " + Q.name, Rational(-(1 + sign) * eta * eta * lambda * lambda * q)});
    }
    return out;
  };
}

// --- (c) the scope caveat ----------------------------------------------------------------------------

// E[theta' | theta] = theta - eta grad L_lambda, exactly in Rational.
Vec<Rational> one_step_mean(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  const SgdConfig<Rational> cfg{s.eta, s.lambda, 0, false, {}};
  return expected_sgd_step(*model, s.data, cfg, s.theta, s.batches.size, s.batches.sampling);
}
Vec<Rational> gradient_step(const MinibatchState& s) {
  const auto model = make_model<Rational>(s.spec);
  return s.theta - s.eta * regularized_full_gradient(*model, s.data, s.theta, s.lambda);
}

// Mean theta_2 over all batch pairs, and the time-2 eta flows it is compared with: IGR; phi_bar less
// twice eta the noise force F_noise = -eta/4 kappa_S grad Tr C (the phi_bar flow is off at eta^2 by
// exactly (kappa_S/2) grad Tr C); phi_bar (mutant).
Vec<Ser> mean_second_iterate(const MinibatchState& s) { return mean_iterate(s, 2); }
Vec<Ser> igr_flow_2(const MinibatchState& s) { return igr_flow(s, 2); }
Vec<Ser> phi_bar_flow_2(const MinibatchState& s) { return phi_bar_flow(s, 2); }
Vec<Ser> phi_bar_flow_less_noise_force(const MinibatchState& s) {
  return phi_bar_flow(s, 2) - Ser(2) * Ser::variable(kSeriesOrder) * noise_force_series(s);
}

// E Q_A(theta_steps) over all batch sequences, per form, against Q_A along a flow over time steps * eta:
// the phi_bar flow; the IGR flow plus steps eta^2 kappa_S Tr(A C); the IGR flow (mutant).
template <int steps>
Vec<Ser> mean_charges_after(const MinibatchState& s) { return mean_charges(s, steps); }
template <int steps>
Vec<Ser> charges_along_phi_bar_flow(const MinibatchState& s) { return charges_at(s, phi_bar_flow(s, steps)); }
Vec<Ser> charges_along_igr_flow(const MinibatchState& s) { return charges_at(s, igr_flow(s, 2)); }
Vec<Ser> charges_along_igr_flow_plus_noise(const MinibatchState& s) {
  return charges_at(s, igr_flow(s, 2)) + noise_charge_gap(s, 2);
}

}  // namespace

ENTROPIC_CLAIM(T2) {
  const auto decomposing = minibatch_states(decomposition_states());
  const auto symmetric = minibatch_states(symmetric_states());
  const auto decaying = minibatch_states(decaying_symmetric_states());
  const auto two_steps = minibatch_states(two_step_states({ActivationKind::odd_cubic, ActivationKind::linear}, true));
  const auto two_steps_symmetric = minibatch_states(two_step_states({ActivationKind::linear}, true));
  const char* const still = "every sample gradient 0 and lambda = 0: SGD stands still";
  const char* const no_noise = "Tr C = 0: no gradient noise, so the noise terms vanish";
  const auto one_kappa = [](const MinibatchState& s) { return s.batches.size == 1; };
  return Claim("T2", "SGD entropic loss = discretization + noise; exact charge drift")
      .provenance(Provenance::paper)
      .kind("exact identity; order-3 (caveat)")
      .part("decomposition", "(a) second moment and phi_bar = L + discretization part + noise part", decomposing)
          .observe(entropic_loss_terms)
          .predict(entropic_loss_decomposition(own_sampling, with_noise_part))
          .mutant("kappa-swapped", "kappa_S of the other sampling",
                  entropic_loss_decomposition(other_sampling, with_noise_part))
          .mutant("no-noise-part", "noise part dropped: phi_bar = L + eta/4 ||grad L||^2",
                  entropic_loss_decomposition(own_sampling, without_noise_part))
          .degenerate(no_noise, noiseless)
          .feature("S = 1 (kappa_S the same for both samplings)", one_kappa)
      .part("force", "(a) entropic force = discretization force + noise force", decomposing)
          .observe(entropic_force_two_ways)
          .predict(force_parts)
          .degenerate(still, stands_still)
      .part("charge-drift", "(b) pathwise and expected charge drift", symmetric)
          .observe(charges_after_one_step)
          .predict(charge_drift(expected_charge_law))
          .mutant("sde-per-step", "SDE law of balance exact per step: E dQ = -2 eta lambda Q + eta^2 kappa_S Tr AC",
                  charge_drift(sde_law_per_step))
          .degenerate(still, stands_still)
      .part("flow-drift", "(b) phi_bar flow: eta dQ/dt vs the expected step (lambda > 0)", decaying)
          .observe(flow_and_step_drift)
          .predict(flow_drift_law(+1))
          .mutant("same-decay", "phi_bar flow's decay equals SGD's: eta dQ/dt = E[Q'|theta] - Q at lambda > 0",
                  flow_drift_law(-1))
          .degenerate("Q_A = 0 for every form: the gap -2 eta^2 lambda^2 Q_A vanishes", [](const MinibatchState& s) {
            for (const auto& Q : charge_forms_of(s.spec))
              if (Q(s.theta) != 0) return false;
            return true;
          })
      .part("flow-one-step", "(b) the phi_bar flow over time eta matches E[Q'|theta] through eta^2 at every lambda",
            two_steps_symmetric)
          .observe(mean_charges_after<1>)
          .predict(charges_along_phi_bar_flow<1>)
          .compare(agree_through_order(3))
          .degenerate(still, stands_still)
      .part("mean-step", "(c) one step: E[theta'|theta] = theta - eta grad L_lambda", decomposing)
          .observe(one_step_mean)
          .predict(gradient_step)
          .degenerate(still, stands_still)
      .part("mean-igr", "(c) mean iterate follows the IGR flow through eta^2", two_steps)
          .observe(mean_second_iterate)
          .predict(igr_flow_2)
          .compare(agree_through_order(3))
          .degenerate(still, stands_still)
      .part("mean-phi-bar", "(c) mean iterate leaves the phi_bar flow at eta^2 by twice eta the noise force", two_steps)
          .observe(mean_second_iterate)
          .predict(phi_bar_flow_less_noise_force)
          .compare(agree_through_order(3))
          .mutant("phi-bar-flow", "mean iterate follows the phi_bar flow through eta^2", phi_bar_flow_2)
          .degenerate("noise force 0: the phi_bar and IGR flows agree through eta^2", [](const MinibatchState& s) {
            return noise_force(*make_model<Rational>(s.spec), s.data, s.theta, s.eta, s.batches).isZero(0);
          })
      .part("charge-phi-bar", "(c) E Q_A follows the phi_bar flow through eta^2", two_steps_symmetric)
          .observe(mean_charges_after<2>)
          .predict(charges_along_phi_bar_flow<2>)
          .compare(agree_through_order(3))
          .degenerate(still, stands_still)
      .part("charge-igr", "(c) E Q_A leaves the IGR flow at eta^2 by 2 kappa_S Tr(A C)", two_steps_symmetric)
          .observe(mean_charges_after<2>)
          .predict(charges_along_igr_flow_plus_noise)
          .compare(agree_through_order(3))
          .mutant("igr-flow", "E Q_A follows the IGR flow through eta^2", charges_along_igr_flow)
          .degenerate(no_noise, noiseless);
}

}  // namespace entropic
