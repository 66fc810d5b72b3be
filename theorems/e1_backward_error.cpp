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
// Every check is exact: the recursion runs on Jet<Rational> (theory/modified_field.hpp) for the
// two-variable fields, GD's field and the large profile's fields come from Gregory's formula on the
// orbit (theory/modified_field_from_orbit.hpp), the predictions come from forward mode over the
// hand-written gradient (Dual, metrics/hessian.hpp), and the flows are power series in h with
// rational coefficients (theory/flow.hpp).
// Parts: the Euler coefficients on generated polynomial vector fields (not gradients); the GD form
// and IGR on generated polynomial losses and deep linear nets with weight decay; the truncated flows
// for p = 0..3 on generated instances. p = 4, 5 run in tests/expansion on fixed instances (the run
// time of an exact p = 5 flow is a second; the claim's default run stays a few seconds).
// Mutants: f_3 with 1/6 in place of 1/12; "truncation after h^p is accurate through h^{p+2}"; IGR
// with h/2 in place of h/4. Negative controls: N2 (f_3 is not a gradient), N8.
#include "entropic/metrics/hessian.hpp"
#include "entropic/theory/modified_field.hpp"
#include "entropic/theory/modified_field_from_orbit.hpp"
#include "entropic/gen/by_size_profile.hpp"
#include "entropic/gen/polynomial_start.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/observation.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/gd_points.hpp"

namespace entropic {
namespace {

using Q = Rational;

// ---- Explicit Euler on a polynomial vector field y' = f(y) (2 variables; 200 under large) ----

struct PolynomialField {
  int parameter_count() const { return static_cast<int>(y0.size()); }
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
      bool first = true;
      for (const Monomial& m : components[i]) {
        if (m.coefficient == 0) continue;  // the large fields draw zeros; the two-variable ones never
        std::string term = (first ? "" : " + ") + to_text(m.coefficient);
        for (size_t v = 0; v < m.exponents.size(); ++v)
          if (m.exponents[v] > 0)
            term += " y" + std::to_string(v + 1) + (m.exponents[v] > 1 ? "^" + std::to_string(m.exponents[v]) : "");
        out += term;
        first = false;
      }
      if (first) out += "0";
    }
    return out + "; y0 = " + gen::show(y0);
  }
};

rc::Gen<PolynomialField> two_variable_field() {
  const auto term = rc::gen::map(
      rc::gen::tuple(gen::nonzero_rational(3, 3), gen::in_range(0, 3), gen::in_range(0, 3)),
      [](const std::tuple<Q, int, int>& t) {
        return Monomial{std::get<0>(t), {std::get<1>(t), std::get<2>(t)}};
      });
  const auto component = rc::gen::mapcat(gen::in_range(1, 4), [term](int n) {
    return rc::gen::container<std::vector<Monomial>>(n, term);
  });
  return rc::gen::map(rc::gen::tuple(component, component, gen::vector(2, gen::rational(3, 3))),
                      [](const std::tuple<std::vector<Monomial>, std::vector<Monomial>, Vec<Q>>& t) {
                        return PolynomialField{{std::get<0>(t), std::get<1>(t)}, std::get<2>(t)};
                      });
}

// Under `--profile large`: d = kLargeProfileParameters variables, f_i = a_i + b_i y_j + c_i y_i y_k
// with j, k drawn for each i (every component couples its variable to others at random; O(d) terms).
rc::Gen<PolynomialField> large_field() {
  return rc::gen::exec([]() {
    const int d = gen::kLargeProfileParameters;
    const auto coefficients = [d] { return *rc::gen::container<std::vector<Q>>(d, gen::rational(3, 3)); };
    const auto constant = coefficients(), linear = coefficients(), quadratic = coefficients();
    PolynomialField field;
    for (int i = 0; i < d; ++i)
      field.components.push_back({gen::detail::monomial(d, constant[i], {}),
                                  gen::detail::monomial(d, linear[i], {*gen::in_range(0, d)}),
                                  gen::detail::monomial(d, quadratic[i], {i, *gen::in_range(0, d)})});
    field.y0 = *gen::vector(d, gen::rational(3, 3));
    return field;
  });
}

rc::Gen<PolynomialField> polynomial_field() { return gen::by_size_profile(two_variable_field(), large_field()); }

