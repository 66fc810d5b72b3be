// Equivariance of SGD under a linear symmetry action theta -> M theta (catalog T4(b), N4, N6).
//
// Run the optimizer twice on the same batches: from theta_0 and from the moved start
// theta~_0 = M theta_0. M is an equivariance of the optimizer when
//     theta~_t = M theta_t   for every t.
// For one plain step with weight decay, l(M theta) = l(theta) gives grad l(M theta) = M^{-T} grad l(theta)
// (catalog T4(a)), so
//     step(M theta) - M step(theta) = eta (M - M^{-T}) g,
// which vanishes for every g exactly when M is orthogonal (M^{-T} = M). Momentum buffers are linear
// in past directions, so heavy ball and Nesterov inherit the property.
#pragma once

#include <vector>

#include "entropic/optim/sgd.hpp"

namespace entropic {

// One step of the pair of runs: theta~_t (the run started at M theta_0) and M theta_t (the moved
// iterate of the run started at theta_0).
template <class S>
struct TwinIterates {
  int t = 0;
  Vec<S> tilde;  // theta~_t
  Vec<S> image;  // M theta_t
};

// The pair (theta~_t, M theta_t) for t = 1..batches.size(); both runs use cfg and the same batches.
template <class S>
std::vector<TwinIterates<S>> twin_runs(const Model<S>& model, const DataSet<S>& data,
                                       const std::vector<Batch>& batches, const SgdConfig<S>& cfg,
                                       const Vec<S>& theta0, const Mat<S>& M) {
  SgdState<S> run{theta0, Vec<S>()}, twin{Vec<S>(M * theta0), Vec<S>()};
  std::vector<TwinIterates<S>> out;
  for (size_t t = 0; t < batches.size(); ++t) {
    sgd_step(model, data, batches[t], cfg, run);
    sgd_step(model, data, batches[t], cfg, twin);
    out.push_back(TwinIterates<S>{static_cast<int>(t) + 1, twin.theta, Vec<S>(M * run.theta)});
  }
  return out;
}

}  // namespace entropic
