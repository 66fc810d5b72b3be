// T3 — Matrix learning rate (catalog T3; [paper] that the theory covers matrix learning rates,
// [derived] the formulas). Lambda = eta P, P constant, symmetric positive definite.
//
// (a) n steps theta <- theta - (Lambda/n) grad phi on
//         phi = l_lambda + (n-1)/(4n) grad l_lambda^T Lambda grad l_lambda
//     reproduce the step theta - Lambda g (g = grad l_lambda) up to O(eta^3); plain steps (phi = l)
//     leave exactly eta^2 (n-1)/(2n) P H P g (= (n-1)/(2n) Lambda H Lambda g).
// (b) For an orthogonal symmetry O of l with OP = PO, preconditioned SGD is equivariant:
//     from O theta_0 every iterate is O theta_t, exactly (heavy ball and weight decay included), and
//     the entropic term grad l^T P grad l is invariant, since grad l(O theta) = O grad l(theta).
//     For any P, O^T theta~_t is the run from theta_0 under O^T P O, so theta~_t = O theta'_t with
//     theta' that run; a diagonal (Adam-like) P need not commute with O, and then theta~_t != O theta_t.
// (c) If l(e^{sA} theta) = l(theta) with A symmetric and PA = AP, then P^{-1} A is symmetric and one
//     step theta' = theta - eta P g at lambda = 0 moves Q = theta^T P^{-1} A theta by exactly
//         Q' - Q = eta^2 g^T A P g,
//     because the cross terms are eta g^T A theta = 0 (catalog section 0).
//
// Evidence: (a) power series in eta with exact rational coefficients on a non-quadratic polynomial
// loss in two parameters, P rational, positive definite and not diagonal; (b), (c) exact rational
// runs. P commuting with the symmetry is built exactly: P = a I + b (O + O^T) for a hidden rotation
// O of a linear two-layer net; P = diag(P_1, P_2) for the layer rescaling A = diag(I, -I); any P for
// the scale symmetry A = I. Mutants: equivariance claimed for a diagonal (Adam-like) P in (b)
// (negative control N6), the uncorrected n steps claimed O(eta^3) (negative control N8), the charge
// without P^{-1}.
#include <Eigen/LU>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/theory/equivariance.hpp"
#include "entropic/theory/n_step.hpp"
#include "entropic/gen/run_shapes.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/polynomial_start.hpp"
#include "entropic/gen/preconditioned_rotation.hpp"
#include "entropic/verify/observation.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

// ---- (a) n steps with a matrix learning rate, as series in eta ------------------------------------

struct MatrixNStep {
  PolynomialStart start;
  int n = 1;
  Mat<Rational> P;  // positive definite: 2 x 2 with off-diagonal entry != 0, or such blocks
  std::string show() const {
    return start.show() + "; n = " + std::to_string(n) + "; P = " + gen::show(P);
  }
};

// P = [[a, t m], [t m, d]] with m = min(a, d) and 0 < |t| < 1: positive definite (t^2 m^2 < a d).
rc::Gen<Mat<Rational>> spd_non_diagonal_2x2() {
  return rc::gen::exec([]() {
    const Rational a = *gen::positive_rational(4, 4), d = *gen::positive_rational(4, 4);
    const auto [p, q] = *rc::gen::pair(gen::in_range(1, 4), gen::in_range(1, 4));
    const Rational t = (*rc::gen::arbitrary<bool>() ? -1 : 1) * Rational(p, p + q);
    Mat<Rational> P(2, 2);
    P << a, t * std::min(a, d), t * std::min(a, d), d;
    return P;
  });
}
// n x n, n even: 2x2 blocks of spd_non_diagonal_2x2 on the diagonal (the 200-variable loss of
// `--profile large` couples variables across blocks).
rc::Gen<Mat<Rational>> spd_non_diagonal(int n) {
  if (n == 2) return spd_non_diagonal_2x2();
  return rc::gen::exec([n]() {
    if (n % 2 != 0) throw std::invalid_argument("spd_non_diagonal: n must be even");
    Mat<Rational> P = Mat<Rational>::Zero(n, n);
    for (int b = 0; b < n; b += 2) P.block(b, b, 2, 2) = *spd_non_diagonal_2x2();
    return P;
  });
}

// Degenerate: grad l_lambda = 0 at the start (every correction, error and flow term vanishes there).
bool start_is_stationary(const PolynomialStart& p) {
  const auto model = make_model<Rational>(p.spec);
  const Vec<Rational> g = model->gradient(p.theta, p.data<Rational>(), p.batch()) + p.lambda * p.theta;
  return (g.array() == Rational(0)).all();
}
// Degenerate for a run: every batch gradient 0 (zero data, a stationary start): it only decays.
bool never_pushed(const TrainingRun& run) {
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    if (!(s.g.array() == Rational(0)).all()) return false;
  return true;
}

