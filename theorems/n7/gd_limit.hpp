// The limit of full-batch GD on f = u w x at lambda = 0, certified (catalog N7, and T5's part
// "gd-limit": GD on interpolating data reaches gradient balance but not norm balance).
//
// On f = u w x (deep_linear [1, 1, 1], u = W2, w = W1), with m = u w, s = u^2 + w^2,
// Delta = u^2 - w^2, a = E x^2, b = E x y and the full-batch residual r = E[(m x_i - y_i) x_i] = a m - b:
//     grad_u l_i = w r_i x_i, grad_w l_i = u r_i x_i (r_i = m x_i - y_i), so B = -Delta E_i[r_i^2 x_i^2];
//     Delta_{t+1} = (1 - eta^2 r_t^2) Delta_t                     (T5's product formula, lambda = 0);
//     m_{t+1} = (1 + eta^2 r_t^2) m_t - eta r_t s_t, hence
//     r_{t+1} = mu_t r_t,  mu_t = 1 - eta a s_t + eta^2 a r_t m_t;  s_t^2 = Delta_t^2 + 4 m_t^2.
// GD that converges reaches m* = b/a (the only zero of r), where B_inf = -Delta_inf c* with the exact
// c* = E_i[(m* x_i - y_i)^2 x_i^2], which is > 0 exactly when the data are not interpolable.
//
// Certificate. The run's own steps are taken exactly (Rational, the model's GD), and the reduced
// recurrences above are checked against them exactly. Then (r, Delta) continue in interval
// arithmetic at kCertifiedBits until, at some step T, the tail bound closes:
//   let R = sup |r_T| and rho < 1. Suppose |r_k| <= R rho^(k-T) for T <= k <= t. Then
//     m_t = m* + r_t / a lies in m* + [-R, R] / a;
//     Delta_t = Delta_T prod_{T<=k<t} (1 - eta^2 r_k^2) lies in Delta_T [1 - delta, 1],
//       delta = eta^2 R^2 / (1 - rho^2)   (each factor in [0, 1] since eta^2 R^2 < 1, and
//       prod (1 - x_k) >= 1 - sum x_k);
//     s_t = sqrt(Delta_t^2 + 4 m_t^2), and so mu_t lies in the interval
//       1 - eta a S + eta^2 a [-R, R] M  (S, M the ranges just stated).
//   If that interval lies in [-rho, rho], |r_{t+1}| <= rho |r_t| <= R rho^(t+1-T): by induction
//   r_t -> 0 geometrically, m_t -> m*, sum_{t>=T} r_t^2 <= R^2/(1 - rho^2), and
//     Delta_inf in Delta_T [1 - delta, 1],   B_inf = -c* Delta_inf.
// rho is chosen as (1 + sup|mu|)/2 with mu first bounded at delta = 0, then the inclusion is checked
// with the delta that rho gives. The catalog's weaker bound |Delta_inf| >= |Delta_0| (1 - eta^2 sum_t
// r_t^2) is reported alongside when every factor 1 - eta^2 r_t^2 is in [0, 1].
#pragma once

#include <optional>
#include <string>

#include "entropic/gen/training_run.hpp"
#include "entropic/verify/claim.hpp"

