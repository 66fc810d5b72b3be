// Series observations (Vec<Series<T, K>>, power series in a step size) as the values a part observes
// and predicts (part.hpp). The vocabulary's default comparison, compare_observed, compares scalars
// with compare<S>, which has no meaning for a series (it does not compile: the runner instantiates
// the default even when the part states .compare(...)). This header gives it one:
//
//   agree_through_known_order(observed, predicted, what)
//       observed - predicted = O(eta^{k + 1}), k the order through which every observed entry is
//       known (Series::order()): the two agree in every coefficient that was computed (order_claim,
//       compare.hpp, reports the first nonzero coefficient). An exact observation has no such order
//       and is inconclusive: state agree_through_order(k) instead.
//
// and makes it the default for series observations. For an order claim whose k is fixed, use
// .compare(agree_through_order(k)) (observation.hpp).
#pragma once

#include <algorithm>
#include <string>

#include "entropic/numeric/series.hpp"
#include "entropic/verify/observation.hpp"

namespace entropic {

template <class T, int K>
Verdict agree_through_known_order(const Vec<Series<T, K>>& observed, const Vec<Series<T, K>>& predicted,
                                  const std::string& what) {
  int known = Series<T, K>::kExact;
  for (Eigen::Index i = 0; i < observed.size(); ++i) known = std::min(known, observed[i].order());
  if (known == Series<T, K>::kExact)
    throw Inconclusive(what + ": the observed series are exact, no order to compare through");
  return order_claim(Vec<Series<T, K>>(observed - predicted), known + 1, what);
}

template <class T, int K>
Verdict compare_observed(const Vec<Series<T, K>>& observed, const Vec<Series<T, K>>& predicted,
                         const std::string& what) {
  return agree_through_known_order(observed, predicted, what);
}

}  // namespace entropic
