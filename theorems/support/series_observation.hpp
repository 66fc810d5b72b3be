// The default comparison of series-valued observations (Vec<Series<T, K>>), which observation.hpp
// lacks: the runner instantiates compare_observed for every observe-form part, even one that states
// .compare(agree_through_order(k)), and the generic Vec<S> overload does not compile for a Series
// (compare_entries needs abs). Include this header in a claim file whose parts observe series.
//
// Without .compare, observed and predicted series must agree in every coefficient that both know:
// through the smallest truncation order of the difference, or through its highest degree when every
// entry is exact (order_claim in compare.hpp). Found by argument-dependent lookup (Series is in
// namespace entropic) and more specialized than the Vec<S> overload.
#pragma once

#include <algorithm>
#include <string>

#include "entropic/verify/compare.hpp"

namespace entropic {

template <class T, int K>
Verdict compare_observed(const Vec<Series<T, K>>& observed, const Vec<Series<T, K>>& predicted,
                         const std::string& what) {
  if (observed.size() != predicted.size())
    return Verdict::inconclusive(what + ": " + std::to_string(observed.size()) + " series observed, " +
                                 std::to_string(predicted.size()) + " predicted");
  const Vec<Series<T, K>> difference = observed - predicted;
  int known = Series<T, K>::kExact, degree = 0;
  for (Eigen::Index i = 0; i < difference.size(); ++i) {
    known = std::min(known, difference[i].order());
    degree = std::max(degree, difference[i].degree());
  }
  return order_claim(difference, known == Series<T, K>::kExact ? degree + 1 : known + 1, what);
}

}  // namespace entropic