namespace entropic::uwx_gd {

constexpr unsigned kCertifiedBits = 256;
// Interval steps after the run's exact ones before giving up on a certificate (slowly contracting or
// non-convergent GD, e.g. eta a s* >= 2: no claim is made then).
constexpr int kMaxIntervalSteps = 4000;

// The data moments of f = u w x: a = E x^2, b = E x y, and c(m) = E[(m x_i - y_i)^2 x_i^2].
struct Moments {
  Rational a = 0, b = 0;
  const DataSet<Rational>* data = nullptr;
  Rational c(const Rational& m) const {
    Rational sum = 0;
    for (int i = 0; i < data->size(); ++i) {
      const Rational ri = m * data->X(i, 0) - data->Y(i, 0);
      sum += ri * ri * data->X(i, 0) * data->X(i, 0);
    }
    return sum / data->size();
  }
};

inline Moments moments(const DataSet<Rational>& data) {
  Moments mo;
  mo.data = &data;
  for (int i = 0; i < data.size(); ++i) {
    mo.a += data.X(i, 0) * data.X(i, 0);
    mo.b += data.X(i, 0) * data.Y(i, 0);
  }
  mo.a /= data.size();
  mo.b /= data.size();
  return mo;
}

// Delta = u^2 - w^2 and r = a u w - b at theta = (w, u).
inline Rational charge(const Vec<Rational>& th) { return th[1] * th[1] - th[0] * th[0]; }
inline Rational residual(const Moments& mo, const Vec<Rational>& th) { return mo.a * th[1] * th[0] - mo.b; }

namespace detail {

inline Real sup_abs(const Interval& x) { return Real(upper(abs(x))); }

// The tail bound at step T from enclosures of r_T and Delta_T; on success, an enclosure of Delta_inf.
inline std::optional<Interval> tail_certificate(const Interval& r, const Interval& delta_T, const Interval& eta,
                                                const Moments& mo, Real* rho_out) {
  const Interval a = from_rational<Interval>(mo.a), b = from_rational<Interval>(mo.b);
  const Real R = sup_abs(r);
  const Interval Rs = Interval(-R, R);
  const Interval eta2R2 = eta * eta * Interval(R) * Interval(R);
  if (!(upper(eta2R2) < 1)) return std::nullopt;
  const Interval M = (b + Rs) / a;  // m_t = m* + r_t / a
  auto mu_range = [&](const Interval& delta_range) {
    const Interval D = abs(delta_range), Ma = abs(M);
    const Interval S = sqrt(D * D + 4 * Ma * Ma);
    return Interval(1) - eta * a * S + eta * eta * a * Rs * M;
  };
  const Real rho0 = sup_abs(mu_range(delta_T));
  if (!(rho0 < 1)) return std::nullopt;
  const Real rho = (1 + rho0) / 2;
  // delta = eta^2 R^2 / (1 - rho^2), rounded up through its enclosure.
  const Interval delta = eta2R2 / (Interval(1) - Interval(rho) * Interval(rho));
  if (!(upper(delta) < 1)) return std::nullopt;
  const Interval shrink = Interval(Real(lower(Interval(1) - delta)), Real(1));
  const Interval delta_range = delta_T * shrink;
  if (!(sup_abs(mu_range(delta_range)) <= rho)) return std::nullopt;
  *rho_out = rho;
  return delta_range;
}

}  // namespace detail

// The limit of one full-batch GD run at lambda = 0 on f = u w x.
struct Limit {
  enum class Kind {
    no_input,   // every x_i = 0: every per-sample gradient vanishes, B_t = 0, nothing moves
    frozen,     // Delta_T = 0 exactly after the run's steps: Delta_t = 0 and B_t = 0 from then on
    certified,  // the tail bound closed: Delta_inf and B_inf = -c* Delta_inf enclosed
  };
  Kind kind = Kind::certified;
  Rational m_star, c_star, delta_0, delta_T;
  Interval delta_inf, balance;  // certified only
  Arithmetic arithmetic = Arithmetic::rational();
  std::string detail;           // how the limit was certified
};

// Throws Inconclusive when the run's steps do not follow the reduced recurrences (a generator
// outside f = u w x GD), when GD does not settle, or when the bound does not close within
// kMaxIntervalSteps interval steps.
inline Limit gd_limit(const TrainingRun& run) {
  if (run.lambda != 0 || run.momentum != 0)
    throw Inconclusive("the reduced recurrences are those of plain GD at lambda = 0", Arithmetic::rational());
  Limit out;
  const Moments mo = moments(run.data);
  out.delta_0 = charge(run.theta0);
  if (mo.a == 0) {
    out.kind = Limit::Kind::no_input;
    out.delta_T = out.delta_0;
    out.detail = "every x_i = 0: every per-sample gradient vanishes, B_t = 0";
    return out;
  }
  out.m_star = mo.b / mo.a;
  out.c_star = mo.c(out.m_star);
  const Rational& eta = run.eta;

  // Exact phase: the run's GD steps, with the reduced recurrences checked against them.
  Rational sum_r2 = 0;
  bool factors_in_unit = true;
  std::string mismatch;
  Vec<Rational> last = run.theta0;
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& th, const Vec<Rational>&, const Vec<Rational>& next) {
    if (static_cast<int>(run.batches[t].size()) != run.data.size())
      mismatch = "step " + std::to_string(t) + " is not full-batch";
    const Rational r = residual(mo, th), m = th[1] * th[0], s = th[1] * th[1] + th[0] * th[0];
    sum_r2 += r * r;
    factors_in_unit = factors_in_unit && eta * eta * r * r <= 1;
    if (mismatch.empty() && (charge(next) != (1 - eta * eta * r * r) * charge(th) ||
                             residual(mo, next) != r * (1 - eta * mo.a * s + eta * eta * mo.a * r * m)))
      mismatch = "step " + std::to_string(t) + ": the reduced recurrences do not reproduce GD";
    last = next;
  });
  if (!mismatch.empty()) throw Inconclusive(mismatch, Arithmetic::rational());
  out.delta_T = charge(last);
  if (out.delta_T == 0) {
    out.kind = Limit::Kind::frozen;
    out.detail = "Delta_T = 0 exactly, so Delta_t = 0 and B_t = 0 from then on";
    return out;
  }

  // Interval phase: (r, Delta) until the tail bound closes.
  const PrecisionScope precision(kCertifiedBits);
  out.arithmetic = ScalarKind<Interval>::arithmetic();
  const Interval eta_i = from_rational<Interval>(eta), a = from_rational<Interval>(mo.a),
                 b = from_rational<Interval>(mo.b);
  Interval r = from_rational<Interval>(residual(mo, last)), delta = from_rational<Interval>(out.delta_T);
  Interval sum_r2_i = from_rational<Interval>(sum_r2);
  const int exact_steps = run.steps();
  for (int t = exact_steps; t <= exact_steps + kMaxIntervalSteps; ++t) {
    Real rho = 0;
    if (auto delta_inf = detail::tail_certificate(r, delta, eta_i, mo, &rho)) {
      out.delta_inf = *delta_inf;
      out.balance = -from_rational<Interval>(out.c_star) * *delta_inf;
      out.detail = "B_inf = -c* Delta_inf with c* = E_i[(m* x_i - y_i)^2 x_i^2] = " + to_text(out.c_star) +
                   " at m* = " + to_text(out.m_star) + "; tail bound closed at T = " + std::to_string(t) + " (" +
                   std::to_string(exact_steps) + " exact steps), contraction rho = " + to_text(Real(rho)) +
                   ", Delta_inf in " + to_text(*delta_inf);
      // The catalog's bound, valid when every factor 1 - eta^2 r_t^2 lies in [0, 1].
      const Real R = detail::sup_abs(r);
      const Interval tail = Interval(R) * Interval(R) / (Interval(1) - Interval(rho) * Interval(rho));
      const Interval catalog =
          abs(from_rational<Interval>(out.delta_0)) * (Interval(1) - eta_i * eta_i * (sum_r2_i + tail));
      if (factors_in_unit && upper(eta_i * eta_i * sum_r2_i) <= 1)
        out.detail += "; |Delta_0| (1 - eta^2 sum_t r_t^2) >= " + to_text(Real(lower(catalog)));
      out.kind = Limit::Kind::certified;
      return out;
    }
    // One GD step in the reduced variables.
    const Interval m = (r + b) / a, D = abs(delta), Ma = abs(m);
    const Interval s = sqrt(D * D + 4 * Ma * Ma);
    const Interval r2 = abs(r) * abs(r);
    if (upper(eta_i * eta_i * r2) > 1) factors_in_unit = false;
    sum_r2_i += r2;
    delta = delta * (Interval(1) - eta_i * eta_i * r2);
    r = r * (Interval(1) - eta_i * a * s + eta_i * eta_i * a * r * m);
    if (!(detail::sup_abs(r) < Real(1e12)) || contains_zero(delta))
      throw Inconclusive("GD does not settle (|r| grows or the Delta enclosure reaches 0 at step " +
                             std::to_string(t + 1) + ")",
                         out.arithmetic);
  }
  throw Inconclusive("no contraction certificate within " + std::to_string(kMaxIntervalSteps) + " interval steps",
                     out.arithmetic);
}

