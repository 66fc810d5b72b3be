// entropic::Rational's arithmetic: FLINT's fmpq as a Boost.Multiprecision backend, so that Rational
// keeps the operators, conversions and numerator/denominator of a Boost rational while every
// operation is FLINT's.
//
//   values      exact and canonical (lowest terms, positive denominator), as GMP's mpq; the text
//               form is "p/q", or "p" when q = 1
//   cost        an fmpz holds a numerator or denominator below 2^62 inline in one word, so the small
//               values that dominate exact SGD (step sizes, data, early iterates) cost no allocation;
//               larger ones move to GMP transparently (tests/numeric/fmpq_rational_test.cpp counts
//               the allocations)
//   conversions exact into Rational (integers, doubles, MPFR numbers; a double or MPFR number is a
//               dyadic rational); out of it rounded to nearest once (double, Real), or enclosed
//               (Interval, arb_ball.hpp)
//   errors      division by zero throws std::overflow_error (as Boost's GMP rational); a non-finite
//               double or Real, a malformed text or a zero denominator throws std::domain_error
//
// Boost's generic rational-to-float conversion is not used: with numeric_limits' unbounded digits
// it would shift by INT_MAX bits. generic_interconvert below converts through fmpq_get_mpfr instead.
#pragma once

#include <flint/fmpq.h>
#include <flint/fmpz.h>
#include <gmp.h>
#include <mpfr.h>

#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <boost/multiprecision/number.hpp>

#include <cmath>
#include <ios>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace entropic::backends {

namespace bmp = boost::multiprecision;

class fmpq_rational {
 public:
  using signed_types = boost::mpl::list<long, long long>;
  using unsigned_types = boost::mpl::list<unsigned long, unsigned long long>;
  using float_types = boost::mpl::list<double, long double>;

  fmpq_rational() noexcept { fmpq_init(v_); }
  fmpq_rational(const fmpq_rational& o) { fmpq_init(v_); fmpq_set(v_, o.v_); }
  fmpq_rational(fmpq_rational&& o) noexcept { fmpq_init(v_); fmpq_swap(v_, o.v_); }
  ~fmpq_rational() { fmpq_clear(v_); }
  fmpq_rational& operator=(const fmpq_rational& o) { fmpq_set(v_, o.v_); return *this; }
  fmpq_rational& operator=(fmpq_rational&& o) noexcept { fmpq_swap(v_, o.v_); return *this; }

  // An Integer is a Rational (implicit, as for Boost's GMP rational).
  fmpq_rational(const bmp::backends::gmp_int& z) { fmpq_init(v_); *this = z; }  // NOLINT
  fmpq_rational& operator=(const bmp::backends::gmp_int& z) {
    fmpz_set_mpz(fmpq_numref(v_), z.data());
    fmpz_one(fmpq_denref(v_));
    return *this;
  }

  fmpq_rational& operator=(long i) { fmpq_set_si(v_, i, 1); return *this; }
  fmpq_rational& operator=(long long i) { fmpq_set_si(v_, static_cast<slong>(i), 1); return *this; }
  fmpq_rational& operator=(unsigned long i) { fmpq_set_ui(v_, i, 1); return *this; }
  fmpq_rational& operator=(unsigned long long i) { fmpq_set_ui(v_, static_cast<ulong>(i), 1); return *this; }
  // A finite double is the dyadic rational it stores.
  fmpq_rational& operator=(double d) {
    if (!std::isfinite(d)) throw std::domain_error("a non-finite double has no rational value");
    int e;
    const double m = std::ldexp(std::frexp(d, &e), std::numeric_limits<double>::digits);  // an integer
    fmpz_set_d(fmpq_numref(v_), m);
    fmpz_one(fmpq_denref(v_));
    scale_2exp(e - std::numeric_limits<double>::digits);
    return *this;
  }
  fmpq_rational& operator=(long double d) {
    mpfr_t t;
    mpfr_init2(t, std::numeric_limits<long double>::digits);
    mpfr_set_ld(t, d, MPFR_RNDN);  // exact
    assign_mpfr(t);
    mpfr_clear(t);
    return *this;
  }
  // "p", "-p" or "p/q" in base 10, as GMP's mpq_set_str reads it, then put in lowest terms.
  fmpq_rational& operator=(const char* s) {
    mpq_t q;
    mpq_init(q);
    const bool ok = mpq_set_str(q, s, 10) == 0 && mpz_sgn(mpq_denref(q)) != 0;
    if (ok) {
      mpq_canonicalize(q);
      fmpq_set_mpq(v_, q);
    }
    mpq_clear(q);
    if (!ok) throw std::domain_error(std::string("not a rational number: \"") + s + "\"");
    return *this;
  }

