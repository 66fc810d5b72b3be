// T10 — Weight decay versus entropic force: closed form (catalog T10, derived).
//
// Model f = u (w . x), u in R, w in R^d: deep_linear [d, 1, 1] with W1 = w^T, W2 = u. Targets
// y = v . x + eps on a product data set {x_j} x {eps_m} with sum_m eps_m = 0 (x and eps exactly
// independent, E eps = 0), sigma^2 = E eps^2, Sigma = E[x x^T] (the second moment), i.i.d. batches of
// size S. On the minimum manifold u w = v write q = u^2, V = ||v||^2, A = v^T Sigma v, t_x = Tr Sigma.
//   (d) moments:   E_B g_u^2 = sigma^2 A / (q S),   E_B ||g_w||^2 = sigma^2 q t_x / S
//       (on u w = v the residual is -eps_i, the full gradient vanishes, so
//        E_B g_B^2 = (1/S) E_i g_i^2 = (1/S) sigma^2 E (w.x)^2, and w = v/u).
//   Restricted entropic loss: F(q) = lambda/2 (q + V/q) + eta sigma^2/(4S) (A/q + q t_x)
//       (L_lambda + eta/4 E_B ||g_B||^2 on u w = v, with lambda/2 (u^2 + ||w||^2) = lambda/2 (q + V/q)).
//   (a) its stationary point: q^2 = (lambda V + e A)/(lambda + e t_x), e = eta sigma^2/(2S);
//       q^2 F'(q) = alpha q^2 + beta with alpha > 0 > beta, so the positive root is unique, F' < 0
//       below it and > 0 above: the minimum of F.
//   (b) lambda -> 0 gives A/t_x (gradient balance: A/q = q t_x); eta sigma^2 -> 0 gives V (norm
//       balance: q = V/q), the GD + weight decay solution.
//   (c) with rho = lambda/e, q^2(rho) = (rho V + A)/(rho + t_x), d q^2/d rho = (V t_x - A)/(rho + t_x)^2:
//       q^2 rises monotonically from A/t_x (rho = 0) to V (rho -> infinity), since A/t_x <= V.
// F' is computed by forward differentiation (Dual) of F as written, never from the closed form; the
// moments by enumerating all N^S ordered batches of the model's own gradients.
#include <cmath>
#include <optional>

#include "entropic/numeric/dual.hpp"
#include "entropic/numeric/elementary.hpp"
#include "entropic/optim/expectation.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace {

struct WeightDecayInstance {
  Mat<Rational> xs;      // rows x_j
  Vec<Rational> v;       // teacher
  Vec<Rational> noises;  // eps_m, sum 0
  Rational u, eta, lambda;
  int batch = 1;         // S, i.i.d. with replacement

  int d() const { return static_cast<int>(xs.cols()); }
  Mat<Rational> second_moment(bool centered) const {
    const int n = static_cast<int>(xs.rows());
    Mat<Rational> sigma = xs.transpose() * xs / Rational(n);
    if (centered) {
      const Vec<Rational> mean = xs.colwise().sum().transpose() / Rational(n);
      sigma -= mean * mean.transpose();
    }
    return sigma;
  }
  Rational sigma2() const { return noises.squaredNorm() / Rational(static_cast<int>(noises.size())); }
  Rational V() const { return v.squaredNorm(); }
  Rational A(bool centered = false) const { return (v.transpose() * second_moment(centered) * v)(0, 0); }
  Rational tx(bool centered = false) const { return second_moment(centered).trace(); }
  Rational e() const { return eta * sigma2() / (2 * batch); }
  DataSet<Rational> data() const {
    return product_data<Rational>(xs, Mat<Rational>(v.transpose()), Mat<Rational>(noises));
  }
  std::string show() const {
    return "x_j = " + gen::show(xs) + ", v = " + gen::show(v) + ", eps_m = " + gen::show(noises) +
           "; u = " + to_text(u) + ", eta = " + to_text(eta) + ", lambda = " + to_text(lambda) +
           ", S = " + std::to_string(batch) + " (sigma^2 = " + to_text(sigma2()) + ", V = " + to_text(V()) +
           ", A = " + to_text(A()) + ", t_x = " + to_text(tx()) + ")";
  }
};

