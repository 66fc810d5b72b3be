// SGD exactly as PyTorch's torch.optim.SGD (dampening 0), over any scalar:
//
//   d = g_B + lambda theta                       (weight_decay; g_B never includes it)
//   momentum beta != 0:  v = beta v + d  (v = d on the first step, as PyTorch's buffer)
//                        d = v, or d + beta v with nesterov
//   theta <- theta - eta P d                     (P: constant SPD matrix learning rate, default I)
//
// GD is SGD with the full batch. The heavy-ball form equals catalog section 0's
// v_{t+1} = beta v_t + g_t + lambda theta_t, theta_{t+1} = theta_t - eta v_{t+1}, v_0 = 0.
#pragma once

#include <optional>

#include "entropic/model/model.hpp"
#include "entropic/optim/schedule.hpp"

namespace entropic {

template <class S>
struct SgdConfig {
  S lr = S(0);
  S weight_decay = S(0);
  S momentum = S(0);
  bool nesterov = false;
  std::optional<Mat<S>> preconditioner;  // P in theta <- theta - lr P d
};

template <class S>
struct SgdState {
  Vec<S> theta;
  Vec<S> velocity;  // empty until the first momentum step
};

// The update direction d before the learning rate (and P) is applied; advances the momentum buffer.
template <class S>
Vec<S> sgd_direction(const Vec<S>& theta, const Vec<S>& grad, const SgdConfig<S>& cfg,
                     Vec<S>& velocity) {
  Vec<S> d = grad + cfg.weight_decay * theta;
  if (!(cfg.momentum == S(0))) {
    velocity = velocity.size() ? Vec<S>(cfg.momentum * velocity + d) : d;
    d = cfg.nesterov ? Vec<S>(d + cfg.momentum * velocity) : velocity;
  }
  if (cfg.preconditioner) d = (*cfg.preconditioner) * d;
  return d;
}

// One step on `batch`; returns the batch gradient g_B it used.
template <class S>
Vec<S> sgd_step(const Model<S>& model, const DataSet<S>& data, const Batch& batch,
                const SgdConfig<S>& cfg, SgdState<S>& state) {
  Vec<S> g = model.gradient(state.theta, data, batch);
  const Vec<S> d = sgd_direction(state.theta, g, cfg, state.velocity);
  state.theta = state.theta + (-cfg.lr) * d;
  return g;
}

// theta after one step from (theta, no momentum history) on the given batch.
template <class S>
Vec<S> sgd_map(const Model<S>& model, const DataSet<S>& data, const Batch& batch,
               const SgdConfig<S>& cfg, const Vec<S>& theta) {
  SgdState<S> s{theta, Vec<S>()};
  sgd_step(model, data, batch, cfg, s);
  return s.theta;
}

// Runs `steps` steps along the schedule; calls observe(t, state) for t = 0..steps.
template <class S, class Observer>
SgdState<S> run_sgd(const Model<S>& model, const DataSet<S>& data, const BatchSchedule& schedule,
                    const SgdConfig<S>& cfg, Vec<S> theta, int steps, Observer&& observe) {
  SgdState<S> state{std::move(theta), Vec<S>()};
  observe(0, state);
  for (int t = 0; t < steps; ++t) {
    sgd_step(model, data, schedule.batch(t, data.size()), cfg, state);
    observe(t + 1, state);
  }
  return state;
}

}  // namespace entropic
