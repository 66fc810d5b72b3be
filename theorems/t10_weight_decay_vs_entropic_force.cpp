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
#include "entropic/optim/sgd.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace {

struct WeightDecayInstance {
  int parameter_count() const { return static_cast<int>(xs.cols()) + 1; }  // f = u w . x
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

// d = 2 or 3, 1 to 3 inputs x_j (one more when needed, below), 2 or 3 noise values, S in [min_batch, 3].
// A = t_x V (every x_j parallel to v, always so for d = 1) collapses the closed form to q*^2 = V for every
// lambda, where the limits, the monotone interpolation and every closed-form mutant agree: the data then
// also hold x = (-v_2, v_1, 0, ...), orthogonal to v, so that A < t_x V. A = 0 (every x_j orthogonal
// to v) is excluded by adding x = v.
rc::Gen<WeightDecayInstance> weight_decay_instances(int min_batch = 1) {
  return rc::gen::exec([min_batch]() {
    WeightDecayInstance in;
    // f = u w . x, a deep linear [d, 1, 1]: d is free (at least 2 for the orthogonal input below).
    const int d = (*gen::model_widths(ModelKind::deep_linear, {2, 1, 1}, {3, 1, 1}))[0];
    const int n = *gen::dimension(1, 3), m = *gen::dimension(2, 3);
    in.xs = *gen::matrix(n, d);
    in.v = *gen::vector(d, gen::nonzero_rational());
    const auto add_input = [&in](const Vec<Rational>& x) {
      const Eigen::Index rows = in.xs.rows();
      in.xs.conservativeResize(rows + 1, Eigen::NoChange);
      in.xs.row(rows) = x.transpose();
    };
    if (in.A() == 0) add_input(in.v);
    if (in.A() == in.tx() * in.V()) {
      Vec<Rational> orthogonal = Vec<Rational>::Zero(d);
      orthogonal[0] = -in.v[1];
      orthogonal[1] = in.v[0];
      add_input(orthogonal);
    }
    in.noises = Vec<Rational>(m);
    in.noises[0] = *gen::nonzero_rational();
    for (int k = 1; k + 1 < m; ++k) in.noises[k] = *gen::rational();
    in.noises[m - 1] = -in.noises.head(m - 1).sum();
    in.u = *gen::nonzero_rational();
    in.eta = *gen::step_size();
    in.lambda = *gen::step_size();
    in.batch = *gen::in_range(min_batch, 4);
    return in;
  });
}

// What collapses the closed form: A = t_x V (Sigma of rank one along v).
bool collapsed(const WeightDecayInstance& in) { return in.A() == in.tx() * in.V(); }
const char* const kCollapsed = "A = t_x V (q*^2 = V for every lambda: the closed form and its mutants agree)";
const char* const kCollapsedExcluded =
    "the generator adds an input orthogonal to v whenever A = t_x V, and x = v whenever A = 0; lambda, eta, sigma^2 > 0";

// F(q) = lambda/2 (q + V/q) + eta sigma^2/(4S) (A/q + q t_x), over any scalar T.
template <class T>
T restricted_entropic_loss(const T& q, const T& lambda, const T& eta_sigma2, const WeightDecayInstance& in) {
  const T V(in.V()), A(in.A()), tx(in.tx());
  return lambda / T(2) * (q + V / q) + eta_sigma2 / T(4 * in.batch) * (A / q + q * tx);
}

// q^2 F'(q) at q = 1, 2, 3 by forward differentiation; alpha, beta of q^2 F'(q) = alpha q^2 + beta, and
// how far the third value is from that form. T is Rational, or Dual<Rational> to carry d/d rho.
template <class T>
struct StationaryPoint {
  T alpha, beta;
  T defect;  // q^2 F'(q) - (alpha q^2 + beta) at q = 3
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
  s.defect = g3 - (T(9) * s.alpha + s.beta);
  return s;
}

Rational q2_formula(const Rational& lambda, const Rational& e, const WeightDecayInstance& in) {
  return (lambda * in.V() + e * in.A()) / (lambda + e * in.tx());
}

Verdict exact(bool holds, const std::string& residual, const std::string& what) {
  return holds ? Verdict::holds(Arithmetic::rational(), residual, what)
               : Verdict::violated(Arithmetic::rational(), residual, what);
}
Rational sign_of(const Rational& x) { return x > 0 ? Rational(1) : x < 0 ? Rational(-1) : Rational(0); }

// (a) The root of F' from forward differentiation: q^2 F'(q) is alpha q^2 + beta (the value at q = 3
// fits the quadratic through q = 1, 2: defect 0), alpha > 0 > beta (a unique positive root, a
// minimum), and the root q*^2 = -beta/alpha.
Quantities<Rational> root_of_f_prime(const WeightDecayInstance& in) {
  const auto s = stationary_point<Rational>(in.lambda, Rational(in.eta * in.sigma2()), in);
  return {{"q^2 F'(q) - (alpha q^2 + beta) at q = 3", s.defect},
          {"sign of alpha", sign_of(s.alpha)},
          {"sign of beta", sign_of(s.beta)},
          {"q*^2 (root of F')", s.alpha == 0 ? Rational(0) : s.root()}};
}
// lambda (1 - eta lambda/2): the weight decay of the exact SGD fixed point of the charge (the T5 law,
// part "sgd-charge" below), which the leading-order closed form replaces by lambda.
Rational sgd_lambda(const WeightDecayInstance& in) { return in.lambda * (1 - in.eta * in.lambda / 2); }

// q*^2 = (lambda V + e A)/(lambda + e t_x) with e = e_factor eta sigma^2/S; the catalog has 1/2 and the
// instance's lambda. With `exact_sgd_lambda`, lambda (1 - eta lambda/2) in place of lambda: a mutant
// here, since this part compares the root of the restricted entropic loss F, the claim's leading-order
// statement, and not the exact SGD fixed point.
auto closed_form_root(Rational e_factor, bool exact_sgd_lambda = false) {
  return [e_factor, exact_sgd_lambda](const WeightDecayInstance& in) {
    const Rational e = e_factor * in.eta * in.sigma2() / in.batch;
    const Rational lambda = exact_sgd_lambda ? sgd_lambda(in) : in.lambda;
    return Quantities<Rational>{{"q^2 F'(q) - (alpha q^2 + beta) at q = 3", Rational(0)},
                                {"sign of alpha", Rational(1)},
                                {"sign of beta", Rational(-1)},
                                {"q*^2 (root of F')", q2_formula(lambda, e, in)}};
  };
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
// coincide and V is a rational square) and the weight decay that the closed form with
// e = e_factor eta sigma^2/S assigns to it, lambda = e (A - q*^2 t_x)/(q*^2 - V) > 0; then F'(q*) = 0 and
// F''(q*) > 0 exactly (nested forward differentiation of F as written, with the instance's eta sigma^2
// and S; its own lambda is replaced). The catalog has e_factor = 1/2. Without a rational q* the
// statement holds vacuously, and says so.
auto optimum_at_rational_q(Rational e_factor) {
  return [e_factor](const WeightDecayInstance& in) {
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
      if (!r) throw Inconclusive("no rational q* found between sqrt(A/t_x) and sqrt(V)", Arithmetic::rational());
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
  };
}

// sigma^2 A/(q S) = sigma^2 q t_x/S iff q^2 t_x = A.
const char* const kGradientBalance = "gradient balance there: q*^2 t_x (sigma^2 A/(q S) = sigma^2 q t_x/S iff q^2 t_x = A)";

// (b) The root of F' at lambda = 0, the moment balance q*^2 t_x there, and the root at eta sigma^2 = 0.
Quantities<Rational> limits_of_root(const WeightDecayInstance& in) {
  const Rational no_decay = stationary_point<Rational>(Rational(0), Rational(in.eta * in.sigma2()), in).root();
  const Rational no_noise = stationary_point<Rational>(in.lambda, Rational(0), in).root();
  return {{"lambda -> 0: q*^2", no_decay},
          {kGradientBalance, Rational(no_decay * in.tx())},
          {"eta sigma^2 -> 0: q*^2 (u^2 = ||w||^2)", no_noise}};
}
// lambda -> 0 gives A/t_x (gradient balance), eta sigma^2 -> 0 gives V (norm balance).
Quantities<Rational> balance_limits(const WeightDecayInstance& in) {
  return {{"lambda -> 0: q*^2", Rational(in.A() / in.tx())},
          {kGradientBalance, in.A()},
          {"eta sigma^2 -> 0: q*^2 (u^2 = ||w||^2)", in.V()}};
}
// Mutant: lambda -> 0 gives V, weight decay's norm balance.
Quantities<Rational> norm_balance_at_no_decay(const WeightDecayInstance& in) {
  return {{"lambda -> 0: q*^2", in.V()},
          {kGradientBalance, Rational(in.V() * in.tx())},
          {"eta sigma^2 -> 0: q*^2 (u^2 = ||w||^2)", in.V()}};
}

// (c) q*^2 and d q*^2/d rho at rho = lambda/e in {0, 1/4, 1, 4, 64}, by differentiating the root of F'
// (lambda = rho e, d lambda/d rho = e).
struct RootInRho {
  Rational rho, q2, slope;
};
std::vector<RootInRho> root_in_rho(const WeightDecayInstance& in) {
  const Rational e = in.e(), eta_sigma2 = in.eta * in.sigma2();
  std::vector<RootInRho> out;
  for (const Rational& rho : {Rational(0), Rational(1, 4), Rational(1), Rational(4), Rational(64)}) {
    const auto s = stationary_point<Dual<Rational>>(Dual<Rational>(rho * e, e), Dual<Rational>(eta_sigma2), in);
    out.push_back({rho, s.root().value(), s.root().tangent()});
  }
  return out;
}
// d q*^2/d rho = (V t_x - A)/(rho + t_x)^2, and A/t_x <= V always (Sigma is PSD: v^T Sigma v <=
// lambda_max(Sigma) V <= Tr(Sigma) V), so q*^2 rises monotonically from A/t_x (rho = 0) towards V, with
// equality only when A = t_x V (d = 1, or every x_j parallel to v).
Verdict monotone_interpolation(const WeightDecayInstance& in) {
  const Rational balance = in.A() / in.tx();
  std::vector<Verdict> out{exact(balance <= in.V(), to_text(Rational(in.V() - balance)), "A/t_x <= V")};
  for (const RootInRho& r : root_in_rho(in)) {
    const std::string at = "rho = " + to_text(r.rho) + ": ";
    out.push_back(compare<Rational>(r.slope, Rational((in.V() * in.tx() - in.A()) / ((r.rho + in.tx()) * (r.rho + in.tx()))),
                                    at + "d q*^2/d rho = (V t_x - A)/(rho + t_x)^2"));
    out.push_back(exact(r.slope >= 0 && (r.slope > 0) == (balance < in.V()), to_text(r.slope),
                        at + "d q*^2/d rho >= 0, > 0 iff A/t_x < V"));
    out.push_back(exact(balance <= r.q2 && r.q2 <= in.V(), to_text(r.q2), at + "A/t_x <= q*^2 <= V"));
    if (r.rho == 0) out.push_back(compare<Rational>(r.q2, balance, "rho = 0: q*^2 = A/t_x"));
  }
  return all_of(out);
}
// Mutant: q*^2 never increases as rho grows (weight decay would pull u^2 below its noise-balance value).
Verdict never_increasing(const WeightDecayInstance& in) {
  std::vector<Verdict> out;
  for (const RootInRho& r : root_in_rho(in))
    out.push_back(exact(r.slope <= 0, to_text(r.slope), "rho = " + to_text(r.rho) + ": d q*^2/d rho <= 0"));
  return all_of(out);
}

// The point theta of deep_linear [d, 1, 1] with W1 = w^T = (v/u)^T and W2 = u, so u w = v.
Vec<Rational> on_manifold(const Layout& layout, const WeightDecayInstance& in) {
  Vec<Rational> theta = Vec<Rational>::Zero(layout.size());
  layout.view(theta, 0) = (in.v / in.u).transpose();
  layout.view(theta, 1)(0, 0) = in.u;
  return theta;
}
ModelSpec product_net(const WeightDecayInstance& in) {
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {in.d(), 1, 1};
  return spec;
}

// (d) E_B g_u^2 and E_B ||g_w||^2 at u w = v, over all N^S ordered batches, from the model's gradients.
Quantities<Rational> batch_moments(const WeightDecayInstance& in) {
  const auto model = make_model<Rational>(product_net(in));
  const Layout& layout = model->layout();
  const DataSet<Rational> data = in.data();
  const Vec<Rational> theta = on_manifold(layout, in);
  const auto expectation = [&](auto of_gradient) {
    return batch_expectation<Rational>(data.size(), in.batch, Sampling::with_replacement, [&](const Batch& b) {
      return Rational(of_gradient(Vec<Rational>(model->gradient(theta, data, b))));
    });
  };
  const auto g_u2 = [&](const Vec<Rational>& g) { return Rational(layout.view(g, 1)(0, 0) * layout.view(g, 1)(0, 0)); };
  const auto g_w2 = [&](const Vec<Rational>& g) { return Rational(layout.view(g, 0).squaredNorm()); };
  return {{"E_B g_u^2", expectation(g_u2)}, {"E_B ||g_w||^2", expectation(g_w2)}};
}
// sigma^2 A/(q S) and sigma^2 q t_x/S with the given A, t_x and S.
Quantities<Rational> moment_formulas(const WeightDecayInstance& in, const Rational& A, const Rational& tx,
                                     const Rational& S) {
  const Rational q = in.u * in.u;
  return {{"E_B g_u^2", Rational(in.sigma2() * A / (q * S))}, {"E_B ||g_w||^2", Rational(in.sigma2() * q * tx / S)}};
}
// Sigma = E[x x^T], the second moment.
Quantities<Rational> catalog_moments(const WeightDecayInstance& in) {
  return moment_formulas(in, in.A(), in.tx(), in.batch);
}
// Mutants: without the 1/S, and with Sigma the covariance.
Quantities<Rational> moments_without_one_over_s(const WeightDecayInstance& in) {
  return moment_formulas(in, in.A(), in.tx(), Rational(1));
}
Quantities<Rational> moments_with_covariance(const WeightDecayInstance& in) {
  return moment_formulas(in, in.A(true), in.tx(true), in.batch);
}

// F is the entropic loss on the minimum manifold: at u w = v (where L is constant and E_B g_B = 0),
//     phi_bar_eta - L = lambda/2 ||theta||^2 + eta E_B phi_1 = F(q) + eta lambda^2/4 (q + V/q),
// phi_1 = 1/4 ||g_B + lambda theta||^2 taken from the library over all N^S batches; the last term is the
// weight decay inside phi_1, O(eta lambda^2), which F leaves out.
Rational entropic_loss_on_manifold(const WeightDecayInstance& in) {
  const auto model = make_model<Rational>(product_net(in));
  const DataSet<Rational> data = in.data();
  const Vec<Rational> theta = on_manifold(model->layout(), in);
  const Rational entropic_term = batch_expectation<Rational>(
      data.size(), in.batch, Sampling::with_replacement,
      [&](const Batch& b) { return phi1(*model, data, b, theta, in.lambda); });
  return in.lambda / 2 * theta.squaredNorm() + in.eta * entropic_term;
}
Rational restricted_loss_plus_decay_term(const WeightDecayInstance& in) {
  const Rational q = in.u * in.u;
  return restricted_entropic_loss<Rational>(q, in.lambda, Rational(in.eta * in.sigma2()), in) +
         in.eta * in.lambda * in.lambda / 4 * (q + in.V() / q);
}
// Mutant: F alone is the entropic loss there (phi_1 taken without its weight decay).
Rational restricted_loss_alone(const WeightDecayInstance& in) {
  return restricted_entropic_loss<Rational>(Rational(in.u * in.u), in.lambda, Rational(in.eta * in.sigma2()), in);
}

// Exact SGD on u w = v (the library's step theta' = theta - eta (g_B + lambda theta), all N^S batches):
// the charge Delta = u^2 - ||w||^2 = q - V/q moves by the T5 law Delta' = (1 - eta lambda)^2 Delta +
// eta^2 (g_u^2 - ||g_w||^2), and with the moments (d)
//     E_B Delta' - Delta = (2 eta/q) [(lambda' V + e A) - (lambda' + e t_x) q^2],  lambda' = lambda (1 - eta lambda/2),
// since 1 - (1 - eta lambda)^2 = 2 eta lambda'. The charge is at rest in mean exactly at the closed form
// with lambda' in place of lambda: the exact SGD fixed point differs from the claim's leading-order
// q*^2 by O(eta lambda^2) (relative eta lambda/2 in lambda).
Rational mean_charge_drift(const WeightDecayInstance& in) {
  const auto model = make_model<Rational>(product_net(in));
  const Layout& layout = model->layout();
  const DataSet<Rational> data = in.data();
  const Vec<Rational> theta = on_manifold(layout, in);
  const SgdConfig<Rational> cfg{in.eta, in.lambda, Rational(0), false, {}};
  const auto charge = [&](const Vec<Rational>& th) {
    return Rational(layout.view(th, 1).squaredNorm() - layout.view(th, 0).squaredNorm());
  };
  return batch_expectation<Rational>(data.size(), in.batch, Sampling::with_replacement,
                                     [&](const Batch& b) { return charge(sgd_map(*model, data, b, cfg, theta)); }) -
         charge(theta);
}
// (2 eta/q) [(l V + e A) - (l + e t_x) q^2] with l = lambda (1 - eta lambda/2), or (the mutant: the
// claim's continuous closed form taken as the exact SGD fixed point) l = lambda.
auto charge_drift_formula(bool exact_sgd_lambda) {
  return [exact_sgd_lambda](const WeightDecayInstance& in) {
    const Rational q = in.u * in.u, l = exact_sgd_lambda ? sgd_lambda(in) : in.lambda, e = in.e();
    return Rational(2 * in.eta / q * ((l * in.V() + e * in.A()) - (l + e * in.tx()) * q * q));
  };
}

}  // namespace

ENTROPIC_CLAIM(T10) {
  const auto instances = weight_decay_instances();
  const auto batches_of_two_or_more = weight_decay_instances(2);
  const auto d = [](const WeightDecayInstance& in) { return in.d(); };
  const auto inputs = [](const WeightDecayInstance& in) { return static_cast<int>(in.xs.rows()); };
  const auto batch = [](const WeightDecayInstance& in) { return in.batch; };
  const auto centred = [](const WeightDecayInstance& in) { return in.xs.colwise().sum().isZero(0); };
  return Claim("T10", "Weight decay versus entropic force: closed form")
      .provenance(Provenance::derived)
      .kind("exact at an optimum (of the restricted entropic loss); exact identity (SGD charge drift)")
      .part("stationary", "stationary point of F", instances)
          .observe(root_of_f_prime)
          .predict(closed_form_root(Rational(1, 2)))
          .mutant("e-quarter", "e = eta sigma^2/(4S) in the closed form", closed_form_root(Rational(1, 4)))
          .mutant("sgd-lambda", "lambda (1 - eta lambda/2), the exact SGD fixed point's weight decay, in the closed form of F's root",
                  closed_form_root(Rational(1, 2), true))
          .degenerate(kCollapsed, collapsed)
          .nondegenerate(kCollapsedExcluded)
          .feature("d", d).feature("inputs", inputs).feature("S", batch)
      .part("rational-optimum", "F'(q*) = 0 and F''(q*) > 0 at a rational q*", instances)
          .check(optimum_at_rational_q(Rational(1, 2)))
          .mutant("e-quarter", "e = eta sigma^2/(4S) in the closed form, at a rational q*",
                  optimum_at_rational_q(Rational(1, 4)))
          .degenerate(kCollapsed, collapsed)
          .nondegenerate(kCollapsedExcluded)
          .feature("d", d).feature("S", batch)
      .part("limits", "limits lambda -> 0 and eta sigma^2 -> 0", instances)
          .observe(limits_of_root)
          .predict(balance_limits)
          .mutant("norm-balance", "lambda -> 0 gives V: weight decay's norm balance", norm_balance_at_no_decay)
          .degenerate(kCollapsed, collapsed)
          .nondegenerate(kCollapsedExcluded)
          .feature("d", d).feature("inputs", inputs)
      .part("monotone", "monotone interpolation in lambda/e", instances)
          .check(monotone_interpolation)
          .mutant("decreasing", "q*^2 never increases as lambda/e grows", never_increasing)
          .degenerate(kCollapsed, collapsed)
          .nondegenerate(kCollapsedExcluded)
          .feature("d", d).feature("inputs", inputs)
      .part("moments", "batch moments on u w = v", batches_of_two_or_more)
          .observe(batch_moments)
          .predict(catalog_moments)
          .mutant("no-one-over-s", "moments without the 1/S", moments_without_one_over_s)
          .mutant("covariance", "moments with Sigma the covariance, not E x x^T", moments_with_covariance)
          .degenerate("S = 1 (the moments without 1/S agree)", [](const WeightDecayInstance& in) { return in.batch == 1; })
          .degenerate("E x = 0 (the covariance is the second moment)", centred)
          .nondegenerate("this part's generator draws S = 2 or 3")
          .feature("d", d).feature("inputs", inputs).feature("S", batch).feature("E x = 0", centred)
      .part("entropic-loss", "F is the entropic loss on u w = v", instances)
          .observe(entropic_loss_on_manifold)
          .predict(restricted_loss_plus_decay_term)
          .mutant("no-decay-in-phi1", "F alone is the entropic loss on u w = v (phi_1 without weight decay)",
                  restricted_loss_alone)
          .nondegenerate("lambda, eta > 0: the weight-decay term eta lambda^2/4 (q + V/q) inside phi_1 is never 0")
          .feature("d", d).feature("S", batch)
      .part("sgd-charge", "exact SGD on u w = v: E_B Delta' - Delta = (2 eta/q)[(lambda' V + e A) - (lambda' + e t_x) q^2], lambda' = lambda (1 - eta lambda/2)",
            instances)
          .observe(mean_charge_drift)
          .predict(charge_drift_formula(true))
          .mutant("continuous-lambda", "the claim's closed form (lambda, not lambda (1 - eta lambda/2)) is the exact SGD fixed point",
                  charge_drift_formula(false))
          .degenerate("q^2 = V (norm balance u^4 = ||v||^2: the drift does not depend on lambda)",
                      [](const WeightDecayInstance& in) { return in.u * in.u * in.u * in.u == in.V(); })
          .feature("d", d).feature("S", batch);
}

}  // namespace entropic