rc::Gen<WeightDecayInstance> weight_decay_instances() {
  return rc::gen::exec([]() {
    WeightDecayInstance in;
    const int d = *gen::dimension(1, 2), n = *gen::dimension(1, 3), m = *gen::dimension(2, 3);
    in.xs = *gen::matrix(n, d);
    in.v = *gen::vector(d, gen::nonzero_rational());
    // A = E (v.x)^2 > 0: if every x_j is orthogonal to v, the data hold x = v as well.
    if (in.A() == 0) {
      in.xs.conservativeResize(n + 1, d);
      in.xs.row(n) = in.v.transpose();
    }
    in.noises = Vec<Rational>(m);
    in.noises[0] = *gen::nonzero_rational();
    for (int k = 1; k + 1 < m; ++k) in.noises[k] = *gen::rational();
    in.noises[m - 1] = -in.noises.head(m - 1).sum();
    in.u = *gen::nonzero_rational();
    in.eta = *gen::step_size();
    in.lambda = *gen::step_size();
    in.batch = *rc::gen::inRange(1, 3);
    return in;
  });
}

// F(q) = lambda/2 (q + V/q) + eta sigma^2/(4S) (A/q + q t_x), over any scalar T.
template <class T>
T restricted_entropic_loss(const T& q, const T& lambda, const T& eta_sigma2, const WeightDecayInstance& in) {
  const T V(in.V()), A(in.A()), tx(in.tx());
  return lambda / T(2) * (q + V / q) + eta_sigma2 / T(4 * in.batch) * (A / q + q * tx);
}

// q^2 F'(q) at q = 1, 2, 3 by forward differentiation; alpha, beta of q^2 F'(q) = alpha q^2 + beta, and
// whether the third value fits that form. T is Rational, or Dual<Rational> to carry d/d rho.
template <class T>
struct StationaryPoint {
  T alpha, beta;
  bool quadratic_in_q = false;
  T root() const { return -beta / alpha; }  // q^2 of the unique positive root
};

template <class T>
StationaryPoint<T> stationary_point(const T& lambda, const T& eta_sigma2, const WeightDecayInstance& in) {
  auto G = [&](int q) {
    const Dual<T> F = restricted_entropic_loss<Dual<T>>(Dual<T>(T(q), T(1)), Dual<T>(lambda),
                                                        Dual<T>(eta_sigma2), in);
    return T(q * q) * F.tangent();
  };
  StationaryPoint<T> s;
  const T g1 = G(1), g2 = G(2), g3 = G(3);
  s.alpha = (g2 - g1) / T(3);
  s.beta = g1 - s.alpha;
  s.quadratic_in_q = g3 == T(9) * s.alpha + s.beta;
  return s;
}

Rational q2_formula(const Rational& lambda, const Rational& e, const WeightDecayInstance& in) {
  return (lambda * in.V() + e * in.A()) / (lambda + e * in.tx());
}

Verdict exact(bool holds, const std::string& residual, const std::string& what) {
  return Verdict{holds ? Outcome::holds : Outcome::violated, "rational", Evidence::exact, residual, what};
}

// (a) F' = 0 exactly at q^2 = (lambda V + e A)/(lambda + e t_x), a unique minimum. The mutant uses
// e = eta sigma^2/(4S).
Verdict stationary(const WeightDecayInstance& in, Rational e_factor) {
  const Rational eta_sigma2 = in.eta * in.sigma2();
  const auto s = stationary_point<Rational>(in.lambda, eta_sigma2, in);
  if (!s.quadratic_in_q) return exact(false, "q^2 F'(q) is not alpha q^2 + beta", "structure of F'");
  if (!(s.alpha > 0 && s.beta < 0))
    return exact(false, "alpha = " + to_text(s.alpha) + ", beta = " + to_text(s.beta),
                 "q^2 F'(q) = alpha q^2 + beta with alpha > 0 > beta (unique positive root, a minimum)");
  const Rational e = e_factor * eta_sigma2 / in.batch;
  return compare<Rational>(s.root(), q2_formula(in.lambda, e, in),
                           "q*^2 (root of F') = (lambda V + e A)/(lambda + e t_x), e = " + to_text(e_factor) +
                               " eta sigma^2/S; alpha = " + to_text(s.alpha) + " > 0 > beta = " + to_text(s.beta));
}

