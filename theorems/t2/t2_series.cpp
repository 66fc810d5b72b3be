// Catalog T2 (b) and (c) as power series in eta (t2_series.hpp).
#include "t2/t2_series.hpp"

#include "entropic/theory/flow.hpp"

namespace entropic::t2 {
namespace {

using J = Jet<Rational>;

// theta_steps for every sequence of batches (B_1, ..., B_steps), eta the series variable.
std::vector<Vec<Ser>> iterates(const MinibatchState& s, int steps) {
  const auto model = make_model<Ser>(s.spec);
  const DataSet<Ser> data = from_rational<Ser>(s.data);
  const SgdConfig<Ser> cfg{Ser::variable(kSeriesOrder), Ser(s.lambda), Ser(0), false, {}};
  const auto all = all_batches(s.data.size(), s.batches.size, s.batches.sampling);
  std::vector<Vec<Ser>> out{from_rational<Ser>(s.theta)};
  for (int t = 0; t < steps; ++t) {
    std::vector<Vec<Ser>> next;
    for (const Vec<Ser>& from : out)
      for (const Batch& b : all) next.push_back(sgd_map(*model, data, b, cfg, from));
    out = std::move(next);
  }
  return out;
}

// The flow of field(model, data, y, e, lambda) over time steps * eta, through eta^kSeriesOrder.
template <class Field>
Vec<Ser> flow(const MinibatchState& s, int steps, Field field) {
  const auto model = make_model<J>(s.spec);
  const DataSet<J> data = lift<J>(s.data);
  const J lambda(s.lambda);
  return modified_flow_series<Rational>(
      [&](const Vec<J>& y, const J& e) { return Vec<J>(J(steps) * field(*model, data, y, e, lambda)); }, s.theta,
      kSeriesOrder);
}

}  // namespace

Vec<Ser> mean_iterate(const MinibatchState& s, int steps) {
  const auto all = iterates(s, steps);
  Vec<Ser> total = all.front();
  for (size_t k = 1; k < all.size(); ++k) total += all[k];
  return Vec<Ser>(total / Ser(static_cast<int>(all.size())));
}

Vec<Ser> igr_flow(const MinibatchState& s, int steps) {
  return flow(s, steps, [](const Model<J>& model, const DataSet<J>& data, const Vec<J>& y, const J& e, const J& lambda) {
    return Vec<J>(-regularized_full_gradient(model, data, y, lambda) + discretization_force(model, data, y, e, lambda));
  });
}

Vec<Ser> phi_bar_flow(const MinibatchState& s, int steps) {
  return flow(s, steps, [&s](const Model<J>& model, const DataSet<J>& data, const Vec<J>& y, const J& e, const J& lambda) {
    return Vec<J>(-phi_bar_gradient(model, data, y, e, lambda, s.batches));
  });
}

Vec<Ser> noise_force_series(const MinibatchState& s) {
  const auto model = make_model<Ser>(s.spec);
  return noise_force(*model, from_rational<Ser>(s.data), from_rational<Ser>(s.theta), Ser::variable(kSeriesOrder),
                     s.batches);
}

Vec<Ser> mean_charges(const MinibatchState& s, int steps) {
  const auto all = iterates(s, steps);
  const auto forms = charge_forms_of(s.spec);
  Vec<Ser> out(forms.size());
  for (size_t f = 0; f < forms.size(); ++f) {
    Ser total(0);
    for (const Vec<Ser>& theta_t : all) total += forms[f](theta_t);
    out[f] = total / Ser(static_cast<int>(all.size()));
  }
  return out;
}

Vec<Ser> charges_at(const MinibatchState& s, const Vec<Ser>& y) {
  const auto forms = charge_forms_of(s.spec);
  Vec<Ser> out(forms.size());
  for (size_t f = 0; f < forms.size(); ++f) out[f] = forms[f](y);
  return out;
}

Vec<Ser> noise_charge_gap(const MinibatchState& s, int steps) {
  const auto model = make_model<Rational>(s.spec);
  const auto forms = charge_forms_of(s.spec);
  const Mat<Rational> C = gradient_covariance(*model, s.data, s.theta);
  const Rational kappa = s.batches.noise_factor<Rational>(s.data.size());
  const Ser eta = Ser::variable(kSeriesOrder);
  Vec<Ser> out(forms.size());
  for (size_t f = 0; f < forms.size(); ++f) out[f] = Ser(steps * kappa * forms[f].trace_product(C)) * eta * eta;
  return out;
}

}  // namespace entropic::t2
