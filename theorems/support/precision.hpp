// Certified parts at an explicit interval precision (catalog T4, T8): the observation, the
// prediction and their comparison each run under PrecisionScope(bits), so that every enclosure is
// computed, and every verdict reports its arithmetic (interval:<bits in force>), at that precision.
//
//   .part("certified", "...", gen)
//       .observe(at_precision(kBits, observed<Interval>))
//       .predict(at_precision(kBits, predicted<Interval>))
//       .compare(compared_at_precision(kBits))
#pragma once

#include <string>

#include "entropic/numeric/scalar.hpp"
#include "entropic/verify/observation.hpp"

namespace entropic {

// f(instance), computed at `bits`.
template <class F>
auto at_precision(unsigned bits, F f) {
  return [bits, f](const auto& instance) {
    const PrecisionScope precision(bits);
    return f(instance);
  };
}

// compare_observed at `bits` (PartRef::compare).
inline auto compared_at_precision(unsigned bits) {
  return [bits](const auto& observed, const auto& predicted, const std::string& what) {
    const PrecisionScope precision(bits);
    return compare_observed(observed, predicted, what);
  };
}

}  // namespace entropic
