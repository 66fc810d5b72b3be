// E3 — Heavy-ball modified flow (catalog E3; classical: Ghosh, Lyu, Zhang, Wang, "Implicit
// regularization in heavy-ball momentum accelerated stochastic gradient descent", ICLR 2023,
// arXiv:2302.00849, which states the regularizer as (1+beta)/(1-beta) times GD's).
//
// Heavy ball theta_{k+1} = theta_k - h grad L + beta (theta_k - theta_{k-1}) (PyTorch momentum with
// lr h, catalog section 0; L_lambda when lambda > 0) follows, after the transient, the flow
//     theta' = -1/(1-beta) grad[ L + h (1+beta)/(4 (1-beta)^2) ||grad L||^2 ] + O(h^2),
// (1+beta)/(1-beta) times GD's regularizer h'/4 ||grad L||^2 at the effective step h' = h/(1-beta).
// Check: with theta(t) the flow through theta_0, the residual of the recurrence
//     theta(t+h) - (1+beta) theta(t) + beta theta(t-h) + h grad L(theta(t))
// has vanishing coefficients of h^0, h^1, h^2. Expanding y(t +- h) = y +- h F + h^2/2 F'F +- ...
// for F = F_0 + h F_1 gives h [(1-beta) F_0 + g] + h^2 [(1-beta) F_1 + (1+beta)/2 F_0' F_0] + O(h^3),
// so F_0 = -g/(1-beta) and F_1 = -(1+beta)/(2 (1-beta)^3) H g: the catalog's constant.
//
// Evidence: theta(t +- h) as exact power series in h (Picard iteration with time and step size kept
// apart, theory/flow.hpp: modified_flow_series), H g by forward mode on the iterates; a non-quadratic
// polynomial loss in two parameters, rational beta in (0, 9/10], lambda in {0, > 0}. Mutants: the
// flow without its O(h) correction; the regularizer with other constant placements.
#include "entropic/theory/flow.hpp"
#include "entropic/metrics/hessian.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/observation.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/polynomial_start.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

// h^0 .. h^3: the claim needs h^2, h^3 shows the order is sharp.
constexpr int kOrder = 3;

struct HeavyBallStart {
  PolynomialStart start;
  Rational beta;
  std::string show() const { return start.show() + "; beta = " + to_text(beta); }
};

rc::Gen<HeavyBallStart> heavy_ball_starts() {
  return rc::gen::exec([]() {
    return HeavyBallStart{*gen::polynomial_start(PolynomialDegree::cubic), *gen::step_size(Rational(9, 10))};
  });
}

// The regularizer's coefficient rho(beta) in L + h rho ||grad L||^2.
using Regularizer = Rational (*)(const Rational& beta);
Rational heavy_ball_rho(const Rational& b) { return (1 + b) / (4 * (1 - b) * (1 - b)); }
Rational no_correction(const Rational&) { return 0; }
Rational gd_rho_at_effective_step(const Rational& b) { return 1 / (4 * (1 - b)); }
Rational momentum_factor_times_gd_rho(const Rational& b) { return (1 + b) / (4 * (1 - b)); }

// What the recurrence gives: theta_{k+1} + beta theta_{k-1} = (1+beta) theta_k - h grad L_lambda(theta_k),
// at theta_k = theta_0, as a series in h.
Vec<Ser> heavy_ball_recurrence(const HeavyBallStart& in) {
  const PolynomialStart& p = in.start;
  const Ser h = Ser::variable(kOrder), beta(in.beta);
  const Vec<Ser> now = from_rational<Ser>(p.theta);
  const Vec<Ser> grad_now = from_rational<Ser>(
      Vec<Rational>(make_model<Rational>(p.spec)->gradient(p.theta, p.data<Rational>(), p.batch()) +
                    p.lambda * p.theta));
  return (Ser(1) + beta) * now - h * grad_now;
}

// What the flow theta' = -1/(1-beta) grad[L_lambda + h rho ||grad L_lambda||^2] through theta_0 gives
// for it: theta(h) + beta theta(-h), as a series in h. The field depends on the step size h, so the
// flow for time +-h is taken by modified_flow_series, which keeps time and step size apart (Jets in
// (t, e), then t = e = h); time -h is time +h of the reversed field.
auto flow_with_regularizer(Regularizer rho) {
  return [rho](const HeavyBallStart& in) {
    using J = Jet<Rational>;
    const PolynomialStart& p = in.start;
    const DataSet<J> data = p.data<J>();
    const auto model = make_model<J>(p.spec);
    const J lambda(p.lambda), two_rho(2 * rho(in.beta)), damping(1 / (1 - in.beta));
    // grad(L + e rho ||grad L||^2) = g + 2 e rho H g.
    auto field = [&](const Vec<J>& y, const J& e) {
      const Vec<J> g = model->gradient(y, data, p.batch()) + lambda * y;
      const Vec<J> Hg = hessian_vector_product(p.spec, data, p.batch(), y, g) + lambda * g;
      return Vec<J>(-damping * (g + e * two_rho * Hg));
    };
    auto reversed = [&](const Vec<J>& y, const J& e) { return Vec<J>(-field(y, e)); };
    const Vec<Ser> ahead = modified_flow_series<Rational>(field, p.theta, kOrder);
    const Vec<Ser> behind = modified_flow_series<Rational>(reversed, p.theta, kOrder);
    return Vec<Ser>(ahead + Ser(in.beta) * behind);
  };
}

}  // namespace

// The two agree through h^2: the residual theta(t+h) - (1+beta) theta(t) + beta theta(t-h) + h grad L
// of the recurrence along the flow is O(h^3) (its h^3 coefficient is reported: the order is sharp).
ENTROPIC_CLAIM(E3) {
  return Claim("E3", "Heavy-ball modified flow")
      .provenance(Provenance::classical)
      .kind("order-3 (series in h)")
      .part("residual", "recurrence residual of the flow = O(h^3)", heavy_ball_starts())
          .observe(heavy_ball_recurrence)
          .predict(flow_with_regularizer(heavy_ball_rho))
          .compare(agree_through_order(3))
          .mutant("no-correction", "flow without the O(h) correction", flow_with_regularizer(no_correction))
          .mutant("gd-effective-step", "GD's regularizer at the effective step h/(1-beta)",
                  flow_with_regularizer(gd_rho_at_effective_step))
          .mutant("momentum-factor", "(1+beta)/(1-beta) times GD's regularizer at step h",
                  flow_with_regularizer(momentum_factor_times_gd_rho))
          .degenerate("grad l = 0 at the start: the flow and every regularizer stand still", [](const HeavyBallStart& hb) {
            const PolynomialStart& p = hb.start;
            const auto model = make_model<Rational>(p.spec);
            const Vec<Rational> g = model->gradient(p.theta, p.data<Rational>(), p.batch()) + p.lambda * p.theta;
            return (g.array() == Rational(0)).all();
          });
}

}  // namespace entropic
