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
// (c) If l(e^{sA} theta) = l(theta) with A symmetric and PA = AP, then P^{-1} A is symmetric and one
//     step theta' = theta - eta P g at lambda = 0 moves Q = theta^T P^{-1} A theta by exactly
//         Q' - Q = eta^2 g^T A P g,
//     because the cross terms are eta g^T A theta = 0 (catalog section 0).
//
// Evidence: (a) power series in eta with exact rational coefficients on a non-quadratic polynomial
// loss in two parameters, P rational, positive definite and not diagonal; (b), (c) exact rational
// runs. P commuting with the symmetry is built exactly: P = a I + b (O + O^T) for a hidden rotation
// O of a linear two-layer net; P = diag(P_1, P_2) for the layer rescaling A = diag(I, -I); any P for
// the scale symmetry A = I. Mutants: a diagonal (Adam-like) P in (b) (negative control N6), the
// uncorrected n steps claimed O(eta^3) (negative control N8), the charge without P^{-1}.
#include <Eigen/LU>

#include "entropic/theory/entropic_loss.hpp"
#include "entropic/theory/equivariance.hpp"
#include "entropic/theory/n_step.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/polynomial_start.hpp"
#include "entropic/gen/preconditioned_rotation.hpp"

namespace entropic {
namespace {

using Ser = Series<Rational>;

// ---- (a) n steps with a matrix learning rate, as series in eta ------------------------------------

struct MatrixNStep {
  PolynomialStart start;
  int n = 1;
  Mat<Rational> P;  // 2 x 2, positive definite, off-diagonal entry != 0
  std::string show() const {
    return start.show() + "; n = " + std::to_string(n) + "; P = " + gen::show(P);
  }
};

// P = [[a, t m], [t m, d]] with m = min(a, d) and 0 < |t| < 1: positive definite (t^2 m^2 < a d).
rc::Gen<Mat<Rational>> spd_non_diagonal_2x2() {
  return rc::gen::exec([]() {
    const Rational a = *gen::positive_rational(4, 4), d = *gen::positive_rational(4, 4);
    const auto [p, q] = *rc::gen::pair(rc::gen::inRange(1, 4), rc::gen::inRange(1, 4));
    const Rational t = (*rc::gen::arbitrary<bool>() ? -1 : 1) * Rational(p, p + q);
    Mat<Rational> P(2, 2);
    P << a, t * std::min(a, d), t * std::min(a, d), d;
    return P;
  });
}

rc::Gen<MatrixNStep> matrix_n_steps() {
  return rc::gen::exec([]() {
    return MatrixNStep{*gen::polynomial_start(PolynomialDegree::cubic),
                       *rc::gen::elementOf(std::vector<int>{1, 2, 3, 5}), *spd_non_diagonal_2x2()};
  });
}

// theta'_n - (theta - eta P g) as a series in eta, for phi with coefficient c.
Vec<Ser> matrix_n_step_residual(const MatrixNStep& in, const Rational& c) {
  const PolynomialStart& p = in.start;
  const Ser eta = Ser::variable(3);
  const DataSet<Ser> data = p.data<Ser>();
  const Vec<Ser> theta = from_rational<Ser>(p.theta);
  const Ser lambda(p.lambda);
  const Mat<Ser> Lambda = from_rational<Ser>(in.P) * eta;
  const Vec<Ser> n_steps = n_step_map<Ser>(p.spec, data, p.batch(), lambda, Lambda, Ser(c), in.n, theta);
  const auto model = make_model<Ser>(p.spec);
  const Vec<Ser> one_step = theta - Lambda * Vec<Ser>(model->gradient(theta, data, p.batch()) + lambda * theta);
  return n_steps - one_step;
}

Verdict corrected_n_steps(const MatrixNStep& in) {
  return order_claim(matrix_n_step_residual(in, n_step_coefficient(in.n)), 3,
                     "n = " + std::to_string(in.n) + ": theta'_n - (theta - Lambda g), c = (n-1)/(4n)");
}

// Plain steps: residual - eta^2 (n-1)/(2n) P H P g = O(eta^3). With `claim_exact` the wrong claim
// that plain steps are already O(eta^3) (the mutant).
Verdict plain_n_steps(const MatrixNStep& in, bool claim_exact) {
  Vec<Ser> r = matrix_n_step_residual(in, Rational(0));
  std::string what = "n = " + std::to_string(in.n) + ": plain steps theta'_n - (theta - Lambda g)";
  if (!claim_exact) {
    const PolynomialStart& p = in.start;
    const DataSet<Rational> data = p.data<Rational>();
    const Vec<Rational> g = make_model<Rational>(p.spec)->gradient(p.theta, data, p.batch()) + p.lambda * p.theta;
    const Vec<Rational> Pg = in.P * g;
    const Vec<Rational> PHPg =
        in.P * Vec<Rational>(hessian_vector_product(p.spec, data, p.batch(), p.theta, Pg) + p.lambda * Pg);
    const Ser eta = Ser::variable(3);
    for (Eigen::Index i = 0; i < r.size(); ++i) r[i] -= eta * eta * Ser(Rational(in.n - 1, 2 * in.n) * PHPg[i]);
    what += " - eta^2 (n-1)/(2n) P H P g";
  }
  return order_claim(r, 3, what);
}

// ---- (b) equivariance and the invariant entropic term -------------------------------------------

// theta~_t = O theta_t at every step, and (grad l^T P grad l)(O theta_0) = (grad l^T P grad l)(theta_0)
// on every batch of the run.
Verdict equivariance(const PreconditionedRotation& r) {
  const auto model = make_model<Rational>(r.run.spec);
  std::vector<Verdict> parts;
  for (const auto& twin : twin_runs(*model, r.run.data, r.run.batches, r.config_as<Rational>(),
                                    r.run.theta0, r.M))
    parts.push_back(compare<Rational>(twin.tilde, twin.image,
                                      "step " + std::to_string(twin.t) + ": theta~_t = O theta_t"));
  const Vec<Rational> moved = r.M * r.run.theta0;
  for (size_t t = 0; t < r.run.batches.size(); ++t) {
    const Batch& B = r.run.batches[t];
    const Vec<Rational> g = regularized_gradient(*model, r.run.data, B, r.run.theta0, r.run.lambda);
    const Vec<Rational> g_moved = regularized_gradient(*model, r.run.data, B, moved, r.run.lambda);
    parts.push_back(compare<Rational>(Rational(g_moved.dot(r.P * g_moved)), Rational(g.dot(r.P * g)),
                                      "batch " + std::to_string(t) +
                                          ": grad l^T P grad l at O theta_0 and theta_0"));
  }
  return all_of(parts);
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

// Q(theta_{t+1}) = Q(theta_t) + eta^2 g_t^T A P g_t with Q = theta^T W theta, W = P^{-1} A (the law)
// or W = A (the mutant: the charge of plain SGD, which preconditioning does not keep).
Verdict charge_law(const ChargeRun& c, bool weight_by_inverse_p) {
  const Mat<Rational> W = weight_by_inverse_p ? Mat<Rational>(c.P.fullPivLu().inverse() * c.A) : c.A;
  const auto model = make_model<Rational>(c.run.spec);
  SgdConfig<Rational> cfg = c.run.config();
  cfg.preconditioner = c.P;
  SgdState<Rational> state{c.run.theta0, Vec<Rational>()};
  std::vector<Verdict> parts;
  const std::string Q = weight_by_inverse_p ? "theta^T P^-1 A theta" : "theta^T A theta";
  for (int t = 0; t < c.run.steps(); ++t) {
    const Vec<Rational> theta = state.theta;
    const Vec<Rational> g = sgd_step(*model, c.run.data, c.run.batches[t], cfg, state);
    const Rational before = theta.dot(W * theta), after = state.theta.dot(W * state.theta);
    parts.push_back(compare<Rational>(Rational(after - before), Rational(c.run.eta * c.run.eta * g.dot(c.A * (c.P * g))),
                                      "step " + std::to_string(t) + ": " + Q + " gains eta^2 g^T A P g"));
  }
  return all_of(parts);
}

template <class Instance>
std::string show(const Instance& in) {
  return in.show();
}

}  // namespace

ENTROPIC_CLAIM(T3) {
  return Claim("T3", "Matrix learning rate")
      .provenance(Provenance::derived)
      .kind("order-3 (series in eta); exact identity")
      .part("n steps on phi_Lambda = step theta - Lambda g + O(eta^3)", matrix_n_steps(),
            corrected_n_steps, show<MatrixNStep>)
      .part("plain n steps: error eta^2 (n-1)/(2n) P H P g + O(eta^3)", matrix_n_steps(),
            [](const MatrixNStep& in) { return plain_n_steps(in, false); }, show<MatrixNStep>)
      .part("equivariance and invariant entropic term for OP = PO",
            gen::preconditioned_rotation(PreconditionerFamily::commuting), equivariance,
            show<PreconditionedRotation>)
      .part("charge theta^T P^-1 A theta, layer rescaling, P = diag(P1, P2)", rescaling_charge_runs(),
            [](const ChargeRun& c) { return charge_law(c, true); }, show<ChargeRun>)
      .part("charge theta^T P^-1 theta, scale symmetry, any P", scale_charge_runs(),
            [](const ChargeRun& c) { return charge_law(c, true); }, show<ChargeRun>)
      .mutant("equivariance with a diagonal (Adam-like) P",
              gen::preconditioned_rotation(PreconditionerFamily::diagonal), equivariance,
              show<PreconditionedRotation>)
      .mutant("plain n steps (phi = l) = step + O(eta^3)", matrix_n_steps(),
              [](const MatrixNStep& in) { return plain_n_steps(in, true); }, show<MatrixNStep>)
      .mutant("charge theta^T A theta without P^-1", rescaling_charge_runs(),
              [](const ChargeRun& c) { return charge_law(c, false); }, show<ChargeRun>);
}

}  // namespace entropic