// A rational r = n / 2^k with lo < r^2 < hi (0 <= lo < hi), n from a floating guess of the middle; every
// candidate is checked exactly.
std::optional<Rational> rational_root_between(const Rational& lo, const Rational& hi) {
  const double mid = std::sqrt((lo.convert_to<double>() + hi.convert_to<double>()) / 2);
  for (int k = 0; k <= 50; ++k) {
    const Integer n(static_cast<long long>(std::floor(std::ldexp(mid, k))));
    for (int dn = -1; dn <= 1; ++dn) {
      const Rational r = Rational(Integer(n + dn)) / Rational(Integer(1) << k);
      if (r > 0 && lo < r * r && r * r < hi) return r;
    }
  }
  return std::nullopt;
}

// (a) directly: choose a rational q* (q*^2 strictly between A/t_x and V, or q* = sqrt V when the two
// coincide and V is a rational square) and the weight decay that the closed form assigns to it,
// lambda = e (A - q*^2 t_x)/(q*^2 - V) > 0; then F'(q*) = 0 and F''(q*) > 0 exactly (nested forward
// differentiation of F as written, with the instance's eta sigma^2 and S; its own lambda is replaced).
// The mutant solves the closed form with e = eta sigma^2/(4S).
Verdict rational_optimum(const WeightDecayInstance& in, Rational e_factor) {
  const Rational balance = in.A() / in.tx(), eta_sigma2 = in.eta * in.sigma2();
  const Rational e = e_factor * eta_sigma2 / in.batch;
  Rational q, lambda = in.lambda;
  if (balance == in.V()) {
    try {
      q = elem::sqrt(in.V());  // q*^2 = V for every lambda
    } catch (const std::exception&) {
      return exact(true, "0", "premise not met: A = t_x V and V is not a rational square (no rational q*)");
    }
  } else {
    const auto r = rational_root_between(balance, in.V());
    if (!r) return Verdict::inconclusive("no rational q* found between sqrt(A/t_x) and sqrt(V)", "rational");
    q = *r;
    lambda = e * (in.A() - q * q * in.tx()) / (q * q - in.V());
  }
  using D2 = Dual<Dual<Rational>>;
  const D2 F = restricted_entropic_loss<D2>(D2(Dual<Rational>(q, 1), Dual<Rational>(1, 0)), D2(lambda),
                                            D2(eta_sigma2), in);
  const Rational first = F.tangent().value(), second = F.tangent().tangent();
  const std::string at = "q* = " + to_text(q) + ", lambda = " + to_text(lambda) + ": ";
  return all_of({compare<Rational>(first, Rational(0), at + "F'(q*) = 0"),
                 exact(second > 0, to_text(second), at + "F''(q*) > 0")});
}

// (b) lambda -> 0 gives A/t_x, where the moment formulas balance (A/q = q t_x); eta sigma^2 -> 0 gives V,
// where u^2 = ||w||^2. The mutant claims lambda -> 0 gives V (weight decay's norm balance).
Verdict limits(const WeightDecayInstance& in, bool mutant) {
  const Rational eta_sigma2 = in.eta * in.sigma2();
  const Rational no_decay = stationary_point<Rational>(Rational(0), eta_sigma2, in).root();
  const Rational no_noise = stationary_point<Rational>(in.lambda, Rational(0), in).root();
  if (mutant) return compare<Rational>(no_decay, in.V(), "lambda -> 0: q*^2 = V");
  return all_of({compare<Rational>(no_decay, Rational(in.A() / in.tx()), "lambda -> 0: q*^2 = A/t_x"),
                 compare<Rational>(Rational(no_decay * in.tx()), in.A(),
                                   "gradient balance there: sigma^2 A/(q S) = sigma^2 q t_x/S"),
                 compare<Rational>(no_noise, in.V(), "eta sigma^2 -> 0: q*^2 = V (u^2 = ||w||^2)")});
}