// f_1, f_2, f_3 at y0. Two variables: the recursion on the jet of f (theory/modified_field.hpp).
// More (the large fields): Gregory's formula on the Euler orbit y_{k+1} = y_k + h f(y_k) through h^3
// (theory/modified_field_from_orbit.hpp), whose cost is linear in the dimension where the jets'
// is combinatorial.
Quantities<Vec<Q>> modified_euler_field(const PolynomialField& field) {
  const Eigen::Index n = field.y0.size();
  std::vector<Vec<Q>> f;
  if (n == 2) {
    const JetSpace& space = JetSpace::of(2, 2);
    Vec<Jet<Q>> at(2);
    for (int i = 0; i < 2; ++i) at[i] = Jet<Q>::variable(space, i, field.y0[i]);
    for (const auto& jet : modified_field_jets<Q>({field(at)}, 3)) f.push_back(value_at_point(jet));
  } else {
    using S = Series<Q>;
    const S h = S::variable(3);
    std::vector<Vec<S>> orbit{from_rational<S>(field.y0)};
    for (int k = 0; k < 3; ++k) orbit.push_back(Vec<S>(orbit.back() + h * field(orbit.back())));
    f = modified_field_from_orbit<Q>(orbit, 2);
  }
  return {{"f_1", f[0]}, {"f_2", f[1]}, {"f_3", f[2]}};
}

// f_1 = f, f_2 = -1/2 f'f and f_3 = 1/12 f''(f, f) + 1/3 f'f'f, the derivatives by forward mode.
Quantities<Vec<Q>> euler_coefficients(const PolynomialField& field) {
  using D = Dual<Q>;
  using DD = Dual<D>;
  const Eigen::Index n = field.y0.size();
  const Vec<Q> f = field(field.y0);
  // f'(y0) v = d/de f(y0 + e v).
  auto jacobian_times = [&](const Vec<Q>& v) {
    Vec<D> y(n);
    for (Eigen::Index i = 0; i < n; ++i) y[i] = D(field.y0[i], v[i]);
    const Vec<D> out = field(y);
    Vec<Q> r(n);
    for (Eigen::Index i = 0; i < n; ++i) r[i] = out[i].tangent();
    return r;
  };
  // f''(y0)(f, f) = d/de1 d/de2 f(y0 + e1 f + e2 f).
  Vec<DD> y(n);
  for (Eigen::Index i = 0; i < n; ++i) y[i] = DD(D(field.y0[i], f[i]), D(f[i], Q(0)));
  const Vec<DD> second = field(y);
  Vec<Q> fpp(n);
  for (Eigen::Index i = 0; i < n; ++i) fpp[i] = second[i].tangent().tangent();
  const Vec<Q> fpf = jacobian_times(f);
  const Vec<Q> fpfpf = jacobian_times(fpf);
  return {{"f_1", f}, {"f_2", Vec<Q>(-fpf / Q(2))}, {"f_3", Vec<Q>(fpp / Q(12) + fpfpf / Q(3))}};
}

// ---- GD on L_lambda ------------------------------------------------------------------------

