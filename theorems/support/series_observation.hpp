// Series observations (a Vec of Series<T, K>, e.g. an iterate as a power series in eta) as values of a
// part: PartModel instantiates compare_observed for every observed type, also when the part states
// its comparison, and compare.hpp has no meaning for the equality of two series. This overload
// (found by argument-dependent lookup: Series is in namespace entropic, and more specialized than
// compare_observed(const Vec<S>&, ...)) makes that explicit: a series observation must state its
// order with .compare(agree_through_order(k)); without it every instance is inconclusive.
//
// Belongs in verify/observation.hpp (the vocabulary); kept here until it moves there.
#pragma once

#include <string>

#include "entropic/verify/observation.hpp"

namespace entropic {

template <class T, int K>
Verdict compare_observed(const Vec<Series<T, K>>& observed, const Vec<Series<T, K>>& predicted,
                         const std::string& what) {
  return Verdict::inconclusive(what + ": a series observation is compared through a stated order "
                                      "(.compare(agree_through_order(k)))",
                               ScalarKind<Series<T, K>>::arithmetic());
}

}  // namespace entropic
