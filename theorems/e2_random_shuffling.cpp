// E2 — Random-shuffling modified loss; SME (catalog E2).
//
// Classical: Smith, Dherin, Barrett, De (2021) for random reshuffling; Li, Tai, E (2017/2019) for the
// stochastic modified equation. N = m S samples split into m batches of size S; one epoch takes m
// steps of size eps. Every average is an exact finite sum: over all m! orders, all equal-size
// partitions, all minibatches.
//
// Random reshuffling (theory/random_reshuffling.hpp):
//   - the order-averaged end-of-epoch iterate equals the time-m eps flow of
//     L~_SGD = L + eps/(4m) sum_k ||grad L^_k||^2 through eps^2 (order-3 as a series in eps);
//   - one fixed order (batches i < j in turn, g^_k, H^_k at the start) leaves that flow at eps^2 by
//     exactly eps^2/2 sum_{i<j} (H^_j g^_i - H^_i g^_j), which the average over orders cancels [derived
//     from the two-term expansions of the epoch and of the flow];
//   - L~_SGD = L + eps/4 ||grad L||^2 + eps/(4m) sum_k ||grad L^_k - grad L||^2, exactly;
//   - over all equal-size partitions, E (1/m) sum_k ||grad L^_k - grad L||^2 = (N - S)/(S (N - 1)) Tr C,
//     exactly; hence the order- and partition-averaged iterate follows the phi_bar flow of uniform
//     S-subsets through eps^2: unlike i.i.d. steps (T2(c)) it carries the noise part.
// SME (theory/stochastic_modified_equation.hpp), one step, Sigma = kappa_S C:
//   - E_B phi(x - eta g_B) (all batches) = phi + eta Lphi + eta^2/2 L^2 phi through eta^2 for the
//     order-2 drift f + eta/4 ||grad f||^2;
//   - for the order-1 drift, SME minus SGD = eta^2/2 grad phi^T H grad f + O(eta^3), exactly that.
#include "entropic/metrics/directional_derivative.hpp"
#include "entropic/theory/flow.hpp"
#include "entropic/theory/random_reshuffling.hpp"
#include "entropic/theory/stochastic_modified_equation.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/verify/observation.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;
// Through eps^3: the claims are order-3, and a nonzero eps^3 coefficient shows them sharp.
constexpr int kSeriesOrder = 3;

