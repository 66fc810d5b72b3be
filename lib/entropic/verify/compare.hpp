// Comparisons that turn a predicted and an observed value into a Verdict, with the meaning the
// scalar kind gives them:
//
//   Rational   holds iff the difference is exactly 0; residual = the exact largest difference
//   Interval   holds iff every difference enclosure contains 0 (residual: widest enclosure);
//              violated (certified) iff some enclosure excludes 0
//   Real       holds iff |difference| <= ulps * eps * scale (high-precision evidence, the bound
//              stated in the detail); never a certified violation
//   double     the same with floating evidence
//
// Series: `order_claim` checks that coefficients 0..k-1 of a series residual vanish, and reports
// the first nonzero coefficient (which proves the order sharp).
#pragma once

#include <algorithm>
#include <map>
#include <utility>
#include <vector>
#include <string>

#include "entropic/verify/verdict.hpp"

namespace entropic {

// How many units of the working epsilon a floating residual may reach, times the scale of the
// compared values. The default allows the accumulated rounding of a few hundred operations.
inline constexpr int kDefaultUlps = 1024;

namespace detail {

inline Verdict verdict_of(bool holds, Evidence e, Arithmetic arith, std::string residual,
                          const std::string& what) {
  return Verdict{holds ? Outcome::holds : Outcome::violated, std::move(arith), e,
                 std::move(residual), what, {}};
}

// |x| and a scale for floating tolerances.
template <class S>
S magnitude(const S& x) {
  using std::abs;
  return abs(x);
}

}  // namespace detail

// lhs == rhs, entrywise, for scalars, vectors or matrices of S.
template <class S>
Verdict compare_entries(const Mat<S>& lhs, const Mat<S>& rhs, const std::string& what,
                        int ulps = kDefaultUlps) {
  using Kind = ScalarKind<S>;
  if (lhs.rows() != rhs.rows() || lhs.cols() != rhs.cols())
    return Verdict::inconclusive(what + ": shapes differ", Kind::arithmetic());
  if constexpr (std::is_same_v<S, Rational>) {
    Rational worst = 0;
    for (Eigen::Index i = 0; i < lhs.size(); ++i) {
      const Rational d = lhs.data()[i] - rhs.data()[i];
      if (abs(d) > abs(worst)) worst = d;
    }
    return detail::verdict_of(worst == 0, Evidence::exact, Kind::arithmetic(), to_text(worst), what);
  } else if constexpr (std::is_same_v<S, Interval>) {
    // An identity is certified when every enclosure of the difference contains 0 and is narrow:
    // no wider than sqrt(eps) times the size of the compared values.
    Real widest = 0, scale = 1;
    std::string widest_text = "0";
    for (Eigen::Index i = 0; i < lhs.size(); ++i) {
      const Interval d = lhs.data()[i] - rhs.data()[i];
      if (!contains_zero(d))
        return detail::verdict_of(false, Evidence::certified, Kind::arithmetic(), to_text(d),
                                  what + " (enclosure of the difference excludes 0)");
      if (Real(width(d)) > widest) {
        widest = Real(width(d));
        widest_text = to_text(d);
      }
      scale = std::max<Real>(scale, Real(upper(abs(lhs.data()[i]))));
    }
    // The working epsilon: Real carries the precision of the interval arithmetic
    // (set_working_precision sets both).
    const Real bound = sqrt(std::numeric_limits<Real>::epsilon()) * scale;
    if (widest > bound)
      return Verdict::inconclusive(what + ": enclosure " + widest_text +
                                       " contains 0 but is too wide to certify (raise the precision)",
                                   Kind::arithmetic());
    return detail::verdict_of(true, Evidence::certified, Kind::arithmetic(), widest_text,
                              what + " (every difference enclosure contains 0)");
  } else {
    S worst = 0, scale = 1;
    for (Eigen::Index i = 0; i < lhs.size(); ++i) {
      worst = std::max<S>(worst, detail::magnitude<S>(lhs.data()[i] - rhs.data()[i]));
      scale = std::max<S>(scale, std::max<S>(detail::magnitude<S>(lhs.data()[i]),
                                             detail::magnitude<S>(rhs.data()[i])));
    }
    const S bound = S(ulps) * std::numeric_limits<S>::epsilon() * scale;
    return detail::verdict_of(worst <= bound, Kind::evidence, Kind::arithmetic(), to_text(worst),
                              what + " (bound " + std::to_string(ulps) + " eps x " +
                                  to_text(scale) + ")");
  }
}

template <class S>
Verdict compare(const Vec<S>& lhs, const Vec<S>& rhs, const std::string& what,
                int ulps = kDefaultUlps) {
  return compare_entries<S>(Mat<S>(lhs), Mat<S>(rhs), what, ulps);
}

template <class S>
Verdict compare(const S& lhs, const S& rhs, const std::string& what, int ulps = kDefaultUlps) {
  Mat<S> a(1, 1), b(1, 1);
  a(0, 0) = lhs;
  b(0, 0) = rhs;
  return compare_entries<S>(a, b, what, ulps);
}

// Certified sign claims: x > 0, x != 0. An enclosure that decides neither way is inconclusive.
template <class S>
Verdict certainly_positive(const S& x, const std::string& what) {
  using Kind = ScalarKind<S>;
  if constexpr (std::is_same_v<S, Interval>) {
    if (lower(x) > 0 || upper(x) <= 0)
      return detail::verdict_of(lower(x) > 0, Evidence::certified, Kind::arithmetic(), to_text(x), what);
    return Verdict::inconclusive(what + ": enclosure " + to_text(x) + " straddles 0", Kind::arithmetic());
  } else {
    return detail::verdict_of(x > 0, Kind::evidence, Kind::arithmetic(), to_text(x), what);
  }
}
template <class S>
Verdict certainly_nonzero(const S& x, const std::string& what) {
  using Kind = ScalarKind<S>;
  if constexpr (std::is_same_v<S, Interval>) {
    if (!contains_zero(x) || (lower(x) == 0 && upper(x) == 0))
      return detail::verdict_of(!contains_zero(x), Evidence::certified, Kind::arithmetic(), to_text(x), what);
    return Verdict::inconclusive(what + ": enclosure " + to_text(x) + " contains 0", Kind::arithmetic());
  } else {
    return detail::verdict_of(!(x == 0), Kind::evidence, Kind::arithmetic(), to_text(x), what);
  }
}

namespace detail {
// The coefficients of a series residual for the report: eta^0 .. eta^last, last the order through
// which every entry is known (an exact residual: its degree, at least k), at most k + 8.
template <class T, int K>
std::vector<std::vector<std::string>> series_text(const Vec<Series<T, K>>& r, int k) {
  int known = Series<T, K>::kExact, degree = k;
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    known = std::min(known, r[i].order());
    degree = std::max(degree, r[i].degree());
  }
  const int last = std::min(known == Series<T, K>::kExact ? degree : known, k + 8);
  std::vector<std::vector<std::string>> out;
  for (int n = 0; n <= last; ++n) {
    out.emplace_back();
    for (Eigen::Index i = 0; i < r.size(); ++i) out.back().push_back(to_text(r[i][n]));
  }
  return out;
}
}  // namespace detail