  // The exact value of a finite MPFR number (a dyadic rational).
  void assign_mpfr(mpfr_srcptr x) {
    if (!mpfr_number_p(x)) throw std::domain_error("a non-finite real number has no rational value");
    if (mpfr_zero_p(x)) {
      fmpq_zero(v_);
      return;
    }
    mpz_t m;
    mpz_init(m);
    const mpfr_exp_t e = mpfr_get_z_2exp(m, x);  // x = m 2^e
    fmpz_set_mpz(fmpq_numref(v_), m);
    fmpz_one(fmpq_denref(v_));
    mpz_clear(m);
    scale_2exp(static_cast<slong>(e));
  }

  void swap(fmpq_rational& o) noexcept { fmpq_swap(v_, o.v_); }
  void negate() noexcept { fmpq_neg(v_, v_); }

  int compare(const fmpq_rational& o) const {
    const int c = fmpq_cmp(v_, o.v_);
    return (c > 0) - (c < 0);
  }
  template <class V, class = std::enable_if_t<std::is_arithmetic_v<V>>>
  int compare(V v) const {
    int c;
    if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) c = fmpq_cmp_si(v_, static_cast<slong>(v));
    else if constexpr (std::is_integral_v<V>) c = fmpq_cmp_ui(v_, static_cast<ulong>(v));
    else {
      fmpq_rational t;
      t = v;
      c = fmpq_cmp(v_, t.v_);
    }
    return (c > 0) - (c < 0);
  }

  // "p/q", or "p" when q = 1 (Boost's digits and format flags do not apply to an exact value).
  std::string str(std::streamsize, std::ios_base::fmtflags) const {
    char* s = fmpq_get_str(nullptr, 10, v_);
    std::string out(s);
    flint_free(s);
    return out;
  }

  fmpq* data() noexcept { return v_; }
  const fmpq* data() const noexcept { return v_; }

 private:
  // *this *= 2^e, in lowest terms (the numerator is an integer, the denominator 1).
  void scale_2exp(slong e) {
    if (e >= 0) {
      fmpz_mul_2exp(fmpq_numref(v_), fmpq_numref(v_), static_cast<ulong>(e));
    } else {
      fmpz_one(fmpq_denref(v_));
      fmpz_mul_2exp(fmpq_denref(v_), fmpq_denref(v_), static_cast<ulong>(-e));
      fmpq_canonicalise(v_);
    }
  }

  fmpq_t v_;
};

// p/q from two integers, in lowest terms (Rational(p, q)).
inline void assign_components(fmpq_rational& r, const bmp::backends::gmp_int& p, const bmp::backends::gmp_int& q) {
  if (mpz_sgn(q.data()) == 0) throw std::domain_error("a rational number with denominator 0");
  fmpz_t num, den;
  fmpz_init(num);
  fmpz_init(den);
  fmpz_set_mpz(num, p.data());
  fmpz_set_mpz(den, q.data());
  fmpq_set_fmpz_frac(r.data(), num, den);
  fmpz_clear(num);
  fmpz_clear(den);
}
template <class V, class U, class = std::enable_if_t<std::is_integral_v<V> && std::is_integral_v<U>>>
void assign_components(fmpq_rational& r, V p, U q) {
  if (q == 0) throw std::domain_error("a rational number with denominator 0");
  fmpz_t num, den;
  fmpz_init(num);
  fmpz_init(den);
  if constexpr (std::is_signed_v<V>) fmpz_set_si(num, static_cast<slong>(p));
  else fmpz_set_ui(num, static_cast<ulong>(p));
  if constexpr (std::is_signed_v<U>) fmpz_set_si(den, static_cast<slong>(q));
  else fmpz_set_ui(den, static_cast<ulong>(q));
  fmpq_set_fmpz_frac(r.data(), num, den);
  fmpz_clear(num);
  fmpz_clear(den);
}

