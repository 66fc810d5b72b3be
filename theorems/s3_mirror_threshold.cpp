// S3 — Mirror symmetry: O^T theta = 0 becomes stable above a threshold (catalog S3; classical: Ziyin,
// 2024; the threshold expression is unconfirmed, derived below).
//
// Toy: L = 1/2 E (u w x - y)^2 with the mirror theta -> -theta, m = E x y, L_lambda = L + lambda/2 |theta|^2.
//   H(0) = [[0, -m], [-m, 0]], so nabla^2 L_lambda(0) = [[lambda, -m], [-m, lambda]] is positive definite
//   (leading minors lambda > 0 and lambda^2 - m^2 > 0) iff lambda > |m|: the second-order condition of
//   the catalog (in gamma-convention gamma > |m|/2, the confusion a mutant states).
//   For lambda < |m| the origin is a saddle: d = (1, sgn m) has d^T H_lambda d = 2 (lambda - |m|) < 0.
//   At lambda = |m| the second-order test is silent, and exactly
//       L_lambda(u, w) - L_lambda(0) = |m|/2 (u - sgn(m) w)^2 + 1/2 E x^2 u^2 w^2,
//   a sum of squares vanishing only at 0 when m != 0 (then E x^2 > 0): the origin is still a strict local
//   (even global) minimum there, so "strict local minimum iff lambda > |m|" holds only as the
//   second-order condition. At m = lambda = 0 it is not strict: L_lambda - L_lambda(0) =
//   1/2 E x^2 u^2 w^2 vanishes on both axes. Exactly: the origin is a strict minimum of L_lambda iff
//   lambda >= |m| and lambda > 0 (parts "strict" and "not-strict-at-zero").
//   For m > 0, along u = w = a: d/du L_lambda = a (a^2 E x^2 - m + lambda), so the stationary points
//   u = w = a != 0 are a^2 = (m - lambda)/E x^2 and exist iff lambda < m.
//
// Evidence, exact in Rational: H(0) by forward mode through the model's gradient (metrics/hessian.hpp);
// the positive-definiteness verdict from the leading minors at lambda just below, at and just above |m|;
// the sum-of-squares identity at generated points; data built so that (m - lambda)/E x^2 = a^2 for a
// rational a, where the gradient of L_lambda is exactly 0.
#include "entropic/metrics/hessian.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic {
namespace {

// f = w u x: deep_linear 1 -> 1 -> 1, theta = (W1, W2) = (u, w).
ModelSpec toy_spec() {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 1};
  return spec;
}

