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
#include <boost/container/small_vector.hpp>
#include <algorithm>
#include <climits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "entropic/numeric/elementary.hpp"

namespace entropic {

inline constexpr int kDynamicOrder = -1;

// How the coefficients are stored: as T itself. add_product is the Cauchy product's acc += a b; for
// Rational (an fmpq, fmpq_rational.hpp) it is FLINT's fused fmpq_addmul, without a temporary.
template <class T>
struct SeriesCoefficient {
  using Stored = T;
  static const T& load(const T& c) { return c; }
  static const T& store(const T& v) { return v; }
  static void add_product(T& acc, const T& a, const T& b, T& scratch) {
    scratch = a;
    scratch *= b;
    acc += scratch;
  }
};
template <>
inline void SeriesCoefficient<Rational>::add_product(Rational& acc, const Rational& a, const Rational& b, Rational&) {
  fmpq_addmul(acc.backend().data(), a.backend().data(), b.backend().data());
}

template <class T, int K = kDynamicOrder>
class Series {
  using Coefficient = SeriesCoefficient<T>;
  using C = typename Coefficient::Stored;
  // Coefficients 0..5 inline: an optimizer's temporaries at the usual orders never allocate a buffer.
  using Storage = boost::container::small_vector<C, 6>;

 public:
  static constexpr int kExact = INT_MAX;

  Series() : c_{C(0)}, order_(kExact) {}
  Series(const T& constant) : c_{C(Coefficient::store(constant))}, order_(kExact) {}  // NOLINT: constants are exact
  Series(int constant) : c_{C(constant)}, order_(kExact) {}    // NOLINT

  // eta + O(eta^{order+1}).
  static Series variable(int order = K) {
    if (order < 1) throw std::invalid_argument("a series in eta needs order >= 1");
    return Series(Storage{C(0), C(1)}, order, Stored{});
  }
  // sum_n coefficients[n] eta^n + O(eta^{order+1}); coefficients beyond `order` are dropped.
  Series(const std::vector<T>& coefficients, int order) : order_(order) {
    if (order_ < 0) throw std::invalid_argument("series order must be >= 0");
    c_.reserve(coefficients.size());
    for (const T& x : coefficients) c_.push_back(C(Coefficient::store(x)));
    if (c_.empty()) c_.push_back(C(0));
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
    return n < static_cast<int>(c_.size()) ? T(Coefficient::load(c_[n])) : T(0);
  }
  T constant() const { return T(Coefficient::load(c_[0])); }
  // Degree of the stored polynomial part (the degree of an exact series).
  int degree() const { return static_cast<int>(c_.size()) - 1; }
  // Index of the first coefficient that is not exactly zero, or -1 if all known ones are.
  int leading_order() const {
    for (size_t n = 0; n < c_.size(); ++n)
      if (!elem::is_zero(c_[n])) return static_cast<int>(n);
    return -1;
  }

  // In place: the hot loops of an optimizer on series (Eigen's products, the update) allocate
  // coefficients only when a result outgrows its operand.
  Series& operator+=(const Series& o) { return accumulate(o, false); }
  Series& operator-=(const Series& o) { return accumulate(o, true); }
  Series& operator*=(const Series& o) { return *this = *this * o; }
  Series& operator/=(const Series& o) { return *this = *this / o; }