bool runs_only_decay(const PreconditionedRotation& r) { return never_pushed(r.run); }

rc::Gen<MatrixNStep> matrix_n_steps() {
  return rc::gen::exec([]() {
    const PolynomialStart start = *gen::polynomial_start(PolynomialDegree::cubic);
    return MatrixNStep{start,
                       // n = 1 is the step itself: every part would hold trivially
                       *rc::gen::elementOf(std::vector<int>{2, 3, 5}),
                       *spd_non_diagonal(static_cast<int>(start.theta.size()))};
  });
}

// n steps theta <- theta - (Lambda/n) grad phi, Lambda = eta P, on phi with coefficient c, as a series
// in eta.
Vec<Ser> matrix_n_steps_on_phi(const MatrixNStep& in, const Rational& c) {
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(3);
  const Mat<Ser> Lambda = from_rational<Ser>(in.P) * eta;
  return n_step_map<Ser>(p.spec, p.data<Ser>(), p.batch(), Ser(p.lambda), Lambda, Ser(c), in.n,
                         from_rational<Ser>(p.theta));
}
// c = (n-1)/(4n) (the corrected phi_Lambda) or c = 0 (plain steps, phi = l).
Vec<Ser> corrected_n_steps(const MatrixNStep& in) { return matrix_n_steps_on_phi(in, n_step_coefficient(in.n)); }
Vec<Ser> plain_n_steps(const MatrixNStep& in) { return matrix_n_steps_on_phi(in, Rational(0)); }

// One step theta - Lambda g, g = grad l_lambda, as a series in eta.
Vec<Ser> one_step(const MatrixNStep& in) {
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(3);
  const Vec<Ser> theta = from_rational<Ser>(p.theta);
  const Mat<Ser> Lambda = from_rational<Ser>(in.P) * eta;
  const auto model = make_model<Ser>(p.spec);
  return theta - Lambda * Vec<Ser>(model->gradient(theta, p.data<Ser>(), p.batch()) + Ser(p.lambda) * theta);
}

// The step plus the error of plain steps, theta - Lambda g + eta^2 (n-1)/(2n) P H P g.
Vec<Ser> one_step_plus_plain_error(const MatrixNStep& in) {
  const PolynomialStart& p = in.start;
  const DataSet<Rational> data = p.data<Rational>();
  const Vec<Rational> g = make_model<Rational>(p.spec)->gradient(p.theta, data, p.batch()) + p.lambda * p.theta;
  const Vec<Rational> Pg = in.P * g;
  const Vec<Rational> PHPg =
      in.P * Vec<Rational>(hessian_vector_product(p.spec, data, p.batch(), p.theta, Pg) + p.lambda * Pg);
  const Ser eta = Ser::variable(3);
  Vec<Ser> out = one_step(in);
  for (Eigen::Index i = 0; i < out.size(); ++i) out[i] += eta * eta * Ser(Rational(in.n - 1, 2 * in.n) * PHPg[i]);
  return out;
}

// ---- (b) equivariance and the invariant entropic term -------------------------------------------

// Twin runs on the same batches (theory/equivariance.hpp): theta~_t, the run from O theta_0 under P, and
// O theta'_t, theta' the run from theta_0 under the matrix learning rate `conjugate ? O^T P O : P`.
// Since grad l(O theta) = O grad l(theta) and O^T = O^-1, O^T theta~_t is the run from theta_0 under
// O^T P O (momentum buffers and weight decay are linear): theta~_t = O theta'_t for every P, and for
// OP = PO that is equivariance, theta~_t = O theta_t.
using Iterates = Quantities<Vec<Rational>>;
Iterates moved_run(const PreconditionedRotation& r) {
  const auto model = make_model<Rational>(r.run.spec);
  Iterates out;
  for (const auto& twin : twin_runs(*model, r.run.data, r.run.batches, r.config_as<Rational>(), r.run.theta0, r.M))
    out.push_back({"theta at step " + std::to_string(twin.t), twin.tilde});
  return out;
}
auto rotated_run(bool conjugate) {
  return [conjugate](const PreconditionedRotation& r) {
    const auto model = make_model<Rational>(r.run.spec);
    SgdConfig<Rational> cfg = r.config_as<Rational>();
    if (conjugate) cfg.preconditioner = Mat<Rational>(r.M.transpose() * r.P * r.M);
    Iterates out;
    for (const auto& twin : twin_runs(*model, r.run.data, r.run.batches, cfg, r.run.theta0, r.M))
      out.push_back({"theta at step " + std::to_string(twin.t), twin.image});
    return out;
  };
}