struct Toy {
  static int parameter_count() { return 2; }  // u, w
  std::vector<Rational> x, y;
  Rational lambda;
  DataSet<Rational> data() const {
    const int n = static_cast<int>(x.size());
    Mat<Rational> X(n, 1), Y(n, 1);
    for (int i = 0; i < n; ++i) {
      X(i, 0) = x[i];
      Y(i, 0) = y[i];
    }
    return finite_data<Rational>(X, Y);
  }
  Rational m() const {
    Rational s = 0;
    for (size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
    return s / static_cast<int>(x.size());
  }
  Rational second_moment() const {
    Rational s = 0;
    for (const Rational& v : x) s += v * v;
    return s / static_cast<int>(x.size());
  }
  std::string show() const {
    std::string xs, ys;
    for (size_t i = 0; i < x.size(); ++i) {
      xs += (i ? ", " : "") + to_text(x[i]);
      ys += (i ? ", " : "") + to_text(y[i]);
    }
    return "L = 1/2 E (u w x - y)^2, x = [" + xs + "], y = [" + ys + "]; m = " + to_text(m()) +
           "; lambda = " + to_text(lambda);
  }
};

rc::Gen<std::pair<std::vector<Rational>, std::vector<Rational>>> samples() {
  return rc::gen::exec([]() {
    const int n = *gen::in_range(1, 5);
    auto x = *rc::gen::container<std::vector<Rational>>(n, gen::rational(4, 3));
    auto y = *rc::gen::container<std::vector<Rational>>(n, gen::rational(4, 3));
    return std::make_pair(x, y);
  });
}

// 1 to 4 samples with m = E x y != 0: x_0 != 0, and y_0 moved by 1 when the drawn data have m = 0.
rc::Gen<std::pair<std::vector<Rational>, std::vector<Rational>>> samples_with_correlation() {
  return rc::gen::exec([]() {
    auto [x, y] = *samples();
    x[0] = *gen::nonzero_rational(4, 3);
    Rational m = 0;
    for (std::size_t i = 0; i < x.size(); ++i) m += x[i] * y[i];
    if (m == 0) y[0] += 1;
    return std::make_pair(x, y);
  });
}

// 1 to 4 samples with m = E x y = 0 and E x^2 > 0: x_0 != 0, y_0 solved from sum_i x_i y_i = 0.
rc::Gen<std::pair<std::vector<Rational>, std::vector<Rational>>> uncorrelated_samples() {
  return rc::gen::exec([]() {
    auto [x, y] = *samples();
    x[0] = *gen::nonzero_rational(4, 3);
    Rational rest = 0;
    for (std::size_t i = 1; i < x.size(); ++i) rest += x[i] * y[i];
    y[0] = -rest / x[0];
    return std::make_pair(x, y);
  });
}

// m != 0 and lambda >= 0 at |m| - e, |m|, |m| + e, or anywhere in [0, 3].
rc::Gen<Toy> toys() {
  return rc::gen::exec([]() {
    Toy t;
    std::tie(t.x, t.y) = *samples_with_correlation();
    const Rational at = abs(t.m()), e = *gen::positive_rational(3, 50);
    const int where = *gen::in_range(0, 4);
    t.lambda = where == 0 ? Rational(at - e) : where == 1 ? at : where == 2 ? Rational(at + e) : *gen::rational(3, 4);
    if (t.lambda < 0) t.lambda = -t.lambda;
    return t;
  });
}

// nabla^2 L(0) = [[0, -m], [-m, 0]] exactly, and the leading minors of H + lambda I decide positive
// definiteness exactly as "lambda > `threshold_factor` |m|" (1: the catalog; 1/2: the gamma mutant).
// Below |m|, d = (1, sgn m) is a descent direction of the quadratic form.
auto origin_threshold(Rational threshold_factor) {
  return [threshold_factor](const Toy& t) {
    const DataSet<Rational> data = t.data();
    const Mat<Rational> H = hessian<Rational>(toy_spec(), data, Model<Rational>::all(data), Vec<Rational>::Zero(2));
    Mat<Rational> expected(2, 2);
    expected << 0, -t.m(), -t.m(), 0;
    const Mat<Rational> H_lambda = H + t.lambda * Mat<Rational>::Identity(2, 2);
    const Rational minor1 = H_lambda(0, 0), minor2 = H_lambda(0, 0) * H_lambda(1, 1) - H_lambda(0, 1) * H_lambda(1, 0);
    const bool positive_definite = minor1 > 0 && minor2 > 0;
    const bool predicted = t.lambda > threshold_factor * abs(t.m());
    const std::string minors = "minors " + to_text(minor1) + ", " + to_text(minor2);
    const std::string iff = "H_lambda(0) positive definite iff lambda > " + to_text(threshold_factor) + " |m|";
    std::vector<Verdict> verdicts{compare_entries<Rational>(H, expected, "H(0) = [[0, -m], [-m, 0]]"),
                                  positive_definite == predicted ? Verdict::holds(Arithmetic::rational(), minors, iff)
                                                                 : Verdict::violated(Arithmetic::rational(), minors, iff)};
    if (t.lambda < abs(t.m())) {
      Vec<Rational> d(2);
      d << 1, t.m() > 0 ? 1 : -1;
      verdicts.push_back(certainly_positive<Rational>(Rational(-d.dot(H_lambda * d)),
                                                      "lambda < |m|: -(d^T H_lambda d) > 0 for d = (1, sgn m)"));
    }
    return all_of(verdicts);
  };
}

// At lambda = |m|: L_lambda(u, w) - L_lambda(0) = |m|/2 (u - sgn(m) w)^2 + 1/2 E x^2 u^2 w^2.
struct BoundaryPoint {
  static int parameter_count() { return 2; }  // u, w
  Toy toy;
  Rational u, w;
  std::string show() const { return toy.show() + "; (u, w) = (" + to_text(u) + ", " + to_text(w) + ")"; }
};
rc::Gen<BoundaryPoint> boundary_points() {
  return rc::gen::exec([]() {
    BoundaryPoint p;
    std::tie(p.toy.x, p.toy.y) = *samples_with_correlation();
    p.toy.lambda = abs(p.toy.m());
    p.u = *gen::nonzero_rational(4, 4);
    p.w = *gen::nonzero_rational(4, 4);
    return p;
  });
}
Rational loss_above_origin(const BoundaryPoint& p) {
  const DataSet<Rational> data = p.toy.data();
  const auto model = make_model<Rational>(toy_spec());
  Vec<Rational> theta(2);
  theta << p.u, p.w;
  auto L_lambda = [&](const Vec<Rational>& th) {
    return Rational(model->loss(th, data) + p.toy.lambda / 2 * th.squaredNorm());
  };
  return L_lambda(theta) - L_lambda(Vec<Rational>::Zero(2));
}
// |m|/2 (u - sgn(m) w)^2 (the mutant: the second-order picture taken as exact), and the claim's sum
// of squares with the quartic 1/2 E x^2 u^2 w^2.
Rational second_order_form(const BoundaryPoint& p) {
  const Rational m = p.toy.m(), s = m > 0 ? 1 : -1, diff = p.u - s * p.w;
  return abs(m) / 2 * diff * diff;
}
Rational sum_of_squares(const BoundaryPoint& p) {
  return second_order_form(p) + p.toy.second_moment() / 2 * p.u * p.u * p.w * p.w;
}

// m > 0 and u = w = a with a^2 = (m - lambda)/E x^2: data built for a given a != 0 and lambda >= 0 by
// solving E x y = lambda + a^2 E x^2 for y_0 (x_0 != 0).
struct DiagonalPoint {
  static int parameter_count() { return 2; }  // u, w
  Toy toy;
  Rational a;
  std::string show() const { return toy.show() + "; u = w = " + to_text(a); }
};
rc::Gen<DiagonalPoint> diagonal_points() {
  return rc::gen::exec([]() {
    DiagonalPoint p;
    std::tie(p.toy.x, p.toy.y) = *samples();
    p.toy.x[0] = *gen::nonzero_rational(4, 3);
    p.a = *gen::nonzero_rational(3, 3);
    p.toy.lambda = *gen::step_size(Rational(2));
    const int n = static_cast<int>(p.toy.x.size());
    Rational rest = 0;
    for (int i = 1; i < n; ++i) rest += p.toy.x[i] * p.toy.y[i];
    p.toy.y[0] = (n * (p.toy.lambda + p.a * p.a * p.toy.second_moment()) - rest) / p.toy.x[0];
    return p;
  });
}
// grad L_lambda(a, a) = 0, lambda < m, a^2 = (m - lambda)/E x^2; and along the diagonal at 2a and a/2
// (not stationary) d/du L_lambda = b (b^2 E x^2 - m + lambda).
Verdict diagonal_stationary(const DiagonalPoint& p) {
  const DataSet<Rational> data = p.toy.data();
  const auto model = make_model<Rational>(toy_spec());
  auto grad_lambda = [&](const Rational& b) {
    Vec<Rational> th(2);
    th << b, b;
    return Vec<Rational>(model->gradient(th, data) + p.toy.lambda * th);
  };
  const Rational m = p.toy.m(), ex2 = p.toy.second_moment();
  std::vector<Verdict> verdicts{
      compare<Rational>(grad_lambda(p.a), Vec<Rational>::Zero(2), "grad L_lambda(a, a) = 0"),
      certainly_positive<Rational>(Rational(m - p.toy.lambda), "m - lambda > 0"),
      compare<Rational>(Rational(p.a * p.a), Rational((m - p.toy.lambda) / ex2), "a^2 = (m - lambda)/E x^2")};
  for (const Rational& b : {Rational(2 * p.a), Rational(p.a / 2)})
    verdicts.push_back(compare<Rational>(grad_lambda(b)[0], Rational(b * (b * b * ex2 - m + p.toy.lambda)),
                                         "d/du L_lambda(b, b) = b (b^2 E x^2 - m + lambda) at b = " + to_text(b)));
  return all_of(verdicts);
}
// Mutant: a^2 = (m - lambda/2)/E x^2 (the gamma convention's weight decay, gamma = lambda/2, put in
// the stationary condition): the gradient of L_lambda vanishes at u = w = a only if it holds.
Verdict diagonal_gamma_convention(const DiagonalPoint& p) {
  const Rational m = p.toy.m(), ex2 = p.toy.second_moment();
  return compare<Rational>(Rational(p.a * p.a), Rational((m - p.toy.lambda / 2) / ex2), "a^2 = (m - lambda/2)/E x^2");
}

// Strictness. D(u, w) = L_lambda(u, w) - L_lambda(0) = lambda/2 (u^2 + w^2) - m u w + 1/2 E x^2 u^2 w^2,
// and for lambda >= |m|, s = sgn m (s = 1 at m = 0),
//     D = (lambda - |m|)/2 (u^2 + w^2) + |m|/2 (u - s w)^2 + 1/2 E x^2 u^2 w^2,
// a sum of squares. It vanishes only at the origin iff lambda > |m|, or lambda = |m| > 0 (then
// E x^2 > 0, as m != 0 needs some x != 0): the origin is a strict (global) minimum of L_lambda iff
// lambda >= |m| and lambda > 0. At lambda = m = 0, D = 1/2 E x^2 u^2 w^2 vanishes on both axes: a
// minimum, not strict.
struct StrictPoint {
  static int parameter_count() { return 2; }  // u, w
  Toy toy;
  Rational u, w;  // a point != 0
  std::string show() const { return toy.show() + "; (u, w) = (" + to_text(u) + ", " + to_text(w) + ")"; }
};
Rational loss_above_origin_at(const Toy& toy, const Rational& u, const Rational& w) {
  const DataSet<Rational> data = toy.data();
  const auto model = make_model<Rational>(toy_spec());
  Vec<Rational> theta(2);
  theta << u, w;
  auto L_lambda = [&](const Vec<Rational>& th) { return Rational(model->loss(th, data) + toy.lambda / 2 * th.squaredNorm()); };
  return L_lambda(theta) - L_lambda(Vec<Rational>::Zero(2));
}
// lambda = |m| + e with e = 0 (the boundary, one draw in two) or e > 0, m != 0; (u, w) != 0, drawn on
// the second-order flat line u = sgn(m) w one draw in two.
rc::Gen<StrictPoint> strict_points() {
  return rc::gen::exec([]() {
    StrictPoint p;
    std::tie(p.toy.x, p.toy.y) = *samples_with_correlation();
    const bool boundary = *gen::in_range(0, 2) == 0;
    p.toy.lambda = abs(p.toy.m()) + (boundary ? Rational(0) : *gen::positive_rational(3, 8));
    p.u = *gen::nonzero_rational(4, 4);
    const bool on_flat_line = *gen::in_range(0, 2) == 0;
    p.w = on_flat_line ? Rational(p.toy.m() > 0 ? p.u : Rational(-p.u)) : *gen::rational(4, 4);
    return p;
  });
}
// The origin is strict: D = the sum of squares at (u, w), D(u, w) > 0, and the sum of squares has no
// zero but the origin (lambda > |m|, or lambda = |m| and E x^2 > 0).
Verdict strict_minimum(const StrictPoint& p) {
  const Rational m = p.toy.m(), am = abs(m), s = m < 0 ? -1 : 1, ex2 = p.toy.second_moment(), l = p.toy.lambda;
  const Rational D = loss_above_origin_at(p.toy, p.u, p.w), diff = p.u - s * p.w;
  const Rational sos = (l - am) / 2 * (p.u * p.u + p.w * p.w) + am / 2 * diff * diff + ex2 / 2 * p.u * p.u * p.w * p.w;
  const bool only_zero_at_origin = l > am || (am > 0 && ex2 > 0);
  return all_of({compare<Rational>(D, sos, "D = (lambda - |m|)/2 |theta|^2 + |m|/2 (u - s w)^2 + 1/2 E x^2 u^2 w^2"),
                 certainly_positive<Rational>(D, "D(u, w) > 0 at (u, w) != 0"),
                 only_zero_at_origin
                     ? Verdict::holds(Arithmetic::rational(), "0", "the sum of squares vanishes only at 0")
                     : Verdict::violated(Arithmetic::rational(), "0", "the sum of squares vanishes off 0")});
}
// Mutant: strict iff lambda > |m| (the second-order condition read as the condition for
// strictness): at lambda = |m| the origin would not be strict, D = 0 along the flat direction
// (1, sgn m) of the Hessian. Checked at the instance's point when lambda = |m|.
Verdict strict_only_above_threshold(const StrictPoint& p) {
  const Rational am = abs(p.toy.m());
  if (p.toy.lambda > am) return strict_minimum(p);
  const Rational s = p.toy.m() < 0 ? -1 : 1;
  return compare<Rational>(loss_above_origin_at(p.toy, p.u, Rational(s * p.u)), Rational(0),
                           "lambda = |m|: D(u, sgn(m) u) = 0 (not strict)");
}

// m = lambda = 0 (E x y = 0, no weight decay), E x^2 > 0: D(u, 0) = D(0, w) = 0 at u, w != 0, the
// origin is a minimum (D = 1/2 E x^2 u^2 w^2 >= 0) but not a strict one: the exception to
// "strict iff lambda >= |m|". Checked with the model's loss at the generated u, w.
rc::Gen<StrictPoint> uncorrelated_points() {
  return rc::gen::exec([]() {
    StrictPoint p;
    std::tie(p.toy.x, p.toy.y) = *uncorrelated_samples();
    p.toy.lambda = 0;
    p.u = *gen::nonzero_rational(4, 4);
    p.w = *gen::nonzero_rational(4, 4);
    return p;
  });
}
Verdict not_strict_at_zero(const StrictPoint& p) {
  const Rational ex2 = p.toy.second_moment();
  return all_of({compare<Rational>(p.toy.m(), Rational(0), "m = E x y = 0"),
                 compare<Rational>(loss_above_origin_at(p.toy, p.u, Rational(0)), Rational(0), "D(u, 0) = 0"),
                 compare<Rational>(loss_above_origin_at(p.toy, Rational(0), p.w), Rational(0), "D(0, w) = 0"),
                 compare<Rational>(loss_above_origin_at(p.toy, p.u, p.w), Rational(ex2 / 2 * p.u * p.u * p.w * p.w),
                                   "D(u, w) = 1/2 E x^2 u^2 w^2 >= 0 (a minimum)")});
}
// Mutant (the statement before this check): at lambda = |m| the origin is strict whenever E x^2 > 0,
// so D(u, 0) > 0 at u != 0.
Verdict strict_whenever_data(const StrictPoint& p) {
  return certainly_positive<Rational>(loss_above_origin_at(p.toy, p.u, Rational(0)),
                                      "lambda = |m| = 0, E x^2 > 0: D(u, 0) > 0 (strict)");
}

}  // namespace

