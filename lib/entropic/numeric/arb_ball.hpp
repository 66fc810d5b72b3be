// entropic::Interval's arithmetic: an Arb ball (mid +/- rad, Johansson 2017) as a
// Boost.Multiprecision backend, so that Interval keeps the operators, conversions and elementary
// functions of a Boost number while every operation is Arb's.
//
//   precision   one working precision for every ball operation (set_working_precision, in bits);
//               a ball stores none. Inputs enter exactly where Arb can hold them (integers, doubles,
//               MPFR numbers) and as the enclosure at the working precision otherwise (rationals).
//   comparisons certain or refused, as Boost's MPFI backend decides them: a < b when every point of
//               a is below every point of b, a == b when the balls are identical; two overlapping
//               balls that differ throw interval_error (so does the sign of a ball holding 0 and
//               other numbers)
//   lower/upper the ends of the enclosure, rounded outward to Real's precision;
//               width = 2 rad rounded up; midpoint; contains, overlap, contains_zero, is_finite
//
// Every elementary function Interval is given here calls its Arb counterpart; Boost's generic
// series would round, so a function without an entry here must not be used on Interval.
#pragma once

#include <arb.h>
#include <arf.h>
#include <flint/fmpz.h>
#include <mpfr.h>

#include <boost/multiprecision/detail/digits.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <boost/multiprecision/number.hpp>

#include "entropic/numeric/fmpq_rational.hpp"

#include <cmath>
#include <ios>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace entropic {

// An interval decision the enclosure does not settle (an ambiguous comparison or sign), or an
// interval that cannot exist (lower end above upper end).
struct interval_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace backends {

namespace bmp = boost::multiprecision;

class arb_ball {
 public:
  using signed_types = boost::mpl::list<long, long long>;
  using unsigned_types = boost::mpl::list<unsigned long, unsigned long long>;
  using float_types = boost::mpl::list<double, long double>;
  using exponent_type = long;

  // The working precision, in decimal digits as Boost's backends count it, and in bits for Arb.
  static unsigned default_precision() noexcept { return digits10_(); }
  static void default_precision(unsigned digits10) {
    digits10_() = digits10;
    bits_() = static_cast<slong>(bmp::detail::digits10_2_2(digits10));
  }
  static slong prec() noexcept { return bits_(); }
  unsigned precision() const noexcept { return default_precision(); }

  arb_ball() noexcept { arb_init(v_); }
  arb_ball(const arb_ball& o) { arb_init(v_); arb_set(v_, o.v_); }
  arb_ball(arb_ball&& o) noexcept { arb_init(v_); arb_swap(v_, o.v_); }
  ~arb_ball() { arb_clear(v_); }
  arb_ball& operator=(const arb_ball& o) { arb_set(v_, o.v_); return *this; }
  arb_ball& operator=(arb_ball&& o) noexcept { arb_swap(v_, o.v_); return *this; }

  // A Real (any MPFR precision) is a point Arb holds exactly.
  template <unsigned D>
  arb_ball(const bmp::backends::mpfr_float_backend<D>& r) { arb_init(v_); *this = r; }  // NOLINT
  template <unsigned D>
  arb_ball& operator=(const bmp::backends::mpfr_float_backend<D>& r) {
    arf_set_mpfr(arb_midref(v_), r.data());
    mag_zero(arb_radref(v_));
    return *this;
  }
  // A rational or integer: its enclosure at the working precision (explicit, as it may round):
  // the nearest number of `prec()` bits, with half its ulp as the radius, so that the ball is one
  // ulp wide as an outward-rounded interval would be (arb_set_fmpq's radius is a whole ulp).
  explicit arb_ball(const fmpq_rational& q) { arb_init(v_); *this = q; }
  arb_ball& operator=(const fmpq_rational& q) {
    set_rounded([&](mpfr_ptr m) { return round_to_mpfr(m, q); }, fmpq_is_zero(q.data()) != 0);
    return *this;
  }
  explicit arb_ball(const bmp::backends::gmp_int& z) { arb_init(v_); *this = z; }
  arb_ball& operator=(const bmp::backends::gmp_int& z) {
    set_rounded([&](mpfr_ptr m) { return mpfr_set_z(m, z.data(), MPFR_RNDN); }, mpz_sgn(z.data()) == 0);
    return *this;
  }

