// Series<T, K>: truncated power series in the learning rate eta, with coefficients in T.
//
//   a = a_0 + a_1 eta + ... + a_n eta^n + O(eta^{n+1}),   n = a.order()
//
// Running an optimizer with eta = Series::variable() yields the exact eta-expansion of every iterate:
// each coefficient is computed exactly when T is Rational (certified when T is Interval). Order claims
// such as "the error is O(eta^3)" become "coefficients 0..2 of the residual are exactly 0".
//
// The truncation order travels with the value, as in a computer-algebra power-series ring: a constant
// is exact (order "infinite"), eta is known through order K, and every operation keeps the smallest
// order of its operands, so no coefficient is ever reported beyond what was computed. K is the
// default order of `variable()`; with K = kDynamicOrder the order is given at run time.
//
// Branches (ReLU) are decided by the first nonzero coefficient: the sign for all small eta > 0.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <climits>
#include <stdexcept>
#include <vector>

#include "entropic/numeric/elementary.hpp"

namespace entropic {

inline constexpr int kDynamicOrder = -1;

template <class T, int K = kDynamicOrder>
class Series {
 public:
  static constexpr int kExact = INT_MAX;

  Series() : c_{T(0)}, order_(kExact) {}
  Series(const T& constant) : c_{constant}, order_(kExact) {}  // NOLINT: constants are exact
  Series(int constant) : c_{T(constant)}, order_(kExact) {}    // NOLINT

  // eta + O(eta^{order+1}).
  static Series variable(int order = K) {
    if (order < 1) throw std::invalid_argument("a series in eta needs order >= 1");
    return Series({T(0), T(1)}, order);
  }
  // sum_n coefficients[n] eta^n + O(eta^{order+1}); coefficients beyond `order` are dropped.
  Series(std::vector<T> coefficients, int order) : c_(std::move(coefficients)), order_(order) {
    if (order_ < 0) throw std::invalid_argument("series order must be >= 0");
    if (c_.empty()) c_.push_back(T(0));
    trim();
  }

  // Highest order known; kExact for a polynomial known exactly.
  int order() const { return order_; }
  bool exact() const { return order_ == kExact; }
  // Coefficient of eta^n; throws if n is beyond the truncation order.
  T operator[](int n) const {
    if (n < 0 || n > order_)
      throw std::out_of_range("coefficient " + std::to_string(n) + " of a series known to order " +
                              std::to_string(order_));
    return n < static_cast<int>(c_.size()) ? c_[n] : T(0);
  }
  const T& constant() const { return c_[0]; }
  // Degree of the stored polynomial part (the degree of an exact series).
  int degree() const { return static_cast<int>(c_.size()) - 1; }
  // Index of the first coefficient that is not exactly zero, or -1 if all known ones are.
  int leading_order() const {
    for (size_t n = 0; n < c_.size(); ++n)
      if (!elem::is_zero(c_[n])) return static_cast<int>(n);
    return -1;
  }

  Series& operator+=(const Series& o) { return *this = *this + o; }
  Series& operator-=(const Series& o) { return *this = *this - o; }
  Series& operator*=(const Series& o) { return *this = *this * o; }
  Series& operator/=(const Series& o) { return *this = *this / o; }

  friend Series operator+(const Series& a, const Series& b) {
    const int order = std::min(a.order_, b.order_);
    std::vector<T> c(a.len(order) > b.len(order) ? a.len(order) : b.len(order), T(0));
    for (size_t n = 0; n < c.size(); ++n) c[n] = a.at(n) + b.at(n);
    return Series(std::move(c), order);
  }
  friend Series operator-(const Series& a, const Series& b) { return a + (-b); }
  friend Series operator-(const Series& a) {
    Series r = a;
    for (auto& x : r.c_) x = -x;
    return r;
  }
  friend Series operator+(const Series& a) { return a; }
  friend Series operator*(const Series& a, const Series& b) {
    const int order = std::min(a.order_, b.order_);
    const size_t n_max = std::min<size_t>(a.c_.size() + b.c_.size() - 1,
                                          order == kExact ? SIZE_MAX : size_t(order) + 1);
    std::vector<T> c(n_max, T(0));
    for (size_t i = 0; i < a.c_.size() && i < n_max; ++i) {
      if (elem::is_zero(a.c_[i])) continue;
      for (size_t j = 0; j < b.c_.size() && i + j < n_max; ++j) c[i + j] += a.c_[i] * b.c_[j];
    }
    return Series(std::move(c), order);
  }
  // a / b for b with a nonzero constant term: b_0 c_n = a_n - sum_{k=1..n} b_k c_{n-k}.
  friend Series operator/(const Series& a, const Series& b) {
    if (elem::is_zero(b.c_[0]))
      throw std::domain_error("division by a series with zero constant term");
    if (b.exact() && b.c_.size() == 1) {
      Series r = a;
      for (auto& x : r.c_) x = x / b.c_[0];
      return r;
    }
    const int order = std::min(a.order_, b.order_);
    if (order == kExact)
      throw std::domain_error("the quotient of two polynomials needs a truncation order");
    std::vector<T> c(order + 1, T(0));
    for (int n = 0; n <= order; ++n) {
      T s = a.at(n);
      for (int k = 1; k <= n; ++k) s -= b.at(k) * c[n - k];
      c[n] = s / b.c_[0];
    }
    return Series(std::move(c), order);
  }