// grad l^T P grad l at `theta` on every batch of the run.
Quantities<Rational> entropic_terms(const PreconditionedRotation& r, const Vec<Rational>& theta) {
  const auto model = make_model<Rational>(r.run.spec);
  Quantities<Rational> out;
  for (size_t t = 0; t < r.run.batches.size(); ++t) {
    const Vec<Rational> g = regularized_gradient(*model, r.run.data, r.run.batches[t], theta, r.run.lambda);
    out.push_back({"grad l^T P grad l on batch " + std::to_string(t), Rational(g.dot(r.P * g))});
  }
  return out;
}

// (theta~_t, the entropic term at O theta_0) observed; (O theta_t, the entropic term at theta_0) predicted.
std::pair<Iterates, Quantities<Rational>> moved_run_and_entropic_term(const PreconditionedRotation& r) {
  return {moved_run(r), entropic_terms(r, r.M * r.run.theta0)};
}
std::pair<Iterates, Quantities<Rational>> rotated_run_and_entropic_term(const PreconditionedRotation& r) {
  return {rotated_run(false)(r), entropic_terms(r, r.run.theta0)};
}

// ---- (c) the P-weighted charge --------------------------------------------------------------------

struct ChargeRun {
  TrainingRun run;  // lambda = 0, no momentum
  Mat<Rational> A;  // symmetric generator: l(e^{sA} theta) = l(theta)
  Mat<Rational> P;  // positive definite, PA = AP
  std::string name;
  std::string show() const {
    return run.show() + "; " + name + ", A = " + gen::show(A) + "; P = " + gen::show(P);
  }
};

// D + B B^T: positive definite, shrinks toward the identity.
rc::Gen<Mat<Rational>> spd(int m) {
  return rc::gen::exec([m]() {
    const Mat<Rational> B = *gen::matrix(m, m, gen::rational(2, 2));
    Mat<Rational> P = B * B.transpose();
    for (int i = 0; i < m; ++i) P(i, i) += *gen::positive_rational(3, 3);
    return P;
  });
}

gen::RunShape sgd_without_decay(ModelKind kind, std::vector<int> min_widths, std::vector<int> max_widths) {
  gen::RunShape shape;
  shape.kind = kind;
  shape.min_widths = std::move(min_widths);
  shape.max_widths = std::move(max_widths);
  shape.max_samples = 3;
  shape.max_batch = 2;
  shape.max_steps = 2;
  shape.weight_decay = false;
  return shape;
}

// Degenerate for a charge run (excluded): every batch gradient 0.
bool pushed_never(const ChargeRun& c) { return never_pushed(c.run); }

// Layer rescaling of f = W2 W1 x: A = diag(I on W1, -I on W2), P = diag(P_1, P_2).
rc::Gen<ChargeRun> rescaling_charge_runs() {
  return rc::gen::exec([]() {
    ChargeRun c;
    c.run = *gen::training_run(sgd_without_decay(ModelKind::deep_linear, {1, 1, 1}, {2, 2, 2}));
    const Layout layout = make_model<Rational>(c.run.spec)->layout();
    const int m1 = layout[0].size(), m2 = layout[1].size(), m = m1 + m2;
    c.A = Mat<Rational>::Identity(m, m);
    c.A.bottomRightCorner(m2, m2) *= -1;
    c.P = Mat<Rational>::Zero(m, m);
    c.P.topLeftCorner(m1, m1) = *spd(m1);
    c.P.bottomRightCorner(m2, m2) = *spd(m2);
    c.name = "layer rescaling (W1, W2) -> (e^s W1, e^-s W2)";
    return c;
  });
}

// Scale symmetry of l = 1/2 ((x^T theta)^2/||theta||^2 - y)^2: A = I, any P.
rc::Gen<ChargeRun> scale_charge_runs() {
  return rc::gen::exec([]() {
    ChargeRun c;
    c.run = *gen::training_run(sgd_without_decay(ModelKind::cosine_square, {1, 1}, {3, 1}));
    const int m = static_cast<int>(c.run.theta0.size());
    c.A = Mat<Rational>::Identity(m, m);
    c.P = *spd(m);
    c.name = "scale theta -> e^s theta";
    return c;
  });
}

