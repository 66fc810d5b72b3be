// Batch schedules: an explicit list of index batches used in order and cycled, or the full batch.
// Enumeration of every minibatch of size S, so that an expectation over batches is a finite exact
// sum: all N^S ordered tuples (i.i.d. indices, with replacement, kappa_S = 1/S) or all C(N,S)
// subsets (without replacement, kappa_S = (N-S)/(S(N-1))); catalog section 0.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/model/model.hpp"

namespace entropic {

class BatchSchedule {
 public:
  static BatchSchedule full() { return BatchSchedule(); }
  explicit BatchSchedule(std::vector<Batch> batches) : batches_(std::move(batches)) {
    if (batches_.empty()) throw std::invalid_argument("batches: empty schedule");
    for (size_t k = 0; k < batches_.size(); ++k)
      if (batches_[k].empty())
        throw std::invalid_argument("batches[" + std::to_string(k) + "]: empty batch");
  }
  bool is_full() const { return batches_.empty(); }
  const std::vector<Batch>& batches() const { return batches_; }
  // The batch of step t (0-based) on a data set of n samples.
  Batch batch(int t, int n) const {
    if (is_full()) {
      Batch b(n);
      for (int i = 0; i < n; ++i) b[i] = i;
      return b;
    }
    return batches_[static_cast<size_t>(t) % batches_.size()];
  }
  // Throws if any index is outside 0..n-1, naming the batch.
  void check(int n) const {
    for (size_t k = 0; k < batches_.size(); ++k)
      for (int i : batches_[k])
        if (i < 0 || i >= n)
          throw std::invalid_argument("batches[" + std::to_string(k) + "]: index " +
                                      std::to_string(i) + " outside 0.." + std::to_string(n - 1));
  }

 private:
  BatchSchedule() = default;
  std::vector<Batch> batches_;
};

enum class Sampling { with_replacement, without_replacement };

// Every batch of size s from n samples, each equally likely under the sampling.
inline std::vector<Batch> all_batches(int n, int s, Sampling sampling) {
  if (s < 1 || n < 1 || (sampling == Sampling::without_replacement && s > n))
    throw std::invalid_argument("all_batches: need 1 <= S <= N (S = " + std::to_string(s) +
                                ", N = " + std::to_string(n) + ")");
  std::vector<Batch> out;
  Batch b(s);
  if (sampling == Sampling::with_replacement) {
    std::vector<int> idx(s, 0);
    while (true) {
      out.push_back(idx);
      int k = s - 1;
      while (k >= 0 && ++idx[k] == n) idx[k--] = 0;
      if (k < 0) break;
    }
  } else {
    for (int k = 0; k < s; ++k) b[k] = k;
    while (true) {
      out.push_back(b);
      int k = s - 1;
      while (k >= 0 && b[k] == n - s + k) --k;
      if (k < 0) break;
      ++b[k];
      for (int j = k + 1; j < s; ++j) b[j] = b[j - 1] + 1;
    }
  }
  return out;
}

// The noise factor kappa_S of catalog section 0.
template <class S>
S noise_factor(int n, int s, Sampling sampling) {
  if (sampling == Sampling::with_replacement) return S(1) / S(s);
  if (n == 1) return S(0);
  return S(n - s) / S(s * (n - 1));
}

}  // namespace entropic