inline void eval_add(fmpq_rational& r, const fmpq_rational& a) { fmpq_add(r.data(), r.data(), a.data()); }
inline void eval_subtract(fmpq_rational& r, const fmpq_rational& a) { fmpq_sub(r.data(), r.data(), a.data()); }
inline void eval_multiply(fmpq_rational& r, const fmpq_rational& a) { fmpq_mul(r.data(), r.data(), a.data()); }
inline void eval_add(fmpq_rational& r, const fmpq_rational& a, const fmpq_rational& b) { fmpq_add(r.data(), a.data(), b.data()); }
inline void eval_subtract(fmpq_rational& r, const fmpq_rational& a, const fmpq_rational& b) { fmpq_sub(r.data(), a.data(), b.data()); }
inline void eval_multiply(fmpq_rational& r, const fmpq_rational& a, const fmpq_rational& b) { fmpq_mul(r.data(), a.data(), b.data()); }
inline void eval_divide(fmpq_rational& r, const fmpq_rational& a, const fmpq_rational& b) {
  if (fmpq_is_zero(b.data())) throw std::overflow_error("Division by zero.");
  fmpq_div(r.data(), a.data(), b.data());
}
inline void eval_divide(fmpq_rational& r, const fmpq_rational& a) { eval_divide(r, r, a); }
inline void eval_add(fmpq_rational& r, long b) { fmpq_add_si(r.data(), r.data(), b); }
inline void eval_subtract(fmpq_rational& r, long b) { fmpq_sub_si(r.data(), r.data(), b); }
inline void eval_multiply(fmpq_rational& r, long b) { fmpq_mul_si(r.data(), r.data(), b); }
inline void eval_add(fmpq_rational& r, const fmpq_rational& a, long b) { fmpq_add_si(r.data(), a.data(), b); }
inline void eval_subtract(fmpq_rational& r, const fmpq_rational& a, long b) { fmpq_sub_si(r.data(), a.data(), b); }
inline void eval_multiply(fmpq_rational& r, const fmpq_rational& a, long b) { fmpq_mul_si(r.data(), a.data(), b); }

inline bool eval_eq(const fmpq_rational& a, const fmpq_rational& b) { return fmpq_equal(a.data(), b.data()) != 0; }
inline bool eval_is_zero(const fmpq_rational& x) { return fmpq_is_zero(x.data()) != 0; }
inline int eval_get_sign(const fmpq_rational& x) { return fmpq_sgn(x.data()); }
inline void eval_abs(fmpq_rational& r, const fmpq_rational& x) { fmpq_abs(r.data(), x.data()); }
inline void eval_fabs(fmpq_rational& r, const fmpq_rational& x) { fmpq_abs(r.data(), x.data()); }

// Rounded to nearest once into `bits` bits (MPFR's ternary value is returned).
inline int round_to_mpfr(mpfr_ptr out, const fmpq_rational& q, mpfr_rnd_t rnd = MPFR_RNDN) {
  return fmpq_get_mpfr(out, q.data(), rnd);
}

// The nearest double, subnormals included. Rounding to 53 bits and then to the subnormal grid would
// round twice, so round once in double's exponent range and subnormalize (the MPFR manual's
// emulation of IEEE double, under mpfr_subnormalize).
inline double nearest_double(const fmpq_rational& q) {
  const mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
  mpfr_set_emin(-1073);
  mpfr_set_emax(1024);
  mpfr_t t;
  mpfr_init2(t, std::numeric_limits<double>::digits);
  const int inexact = round_to_mpfr(t, q);
  mpfr_subnormalize(t, inexact, MPFR_RNDN);
  const double d = mpfr_get_d(t, MPFR_RNDN);
  mpfr_clear(t);
  mpfr_set_emin(emin);
  mpfr_set_emax(emax);
  return d;
}
inline void eval_convert_to(double* r, const fmpq_rational& q) { *r = nearest_double(q); }
inline void eval_convert_to(float* r, const fmpq_rational& q) { *r = static_cast<float>(nearest_double(q)); }
inline void eval_convert_to(long double* r, const fmpq_rational& q) {
  mpfr_t t;
  mpfr_init2(t, std::numeric_limits<long double>::digits);
  round_to_mpfr(t, q);
  *r = mpfr_get_ld(t, MPFR_RNDN);
  mpfr_clear(t);
}
// Integers: truncated toward 0, saturated at the type's range.
inline void eval_convert_to(long long* r, const fmpq_rational& q) {
  fmpz_t t;
  fmpz_init(t);
  fmpz_tdiv_q(t, fmpq_numref(q.data()), fmpq_denref(q.data()));
  if (fmpz_fits_si(t)) *r = fmpz_get_si(t);
  else *r = fmpz_sgn(t) < 0 ? std::numeric_limits<long long>::min() : std::numeric_limits<long long>::max();
  fmpz_clear(t);
}
inline void eval_convert_to(long* r, const fmpq_rational& q) {
  long long v;
  eval_convert_to(&v, q);
  *r = static_cast<long>(v);
}
inline void eval_convert_to(unsigned long long* r, const fmpq_rational& q) {
  fmpz_t t;
  fmpz_init(t);
  fmpz_tdiv_q(t, fmpq_numref(q.data()), fmpq_denref(q.data()));
  if (fmpz_sgn(t) < 0) *r = 0;
  else if (fmpz_abs_fits_ui(t)) *r = fmpz_get_ui(t);
  else *r = std::numeric_limits<unsigned long long>::max();
  fmpz_clear(t);
}
inline void eval_convert_to(unsigned long* r, const fmpq_rational& q) {
  unsigned long long v;
  eval_convert_to(&v, q);
  *r = static_cast<unsigned long>(v);
}