// Order claims on a series residual r(eta) (every entry a Series<T, K>): "r = O(eta^k)" holds iff
// the coefficients of eta^0 .. eta^{k-1} vanish in every entry (exactly for Rational coefficients;
// enclosures containing 0 for Interval). The residual text names the first order at which some entry
// is nonzero, with those coefficients: an exact nonzero coefficient at eta^k proves the order sharp.
template <class T, int K>
Verdict order_claim(const Vec<Series<T, K>>& r, int k, const std::string& what) {
  int known = Series<T, K>::kExact;
  for (Eigen::Index i = 0; i < r.size(); ++i) known = std::min(known, r[i].order());
  if (known != Series<T, K>::kExact && known < k - 1)
    return Verdict::inconclusive(what + ": the series is known only through eta^" +
                                     std::to_string(known) + ", the claim needs eta^" + std::to_string(k - 1),
                                 ScalarKind<Series<T, K>>::arithmetic());
  auto coefficients = [&](int n) {
    Vec<T> c(r.size());
    for (Eigen::Index i = 0; i < r.size(); ++i) c[i] = r[i][n];
    return c;
  };
  const Vec<T> zero = Vec<T>::Zero(r.size());
  for (int n = 0; n < k; ++n) {
    Verdict v = compare<T>(coefficients(n), zero, what + ", coefficient of eta^" + std::to_string(n));
    if (v.outcome != Outcome::holds) {
      v.arithmetic = ScalarKind<Series<T, K>>::arithmetic();
      v.series = detail::series_text(r, k);
      return v;
    }
  }
  Verdict out = compare<T>(coefficients(0), zero, what);
  out.arithmetic = ScalarKind<Series<T, K>>::arithmetic();
  out.residual = "0 through eta^" + std::to_string(k - 1);
  const int last = known == Series<T, K>::kExact ? k + 8 : known;
  for (int n = k; n <= last; ++n) {
    const Vec<T> c = coefficients(n);
    if (!c.isZero(0)) {
      std::string text;
      for (Eigen::Index i = 0; i < c.size(); ++i) text += (i ? ", " : "") + to_text(c[i]);
      out.residual += "; first nonzero: eta^" + std::to_string(n) + " [" + text + "]";
      break;
    }
  }
  out.detail = what + " = O(eta^" + std::to_string(k) + ")";
  out.series = detail::series_text(r, k);
  return out;
}

}  // namespace entropic