  // Equality as far as both are known: coefficients 0..min(order) agree.
  friend bool operator==(const Series& a, const Series& b) {
    const size_t n_max = std::max(a.len(b.order_), b.len(a.order_));
    for (size_t n = 0; n < n_max; ++n)
      if (!(a.at(n) == b.at(n))) return false;
    return true;
  }
  friend bool operator!=(const Series& a, const Series& b) { return !(a == b); }
  // Order for small eta > 0: the sign of the first nonzero coefficient of a - b.
  friend bool operator<(const Series& a, const Series& b) { return branch_sign(a - b) < 0; }
  friend bool operator>(const Series& a, const Series& b) { return branch_sign(a - b) > 0; }
  friend bool operator<=(const Series& a, const Series& b) { return branch_sign(a - b) <= 0; }
  friend bool operator>=(const Series& a, const Series& b) { return branch_sign(a - b) >= 0; }
  friend int branch_sign(const Series& a) {
    const int n = a.leading_order();
    return n < 0 ? 0 : elem::branch_sign(a.c_[n]);
  }

  // exp: e_0 = exp(a_0), n e_n = sum_{k=1..n} k a_k e_{n-k}.
  friend Series exp(const Series& a) {
    if (a.is_constant()) return Series(elem::exp(a.c_[0]));  // exact stays exact
    const int order = a.finite_order("exp");
    std::vector<T> e(order + 1, T(0));
    e[0] = elem::exp(a.c_[0]);
    for (int n = 1; n <= order; ++n) {
      T s(0);
      for (int k = 1; k <= n; ++k) s += T(k) * a.at(k) * e[n - k];
      e[n] = s / T(n);
    }
    return Series(std::move(e), order);
  }
  // log: l_0 = log(a_0), a_0 l_n = a_n - (1/n) sum_{k=1..n-1} k l_k a_{n-k}.
  friend Series log(const Series& a) {
    if (a.is_constant()) return Series(elem::log(a.c_[0]));  // exact stays exact
    const int order = a.finite_order("log");
    std::vector<T> l(order + 1, T(0));
    l[0] = elem::log(a.c_[0]);
    for (int n = 1; n <= order; ++n) {
      T s(0);
      for (int k = 1; k < n; ++k) s += T(k) * l[k] * a.at(n - k);
      l[n] = (a.at(n) - s / T(n)) / a.c_[0];
    }
    return Series(std::move(l), order);
  }
  // sqrt: r_0 = sqrt(a_0), 2 r_0 r_n = a_n - sum_{k=1..n-1} r_k r_{n-k}.
  friend Series sqrt(const Series& a) {
    if (a.is_constant()) return Series(elem::sqrt(a.c_[0]));  // exact stays exact
    const int order = a.finite_order("sqrt");
    std::vector<T> r(order + 1, T(0));
    r[0] = elem::sqrt(a.c_[0]);
    if (order > 0 && elem::is_zero(r[0])) throw std::domain_error("sqrt of a series with zero constant term");
    for (int n = 1; n <= order; ++n) {
      T s(0);
      for (int k = 1; k < n; ++k) s += r[k] * r[n - k];
      r[n] = (a.at(n) - s) / (T(2) * r[0]);
    }
    return Series(std::move(r), order);
  }
  // tanh a = 1 - 2 / (exp(2a) + 1).
  friend Series tanh(const Series& a) {
    if (a.is_constant()) return Series(elem::tanh(a.c_[0]));
    return Series(T(1)) - Series(T(2)) / (exp(Series(T(2)) * a) + Series(T(1)));
  }

 private:
  size_t len(int order) const {
    return order == kExact ? c_.size() : std::min(c_.size(), size_t(order) + 1);
  }
  T at(size_t n) const { return n < c_.size() ? c_[n] : T(0); }
  // An exact constant: elementary functions of it are exact constants too.
  bool is_constant() const { return exact() && c_.size() == 1; }
  int finite_order(const char* fn) const {
    if (exact()) throw std::domain_error(std::string(fn) + " of a polynomial needs a truncation order");
    return order_;
  }
  void trim() {
    if (order_ != kExact && c_.size() > size_t(order_) + 1) c_.resize(order_ + 1);
    while (c_.size() > 1 && elem::is_zero(c_.back())) c_.pop_back();
  }

  std::vector<T> c_;
  int order_;
};

}  // namespace entropic

namespace Eigen {
template <class T, int K>
struct NumTraits<entropic::Series<T, K>> : GenericNumTraits<entropic::Series<T, K>> {
  using Real = entropic::Series<T, K>;
  using NonInteger = Real;
  using Literal = Real;
  using Nested = Real;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 8 * NumTraits<T>::ReadCost, AddCost = 8 * NumTraits<T>::AddCost,
         MulCost = 32 * NumTraits<T>::MulCost };
  static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static inline int digits10() { return NumTraits<T>::digits10(); }
  static inline int digits() { return NumTraits<T>::digits(); }
};
}  // namespace Eigen