std::string show_net(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta) {
  std::string widths;
  for (size_t i = 0; i < spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(spec.widths[i]);
  const auto model = make_model<Rational>(spec);
  return spec.kind_name() + " [" + widths + "], activation " + spec.activation.name() +
         (spec.bias ? ", bias" : "") + "; x = " + gen::show(data.X) + ", y = " + gen::show(data.Y) +
         "; theta = " + gen::show_parameters(model->layout(), theta);
}

// mlp [d, h, k] (each <= 2, one common width reaching 200 parameters under `--profile large`;
// optional biases), polynomial activation.
ModelSpec polynomial_net() {
  ModelSpec spec;
  spec.kind = ModelKind::mlp;
  spec.widths = *gen::model_widths(ModelKind::mlp, {1, 1, 1}, {2, 2, 2});
  spec.activation.kind = *rc::gen::elementOf(std::vector<ActivationKind>{ActivationKind::odd_cubic, ActivationKind::linear});
  spec.bias = *rc::gen::arbitrary<bool>();
  return spec;
}

// --- random reshuffling ---------------------------------------------------------------------------------

// One epoch's setting: net, data (N = m S), start, a partition into m batches of size S, and a
// rational eps for the exact identities (the series parts use eps as the variable).
struct Epoch {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta;
  std::vector<Batch> partition;
  Rational eps = 0;

  int batches() const { return static_cast<int>(partition.size()); }
  int batch_size() const { return static_cast<int>(partition.front().size()); }
  std::string show() const {
    return show_net(spec, data, theta) + "; partition = " + gen::show(partition) + "; eps = " + to_text(eps);
  }
};

// m = 2..3 batches of S = 1..2 samples; the partition is a shuffled split. With one batch an epoch
// is one GD step: eps/(4m) is eps/4, a fixed order is every order and (N - S) = 0, so m = 1 would
// make every epoch part degenerate.
// Degenerate for the epoch parts: every batch gradient 0 at theta (zero data, a stationary start):
// the epoch does not move and every flow agrees with it.
bool batch_gradients_vanish(const Epoch& e) {
  const auto model = make_model<Rational>(e.spec);
  for (const Batch& b : e.partition)
    if (!(model->gradient(e.theta, e.data, b).array() == Rational(0)).all()) return false;
  return true;
}

rc::Gen<Epoch> epochs() {
  return rc::gen::exec([] {
    Epoch e;
    e.spec = polynomial_net();
    const int m = *gen::dimension(2, 3), s = *gen::dimension(1, 2);
    e.data = *gen::dataset(e.spec, m * s);
    e.theta = *gen::parameters(e.spec);
    const std::vector<int> shuffled = *gen::permutation(m * s);
    for (int k = 0; k < m; ++k) e.partition.emplace_back(shuffled.begin() + k * s, shuffled.begin() + (k + 1) * s);
    e.eps = *gen::step_size();
    return e;
  });
}

// The epoch over Series<Rational> with eps the series variable (for the SGD iterates), and over
// Jet<Rational> in (time, eps) for the flows: the modified fields depend on eps, so the flow over
// time m eps is taken by modified_flow_series, which keeps time and step size apart.
struct SeriesEpoch {
  using J = Jet<Rational>;
  std::unique_ptr<Model<Ser>> model;
  DataSet<Ser> data;
  Vec<Ser> theta;
  Vec<Rational> theta_exact;
  Ser eps;
  std::vector<Batch> partition;
  std::unique_ptr<Model<J>> jet_model;
  DataSet<J> jet_data;

  explicit SeriesEpoch(const Epoch& e)
      : model(make_model<Ser>(e.spec)),
        data(from_rational<Ser>(e.data)),
        theta(from_rational<Ser>(e.theta)),
        theta_exact(e.theta),
        eps(Ser::variable(kSeriesOrder)),
        partition(e.partition),
        jet_model(make_model<J>(e.spec)),
        jet_data(lift<J>(e.data)) {}

  int m() const { return static_cast<int>(partition.size()); }
  // The flow of -gradient(y, eps) over time m eps, through eps^kSeriesOrder.
  template <class Gradient>
  Vec<Ser> epoch_flow(Gradient gradient) const {
    return modified_flow_series<Rational>(
        [&](const Vec<J>& y, const J& e) { return Vec<J>(-J(m()) * gradient(y, e)); }, theta_exact,
        kSeriesOrder);
  }
};

// The order-averaged end-of-epoch iterate, and the epoch in the partition's own order.
Vec<Ser> order_averaged(const Epoch& e) {
  const SeriesEpoch run(e);
  return order_averaged_epoch(*run.model, run.data, run.partition, run.eps, run.theta);
}
Vec<Ser> fixed_order(const Epoch& e) {
  const SeriesEpoch run(e);
  std::vector<int> identity(run.m());
  std::iota(identity.begin(), identity.end(), 0);
  return epoch(*run.model, run.data, run.partition, identity, run.eps, run.theta);
}

// The time-m eps flow of L + c eps/(4m) sum_k ||grad L^_k||^2 with c = scale(m): c = 1 is L~_SGD (the
// claim), c = m the factor eps/4 (mutant).
int own_factor(int) { return 1; }
int factor_eps_over_4(int m) { return m; }
auto modified_loss_flow(int (*scale_of)(int m)) {
  return [scale_of](const Epoch& e) {
    const SeriesEpoch run(e);
    using J = SeriesEpoch::J;
    const int scale = scale_of(run.m());
    return run.epoch_flow([&](const Vec<J>& y, const J& eps) {
      return shuffling_modified_gradient(*run.jet_model, run.jet_data, run.partition, J(J(scale) * eps), y);
    });
  };
}
// The gradient flow of L over time m eps (mutant).
Vec<Ser> gradient_flow(const Epoch& e) {
  const SeriesEpoch run(e);
  using J = SeriesEpoch::J;
  return run.epoch_flow([&](const Vec<J>& y, const J&) { return Vec<J>(run.jet_model->gradient(y, run.jet_data)); });
}

// A fixed order keeps eps^2/2 sum_{i<j} (H^_j g^_i - H^_i g^_j) (batches i, j in the order of the
// partition, g^_k and H^_k their gradient and Hessian at theta): the flow of L~_SGD plus that term.
Vec<Ser> flow_plus_order_term(const Epoch& e) {
  const auto dual_model = make_model<Dual<Rational>>(e.spec);
  const DataSet<Dual<Rational>> dual_data = lift<Dual<Rational>>(e.data);
  const auto model = make_model<Rational>(e.spec);
  auto H = [&](int k, const Vec<Rational>& v) {
    return directional_derivative<Rational>(
        [&](const Vec<Dual<Rational>>& t) { return dual_model->gradient(t, dual_data, e.partition[k]); }, e.theta, v);
  };
  Vec<Rational> term = Vec<Rational>::Zero(e.theta.size());
  for (int j = 0; j < e.batches(); ++j)
    for (int i = 0; i < j; ++i)
      term += H(j, model->gradient(e.theta, e.data, e.partition[i])) - H(i, model->gradient(e.theta, e.data, e.partition[j]));
  const Ser eps = Ser::variable(kSeriesOrder);
  Vec<Ser> flow = modified_loss_flow(own_factor)(e);
  for (Eigen::Index i = 0; i < flow.size(); ++i) flow[i] += eps * eps * Ser(term[i] / 2);
  return flow;
}

// L~_SGD and its gradient (the field of the flow, from Hessian products).
std::pair<Rational, Vec<Rational>> modified_loss_and_gradient(const Epoch& e) {
  const auto model = make_model<Rational>(e.spec);
  return {shuffling_modified_loss(*model, e.data, e.partition, e.eps, e.theta),
          shuffling_modified_gradient(*model, e.data, e.partition, e.eps, e.theta)};
}
// L + eps/4 ||grad L||^2 + eps/(4m) sum_k ||grad L^_k - grad L||^2, and the gradient of L~_SGD in
// forward mode, coordinate by coordinate.
std::pair<Rational, Vec<Rational>> spread_form_and_forward_gradient(const Epoch& e) {
  using D = Dual<Rational>;
  const auto model = make_model<Rational>(e.spec);
  const Vec<Rational> grad = model->gradient(e.theta, e.data);
  Rational spread = 0;
  for (const Batch& b : e.partition) spread += (model->gradient(e.theta, e.data, b) - grad).squaredNorm();
  const auto dual_model = make_model<D>(e.spec);
  const DataSet<D> dual_data = lift<D>(e.data);
  return {Rational(model->loss(e.theta, e.data) + e.eps / 4 * grad.squaredNorm() + e.eps / (4 * e.batches()) * spread),
          forward_gradient<Rational>(
              [&](const Vec<D>& t) { return shuffling_modified_loss(*dual_model, dual_data, e.partition, D(e.eps), t); },
              e.theta)};
}

// Over every equal-size partition of the N samples: E (1/m) sum_k ||grad L^_k - grad L||^2.
Rational partition_average(const Epoch& e) {
  const auto model = make_model<Rational>(e.spec);
  const Vec<Rational> grad = model->gradient(e.theta, e.data);
  const auto partitions = equal_partitions(e.data.size(), e.batch_size());
  Rational total = 0;
  for (const auto& p : partitions) {
    Rational spread = 0;
    for (const Batch& b : p) spread += (model->gradient(e.theta, e.data, b) - grad).squaredNorm();
    total += spread / static_cast<int>(p.size());
  }
  return total / static_cast<int>(partitions.size());
}
// kappa Tr C with the factor of `sampling`: (N - S)/(S (N - 1)) of uniform subsets (the claim), or 1/S
// (mutant: i.i.d. batches' factor).
auto kappa_trace_c(Sampling sampling) {
  return [sampling](const Epoch& e) {
    const auto model = make_model<Rational>(e.spec);
    return Rational(noise_factor<Rational>(e.data.size(), e.batch_size(), sampling) *
                    gradient_noise_trace(*model, e.data, e.theta));
  };
}

// The iterate averaged over every order and every equal-size partition, and the time-m eps flow of
// phi_bar_eps = L + eps/4 E_B ||g_B||^2 over uniform S-subsets B it follows through eps^2.
Vec<Ser> partition_averaged_epoch(const Epoch& e) {
  const SeriesEpoch run(e);
  const auto partitions = equal_partitions(e.data.size(), e.batch_size());
  Vec<Ser> total = Vec<Ser>::Zero(run.theta.size());
  for (const auto& p : partitions) total += order_averaged_epoch(*run.model, run.data, p, run.eps, run.theta);
  return total / Ser(static_cast<int>(partitions.size()));
}
Vec<Ser> subset_phi_bar_flow(const Epoch& e) {
  const SeriesEpoch run(e);
  const BatchSampling subsets{e.batch_size(), Sampling::without_replacement};
  using J = SeriesEpoch::J;
  return run.epoch_flow([&](const Vec<J>& y, const J& eps) {
    return phi_bar_gradient(*run.jet_model, run.jet_data, y, eps, J(0), subsets);
  });
}

// --- SME ------------------------------------------------------------------------------------------------

// One SGD step's setting and a polynomial test function phi of the parameters.
struct SmeStep {
  ModelSpec spec;
  DataSet<Rational> data;
  Vec<Rational> theta;
  BatchSampling batches;
  ModelSpec test_function;

  std::string show() const {
    std::string phi;
    for (const Monomial& t : test_function.polynomial) {
      phi += (phi.empty() ? "" : " + ") + to_text(t.coefficient);
      for (size_t i = 0; i < t.exponents.size(); ++i)
        if (t.exponents[i]) phi += " t" + std::to_string(i) + (t.exponents[i] > 1 ? "^" + std::to_string(t.exponents[i]) : "");
    }
    return show_net(spec, data, theta) + "; batches of " + std::to_string(batches.size) +
           (batches.sampling == Sampling::with_replacement ? ", i.i.d. with replacement" : ", uniform subsets") +
           "; phi = " + phi + " (t_i: entries of the flat parameter vector)";
  }
};

// phi: 1..3 terms c t_i^a t_j^b of degree <= 3 in the flat parameters; shrinks toward one linear term.
// Degenerate for the SME parts: grad f = 0 at theta, no drift (the mismatch eta^2/2 grad phi^T H grad f is 0).
bool no_drift(const SmeStep& st) {
  const auto model = make_model<Rational>(st.spec);
  return (model->gradient(st.theta, st.data, Model<Rational>::all(st.data)).array() == Rational(0)).all();
}

rc::Gen<SmeStep> sme_steps() {
  return rc::gen::exec([] {
    SmeStep s;
    s.spec = polynomial_net();
    const int n = *gen::dimension(2, 4);
    s.data = *gen::dataset(s.spec, n);
    s.theta = *gen::parameters(s.spec);
    s.batches.size = *gen::dimension(1, std::min(2, n));
    s.batches.sampling = *rc::gen::elementOf(std::vector<Sampling>{Sampling::with_replacement, Sampling::without_replacement});
    const int P = static_cast<int>(s.theta.size());
    s.test_function.kind = ModelKind::polynomial;
    s.test_function.widths = {P, 1};
    const int terms = *gen::dimension(1, 3);
    for (int t = 0; t < terms; ++t) {
      Monomial m{*gen::nonzero_rational(3, 2), std::vector<int>(P, 0)};
      m.exponents[*gen::dimension(0, P - 1)] += *gen::dimension(1, 2);
      if (*rc::gen::arbitrary<bool>()) m.exponents[*gen::dimension(0, P - 1)] += 1;
      s.test_function.polynomial.push_back(m);
    }
    return s;
  });
}

// SGD side: E_B phi(x - eta g_B) over every batch, a series in eta (one entry).
Vec<Ser> sgd_expectation(const SmeStep& s) {
  const auto model = make_model<Rational>(s.spec);
  const TestFunction<Ser> phi(s.test_function);
  const Ser eta = Ser::variable(kSeriesOrder);
  const Vec<Ser> x = from_rational<Ser>(s.theta);
  Vec<Ser> out(1);
  out[0] = s.batches.expectation<Ser>(s.data.size(), [&](const Batch& b) {
    return phi(Vec<Ser>(x - eta * from_rational<Ser>(Vec<Rational>(model->gradient(s.theta, s.data, b)))));
  });
  return out;
}

// SME side: phi + eta Lphi + eta^2/2 L_0^2 phi with Sigma = kappa_S C, for the drift of `order`
// (two: f + eta/4 ||grad f||^2; one: f).
Ser sme_expectation(const SmeStep& s, SmeOrder order) {
  const auto model = make_model<Rational>(s.spec);
  const Mat<Rational> sigma =
      s.batches.noise_factor<Rational>(s.data.size()) * gradient_covariance(*model, s.data, s.theta);
  return sme_one_step_expectation(*model, s.data, sigma, s.test_function, s.theta, order);
}
// SME_2 (the claim); SME_1 (mutant).
template <SmeOrder order>
Vec<Ser> sme(const SmeStep& s) {
  return Vec<Ser>::Constant(1, sme_expectation(s, order));
}
// SME_1 - eta^2/2 grad phi^T H grad f: the order-1 drift is off by exactly that.
Vec<Ser> sme_one_less_mismatch(const SmeStep& s) {
  const auto model = make_model<Rational>(s.spec);
  const Vec<Rational> grad_f = model->gradient(s.theta, s.data);
  const auto dual_model = make_model<Dual<Rational>>(s.spec);
  const DataSet<Dual<Rational>> dual_data = lift<Dual<Rational>>(s.data);
  const Vec<Rational> h_grad_f = directional_derivative<Rational>(
      [&](const Vec<Dual<Rational>>& t) { return dual_model->gradient(t, dual_data); }, s.theta, grad_f);
  const TestFunction<Rational> exact_phi(s.test_function);
  const Ser eta = Ser::variable(kSeriesOrder);
  return Vec<Ser>::Constant(1, sme_expectation(s, SmeOrder::one) -
                                   Ser(Rational(exact_phi.gradient(s.theta).dot(h_grad_f) / 2)) * eta * eta);
}

}  // namespace