  arb_ball& operator=(long i) { arb_set_si(v_, i); return *this; }
  arb_ball& operator=(unsigned long i) { arb_set_ui(v_, i); return *this; }
  arb_ball& operator=(long long i) { arb_set_si(v_, static_cast<slong>(i)); return *this; }
  arb_ball& operator=(unsigned long long i) { arb_set_ui(v_, static_cast<ulong>(i)); return *this; }
  arb_ball& operator=(double d) { arb_set_d(v_, d); return *this; }
  arb_ball& operator=(long double d) {
    mpfr_t t;
    mpfr_init2(t, 64);
    mpfr_set_ld(t, d, MPFR_RNDN);  // exact: long double has at most 64 bits
    arf_set_mpfr(arb_midref(v_), t);
    mag_zero(arb_radref(v_));
    mpfr_clear(t);
    return *this;
  }
  // Arb's syntax: a decimal number, or "[mid +/- rad]".
  arb_ball& operator=(const char* s) {
    if (arb_set_str(v_, s, prec()) != 0)
      throw std::runtime_error(std::string("not an interval: \"") + s + "\"");
    return *this;
  }

  void swap(arb_ball& o) noexcept { arb_swap(v_, o.v_); }
  void negate() noexcept { arb_neg(v_, v_); }

  int compare(const arb_ball& o) const {
    if (arb_lt(v_, o.v_)) return -1;
    if (arb_gt(v_, o.v_)) return 1;
    if (arb_equal(v_, o.v_)) return 0;
    throw interval_error("ambiguous comparison of two overlapping intervals");
  }
  template <class V>
  int compare(const V& v) const {
    arb_ball t;
    t.assign_arithmetic(v);
    return compare(t);
  }

  // Any integer or floating type, exactly (through the widest of its kind).
  template <class V>
  void assign_arithmetic(V v) {
    static_assert(std::is_arithmetic_v<V>);
    if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) *this = static_cast<long long>(v);
    else if constexpr (std::is_integral_v<V>) *this = static_cast<unsigned long long>(v);
    else if constexpr (std::is_same_v<V, long double>) *this = v;
    else *this = static_cast<double>(v);
  }

  // "[lower, upper]" with `digits` significant digits (a point: its value alone).
  std::string str(std::streamsize digits, std::ios_base::fmtflags f) const {
    using Bound = bmp::number<bmp::backends::mpfr_float_backend<0>, bmp::et_off>;
    Bound lo, hi;
    bounds(lo.backend().data(), hi.backend().data());
    if (arb_is_exact(v_)) return lo.str(digits, f);
    return "[" + lo.str(digits, f) + ", " + hi.str(digits, f) + "]";
  }

  // The enclosure's ends, rounded outward to the precisions of lo and hi.
  void bounds(mpfr_ptr lo, mpfr_ptr hi) const { arb_get_interval_mpfr(lo, hi, v_); }

  arb_ptr data() noexcept { return v_; }
  arb_srcptr data() const noexcept { return v_; }

 private:
  // round(m) sets m to the value rounded to nearest and returns MPFR's ternary value. Beyond MPFR's
  // exponent range (an infinite or a spuriously zero m) the value is not representable at all.
  template <class Round>
  void set_rounded(Round&& round, bool value_is_zero) {
    mpfr_t m;
    mpfr_init2(m, static_cast<mpfr_prec_t>(prec()));
    const int inexact = round(m);
    if (mpfr_inf_p(m) || (mpfr_zero_p(m) && !value_is_zero)) {
      mpfr_clear(m);
      throw std::overflow_error("a rational beyond the exponent range of the interval arithmetic");
    }
    arf_set_mpfr(arb_midref(v_), m);
    if (inexact == 0) mag_zero(arb_radref(v_));
    else mag_set_ui_2exp_si(arb_radref(v_), 1, static_cast<slong>(mpfr_get_exp(m)) - prec() - 1);
    mpfr_clear(m);
  }

  static unsigned& digits10_() { static unsigned d = 50; return d; }
  static slong& bits_() { static slong b = static_cast<slong>(bmp::detail::digits10_2_2(50)); return b; }

  arb_t v_;
};

// [a, b] from its two ends (Interval(lo, hi)).
template <unsigned D>
void assign_components(arb_ball& r, const bmp::backends::mpfr_float_backend<D>& a,
                       const bmp::backends::mpfr_float_backend<D>& b) {
  if (mpfr_nan_p(a.data()) || mpfr_nan_p(b.data()) || mpfr_cmp(a.data(), b.data()) > 0)
    throw interval_error("an interval needs lower end <= upper end");
  arb_set_interval_mpfr(r.data(), a.data(), b.data(), arb_ball::prec());
}

// [a, b] from two integers or doubles (each exact in Arb).
template <class V, class = std::enable_if_t<std::is_arithmetic_v<V>>>
void assign_components(arb_ball& r, V a, V b) {
  arb_ball lo, hi;
  lo.assign_arithmetic(a);
  hi.assign_arithmetic(b);
  if (!arb_is_finite(lo.data()) || !arb_is_finite(hi.data()) || arf_cmp(arb_midref(lo.data()), arb_midref(hi.data())) > 0)
    throw interval_error("an interval needs finite ends, lower end <= upper end");
  arb_set_interval_arf(r.data(), arb_midref(lo.data()), arb_midref(hi.data()), arb_ball::prec());
}