// A step size at which GD on data with moments (a, m*) from theta0 settles: eta = e / 2^k, e in (0, 1/2],
// with 2^k the least power of 2 >= a (1 + s_0 + 2 |m*|), so that eta a s* < 1/2 at the limit
// (s* <= |Delta_0| + 2 |m*| <= s_0 + 2 |m*|) and eta |r_0| < 1/2.
inline Rational settling_step(const Rational& e, const Moments& mo, const Vec<Rational>& theta0) {
  const Rational scale = mo.a * (1 + theta0.squaredNorm() + 2 * abs(mo.b / mo.a));
  Rational power = 1;
  while (power < scale) power *= 2;
  return e / power;
}

// Full-batch GD runs on f = u w x at lambda = 0 that settle and move (catalog N7, T5's "gd-limit"):
// 1 to 4 samples (2 to 4 when not interpolating) with every x_i != 0; interpolating: y_i = c x_i for a
// rational c (c* = 0), otherwise y_i drawn so that no single product fits every sample (c* > 0); a start
// with nonzero entries, Delta_0 != 0 and r_0 != 0 (so that Delta moves and the limit is not the start);
// eta = settling_step(e), e in (0, 1/2]; 1 to 3 exact steps. Everything shrinks toward small values
// within these conditions.
inline bool settles_and_moves(const TrainingRun& run, bool interpolating) {
  const Moments mo = moments(run.data);
  if (mo.a == 0 || charge(run.theta0) == 0 || residual(mo, run.theta0) == 0) return false;
  return interpolating == (mo.c(mo.b / mo.a) == 0);
}
inline rc::Gen<TrainingRun> settling_runs(bool interpolating) {
  return rc::gen::suchThat(
      rc::gen::exec([interpolating]() {
        TrainingRun run;
        run.spec.kind = ModelKind::deep_linear;
        run.spec.widths = {1, 1, 1};
        const int n = *gen::dimension(interpolating ? 1 : 2, 4);
        const Rational c = *gen::rational();
        Mat<Rational> X(n, 1), Y(n, 1);
        for (int i = 0; i < n; ++i) {
          X(i, 0) = *gen::nonzero_rational();
          Y(i, 0) = interpolating ? Rational(c * X(i, 0)) : *gen::rational();
        }
        run.data = finite_data<Rational>(X, Y);
        run.theta0 = *gen::vector(2, gen::nonzero_rational());
        const Moments mo = moments(run.data);
        run.eta = settling_step(*gen::step_size(), mo, run.theta0);
        run.batches.assign(*gen::dimension(1, 3), Model<Rational>::all(run.data));
        return run;
      }),
      [interpolating](const TrainingRun& run) { return settles_and_moves(run, interpolating); });
}

}  // namespace entropic::uwx_gd