// Conversions between Rational and MPFR numbers, found by argument-dependent lookup from Boost's
// number constructors (number.hpp calls generic_interconvert unqualified).
template <unsigned D>
void generic_interconvert(bmp::backends::mpfr_float_backend<D>& to, const fmpq_rational& from,
                          const boost::mpl::int_<bmp::number_kind_floating_point>&,
                          const boost::mpl::int_<bmp::number_kind_rational>&) {
  round_to_mpfr(to.data(), from);
}
template <unsigned D>
void generic_interconvert(fmpq_rational& to, const bmp::backends::mpfr_float_backend<D>& from,
                          const boost::mpl::int_<bmp::number_kind_rational>&,
                          const boost::mpl::int_<bmp::number_kind_floating_point>&) {
  to.assign_mpfr(from.data());
}

// numerator(q) and denominator(q) as Integers (GMP), as Boost's rational types give them.
template <bmp::expression_template_option ET>
bmp::number<bmp::backends::gmp_int, ET> numerator(const bmp::number<fmpq_rational, ET>& q) {
  bmp::number<bmp::backends::gmp_int, ET> z;
  fmpz_get_mpz(z.backend().data(), fmpq_numref(q.backend().data()));
  return z;
}
template <bmp::expression_template_option ET>
bmp::number<bmp::backends::gmp_int, ET> denominator(const bmp::number<fmpq_rational, ET>& q) {
  bmp::number<bmp::backends::gmp_int, ET> z;
  fmpz_get_mpz(z.backend().data(), fmpq_denref(q.backend().data()));
  return z;
}

}  // namespace entropic::backends

namespace boost::multiprecision {
template <>
struct number_category<entropic::backends::fmpq_rational> : public mpl::int_<number_kind_rational> {};
template <expression_template_option ET>
struct component_type<number<entropic::backends::fmpq_rational, ET>> {
  using type = number<backends::gmp_int, ET>;
};
}  // namespace boost::multiprecision

namespace std {
// As Boost's GMP rational, except digits: 0 (no fixed number), where Boost reports INT_MAX and its
// precision guards would then ask MPFR for hundreds of millions of digits on a conversion.
template <boost::multiprecision::expression_template_option ET>
class numeric_limits<boost::multiprecision::number<entropic::backends::fmpq_rational, ET>> {
  using number_type = boost::multiprecision::number<entropic::backends::fmpq_rational, ET>;

 public:
  static constexpr bool is_specialized = true;
  static number_type(min)() { return number_type(); }
  static number_type(max)() { return number_type(); }
  static number_type lowest() { return number_type(); }
  static constexpr int digits = 0;
  static constexpr int digits10 = 0;
  static constexpr int max_digits10 = 0;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = true;
  static constexpr int radix = 2;
  static number_type epsilon() { return number_type(); }
  static number_type round_error() { return number_type(); }
  static constexpr int min_exponent = 0;
  static constexpr int min_exponent10 = 0;
  static constexpr int max_exponent = 0;
  static constexpr int max_exponent10 = 0;
  static constexpr bool has_infinity = false;
  static constexpr bool has_quiet_NaN = false;
  static constexpr bool has_signaling_NaN = false;
  static constexpr float_denorm_style has_denorm = denorm_absent;
  static constexpr bool has_denorm_loss = false;
  static number_type infinity() { return number_type(); }
  static number_type quiet_NaN() { return number_type(); }
  static number_type signaling_NaN() { return number_type(); }
  static number_type denorm_min() { return number_type(); }
  static constexpr bool is_iec559 = false;
  static constexpr bool is_bounded = false;
  static constexpr bool is_modulo = false;
  static constexpr bool traps = false;
  static constexpr bool tinyness_before = false;
  static constexpr float_round_style round_style = round_toward_zero;
};
}  // namespace std