// Arithmetic: Boost's number calls these; arithmetic types reach them through arb_ball's
// assignments.
inline void eval_add(arb_ball& r, const arb_ball& a) { arb_add(r.data(), r.data(), a.data(), arb_ball::prec()); }
inline void eval_subtract(arb_ball& r, const arb_ball& a) { arb_sub(r.data(), r.data(), a.data(), arb_ball::prec()); }
inline void eval_multiply(arb_ball& r, const arb_ball& a) { arb_mul(r.data(), r.data(), a.data(), arb_ball::prec()); }
inline void eval_divide(arb_ball& r, const arb_ball& a) { arb_div(r.data(), r.data(), a.data(), arb_ball::prec()); }
inline void eval_add(arb_ball& r, const arb_ball& a, const arb_ball& b) { arb_add(r.data(), a.data(), b.data(), arb_ball::prec()); }
inline void eval_subtract(arb_ball& r, const arb_ball& a, const arb_ball& b) { arb_sub(r.data(), a.data(), b.data(), arb_ball::prec()); }
inline void eval_multiply(arb_ball& r, const arb_ball& a, const arb_ball& b) { arb_mul(r.data(), a.data(), b.data(), arb_ball::prec()); }
inline void eval_divide(arb_ball& r, const arb_ball& a, const arb_ball& b) { arb_div(r.data(), a.data(), b.data(), arb_ball::prec()); }
inline void eval_add(arb_ball& r, long b) { arb_add_si(r.data(), r.data(), b, arb_ball::prec()); }
inline void eval_subtract(arb_ball& r, long b) { arb_sub_si(r.data(), r.data(), b, arb_ball::prec()); }
inline void eval_multiply(arb_ball& r, long b) { arb_mul_si(r.data(), r.data(), b, arb_ball::prec()); }
inline void eval_divide(arb_ball& r, long b) { arb_div_si(r.data(), r.data(), b, arb_ball::prec()); }
inline void eval_add(arb_ball& r, const arb_ball& a, long b) { arb_add_si(r.data(), a.data(), b, arb_ball::prec()); }
inline void eval_subtract(arb_ball& r, const arb_ball& a, long b) { arb_sub_si(r.data(), a.data(), b, arb_ball::prec()); }
inline void eval_multiply(arb_ball& r, const arb_ball& a, long b) { arb_mul_si(r.data(), a.data(), b, arb_ball::prec()); }
inline void eval_divide(arb_ball& r, const arb_ball& a, long b) { arb_div_si(r.data(), a.data(), b, arb_ball::prec()); }

inline bool eval_is_zero(const arb_ball& x) { return arb_is_zero(x.data()); }
inline int eval_get_sign(const arb_ball& x) {
  if (arb_is_positive(x.data())) return 1;
  if (arb_is_negative(x.data())) return -1;
  if (arb_is_zero(x.data())) return 0;
  throw interval_error("the sign of an interval that holds 0 and other numbers is ambiguous");
}
inline int eval_fpclassify(const arb_ball& x) {
  if (arb_is_zero(x.data())) return FP_ZERO;
  if (arb_is_finite(x.data())) return FP_NORMAL;
  return arf_is_nan(arb_midref(x.data())) ? FP_NAN : FP_INFINITE;
}

// Conversions out take the midpoint.
inline void eval_convert_to(double* r, const arb_ball& x) { *r = arf_get_d(arb_midref(x.data()), ARF_RND_NEAR); }
inline void eval_convert_to(long double* r, const arb_ball& x) {
  mpfr_t t;
  mpfr_init2(t, 64);
  arf_get_mpfr(t, arb_midref(x.data()), MPFR_RNDN);
  *r = mpfr_get_ld(t, MPFR_RNDN);
  mpfr_clear(t);
}
inline void eval_convert_to(long* r, const arb_ball& x) { *r = arf_get_si(arb_midref(x.data()), ARF_RND_DOWN); }
inline void eval_convert_to(long long* r, const arb_ball& x) { *r = arf_get_si(arb_midref(x.data()), ARF_RND_DOWN); }
inline void eval_convert_to(unsigned long* r, const arb_ball& x) {
  const slong s = arf_get_si(arb_midref(x.data()), ARF_RND_DOWN);
  *r = s < 0 ? 0 : static_cast<unsigned long>(s);
}
inline void eval_convert_to(unsigned long long* r, const arb_ball& x) {
  unsigned long u;
  eval_convert_to(&u, x);
  *r = u;
}