// (c) q*^2 as a function of rho = lambda/e: d q*^2/d rho, by differentiating the root of F', equals
// (V t_x - A)/(rho + t_x)^2, and A/t_x <= V always (Sigma is PSD: v^T Sigma v <= lambda_max(Sigma) V
// <= Tr(Sigma) V), so q*^2 rises monotonically from A/t_x (rho = 0) towards V, with equality only when
// A = t_x V (d = 1, or every x_j parallel to v). The mutant claims the opposite direction: q*^2 never
// increases as rho grows (weight decay would pull u^2 below its noise-balance value).
Verdict monotone(const WeightDecayInstance& in, bool decreasing) {
  const Rational e = in.e(), eta_sigma2 = in.eta * in.sigma2();
  const Rational balance = in.A() / in.tx();
  std::vector<Verdict> out;
  if (!decreasing) out.push_back(exact(balance <= in.V(), to_text(Rational(in.V() - balance)), "A/t_x <= V"));
  for (const Rational rho : {Rational(0), Rational(1, 4), Rational(1), Rational(4), Rational(64)}) {
    // lambda = rho e, with d lambda / d rho = e.
    const auto s = stationary_point<Dual<Rational>>(Dual<Rational>(rho * e, e), Dual<Rational>(eta_sigma2), in);
    const Rational q2 = s.root().value(), slope = s.root().tangent();
    const std::string at = "rho = " + to_text(rho) + ": ";
    if (decreasing) {
      out.push_back(exact(slope <= 0, to_text(slope), at + "d q*^2/d rho <= 0"));
      continue;
    }
    out.push_back(compare<Rational>(slope, Rational((in.V() * in.tx() - in.A()) / ((rho + in.tx()) * (rho + in.tx()))),
                                    at + "d q*^2/d rho = (V t_x - A)/(rho + t_x)^2"));
    out.push_back(exact(slope >= 0 && (slope > 0) == (balance < in.V()), to_text(slope),
                        at + "d q*^2/d rho >= 0, > 0 iff A/t_x < V"));
    out.push_back(exact(balance <= q2 && q2 <= in.V(), to_text(q2), at + "A/t_x <= q*^2 <= V"));
    if (rho == 0) out.push_back(compare<Rational>(q2, balance, "rho = 0: q*^2 = A/t_x"));
  }
  return all_of(out);
}

// (d) E_B g_u^2 and E_B ||g_w||^2 at a point with u w = v, over all N^S ordered batches, from the model's
// gradients. Mutants: the formulas without 1/S, and with Sigma the covariance instead of E x x^T.
enum class Moment { catalog, without_one_over_s, centered_sigma };

Verdict moments(const WeightDecayInstance& in, Moment variant) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {in.d(), 1, 1};
  const auto model = make_model<Rational>(spec);
  const Layout& layout = model->layout();
  const DataSet<Rational> data = in.data();
  Vec<Rational> theta = Vec<Rational>::Zero(layout.size());
  layout.view(theta, 0) = (in.v / in.u).transpose();  // W1 = w^T with u w = v
  layout.view(theta, 1)(0, 0) = in.u;                 // W2 = u
  const Rational gu2 = batch_expectation<Rational>(data.size(), in.batch, Sampling::with_replacement, [&](const Batch& b) {
    const Vec<Rational> g = model->gradient(theta, data, b);
    const Rational gu = layout.view(g, 1)(0, 0);
    return Rational(gu * gu);
  });
  const Rational gw2 = batch_expectation<Rational>(data.size(), in.batch, Sampling::with_replacement, [&](const Batch& b) {
    const Vec<Rational> g = model->gradient(theta, data, b);
    return Rational(layout.view(g, 0).squaredNorm());
  });
  const bool centered = variant == Moment::centered_sigma;
  const Rational S = variant == Moment::without_one_over_s ? Rational(1) : Rational(in.batch);
  const Rational q = in.u * in.u;
  return all_of({compare<Rational>(gu2, Rational(in.sigma2() * in.A(centered) / (q * S)), "E_B g_u^2 = sigma^2 A/(q S)"),
                 compare<Rational>(gw2, Rational(in.sigma2() * q * in.tx(centered) / S),
                                   "E_B ||g_w||^2 = sigma^2 q t_x/S")});
}

