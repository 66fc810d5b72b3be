// Dual<T>: forward-mode derivative in one direction, a + b eps with eps^2 = 0.
//
// Nestable: Dual<Dual<T>> carries second directional derivatives, so a hand-written gradient
// evaluated on Dual<S> parameters theta + eps v gives the Hessian-vector product H v, and on
// Dual<Dual<S>> the third-derivative contraction T[a, b]. Every operation is exact when T is.
#pragma once

#include <Eigen/Core>
#include <string>

#include "entropic/numeric/elementary.hpp"

namespace entropic {

template <class T>
class Dual {
 public:
  Dual() : v_(0), d_(0) {}
  Dual(const T& value) : v_(value), d_(0) {}  // NOLINT: a constant is a dual with zero tangent
  Dual(int value) : v_(value), d_(0) {}       // NOLINT
  Dual(const T& value, const T& tangent) : v_(value), d_(tangent) {}

  const T& value() const { return v_; }
  const T& tangent() const { return d_; }

  Dual& operator+=(const Dual& o) { v_ += o.v_; d_ += o.d_; return *this; }
  Dual& operator-=(const Dual& o) { v_ -= o.v_; d_ -= o.d_; return *this; }
  Dual& operator*=(const Dual& o) { d_ = d_ * o.v_ + v_ * o.d_; v_ *= o.v_; return *this; }
  Dual& operator/=(const Dual& o) {
    const T q = v_ / o.v_;
    d_ = (d_ - q * o.d_) / o.v_;
    v_ = q;
    return *this;
  }

  friend Dual operator+(Dual a, const Dual& b) { return a += b; }
  friend Dual operator-(Dual a, const Dual& b) { return a -= b; }
  friend Dual operator*(Dual a, const Dual& b) { return a *= b; }
  friend Dual operator/(Dual a, const Dual& b) { return a /= b; }
  friend Dual operator-(const Dual& a) { return Dual(-a.v_, -a.d_); }
  friend Dual operator+(const Dual& a) { return a; }

  // Order and equality look at values only: they decide branches, not derivatives.
  friend bool operator<(const Dual& a, const Dual& b) { return a.v_ < b.v_; }
  friend bool operator>(const Dual& a, const Dual& b) { return a.v_ > b.v_; }
  friend bool operator<=(const Dual& a, const Dual& b) { return a.v_ <= b.v_; }
  friend bool operator>=(const Dual& a, const Dual& b) { return a.v_ >= b.v_; }
  friend bool operator==(const Dual& a, const Dual& b) { return a.v_ == b.v_ && a.d_ == b.d_; }
  friend bool operator!=(const Dual& a, const Dual& b) { return !(a == b); }

  friend Dual exp(const Dual& a) {
    const T e = elem::exp(a.v_);
    return Dual(e, e * a.d_);
  }
  friend Dual log(const Dual& a) { return Dual(elem::log(a.v_), a.d_ / a.v_); }
  friend Dual sqrt(const Dual& a) {
    const T s = elem::sqrt(a.v_);
    return Dual(s, a.d_ / (T(2) * s));
  }
  friend Dual tanh(const Dual& a) {
    const T t = elem::tanh(a.v_);
    return Dual(t, (T(1) - t * t) * a.d_);
  }
  friend int branch_sign(const Dual& a) { return elem::branch_sign(a.v_); }

 private:
  T v_, d_;
};

}  // namespace entropic

namespace Eigen {
template <class T>
struct NumTraits<entropic::Dual<T>> : GenericNumTraits<entropic::Dual<T>> {
  using Real = entropic::Dual<T>;
  using NonInteger = entropic::Dual<T>;
  using Literal = entropic::Dual<T>;
  using Nested = entropic::Dual<T>;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 2 * NumTraits<T>::ReadCost, AddCost = 2 * NumTraits<T>::AddCost,
         MulCost = 3 * NumTraits<T>::MulCost };
  static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static inline int digits10() { return NumTraits<T>::digits10(); }
  static inline int digits() { return NumTraits<T>::digits(); }
};
}  // namespace Eigen
