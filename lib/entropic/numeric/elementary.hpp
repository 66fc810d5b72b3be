// Elementary functions and branch decisions, uniformly over every scalar kind.
//
// Models are written once over a scalar S and call entropic::elem::tanh(z), elem::exp(z), ...
// For Rational these are exact where the value is rational (exp(0) = 1, log(1) = 0, tanh(0) = 0,
// sqrt of a perfect square) and otherwise throw `not_rational`: a rational computation never
// rounds silently. Dual and Series define the same names as hidden friends, so the functions nest.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>

#include "entropic/numeric/scalar.hpp"

namespace entropic {

// A rational computation needed an irrational value.
struct not_rational : std::domain_error {
  explicit not_rational(const std::string& what)
      : std::domain_error(what + " is not rational; use interval:BITS or real:BITS arithmetic") {}
};

// A piecewise model (ReLU, leaky ReLU) met an argument whose side of the kink is not decided by the
// arithmetic (an interval that straddles 0).
struct kink_unresolved : std::domain_error {
  using std::domain_error::domain_error;
};

namespace detail {
template <class S> S call_exp(const S& x) { using std::exp; return exp(x); }
template <class S> S call_log(const S& x) { using std::log; return log(x); }
template <class S> S call_sqrt(const S& x) { using std::sqrt; return sqrt(x); }
template <class S> S call_tanh(const S& x) { using std::tanh; return tanh(x); }
template <class S> int call_branch_sign(const S& x) { return branch_sign(x); }
}  // namespace detail

namespace elem {

template <class S> S exp(const S& x) { return detail::call_exp(x); }
template <class S> S log(const S& x) { return detail::call_log(x); }
template <class S> S sqrt(const S& x) { return detail::call_sqrt(x); }
template <class S> S tanh(const S& x) { return detail::call_tanh(x); }

Rational exp(const Rational& x);
Rational log(const Rational& x);
Rational sqrt(const Rational& x);
Rational tanh(const Rational& x);

// x is exactly 0 (an interval: the point interval [0, 0]). Unlike x == 0 this never throws: an
// enclosure that contains 0 and other numbers compares with 0 by throwing interval_error.
inline bool is_zero(const Rational& x) { return x.is_zero(); }
inline bool is_zero(const Interval& x) { return x.is_zero(); }
template <class S>
bool is_zero(const S& x) { return x == S(0); }

// Sign that decides the branch of a piecewise function at x: -1, 0 or +1.
inline int branch_sign(double x) { return (x > 0) - (x < 0); }
inline int branch_sign(const Rational& x) { return x.sign(); }
inline int branch_sign(const Real& x) { return x.sign(); }
template <unsigned D>
int branch_sign(const StaticReal<D>& x) { return x.sign(); }
int branch_sign(const Interval& x);
// Dual and Series provide branch_sign as a hidden friend.
template <class S>
int branch_sign(const S& x) { return detail::call_branch_sign(x); }

}  // namespace elem
}  // namespace entropic