// Two-variable polynomial losses and deep linear nets; under `--profile large` (sized) 200 variables
// and [14, 14, 1]. The truncated flows stay at the standard sizes: their observation expands the
// field in jets of every parameter.
rc::Gen<GdPoint> gd_points(bool sized) {
  return sized ? gen::gd_point(rc::gen::oneOf(gen::sized_polynomial_loss(), gen::sized_deep_linear_net()))
               : gen::gd_point(rc::gen::oneOf(gen::polynomial_loss(), gen::deep_linear_net()));
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

// Degenerate: a stationary start (every modified-field term and flow vanish there); the generators
// exclude it.
bool gradient_vanishes(const GdPoint& p) { return (LossDerivatives{p}.g().array() == Q(0)).all(); }
bool at_fixed_point(const PolynomialField& f) { return (f(f.y0).array() == Q(0)).all(); }
rc::Gen<GdPoint> moving_gd_points(bool sized = true) { return gen::excluding(gd_points(sized), gradient_vanishes); }

// f_1 .. f_count of GD at theta0 from the recursion.
auto modified_gd_field(int count) {
  return [count](const GdPoint& p) {
    const auto f = gradient_descent_modified_field<Q>(p.spec, p.data, p.theta0, p.lambda, count - 1);
    Quantities<Vec<Q>> out;
    for (int j = 0; j < count; ++j) out.push_back({"f_" + std::to_string(j + 1), f[j]});
    return out;
  };
}

// f_1 = -g, f_2 = -1/2 H g, f_3 = -(c T[g, g] + 1/3 H^2 g): c = 1/12 is the claim, 1/6 the mutant.
auto gd_form(Q c) {
  return [c](const GdPoint& p) {
    const LossDerivatives d{p};
    const Vec<Q> g = d.g(), Hg = d.H(g);
    return Quantities<Vec<Q>>{{"f_1", Vec<Q>(-g)}, {"f_2", Vec<Q>(-Hg / Q(2))},
                              {"f_3", Vec<Q>(-(c * d.T(g, g) + d.H(Hg) / Q(3)))}};
  };
}

// IGR: f_1 + h f_2 = -grad(L_lambda + c h ||grad L_lambda||^2) with c = 1/4, i.e. f_2 = -c grad ||g||^2.
// grad_k ||g||^2 = d/de ||g(theta0 + e e_k)||^2 by forward mode on the gradient (no Hessian symmetry used).
auto implicit_gradient_regularization(Q c) {
  return [c](const GdPoint& p) {
    using D = Dual<Q>;
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
    return Quantities<Vec<Q>>{{"f_1", Vec<Q>(-LossDerivatives{p}.g())}, {"f_2", Vec<Q>(-c * grad_norm2)}};
  };
}

// ---- Truncated flows ---------------------------------------------------------------------------

struct FlowCase {
  GdPoint point;
  int p = 0;  // f~ truncated after h^p
  std::string show() const { return point.show() + "; p = " + std::to_string(p); }
};

rc::Gen<FlowCase> flow_cases() {
  return rc::gen::map(rc::gen::pair(moving_gd_points(false), gen::in_range(0, 4)),
                      [](const std::pair<GdPoint, int>& t) { return FlowCase{t.first, t.second}; });
}

using S = Series<Q>;

// flow_h(f_1 + ... + h^p f_{p+1})(theta0) through h^{p+2}.
Vec<S> truncated_flow(const FlowCase& c) {
  const GdPoint& pt = c.point;
  const auto f = gradient_descent_modified_field_jets<Q>(pt.spec, pt.data, pt.theta0, pt.lambda, c.p, c.p + 1);
  return truncated_modified_flow(f, pt.theta0, c.p, c.p + 2);
}

// The GD step theta0 + h f_1(theta0) as a series through h^{p+2}, with `error` at h^{p+2}.
Vec<S> step_series(const FlowCase& c, const Vec<Q>& error) {
  const GdPoint& pt = c.point;
  const Vec<Q> f1 = -LossDerivatives{pt}.g();
  Vec<S> out(pt.theta0.size());
  for (Eigen::Index i = 0; i < out.size(); ++i) {
    std::vector<Q> coefficients(c.p + 3, Q(0));
    coefficients[0] = pt.theta0[i];
    coefficients[1] = f1[i];
    coefficients[c.p + 2] = error[i];
    out[i] = S(coefficients, c.p + 2);
  }
  return out;
}
// The claim: the flow is the GD step through h^{p+1} and misses it at h^{p+2} by -f_{p+2}(theta0).
Vec<S> step_and_flow_error(const FlowCase& c) {
  const GdPoint& pt = c.point;
  const auto f = gradient_descent_modified_field<Q>(pt.spec, pt.data, pt.theta0, pt.lambda, c.p + 1);
  return step_series(c, Vec<Q>(-f[c.p + 1]));
}
// The mutant: the flow is the GD step through h^{p+2}.
Vec<S> step_through_next_order(const FlowCase& c) {
  return step_series(c, Vec<Q>::Zero(c.point.theta0.size()));
}

}  // namespace

ENTROPIC_CLAIM(E1) {
  return Claim("E1", "Backward error analysis of GD; implicit gradient regularization")
      .provenance(Provenance::classical)
      .kind("order-k")
      .part("euler", "Euler: f_2 = -1/2 f'f, f_3 = 1/12 f''(f,f) + 1/3 f'f'f", gen::excluding(polynomial_field(), at_fixed_point))
          .observe(modified_euler_field)
          .predict(euler_coefficients)
          .degenerate("f(y0) = 0: a fixed point, every f_k = 0 (excluded by the generator)", at_fixed_point)
      .part("gd", "GD: f~ = -g - h/2 Hg - h^2 (1/12 T[g,g] + 1/3 H^2 g)", moving_gd_points())
          .observe(modified_gd_field(3))
          .predict(gd_form(Q(1, 12)))
          .mutant("t-sixth", "f_3 with 1/6 T[g,g] in place of 1/12", gd_form(Q(1, 6)))
          .degenerate("grad L = 0 at theta_0: every modified-field term vanishes (excluded by the generator)", gradient_vanishes)
      .part("flow", "truncated flow reproduces the step through h^{p+1}", flow_cases())
          .observe(truncated_flow)
          .predict(step_and_flow_error)
          .mutant("one-order-more", "truncation after h^p accurate through h^{p+2}", step_through_next_order)
          .compare(agree_through_known_order<Q, kDynamicOrder>)
          .degenerate("grad L = 0 at theta_0: the step and every flow stand still (excluded by the generator)",
                      [](const FlowCase& c) { return gradient_vanishes(c.point); })
          .feature("p", [](const FlowCase& c) { return c.p; })
      .part("igr", "IGR: f_1 + h f_2 = -grad(L + h/4 ||grad L||^2)", moving_gd_points())
          .observe(modified_gd_field(2))
          .predict(implicit_gradient_regularization(Q(1, 4)))
          .mutant("half", "IGR with h/2 in place of h/4", implicit_gradient_regularization(Q(1, 2)))
          .degenerate("grad L = 0 at theta_0: every modified-field term vanishes (excluded by the generator)", gradient_vanishes);
}

}  // namespace entropic