// F is the entropic loss on the minimum manifold: at u w = v (where L is constant and E_B g_B = 0),
//     phi_bar_eta - L = lambda/2 ||theta||^2 + eta E_B phi_1 = F(q) + eta lambda^2/4 (q + V/q),
// phi_1 = 1/4 ||g_B + lambda theta||^2 taken from the library over all N^S batches; the last term is the
// weight decay inside phi_1, O(eta lambda^2), which F leaves out.
Verdict entropic_loss_on_manifold(const WeightDecayInstance& in) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {in.d(), 1, 1};
  const auto model = make_model<Rational>(spec);
  const Layout& layout = model->layout();
  const DataSet<Rational> data = in.data();
  Vec<Rational> theta = Vec<Rational>::Zero(layout.size());
  layout.view(theta, 0) = (in.v / in.u).transpose();
  layout.view(theta, 1)(0, 0) = in.u;
  const Rational entropic_term = batch_expectation<Rational>(
      data.size(), in.batch, Sampling::with_replacement,
      [&](const Batch& b) { return phi1(*model, data, b, theta, in.lambda); });
  const Rational lhs = in.lambda / 2 * theta.squaredNorm() + in.eta * entropic_term;
  const Rational q = in.u * in.u;
  const Rational rhs = restricted_entropic_loss<Rational>(q, in.lambda, Rational(in.eta * in.sigma2()), in) +
                       in.eta * in.lambda * in.lambda / 4 * (q + in.V() / q);
  return compare<Rational>(lhs, rhs, "phi_bar_eta - L = F(q) + eta lambda^2/4 (q + V/q) on u w = v");
}

std::string show(const WeightDecayInstance& in) { return in.show(); }

}  // namespace

ENTROPIC_CLAIM(T10) {
  const auto instances = weight_decay_instances();
  return Claim("T10", "Weight decay versus entropic force: closed form")
      .provenance(Provenance::derived)
      .kind("exact at an optimum (of the restricted entropic loss)")
      .part("stationary point of F", instances,
            [](const WeightDecayInstance& in) { return stationary(in, Rational(1, 2)); }, show)
      .part("F'(q*) = 0 and F''(q*) > 0 at a rational q*", instances,
            [](const WeightDecayInstance& in) { return rational_optimum(in, Rational(1, 2)); }, show)
      .part("limits lambda -> 0 and eta sigma^2 -> 0", instances,
            [](const WeightDecayInstance& in) { return limits(in, false); }, show)
      .part("monotone interpolation in lambda/e", instances,
            [](const WeightDecayInstance& in) { return monotone(in, false); }, show)
      .part("batch moments on u w = v", instances,
            [](const WeightDecayInstance& in) { return moments(in, Moment::catalog); }, show)
      .part("F is the entropic loss on u w = v", instances, entropic_loss_on_manifold, show)
      .mutant("e = eta sigma^2/(4S) in the closed form", instances,
              [](const WeightDecayInstance& in) { return stationary(in, Rational(1, 4)); }, show)
      .mutant("e = eta sigma^2/(4S) in the closed form, at a rational q*", instances,
              [](const WeightDecayInstance& in) { return rational_optimum(in, Rational(1, 4)); }, show)
      .mutant("lambda -> 0 gives V: weight decay's norm balance", instances,
              [](const WeightDecayInstance& in) { return limits(in, true); }, show)
      .mutant("q*^2 never increases as lambda/e grows", instances,
              [](const WeightDecayInstance& in) { return monotone(in, true); }, show)
      .mutant("moments without the 1/S", instances,
              [](const WeightDecayInstance& in) { return moments(in, Moment::without_one_over_s); }, show)
      .mutant("moments with Sigma the covariance, not E x x^T", instances,
              [](const WeightDecayInstance& in) { return moments(in, Moment::centered_sigma); }, show);
}

}  // namespace entropic
