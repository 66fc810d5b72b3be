// FlintRational: an exact rational held in FLINT's fmpq, the coefficient storage of Series<Rational>.
//
// The value set and every operation are those of Rational (GMP's mpq): exact and canonical. The
// difference is cost. fmpz keeps a numerator or denominator below 2^62 inline in one word, so the
// short-lived, mostly small coefficients of power-series arithmetic in eta cost no allocation, and
// fmpq_addmul fuses the Cauchy product's c += a b (docs/benchmarks.md has the measurements).
// Values cross to Rational exactly (fmpq_get_mpq / fmpq_set_mpq) at the Series interface.
#pragma once

#include <flint/fmpq.h>

#include <utility>

#include "entropic/numeric/scalar.hpp"

namespace entropic {

class FlintRational {
 public:
  FlintRational() { fmpq_init(v_); }
  FlintRational(int n) { fmpq_init(v_); fmpq_set_si(v_, n, 1); }  // NOLINT: as Rational(int)
  explicit FlintRational(const Rational& q) {
    fmpq_init(v_);
    fmpq_set_mpq(v_, q.backend().data());
  }
  FlintRational(const FlintRational& o) { fmpq_init(v_); fmpq_set(v_, o.v_); }
  FlintRational(FlintRational&& o) noexcept { fmpq_init(v_); fmpq_swap(v_, o.v_); }
  FlintRational& operator=(const FlintRational& o) {
    fmpq_set(v_, o.v_);
    return *this;
  }
  FlintRational& operator=(FlintRational&& o) noexcept {
    fmpq_swap(v_, o.v_);
    return *this;
  }
  ~FlintRational() { fmpq_clear(v_); }

  Rational to_rational() const {
    Rational q;
    fmpq_get_mpq(q.backend().data(), v_);
    return q;
  }
  bool is_zero() const { return fmpq_is_zero(v_); }
  int sign() const { return fmpq_sgn(v_); }

  FlintRational& operator+=(const FlintRational& o) { fmpq_add(v_, v_, o.v_); return *this; }
  FlintRational& operator-=(const FlintRational& o) { fmpq_sub(v_, v_, o.v_); return *this; }
  FlintRational& operator*=(const FlintRational& o) { fmpq_mul(v_, v_, o.v_); return *this; }
  // Division by 0 throws like Rational's; FLINT would abort.
  FlintRational& operator/=(const FlintRational& o) {
    if (o.is_zero()) throw std::domain_error("division by zero");
    fmpq_div(v_, v_, o.v_);
    return *this;
  }
  // *this += a b, fused.
  void add_product(const FlintRational& a, const FlintRational& b) { fmpq_addmul(v_, a.v_, b.v_); }

  friend FlintRational operator+(FlintRational a, const FlintRational& b) { return std::move(a += b); }
  friend FlintRational operator-(FlintRational a, const FlintRational& b) { return std::move(a -= b); }
  friend FlintRational operator*(FlintRational a, const FlintRational& b) { return std::move(a *= b); }
  friend FlintRational operator/(FlintRational a, const FlintRational& b) { return std::move(a /= b); }
  friend FlintRational operator-(FlintRational a) {
    fmpq_neg(a.v_, a.v_);
    return a;
  }
  friend bool operator==(const FlintRational& a, const FlintRational& b) { return fmpq_equal(a.v_, b.v_); }
  friend bool operator!=(const FlintRational& a, const FlintRational& b) { return !(a == b); }

 private:
  fmpq_t v_;
};

namespace elem {
inline bool is_zero(const FlintRational& x) { return x.is_zero(); }
inline int branch_sign(const FlintRational& x) { return x.sign(); }
}  // namespace elem

}  // namespace entropic
