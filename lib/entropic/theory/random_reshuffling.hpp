// Random reshuffling: one epoch of SGD through a partition of the data, and the modified loss of
// its order-averaged end-of-epoch iterate (catalog E2; Smith, Dherin, Barrett, De 2021).
//
// The N = m S samples are split into m batches of size S with losses L^_k (mean of L^_k is L).
// One epoch takes the m steps theta <- theta - eps grad L^_{sigma(k)}(theta) in an order sigma.
// Averaged over all m! orders, the end-of-epoch iterate equals the time-m eps flow of
//
//   L~_SGD = L + eps/(4m) sum_k ||grad L^_k||^2
//          = L + eps/4 ||grad L||^2 + eps/(4m) sum_k ||grad L^_k - grad L||^2
//
// through eps^2: with g^_k = grad L^_k and H^_k its Hessian, both are
//   theta - m eps grad L + eps^2 ( m^2/2 H grad L - 1/2 sum_k H^_k g^_k ) + O(m^3 eps^3),
// since averaging sum_{i<j} H^_{sigma j} g^_{sigma i} over orders gives half of sum_{a != b} H^_a g^_b.
// A fixed order keeps eps^2/2 sum_{i<j} (H^_j g^_i - H^_i g^_j), an O(m^2 eps^2) commutator.
//
// Over a uniformly random partition each batch is a uniform S-subset, so
//   E (1/m) sum_k ||grad L^_k - grad L||^2 = (N - S)/(S (N - 1)) Tr C,
// and the order- and partition-averaged iterate follows phi_bar_eps of uniform S-subsets
// (theory/entropic_force.hpp): unlike i.i.d. steps (catalog T2(c)), it carries the noise part.
#pragma once

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "entropic/optim/sgd.hpp"
#include "entropic/theory/entropic_force.hpp"

namespace entropic {

// Every partition of 0..n-1 into n/s unordered batches of size s, each once (the batch holding the
// smallest unassigned index is filled first, its other members in increasing order): n! / ((n/s)! (s!)^(n/s)).
inline std::vector<std::vector<Batch>> equal_partitions(int n, int s) {
  if (s < 1 || n < s || n % s != 0)
    throw std::invalid_argument("equal_partitions: need S >= 1 dividing N (N = " + std::to_string(n) +
                                ", S = " + std::to_string(s) + ")");
  std::vector<std::vector<Batch>> out;
  std::vector<Batch> current;
  std::vector<bool> used(n, false);
  // Completes `current` by choosing the rest of a batch that starts at the first free index.
  auto fill = [&](auto&& self) -> void {
    const int first = static_cast<int>(std::find(used.begin(), used.end(), false) - used.begin());
    if (first == n) {
      out.push_back(current);
      return;
    }
    Batch batch{first};
    used[first] = true;
    auto extend = [&](auto&& more, int from) -> void {
      if (static_cast<int>(batch.size()) == s) {
        current.push_back(batch);
        self(self);
        current.pop_back();
        return;
      }
      for (int i = from; i < n; ++i)
        if (!used[i]) {
          used[i] = true;
          batch.push_back(i);
          more(more, i + 1);
          batch.pop_back();
          used[i] = false;
        }
    };
    extend(extend, first + 1);
    used[first] = false;
  };
  fill(fill);
  return out;
}

// theta after one epoch: the batches of `partition` in the order given (order[k] is the batch of step k).
template <class S>
Vec<S> epoch(const Model<S>& model, const DataSet<S>& data, const std::vector<Batch>& partition,
             const std::vector<int>& order, const S& eps, Vec<S> theta) {
  const SgdConfig<S> cfg{eps, S(0), S(0), false, {}};
  for (int k : order) theta = sgd_map(model, data, partition.at(k), cfg, theta);
  return theta;
}

// The end-of-epoch iterate averaged over all m! orders of the batches.
template <class S>
Vec<S> order_averaged_epoch(const Model<S>& model, const DataSet<S>& data,
                            const std::vector<Batch>& partition, const S& eps, const Vec<S>& theta) {
  std::vector<int> order(partition.size());
  std::iota(order.begin(), order.end(), 0);
  Vec<S> total = Vec<S>::Zero(theta.size());
  int count = 0;
  do {
    total += epoch(model, data, partition, order, eps, theta);
    ++count;
  } while (std::next_permutation(order.begin(), order.end()));
  return Vec<S>(total / S(count));
}

// L~_SGD = L + eps/(4m) sum_k ||grad L^_k||^2.
template <class S>
S shuffling_modified_loss(const Model<S>& model, const DataSet<S>& data,
                          const std::vector<Batch>& partition, const S& eps, const Vec<S>& theta) {
  S total(0);
  for (const Batch& b : partition) total += S(model.gradient(theta, data, b).squaredNorm());
  const int m = static_cast<int>(partition.size());
  return model.loss(theta, data) + eps * total / S(4 * m);
}

// grad L~_SGD = grad L + eps/(2m) sum_k H^_k g^_k (forward-mode Hessian products).
template <class S>
Vec<S> shuffling_modified_gradient(const Model<S>& model, const DataSet<S>& data,
                                   const std::vector<Batch>& partition, const S& eps,
                                   const Vec<S>& theta) {
  const HessianProduct<S> hessian(model, data);
  Vec<S> total = Vec<S>::Zero(theta.size());
  for (const Batch& b : partition) total += hessian(theta, model.gradient(theta, data, b), b);
  const int m = static_cast<int>(partition.size());
  return Vec<S>(model.gradient(theta, data) + (eps / S(2 * m)) * total);
}

}  // namespace entropic