  friend Series operator+(const Series& a, const Series& b) {
    Series r = a;
    return r += b;
  }
  friend Series operator+(Series&& a, const Series& b) { return std::move(a += b); }
  friend Series operator-(const Series& a, const Series& b) {
    Series r = a;
    return r -= b;
  }
  friend Series operator-(Series&& a, const Series& b) { return std::move(a -= b); }
  friend Series operator-(Series a) {
    for (auto& x : a.c_) x = -x;
    return a;
  }
  friend Series operator+(const Series& a) { return a; }
  // Cauchy product truncated at min(order): c_n = sum_{i+j=n} a_i b_j, each term added in place
  // (fused for rationals); a factor with one coefficient (an exact constant, the common case of
  // data and batch weights) scales the other.
  friend Series operator*(const Series& a, const Series& b) {
    const int order = std::min(a.order_, b.order_);
    const size_t n_max = std::min<size_t>(a.c_.size() + b.c_.size() - 1,
                                          order == kExact ? SIZE_MAX : size_t(order) + 1);
    if (a.c_.size() == 1 || b.c_.size() == 1) {
      const bool a_scalar = a.c_.size() == 1;
      const C& k = a_scalar ? a.c_[0] : b.c_[0];
      const Storage& v = a_scalar ? b.c_ : a.c_;
      if (elem::is_zero(k)) return Series(Storage{C(0)}, order, Stored{});
      Storage c(v.begin(), v.begin() + std::min(v.size(), n_max));
      for (auto& x : c) x *= k;
      return Series(std::move(c), order, Stored{});
    }
    Storage c(n_max, C(0));
    C scratch;
    for (size_t i = 0; i < a.c_.size() && i < n_max; ++i) {
      if (elem::is_zero(a.c_[i])) continue;
      for (size_t j = 0; j < b.c_.size() && i + j < n_max; ++j)
        Coefficient::add_product(c[i + j], a.c_[i], b.c_[j], scratch);
    }
    return Series(std::move(c), order, Stored{});
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
    Storage c(order + 1, C(0));
    for (int n = 0; n <= order; ++n) {
      C s = a.at(n);
      for (int k = 1; k <= n; ++k) s -= b.at(k) * c[n - k];
      c[n] = s / b.c_[0];
    }
    return Series(std::move(c), order, Stored{});
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
    if (a.is_constant()) return Series(elem::exp(a.constant()));  // exact stays exact
    const int order = a.finite_order("exp");
    std::vector<T> e(order + 1, T(0));
    e[0] = elem::exp(a.constant());
    for (int n = 1; n <= order; ++n) {
      T s(0);
      for (int k = 1; k <= n; ++k) s += T(k) * a[k] * e[n - k];
      e[n] = s / T(n);
    }
    return Series(e, order);
  }
  // log: l_0 = log(a_0), a_0 l_n = a_n - (1/n) sum_{k=1..n-1} k l_k a_{n-k}.
  friend Series log(const Series& a) {
    if (a.is_constant()) return Series(elem::log(a.constant()));  // exact stays exact
    const int order = a.finite_order("log");
    std::vector<T> l(order + 1, T(0));
    const T a0 = a.constant();
    l[0] = elem::log(a0);
    for (int n = 1; n <= order; ++n) {
      T s(0);
      for (int k = 1; k < n; ++k) s += T(k) * l[k] * a[n - k];
      l[n] = (a[n] - s / T(n)) / a0;
    }
    return Series(l, order);
  }
  // sqrt: r_0 = sqrt(a_0), 2 r_0 r_n = a_n - sum_{k=1..n-1} r_k r_{n-k}.
  friend Series sqrt(const Series& a) {
    if (a.is_constant()) return Series(elem::sqrt(a.constant()));  // exact stays exact
    const int order = a.finite_order("sqrt");
    std::vector<T> r(order + 1, T(0));
    r[0] = elem::sqrt(a.constant());
    if (order > 0 && elem::is_zero(r[0])) throw std::domain_error("sqrt of a series with zero constant term");
    for (int n = 1; n <= order; ++n) {
      T s(0);
      for (int k = 1; k < n; ++k) s += r[k] * r[n - k];
      r[n] = (a[n] - s) / (T(2) * r[0]);
    }
    return Series(r, order);
  }
  // tanh a = 1 - 2 / (exp(2a) + 1).
  friend Series tanh(const Series& a) {
    if (a.is_constant()) return Series(elem::tanh(a.constant()));
    return Series(T(1)) - Series(T(2)) / (exp(Series(T(2)) * a) + Series(T(1)));
  }

 private:
  struct Stored {};
  Series(Storage coefficients, int order, Stored) : c_(std::move(coefficients)), order_(order) {
    trim();
  }
  size_t len(int order) const {
    return order == kExact ? c_.size() : std::min(c_.size(), size_t(order) + 1);
  }
  C at(size_t n) const { return n < c_.size() ? c_[n] : C(0); }
  // An exact constant: elementary functions of it are exact constants too.
  bool is_constant() const { return exact() && c_.size() == 1; }
  int finite_order(const char* fn) const {
    if (exact()) throw std::domain_error(std::string(fn) + " of a polynomial needs a truncation order");
    return order_;
  }
  Series& accumulate(const Series& o, bool subtract) {
    order_ = std::min(order_, o.order_);
    if (order_ != kExact && c_.size() > size_t(order_) + 1) c_.resize(order_ + 1);
    const size_t n = o.len(order_);
    if (c_.size() < n) c_.resize(n, C(0));
    for (size_t k = 0; k < n; ++k) {
      if (subtract)
        c_[k] -= o.c_[k];
      else
        c_[k] += o.c_[k];
    }
    trim();
    return *this;
  }
  void trim() {
    if (order_ != kExact && c_.size() > size_t(order_) + 1) c_.resize(order_ + 1);
    while (c_.size() > 1 && elem::is_zero(c_.back())) c_.pop_back();
  }

  Storage c_;
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
