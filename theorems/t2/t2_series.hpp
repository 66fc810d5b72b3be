// Catalog T2 (b) and (c) as power series in eta (Series<Rational>, eta = Series::variable(3)): the
// SGD iterates averaged over every batch sequence, and the flows they are compared with, over time
// steps * eta. The fields depend on eta, so the flows are taken by modified_flow_series (theory/flow.hpp),
// which keeps time and step size apart.
#pragma once

#include "t2/t2_states.hpp"

namespace entropic::t2 {

using Ser = Series<Rational>;
// Series are computed through eta^3: order-3 claims need eta^0..eta^2, and a nonzero eta^3
// coefficient in the report shows the order sharp.
inline constexpr int kSeriesOrder = 3;

// The mean of theta_steps over every sequence of batches (B_1, ..., B_steps).
Vec<Ser> mean_iterate(const MinibatchState& s, int steps);
// The flow over time steps * eta of the IGR field -grad (L_lambda + eta/4 ||grad L_lambda||^2) =
// -grad L_lambda + discretization force.
Vec<Ser> igr_flow(const MinibatchState& s, int steps);
// The flow over time steps * eta of -grad phi_bar_eta = -grad L_lambda + entropic force.
Vec<Ser> phi_bar_flow(const MinibatchState& s, int steps);
// The noise force F_noise = -eta/4 kappa_S grad Tr C at theta, as a series in eta.
Vec<Ser> noise_force_series(const MinibatchState& s);

// E Q_A(theta_steps) over every batch sequence, one entry per charge form (charge_forms_of).
Vec<Ser> mean_charges(const MinibatchState& s, int steps);
// Q_A(y) for every charge form.
Vec<Ser> charges_at(const MinibatchState& s, const Vec<Ser>& y);
// steps eta^2 kappa_S Tr(A C) for every charge form.
Vec<Ser> noise_charge_gap(const MinibatchState& s, int steps);

}  // namespace entropic::t2
