// Exact expectations over minibatches: the average of any function of a batch over every batch of
// size S (schedule.hpp's all_batches), a finite sum, exact in Rational.
#pragma once

#include "entropic/optim/schedule.hpp"
#include "entropic/optim/sgd.hpp"

namespace entropic {

// E_B[fn(B)] for fn returning a scalar, vector or matrix.
template <class S, class Fn>
auto batch_expectation(int n, int s, Sampling sampling, Fn&& fn) {
  const auto batches = all_batches(n, s, sampling);
  auto total = fn(batches[0]);
  for (size_t k = 1; k < batches.size(); ++k) total += fn(batches[k]);
  return decltype(total)(total / S(static_cast<int>(batches.size())));
}

// E_B[theta'] for one SGD step from theta (no momentum history).
template <class S>
Vec<S> expected_sgd_step(const Model<S>& model, const DataSet<S>& data, const SgdConfig<S>& cfg,
                         const Vec<S>& theta, int batch_size, Sampling sampling) {
  return batch_expectation<S>(data.size(), batch_size, sampling, [&](const Batch& b) {
    return sgd_map(model, data, b, cfg, theta);
  });
}

}  // namespace entropic
