// E1 — Backward error analysis of GD; implicit gradient regularization (catalog E1).
//
// A one-step map Phi_h(y) = y + h d_1 + h^2 d_2 + ... is the time-h flow of the modified field
// f~ = f_1 + h f_2 + h^2 f_3 + ... with (Hairer, Lubich, Wanner 2006, Ch. IX, eq. (1.4))
//     f_j = d_j - sum_{i=2..j} 1/i! sum_{k_1+...+k_i=j} D_{k_1} ... D_{k_{i-1}} f_{k_i},  D_k G = G' f_k.
// For explicit Euler (GD: f = -g, g = grad L_lambda, d_j = 0 for j >= 2):
//     f_2 = -1/2 f'f,   f_3 = 1/12 f''(f, f) + 1/3 f'f'f,
//     f~ = -g - h/2 H g - h^2 (1/12 T[g, g] + 1/3 H^2 g) + O(h^3),
// and f_1 + h f_2 = -grad(L_lambda + h/4 ||grad L_lambda||^2): implicit gradient regularization
// (Barrett & Dherin 2021). The flow of f~ truncated after h^p reproduces the step through h^{p+1}
// and misses it at h^{p+2} by exactly -h^{p+2} f_{p+2}(y0).
//
// Every check is exact: the recursion runs on Jet<Rational> (theory/modified_field.hpp), the
// predictions come from forward mode over the hand-written gradient (Dual, metrics/hessian.hpp), and
// the flows are power series in h with rational coefficients (theory/flow.hpp).
// Parts: the Euler coefficients on generated polynomial vector fields (not gradients); the GD form
// and IGR on generated polynomial losses and deep linear nets with weight decay; the truncated flows
// for p = 0..3 on generated instances. p = 4, 5 run in tests/expansion on fixed instances (the run
// time of an exact p = 5 flow is a second; the claim's default run stays a few seconds).
// Mutants: f_3 with 1/6 in place of 1/12; "truncation after h^p is accurate through h^{p+2}"; IGR
// with h/2 in place of h/4. Negative controls: N2 (f_3 is not a gradient), N8.
#include "entropic/metrics/hessian.hpp"
#include "entropic/theory/modified_field.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/gd_points.hpp"

namespace entropic {
namespace {

using Q = Rational;

// ---- Explicit Euler on a polynomial vector field y' = f(y) in 2 variables ----------------------

struct PolynomialField {
  std::vector<std::vector<Monomial>> components;  // f_i(y) = sum_t c_t y_1^{e_t1} y_2^{e_t2}
  Vec<Q> y0;

  template <class S>
  Vec<S> operator()(const Vec<S>& y) const {
    Vec<S> f(static_cast<Eigen::Index>(components.size()));
    for (size_t i = 0; i < components.size(); ++i) {
      S sum(0);
      for (const Monomial& m : components[i]) {
        S term = from_rational<S>(m.coefficient);
        for (size_t v = 0; v < m.exponents.size(); ++v)
          for (int k = 0; k < m.exponents[v]; ++k) term *= y[static_cast<Eigen::Index>(v)];
        sum += term;
      }
      f[static_cast<Eigen::Index>(i)] = sum;
    }
    return f;
  }

