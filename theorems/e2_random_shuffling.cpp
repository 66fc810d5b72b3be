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
//   - L~_SGD = L + eps/4 ||grad L||^2 + eps/(4m) sum_k ||grad L^_k - grad L||^2, exactly;
//   - over all equal-size partitions, E (1/m) sum_k ||grad L^_k - grad L||^2 = (N - S)/(S (N - 1)) Tr C,
//     exactly; hence the order- and partition-averaged iterate follows the phi_bar flow of uniform
//     S-subsets through eps^2: unlike i.i.d. steps (T2(c)) it carries the noise part.
// SME (theory/stochastic_modified_equation.hpp), one step, Sigma = kappa_S C:
//   - E_B phi(x - eta g_B) (all batches) = phi + eta Lphi + eta^2/2 L^2 phi through eta^2 for the
//     order-2 drift f + eta/4 ||grad f||^2;
//   - for the order-1 drift, SME minus SGD = eta^2/2 grad phi^T H grad f + O(eta^3), exactly that.
#include "entropic/theory/flow.hpp"
#include "entropic/theory/random_reshuffling.hpp"
#include "entropic/theory/stochastic_modified_equation.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"

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

// mlp [d, h, k] (each <= 2, optional biases), polynomial activation.
ModelSpec polynomial_net() {
  ModelSpec spec;
  spec.kind = ModelKind::mlp;
  for (int layer = 0; layer < 3; ++layer) spec.widths.push_back(*gen::dimension(1, 2));
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

// m = 1..3 batches of S = 1..2 samples; the partition is a shuffled split. Shrinks toward one batch
// of one sample, the identity order and small fractions.
rc::Gen<Epoch> epochs() {
  return rc::gen::exec([] {
    Epoch e;
    e.spec = polynomial_net();
    const int m = *gen::dimension(1, 3), s = *gen::dimension(1, 2);
    e.data = *gen::dataset(e.spec, m * s);
    e.theta = *gen::parameters(e.spec);
    const std::vector<int> shuffled = *gen::permutation(m * s);
    for (int k = 0; k < m; ++k) e.partition.emplace_back(shuffled.begin() + k * s, shuffled.begin() + (k + 1) * s);
    e.eps = *gen::step_size();
    return e;
  });
}

std::string show_epoch(const Epoch& e) { return e.show(); }

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

enum class EpochTarget { modified_loss, modified_loss_eps_over_4, gradient_flow, fixed_order };

// The order-averaged end-of-epoch iterate minus the time-m eps flow of the target, O(eps^3):
//   modified_loss              L~_SGD = L + eps/(4m) sum_k ||grad L^_k||^2   (the claim)
//   modified_loss_eps_over_4   L + eps/4 sum_k ||grad L^_k||^2               (mutant)
//   gradient_flow              L                                             (mutant)
//   fixed_order                the batches in the partition's order, not averaged, against L~_SGD (mutant)
Verdict epoch_against_flow(const Epoch& e, EpochTarget target) {
  const SeriesEpoch run(e);
  std::vector<int> identity(run.m());
  std::iota(identity.begin(), identity.end(), 0);
  const Vec<Ser> observed = target == EpochTarget::fixed_order
                                ? epoch(*run.model, run.data, run.partition, identity, run.eps, run.theta)
                                : order_averaged_epoch(*run.model, run.data, run.partition, run.eps, run.theta);
  using J = SeriesEpoch::J;
  // eps/4 in place of eps/(4m): the modified gradient at step size m eps.
  const int scale = target == EpochTarget::modified_loss_eps_over_4 ? run.m() : 1;
  const Vec<Ser> flow =
      target == EpochTarget::gradient_flow
          ? run.epoch_flow([&](const Vec<J>& y, const J&) { return Vec<J>(run.jet_model->gradient(y, run.jet_data)); })
          : run.epoch_flow([&](const Vec<J>& y, const J& e) {
              return shuffling_modified_gradient(*run.jet_model, run.jet_data, run.partition, J(J(scale) * e), y);
            });
  const char* what[] = {"order-averaged epoch - flow of L + eps/(4m) sum_k ||grad L^_k||^2 over m eps",
                        "order-averaged epoch - flow of L + eps/4 sum_k ||grad L^_k||^2 over m eps",
                        "order-averaged epoch - gradient flow of L over m eps",
                        "epoch in a fixed order - flow of L~_SGD over m eps"};
  return order_claim(Vec<Ser>(observed - flow), 3, what[static_cast<int>(target)]);
}

// L~_SGD = L + eps/4 ||grad L||^2 + eps/(4m) sum_k ||grad L^_k - grad L||^2, and grad L~_SGD (the field
// of the flow, from Hessian products) is the gradient of L~_SGD (forward mode, coordinate by coordinate).
Verdict modified_loss_identity(const Epoch& e) {
  const auto model = make_model<Rational>(e.spec);
  const Vec<Rational> grad = model->gradient(e.theta, e.data);
  Rational spread = 0;
  for (const Batch& b : e.partition) spread += (model->gradient(e.theta, e.data, b) - grad).squaredNorm();
  const Rational modified = shuffling_modified_loss(*model, e.data, e.partition, e.eps, e.theta);
  using D = Dual<Rational>;
  const auto dual_model = make_model<D>(e.spec);
  const DataSet<D> dual_data = lift<D>(e.data);
  Vec<Rational> gradient_of_value(e.theta.size());
  for (Eigen::Index j = 0; j < e.theta.size(); ++j) {
    Vec<D> t(e.theta.size());
    for (Eigen::Index i = 0; i < e.theta.size(); ++i) t[i] = D(e.theta[i], Rational(i == j ? 1 : 0));
    gradient_of_value[j] = shuffling_modified_loss(*dual_model, dual_data, e.partition, D(e.eps), t).tangent();
  }
  return all_of(
      {compare<Rational>(modified,
                         Rational(model->loss(e.theta, e.data) + e.eps / 4 * grad.squaredNorm() +
                                  e.eps / (4 * e.batches()) * spread),
                         "L + eps/(4m) sum ||grad L^_k||^2 = L + eps/4 ||grad L||^2 + eps/(4m) sum ||grad L^_k - grad L||^2"),
       compare<Rational>(shuffling_modified_gradient(*model, e.data, e.partition, e.eps, e.theta),
                         gradient_of_value, "grad L~_SGD by Hessian products = forward-mode gradient of L~_SGD")});
}

// Over every equal-size partition of the N samples, E (1/m) sum_k ||grad L^_k - grad L||^2 = kappa Tr C
// with kappa = (N - S)/(S (N - 1)) (the claim) or 1/S (mutant: i.i.d. batches' factor).
Verdict partition_average(const Epoch& e, Sampling factor_of) {
  const auto model = make_model<Rational>(e.spec);
  const int n = e.data.size(), s = e.batch_size();
  const Vec<Rational> grad = model->gradient(e.theta, e.data);
  const auto partitions = equal_partitions(n, s);
  Rational total = 0;
  for (const auto& p : partitions) {
    Rational spread = 0;
    for (const Batch& b : p) spread += (model->gradient(e.theta, e.data, b) - grad).squaredNorm();
    total += spread / static_cast<int>(p.size());
  }
  const Rational kappa = noise_factor<Rational>(n, s, factor_of);
  return compare<Rational>(Rational(total / static_cast<int>(partitions.size())),
                           Rational(kappa * gradient_noise_trace(*model, e.data, e.theta)),
                           "E_partitions (1/m) sum_k ||grad L^_k - grad L||^2 = kappa Tr C, " +
                               std::to_string(partitions.size()) + " partitions");
}

// The iterate averaged over every order and every equal-size partition follows the time-m eps flow of
// phi_bar_eps = L + eps/4 E_B ||g_B||^2 over uniform S-subsets B through eps^2.
Verdict partition_averaged_epoch(const Epoch& e) {
  const SeriesEpoch run(e);
  const auto partitions = equal_partitions(e.data.size(), e.batch_size());
  Vec<Ser> total = Vec<Ser>::Zero(run.theta.size());
  for (const auto& p : partitions) total += order_averaged_epoch(*run.model, run.data, p, run.eps, run.theta);
  const Vec<Ser> observed = total / Ser(static_cast<int>(partitions.size()));
  const BatchSampling subsets{e.batch_size(), Sampling::without_replacement};
  using J = SeriesEpoch::J;
  const Vec<Ser> flow = run.epoch_flow([&](const Vec<J>& y, const J& e) {
    return phi_bar_gradient(*run.jet_model, run.jet_data, y, e, J(0), subsets);
  });
  return order_claim(Vec<Ser>(observed - flow), 3,
                     "order- and partition-averaged epoch - phi_bar flow (uniform S-subsets) over m eps");
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

std::string show_sme(const SmeStep& s) { return s.show(); }

enum class SmeCheck { order_two, order_one_mismatch, order_one };

// SGD side: E_B phi(x - eta g_B) over every batch, a series in eta. SME side: phi + eta Lphi +
// eta^2/2 L_0^2 phi with Sigma = kappa_S C.
//   order_two            SME_2 - SGD = O(eta^3)
//   order_one_mismatch   SME_1 - SGD - eta^2/2 grad phi^T H grad f = O(eta^3)
//   order_one (mutant)   SME_1 - SGD = O(eta^3)
Verdict sme_weak_step(const SmeStep& s, SmeCheck check) {
  const auto model = make_model<Rational>(s.spec);
  const TestFunction<Ser> phi(s.test_function);
  const Ser eta = Ser::variable(kSeriesOrder);
  const Vec<Ser> x = from_rational<Ser>(s.theta);
  const Ser sgd = s.batches.expectation<Ser>(s.data.size(), [&](const Batch& b) {
    return phi(Vec<Ser>(x - eta * from_rational<Ser>(Vec<Rational>(model->gradient(s.theta, s.data, b)))));
  });
  const Mat<Rational> sigma =
      s.batches.noise_factor<Rational>(s.data.size()) * gradient_covariance(*model, s.data, s.theta);
  const SmeOrder order = check == SmeCheck::order_two ? SmeOrder::two : SmeOrder::one;
  Ser residual = sme_one_step_expectation(*model, s.data, sigma, s.test_function, s.theta, order) - sgd;
  if (check == SmeCheck::order_one_mismatch) {
    const Vec<Rational> grad_f = model->gradient(s.theta, s.data);
    const Vec<Rational> h_grad_f = HessianProduct<Rational>(*model, s.data)(s.theta, grad_f, Model<Rational>::all(s.data));
    const TestFunction<Rational> exact_phi(s.test_function);
    residual -= Ser(Rational(exact_phi.gradient(s.theta).dot(h_grad_f) / 2)) * eta * eta;
  }
  const char* what[] = {"SME (drift f + eta/4 ||grad f||^2) - SGD, E phi after one step",
                        "SME (drift f) - SGD - eta^2/2 grad phi^T H grad f, E phi after one step",
                        "SME (drift f) - SGD, E phi after one step"};
  Vec<Ser> r(1);
  r[0] = residual;
  return order_claim(r, 3, what[static_cast<int>(check)]);
}

}  // namespace

ENTROPIC_CLAIM(E2) {
  return Claim("E2", "Random-shuffling modified loss; SME")
      .provenance(Provenance::classical)
      .kind("order-k; exact (partitions)")
      .part("order-averaged epoch follows the flow of L~_SGD through eps^2", epochs(),
            [](const Epoch& e) { return epoch_against_flow(e, EpochTarget::modified_loss); }, show_epoch)
      .part("L~_SGD = L + eps/4 ||grad L||^2 + eps/(4m) sum ||grad L^_k - grad L||^2", epochs(),
            modified_loss_identity, show_epoch)
      .part("partition average = (N-S)/(S(N-1)) Tr C", epochs(),
            [](const Epoch& e) { return partition_average(e, Sampling::without_replacement); }, show_epoch)
      .part("order- and partition-averaged epoch follows the phi_bar flow through eps^2", epochs(),
            partition_averaged_epoch, show_epoch)
      .part("SME with drift f + eta/4 ||grad f||^2 matches E phi(x_1) through eta^2", sme_steps(),
            [](const SmeStep& s) { return sme_weak_step(s, SmeCheck::order_two); }, show_sme)
      .part("SME with drift f is off by exactly eta^2/2 grad phi^T H grad f", sme_steps(),
            [](const SmeStep& s) { return sme_weak_step(s, SmeCheck::order_one_mismatch); }, show_sme)
      .mutant("a fixed order matches the flow of L~_SGD through eps^2", epochs(),
              [](const Epoch& e) { return epoch_against_flow(e, EpochTarget::fixed_order); }, show_epoch)
      .mutant("factor eps/4 instead of eps/(4m)", epochs(),
              [](const Epoch& e) { return epoch_against_flow(e, EpochTarget::modified_loss_eps_over_4); },
              show_epoch)
      .mutant("plain gradient flow matches the order-averaged epoch through eps^2", epochs(),
              [](const Epoch& e) { return epoch_against_flow(e, EpochTarget::gradient_flow); }, show_epoch)
      .mutant("partition average with the i.i.d. factor 1/S", epochs(),
              [](const Epoch& e) { return partition_average(e, Sampling::with_replacement); }, show_epoch)
      .mutant("SME with drift f matches E phi(x_1) through eta^2", sme_steps(),
              [](const SmeStep& s) { return sme_weak_step(s, SmeCheck::order_one); }, show_sme);
}

}  // namespace entropic