// The run under the matrix learning rate P: eta^2 g_t^T A P g_t at every step, and what a charge
// Q = theta^T W theta gains, Q(theta_{t+1}) - Q(theta_t). The law has W = P^-1 A; the mutant W = A (the
// charge of plain SGD, which preconditioning does not keep).
std::vector<RunStep<Rational>> preconditioned_steps(const ChargeRun& c) {
  const auto model = make_model<Rational>(c.run.spec);
  SgdConfig<Rational> cfg = c.run.config();
  cfg.preconditioner = c.P;
  SgdState<Rational> state{c.run.theta0, Vec<Rational>()};
  std::vector<RunStep<Rational>> out;
  for (int t = 0; t < c.run.steps(); ++t) {
    const Vec<Rational> theta = state.theta;
    const Vec<Rational> g = sgd_step(*model, c.run.data, c.run.batches[t], cfg, state);
    out.push_back({t, theta, g, state.theta});
  }
  return out;
}
Quantities<Rational> drift_along_run(const ChargeRun& c) {
  Quantities<Rational> out;
  for (const RunStep<Rational>& s : preconditioned_steps(c))
    out.push_back({"step " + std::to_string(s.t) + ": gain of the charge",
                   Rational(c.run.eta * c.run.eta * s.g.dot(c.A * (c.P * s.g)))});
  return out;
}
auto charge_gain(bool weight_by_inverse_p) {
  return [weight_by_inverse_p](const ChargeRun& c) {
    const Mat<Rational> W = weight_by_inverse_p ? Mat<Rational>(exact_inverse(c.P) * c.A) : c.A;
    Quantities<Rational> out;
    for (const RunStep<Rational>& s : preconditioned_steps(c))
      out.push_back({"step " + std::to_string(s.t) + ": gain of the charge",
                     Rational(s.next.dot(W * s.next) - s.theta.dot(W * s.theta))});
    return out;
  };
}

}  // namespace

ENTROPIC_CLAIM(T3) {
  return Claim("T3", "Matrix learning rate")
      .provenance(Provenance::derived)
      .kind("order-3 (series in eta); exact identity")
      .part("n-step", "n steps on phi_Lambda = step theta - Lambda g + O(eta^3)", matrix_n_steps())
          .observe(corrected_n_steps)
          .predict(one_step)
          .compare(agree_through_order(3))
          .degenerate("grad l = 0 at the start", [](const MatrixNStep& m) { return start_is_stationary(m.start); })
          .feature("n", [](const MatrixNStep& m) { return m.n; })
      .part("plain", "plain n steps: error eta^2 (n-1)/(2n) P H P g + O(eta^3)", matrix_n_steps())
          .observe(plain_n_steps)
          .predict(one_step_plus_plain_error)
          .compare(agree_through_order(3))
          .mutant("uncorrected", "plain n steps (phi = l) = step + O(eta^3)", one_step)
          .degenerate("grad l = 0 at the start", [](const MatrixNStep& m) { return start_is_stationary(m.start); })
      .part("equivariance", "equivariance and invariant entropic term for OP = PO",
            gen::excluding(gen::preconditioned_rotation(PreconditionerFamily::commuting), runs_only_decay))
          .observe(moved_run_and_entropic_term)
          .predict(rotated_run_and_entropic_term)
          .degenerate("every batch gradient 0: the runs only decay (excluded by the generator)", runs_only_decay)
      .part("diagonal-p", "diagonal (Adam-like) P: theta~_t = O theta'_t, theta' the run under O^T P O",
            gen::excluding(gen::preconditioned_rotation(PreconditionerFamily::diagonal), runs_only_decay))
          .observe(moved_run)
          .predict(rotated_run(true))
          .mutant("equivariant", "equivariance with a diagonal (Adam-like) P", rotated_run(false))
          .degenerate("every batch gradient 0: the runs only decay (excluded by the generator)", runs_only_decay)
      .part("charge-rescaling", "charge theta^T P^-1 A theta, layer rescaling, P = diag(P1, P2)",
            gen::excluding(rescaling_charge_runs(), pushed_never))
          .observe(drift_along_run)
          .predict(charge_gain(true))
          .mutant("no-inverse", "charge theta^T A theta without P^-1", charge_gain(false))
          .degenerate("every batch gradient 0: the charge does not move (excluded by the generator)", pushed_never)
      .part("charge-scale", "charge theta^T P^-1 theta, scale symmetry, any P",
            gen::excluding(scale_charge_runs(), pushed_never))
          .observe(drift_along_run)
          .predict(charge_gain(true))
          .degenerate("every batch gradient 0: the charge does not move (excluded by the generator)", pushed_never);
}

}  // namespace entropic