  std::string show() const {
    std::string out;
    for (size_t i = 0; i < components.size(); ++i) {
      out += (i ? "; f" : "f") + std::to_string(i + 1) + " = ";
      if (components[i].empty()) out += "0";
      for (size_t t = 0; t < components[i].size(); ++t) {
        const Monomial& m = components[i][t];
        std::string term = (t ? " + " : "") + to_text(m.coefficient);
        for (size_t v = 0; v < m.exponents.size(); ++v)
          if (m.exponents[v] > 0)
            term += " y" + std::to_string(v + 1) + (m.exponents[v] > 1 ? "^" + std::to_string(m.exponents[v]) : "");
        out += term;
      }
    }
    return out + "; y0 = " + gen::show(y0);
  }
};

rc::Gen<PolynomialField> polynomial_field() {
  const auto term = rc::gen::map(
      rc::gen::tuple(gen::nonzero_rational(3, 3), rc::gen::inRange(0, 3), rc::gen::inRange(0, 3)),
      [](const std::tuple<Q, int, int>& t) {
        return Monomial{std::get<0>(t), {std::get<1>(t), std::get<2>(t)}};
      });
  const auto component = rc::gen::mapcat(rc::gen::inRange(1, 4), [term](int n) {
    return rc::gen::container<std::vector<Monomial>>(n, term);
  });
  return rc::gen::map(rc::gen::tuple(component, component, gen::vector(2, gen::rational(3, 3))),
                      [](const std::tuple<std::vector<Monomial>, std::vector<Monomial>, Vec<Q>>& t) {
                        return PolynomialField{{std::get<0>(t), std::get<1>(t)}, std::get<2>(t)};
                      });
}

// f_2 = -1/2 f'f and f_3 = 1/12 f''(f, f) + 1/3 f'f'f, the derivatives by forward mode.
Verdict euler_coefficients(const PolynomialField& field) {
  using D = Dual<Q>;
  using DD = Dual<D>;
  const Vec<Q> f = field(field.y0);
  // f'(y0) v = d/de f(y0 + e v).
  auto jacobian_times = [&](const Vec<Q>& v) {
    Vec<D> y(2);
    for (int i = 0; i < 2; ++i) y[i] = D(field.y0[i], v[i]);
    const Vec<D> out = field(y);
    Vec<Q> r(2);
    for (int i = 0; i < 2; ++i) r[i] = out[i].tangent();
    return r;
  };
  // f''(y0)(f, f) = d/de1 d/de2 f(y0 + e1 f + e2 f).
  Vec<DD> y(2);
  for (int i = 0; i < 2; ++i) y[i] = DD(D(field.y0[i], f[i]), D(f[i], Q(0)));
  const Vec<DD> second = field(y);
  Vec<Q> fpp(2);
  for (int i = 0; i < 2; ++i) fpp[i] = second[i].tangent().tangent();
  const Vec<Q> fpf = jacobian_times(f);
  const Vec<Q> fpfpf = jacobian_times(fpf);

  const JetSpace& space = JetSpace::of(2, 2);
  Vec<Jet<Q>> at(2);
  for (int i = 0; i < 2; ++i) at[i] = Jet<Q>::variable(space, i, field.y0[i]);
  const auto modified = modified_field_jets<Q>({field(at)}, 3);
  return all_of({compare<Q>(value_at_point(modified[0]), f, "f_1 = f"),
                 compare<Q>(value_at_point(modified[1]), Vec<Q>(-fpf / Q(2)), "f_2 = -1/2 f'f"),
                 compare<Q>(value_at_point(modified[2]), Vec<Q>(fpp / Q(12) + fpfpf / Q(3)),
                            "f_3 = 1/12 f''(f, f) + 1/3 f'f'f")});
}

// ---- GD on L_lambda ------------------------------------------------------------------------

rc::Gen<GdPoint> gd_points() {
  return gen::gd_point(rc::gen::oneOf(gen::polynomial_loss(), gen::deep_linear_net()));
}

// g = grad L_lambda, H v = Hessian of L_lambda times v, T[a, b] (lambda adds nothing to T).
struct LossDerivatives {
  const GdPoint& p;
  Batch all = Model<Q>::all(p.data);
  Vec<Q> g() const { return make_model<Q>(p.spec)->gradient(p.theta0, p.data) + p.lambda * p.theta0; }
  Vec<Q> H(const Vec<Q>& v) const {
    return hessian_vector_product(p.spec, p.data, all, p.theta0, v) + p.lambda * v;
  }
  Vec<Q> T(const Vec<Q>& a, const Vec<Q>& b) const {
    return third_derivative(p.spec, p.data, all, p.theta0, a, b);
  }
};

// f_1 = -g, f_2 = -1/2 H g, f_3 = -(c T[g, g] + 1/3 H^2 g): c = 1/12 is the claim, 1/6 the mutant.
Verdict gd_form(const GdPoint& p, const Q& c) {
  const auto f = gradient_descent_modified_field<Q>(p.spec, p.data, p.theta0, p.lambda, 2);
  const LossDerivatives d{p};
  const Vec<Q> g = d.g(), Hg = d.H(g);
  return all_of({compare<Q>(f[0], Vec<Q>(-g), "f_1 = -g"),
                 compare<Q>(f[1], Vec<Q>(-Hg / Q(2)), "f_2 = -1/2 H g"),
                 compare<Q>(f[2], Vec<Q>(-(c * d.T(g, g) + d.H(Hg) / Q(3))),
                            "f_3 = -(" + to_text(c) + " T[g, g] + 1/3 H^2 g)")});
}

// IGR: f_1 + h f_2 = -grad(L_lambda + c h ||grad L_lambda||^2) with c = 1/4, i.e. f_2 = -c grad ||g||^2.
// grad_k ||g||^2 = d/de ||g(theta0 + e e_k)||^2 by forward mode on the gradient (no Hessian symmetry used).
Verdict implicit_gradient_regularization(const GdPoint& p, const Q& c) {
  using D = Dual<Q>;
  const auto f = gradient_descent_modified_field<Q>(p.spec, p.data, p.theta0, p.lambda, 1);
  const auto model = make_model<D>(p.spec);
  const DataSet<D> data = lift<D>(p.data);
  const Eigen::Index n = p.theta0.size();
  Vec<Q> grad_norm2(n);
  for (Eigen::Index k = 0; k < n; ++k) {
    Vec<D> theta(n);
    for (Eigen::Index i = 0; i < n; ++i) theta[i] = D(p.theta0[i], i == k ? Q(1) : Q(0));
    const Vec<D> g = model->gradient(theta, data) + D(p.lambda) * theta;
    grad_norm2[k] = D(g.squaredNorm()).tangent();
  }
  return all_of({compare<Q>(f[0], Vec<Q>(-(make_model<Q>(p.spec)->gradient(p.theta0, p.data) +
                                           p.lambda * p.theta0)),
                            "f_1 = -grad L_lambda"),
                 compare<Q>(f[1], Vec<Q>(-c * grad_norm2),
                            "f_2 = -grad(" + to_text(c) + " ||grad L_lambda||^2)")});
}

// ---- Truncated flows ---------------------------------------------------------------------------

struct FlowCase {
  GdPoint point;
  int p = 0;  // f~ truncated after h^p
  std::string show() const { return point.show() + "; p = " + std::to_string(p); }
};

rc::Gen<FlowCase> flow_cases() {
  return rc::gen::map(rc::gen::pair(gd_points(), rc::gen::inRange(0, 4)),
                      [](const std::pair<GdPoint, int>& t) { return FlowCase{t.first, t.second}; });
}

// flow_h(f_1 + ... + h^p f_{p+1})(theta0) - (theta0 + h f_1(theta0)) = O(h^{p + 2 + extra}); the
// claim has extra = 0 and checks the h^{p+2} coefficient is -f_{p+2}(theta0); the mutant has extra = 1.
Verdict truncated_flow_order(const FlowCase& c, int extra) {
  using S = Series<Q>;
  const GdPoint& pt = c.point;
  const int order = c.p + 2 + extra;
  const auto f = gradient_descent_modified_field_jets<Q>(pt.spec, pt.data, pt.theta0, pt.lambda,
                                                         order - 1, order - 1);
  const Vec<S> flow = truncated_modified_flow(f, pt.theta0, c.p, order);
  const Vec<Q> f1 = value_at_point(f[0]);
  Vec<S> residual(flow.size());
  for (Eigen::Index i = 0; i < flow.size(); ++i)
    residual[i] = flow[i] - S(std::vector<Q>{pt.theta0[i], f1[i]}, order);
  Verdict v = order_claim(residual, c.p + 2 + extra,
                          "flow of f~ truncated after h^" + std::to_string(c.p) + " - GD step");
  if (extra > 0 || v.outcome != Outcome::holds) return v;
  Vec<Q> leading(flow.size());
  for (Eigen::Index i = 0; i < flow.size(); ++i) leading[i] = residual[i][c.p + 2];
  Verdict sharp = compare<Q>(leading, Vec<Q>(-value_at_point(f[c.p + 1])),
                             "h^" + std::to_string(c.p + 2) + " coefficient = -f_" + std::to_string(c.p + 2));
  sharp.arithmetic = v.arithmetic;
  if (sharp.outcome != Outcome::holds) return sharp;
  v.detail += "; its h^" + std::to_string(c.p + 2) + " coefficient is -f_" + std::to_string(c.p + 2) + "(theta0)";
  return v;
}

std::string show_point(const GdPoint& p) { return p.show(); }
std::string show_field(const PolynomialField& f) { return f.show(); }
std::string show_flow(const FlowCase& c) { return c.show(); }

}  // namespace

ENTROPIC_CLAIM(E1) {
  return Claim("E1", "Backward error analysis of GD; implicit gradient regularization")
      .provenance(Provenance::classical)
      .kind("order-k")
      .part("Euler: f_2 = -1/2 f'f, f_3 = 1/12 f''(f,f) + 1/3 f'f'f", polynomial_field(),
            euler_coefficients, show_field)
      .part("GD: f~ = -g - h/2 Hg - h^2 (1/12 T[g,g] + 1/3 H^2 g)", gd_points(),
            [](const GdPoint& p) { return gd_form(p, Q(1, 12)); }, show_point)
      .part("truncated flow reproduces the step through h^{p+1}", flow_cases(),
            [](const FlowCase& c) { return truncated_flow_order(c, 0); }, show_flow)
      .part("IGR: f_1 + h f_2 = -grad(L + h/4 ||grad L||^2)", gd_points(),
            [](const GdPoint& p) { return implicit_gradient_regularization(p, Q(1, 4)); }, show_point)
      .mutant("f_3 with 1/6 T[g,g] in place of 1/12", gd_points(),
              [](const GdPoint& p) { return gd_form(p, Q(1, 6)); }, show_point)
      .mutant("truncation after h^p accurate through h^{p+2}", flow_cases(),
              [](const FlowCase& c) { return truncated_flow_order(c, 1); }, show_flow)
      .mutant("IGR with h/2 in place of h/4", gd_points(),
              [](const GdPoint& p) { return implicit_gradient_regularization(p, Q(1, 2)); },
              show_point);
}

}  // namespace entropic
