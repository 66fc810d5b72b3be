// Series observations (catalog T3): a part whose observation is a vector of power series in eta
// states its comparison, an order claim (.compare(agree_through_order(k)), observation.hpp). The
// runner still instantiates the default compare_observed, whose generic form needs |S| and does not
// compile for Series; this overload, found by argument-dependent lookup and more specialised than
// compare_observed(const Vec<S>&, ...), takes its place: without a stated order nothing is decided.
#pragma once

#include <string>

#include "entropic/numeric/series.hpp"
#include "entropic/verify/observation.hpp"

namespace entropic {

template <class T, int K>
Verdict compare_observed(const Vec<Series<T, K>>&, const Vec<Series<T, K>>&, const std::string& what) {
  return Verdict::inconclusive(what + ": a series observation is compared by an order claim "
                                      "(state .compare(agree_through_order(k)))",
                               ScalarKind<Series<T, K>>::arithmetic());
}

}  // namespace entropic