inline void eval_ldexp(arb_ball& r, const arb_ball& x, long e) { arb_mul_2exp_si(r.data(), x.data(), e); }
inline void eval_frexp(arb_ball& r, const arb_ball& x, long* e) {
  if (arf_is_zero(arb_midref(x.data())) || !arb_is_finite(x.data())) {
    *e = 0;
    r = x;
    return;
  }
  *e = fmpz_get_si(ARF_EXPREF(arb_midref(x.data())));  // |mid| / 2^e in [1/2, 1)
  arb_mul_2exp_si(r.data(), x.data(), -*e);
}
inline void eval_frexp(arb_ball& r, const arb_ball& x, int* e) {
  long l;
  eval_frexp(r, x, &l);
  *e = static_cast<int>(l);
}

// |x|: a ball that holds 0 becomes [0, max |x|], not Arb's |mid| +/- rad.
inline void eval_abs(arb_ball& r, const arb_ball& x) {
  if (!arb_contains_zero(x.data())) {
    arb_abs(r.data(), x.data());
    return;
  }
  arf_t zero, hi;
  arf_init(zero);
  arf_init(hi);
  arb_get_abs_ubound_arf(hi, x.data(), arb_ball::prec());
  arb_set_interval_arf(r.data(), zero, hi, arb_ball::prec());
  arf_clear(zero);
  arf_clear(hi);
}
inline void eval_fabs(arb_ball& r, const arb_ball& x) { eval_abs(r, x); }

// floor and ceil exist when the whole ball lies between two integers.
inline void eval_floor(arb_ball& r, const arb_ball& x) {
  arb_floor(r.data(), x.data(), arb_ball::prec());
  if (!arb_is_exact(r.data()))
    throw interval_error("floor of an interval that straddles an integer");
}
inline void eval_ceil(arb_ball& r, const arb_ball& x) {
  arb_ceil(r.data(), x.data(), arb_ball::prec());
  if (!arb_is_exact(r.data()))
    throw interval_error("ceil of an interval that straddles an integer");
}

#define ENTROPIC_ARB_UNARY(name, arb_fn) \
  inline void eval_##name(arb_ball& r, const arb_ball& x) { arb_fn(r.data(), x.data(), arb_ball::prec()); }
ENTROPIC_ARB_UNARY(sqrt, arb_sqrt)
ENTROPIC_ARB_UNARY(exp, arb_exp)
ENTROPIC_ARB_UNARY(log, arb_log)
ENTROPIC_ARB_UNARY(sin, arb_sin)
ENTROPIC_ARB_UNARY(cos, arb_cos)
ENTROPIC_ARB_UNARY(tan, arb_tan)
ENTROPIC_ARB_UNARY(asin, arb_asin)
ENTROPIC_ARB_UNARY(acos, arb_acos)
ENTROPIC_ARB_UNARY(atan, arb_atan)
ENTROPIC_ARB_UNARY(sinh, arb_sinh)
ENTROPIC_ARB_UNARY(cosh, arb_cosh)
ENTROPIC_ARB_UNARY(tanh, arb_tanh)
ENTROPIC_ARB_UNARY(asinh, arb_asinh)
ENTROPIC_ARB_UNARY(acosh, arb_acosh)
ENTROPIC_ARB_UNARY(atanh, arb_atanh)
ENTROPIC_ARB_UNARY(log1p, arb_log1p)
ENTROPIC_ARB_UNARY(expm1, arb_expm1)
#undef ENTROPIC_ARB_UNARY
inline void eval_log10(arb_ball& r, const arb_ball& x) { arb_log_base_ui(r.data(), x.data(), 10, arb_ball::prec()); }
inline void eval_log2(arb_ball& r, const arb_ball& x) { arb_log_base_ui(r.data(), x.data(), 2, arb_ball::prec()); }
inline void eval_exp2(arb_ball& r, const arb_ball& x) {
  arb_ball two;
  two = 2ul;
  arb_pow(r.data(), two.data(), x.data(), arb_ball::prec());
}
inline void eval_pow(arb_ball& r, const arb_ball& x, const arb_ball& y) { arb_pow(r.data(), x.data(), y.data(), arb_ball::prec()); }
inline void eval_atan2(arb_ball& r, const arb_ball& y, const arb_ball& x) { arb_atan2(r.data(), y.data(), x.data(), arb_ball::prec()); }

}  // namespace backends
}  // namespace entropic

namespace boost::multiprecision {
template <>
struct number_category<entropic::backends::arb_ball> : public mpl::int_<number_kind_floating_point> {};
// The ends of an Interval are Reals: Interval(lo, hi) builds [lo, hi] (assign_components above).
template <expression_template_option ET>
struct component_type<number<entropic::backends::arb_ball, ET>> {
  using type = number<backends::mpfr_float_backend<0>, ET>;
};
}  // namespace boost::multiprecision
