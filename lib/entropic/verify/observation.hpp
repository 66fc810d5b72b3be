// What a part observes and what it predicts (design.md, "verification vocabulary").
//
// A part's observation and its predictions are values of one type V; `compare_observed(observed,
// predicted, what)` turns the pair into a Verdict with the meaning the arithmetic gives it
// (compare.hpp). V may be a scalar, a Vec or Mat of one, or a list of named quantities
//
//   Quantities<Rational>{{"Delta after step 0", d0}, {"Delta after step 1", d1}}
//
// compared name by name (the verdict names the first quantity that differs), a std::pair of two
// observations, or a Vec of power series (compared in every coefficient both know). A part whose statement is not an equation (an order certificate, a sign) gives its
// own comparison (PartRef::compare) or states a check (PartDraft::check).
#pragma once

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "entropic/verify/compare.hpp"

namespace entropic {

template <class T>
struct Quantity {
  std::string name;
  T value;
};
template <class T>
using Quantities = std::vector<Quantity<T>>;

namespace detail {
// The scalars compare.hpp compares by value (series are compared through an order instead).
template <class S>
inline constexpr bool is_compared_scalar = std::is_same_v<S, Rational> || std::is_same_v<S, Interval> ||
                                           std::is_same_v<S, Real> || std::is_same_v<S, double>;
}  // namespace detail

template <class S, std::enable_if_t<detail::is_compared_scalar<S>, int> = 0>
Verdict compare_observed(const S& observed, const S& predicted, const std::string& what) {
  return compare<S>(observed, predicted, what);
}
template <class S, std::enable_if_t<detail::is_compared_scalar<S>, int> = 0>
Verdict compare_observed(const Mat<S>& observed, const Mat<S>& predicted, const std::string& what) {
  return compare_entries<S>(observed, predicted, what);
}
template <class S, std::enable_if_t<detail::is_compared_scalar<S>, int> = 0>
Verdict compare_observed(const Vec<S>& observed, const Vec<S>& predicted, const std::string& what) {
  return compare<S>(observed, predicted, what);
}
template <class T>
Verdict compare_observed(const Quantities<T>& observed, const Quantities<T>& predicted,
                         const std::string& what) {
  if (observed.size() != predicted.size())
    return Verdict::inconclusive(what + ": " + std::to_string(observed.size()) + " quantities observed, " +
                                 std::to_string(predicted.size()) + " predicted");
  std::vector<Verdict> each;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    if (observed[i].name != predicted[i].name)
      return Verdict::inconclusive(what + ": observed '" + observed[i].name + "' against predicted '" +
                                   predicted[i].name + "'");
    each.push_back(compare_observed(observed[i].value, predicted[i].value, what + ": " + observed[i].name));
    if (each.back().certified_violation()) return each.back();
  }
  return all_of_range(each);
}
template <class A, class B>
Verdict compare_observed(const std::pair<A, B>& observed, const std::pair<A, B>& predicted,
                         const std::string& what) {
  return all_of({compare_observed(observed.first, predicted.first, what),
                 compare_observed(observed.second, predicted.second, what)});
}

// A comparison for order claims on series observations (PartRef::compare): observed - predicted =
// O(eta^k), entry by entry (order_claim in compare.hpp; the first nonzero coefficient is reported).
inline auto agree_through_order(int k) {
  return [k](const auto& observed, const auto& predicted, const std::string& what) {
    using V = std::decay_t<decltype(observed)>;
    return order_claim(V(observed - predicted), k, what);
  };
}

// Series observations (Vec<Series<T, K>>, an iterate as a power series in eta). By default observed
// and predicted series must agree in every coefficient that both know: through the smallest truncation
// order of the difference, or through its highest degree when every entry is exact (order_claim
// reports the first nonzero coefficient).
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

// A comparison (PartRef::compare) for a truncated observation whose order varies by instance:
// observed - predicted = O(eta^{k + 1}), k the order through which every observed entry is known.
// An exact observation has no such order and is inconclusive: state agree_through_order(k) instead.
template <class T, int K>
Verdict agree_through_known_order(const Vec<Series<T, K>>& observed, const Vec<Series<T, K>>& predicted,
                                  const std::string& what) {
  int known = Series<T, K>::kExact;
  for (Eigen::Index i = 0; i < observed.size(); ++i) known = std::min(known, observed[i].order());
  if (known == Series<T, K>::kExact)
    throw Inconclusive(what + ": the observed series are exact, no order to compare through");
  return order_claim(Vec<Series<T, K>>(observed - predicted), known + 1, what);
}

}  // namespace entropic
