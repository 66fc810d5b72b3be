#include "entropic/numeric/elementary.hpp"

#include "entropic/numeric/exact_text.hpp"

namespace entropic::elem {

Rational exp(const Rational& x) {
  if (x == 0) return Rational(1);
  throw not_rational("exp(" + to_text(x) + ")");
}

Rational log(const Rational& x) {
  if (x == 1) return Rational(0);
  throw not_rational("log(" + to_text(x) + ")");
}

Rational tanh(const Rational& x) {
  if (x == 0) return Rational(0);
  throw not_rational("tanh(" + to_text(x) + ")");
}

Rational sqrt(const Rational& x) {
  if (x < 0) throw std::domain_error("sqrt of the negative number " + to_text(x));
  const Integer p = numerator(x), q = denominator(x);
  const Integer rp = mp::sqrt(p), rq = mp::sqrt(q);
  if (rp * rp == p && rq * rq == q) return Rational(rp, rq);
  throw not_rational("sqrt(" + to_text(x) + ")");
}

// Decided on the ball itself (mid - rad > 0, ...): the same answers as its outward-rounded ends,
// without reading them into Reals up to four times on every piecewise activation.
int branch_sign(const Interval& x) {
  const arb_srcptr b = x.backend().data();
  if (arb_is_positive(b)) return 1;
  if (arb_is_negative(b)) return -1;
  if (arb_is_zero(b)) return 0;
  throw kink_unresolved("the enclosure " + to_short_text(x) +
                        " straddles the kink at 0; raise the precision or move the point");
}

}  // namespace entropic::elem