ENTROPIC_CLAIM(S3) {
  const auto samples_n = [](const auto& p) { return static_cast<int>(p.toy.x.size()); };
  const auto no_correlation = [](const Toy& t) { return t.m() == 0; };
  return Claim("S3", "Mirror symmetry: O^T theta = 0 becomes stable above a threshold")
      .provenance(Provenance::derived)
      .kind("exact at an optimum")
      .part("threshold", "H(0) = [[0, -m], [-m, 0]]; H_lambda(0) > 0 iff lambda > |m|", toys())
          .check(origin_threshold(Rational(1)))
          .mutant("half-threshold", "threshold lambda > |m|/2 (gamma-convention confusion)",
                  origin_threshold(Rational(1, 2)))
          .degenerate("m = 0 (the threshold and its half agree)", no_correlation)
          .nondegenerate("the generator draws x_0 != 0 and moves y_0 when m = 0")
          .feature("samples", [](const Toy& t) { return static_cast<int>(t.x.size()); })
          .feature("lambda vs |m|", [](const Toy& t) {
            const Rational am = abs(t.m());
            return std::string(t.lambda < am / 2 ? "below |m|/2" : t.lambda < am ? "in [|m|/2, |m|)" : t.lambda == am ? "= |m|" : "above |m|");
          })
          .feature("m > 0", [](const Toy& t) { return t.m() > 0; })
      .part("boundary", "at lambda = |m| > 0: L_lambda - L_lambda(0) is a sum of squares", boundary_points())
          .observe(loss_above_origin)
          .predict(sum_of_squares)
          .mutant("second-order-only", "at lambda = |m| the second-order form is all of L_lambda - L_lambda(0)",
                  second_order_form)
          .degenerate("u w = 0 (the quartic term vanishes: the mutant agrees)",
                      [](const BoundaryPoint& p) { return p.u * p.w == 0; })
          .degenerate("m = 0 (lambda = |m| = 0: no weight decay)", [](const BoundaryPoint& p) { return p.toy.m() == 0; })
          .nondegenerate("the generator draws u, w != 0 and data with m != 0 (x_0 != 0, so E x^2 > 0)")
          .feature("samples", samples_n)
          .feature("m > 0", [](const BoundaryPoint& p) { return p.toy.m() > 0; })
      .part("strict", "the origin is a strict minimum of L_lambda for lambda >= |m| > 0 (sum of squares)", strict_points())
          .check(strict_minimum)
          .mutant("only-above-threshold", "strict iff lambda > |m| (the second-order condition as strictness)",
                  strict_only_above_threshold)
          .degenerate("m = 0 (the known exception: not strict at lambda = 0; part not-strict-at-zero)",
                      [](const StrictPoint& p) { return p.toy.m() == 0; })
          .nondegenerate("the generator draws m != 0")
          .feature("lambda = |m|", [](const StrictPoint& p) { return p.toy.lambda == abs(p.toy.m()); })
          .feature("on u = sgn(m) w", [](const StrictPoint& p) { return p.u == (p.toy.m() > 0 ? p.w : Rational(-p.w)); })
          .feature("samples", samples_n)
      .part("not-strict-at-zero", "at m = lambda = 0 the origin is a minimum, not strict: D = 0 on both axes",
            uncorrelated_points())
          .check(not_strict_at_zero)
          .mutant("strict-whenever-data", "at lambda = |m| the origin is strict whenever E x^2 > 0 (also at m = 0)",
                  strict_whenever_data)
          .degenerate("E x^2 = 0 (every x = 0: L is constant)", [](const StrictPoint& p) { return p.toy.second_moment() == 0; })
          .nondegenerate("the generator draws x_0 != 0")
          .feature("samples", samples_n)
      .part("stationary", "stationary u = w = a, a^2 = (m - lambda)/E x^2, lambda < m", diagonal_points())
          .check(diagonal_stationary)
          .mutant("gamma-convention", "a^2 = (m - lambda/2)/E x^2", diagonal_gamma_convention)
          .degenerate("lambda = 0 (the weight decay does not enter)", [](const DiagonalPoint& p) { return p.toy.lambda == 0; })
          .nondegenerate("the generator draws lambda in (0, 2]")
          .feature("samples", samples_n);
}

}  // namespace entropic