ENTROPIC_CLAIM(E2) {
  return Claim("E2", "Random-shuffling modified loss; SME")
      .provenance(Provenance::classical)
      .kind("order-k; exact (partitions)")
      .part("epoch-flow", "order-averaged epoch follows the flow of L~_SGD through eps^2", epochs())
          .observe(order_averaged)
          .predict(modified_loss_flow(own_factor))
          .compare(agree_through_order(3))
          .mutant("eps-over-4", "factor eps/4 instead of eps/(4m)", modified_loss_flow(factor_eps_over_4))
          .mutant("gradient-flow", "plain gradient flow matches the order-averaged epoch through eps^2", gradient_flow)
          .degenerate("every batch gradient 0 at theta", batch_gradients_vanish)
          .feature("batches m", [](const Epoch& e) { return e.batches(); })
          .feature("batch size S", [](const Epoch& e) { return e.batch_size(); })
      .part("fixed-order", "a fixed order leaves the flow of L~_SGD at eps^2 by eps^2/2 sum_{i<j} (H^_j g^_i - H^_i g^_j)",
            epochs())
          .observe(fixed_order)
          .predict(flow_plus_order_term)
          .compare(agree_through_order(3))
          .mutant("matches-flow", "a fixed order matches the flow of L~_SGD through eps^2", modified_loss_flow(own_factor))
          .degenerate("every batch gradient 0 at theta", batch_gradients_vanish)
      .part("modified-loss", "L~_SGD = L + eps/4 ||grad L||^2 + eps/(4m) sum ||grad L^_k - grad L||^2", epochs())
          .observe(modified_loss_and_gradient)
          .predict(spread_form_and_forward_gradient)
          .degenerate("every batch gradient 0 at theta", batch_gradients_vanish)
      .part("partition-average", "partition average = (N-S)/(S(N-1)) Tr C", epochs())
          .observe(partition_average)
          .predict(kappa_trace_c(Sampling::without_replacement))
          .mutant("iid-factor", "partition average with the i.i.d. factor 1/S", kappa_trace_c(Sampling::with_replacement))
          .degenerate("every batch gradient 0 at theta", batch_gradients_vanish)
      .part("partition-flow", "order- and partition-averaged epoch follows the phi_bar flow through eps^2", epochs())
          .observe(partition_averaged_epoch)
          .predict(subset_phi_bar_flow)
          .compare(agree_through_order(3))
          .degenerate("every batch gradient 0 at theta", batch_gradients_vanish)
      .part("sme-two", "SME with drift f + eta/4 ||grad f||^2 matches E phi(x_1) through eta^2", sme_steps())
          .observe(sgd_expectation)
          .predict(sme<SmeOrder::two>)
          .compare(agree_through_order(3))
          .degenerate("grad f = 0 at theta: no drift", no_drift)
      .part("sme-one", "SME with drift f is off by exactly eta^2/2 grad phi^T H grad f", sme_steps())
          .observe(sgd_expectation)
          .predict(sme_one_less_mismatch)
          .compare(agree_through_order(3))
          .mutant("matches", "SME with drift f matches E phi(x_1) through eta^2", sme<SmeOrder::one>)
          .degenerate("grad f = 0 at theta: no drift, no mismatch", no_drift)
          .feature("sampling", [](const SmeStep& st) { return st.batches.sampling == Sampling::with_replacement ? "i.i.d." : "subsets"; });
}

}  // namespace entropic
