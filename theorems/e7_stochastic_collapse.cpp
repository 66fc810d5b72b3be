// E7 — Stochastic collapse (catalog E7; classical: Chen, Kunin, Yamamura, Ganguli, 2023).
//
// Invariance. If R is orthogonal and l_i(R theta) = l_i(theta) for every sample, then on
// Fix(R) = {theta : R theta = theta} every batch gradient satisfies R g = g (grad l(R theta) = R grad l),
// so theta - eta (g + lambda theta) and the momentum buffer stay in Fix(R): Fix(R) is invariant under
// GD, SGD, weight decay, heavy ball and Nesterov.
//
// Attractivity, exact example: f = u w x with x = (1, 1), y = (c, -c), S = 1. At the origin the
// one-step map of the batch {i} is I - eta H_i(0), H_i(0) = [[0, -y_i], [-y_i, 0]], so p = u + w and
// q = u - w are multiplied by 1 + eta y_i and 1 - eta y_i: each by 1 + eta c or 1 - eta c with
// probability 1/2. The almost-sure exponent is
//     E ln|mult| = 1/2 ln|1 - eta^2 c^2| < 0   iff   |1 - eta^2 c^2| < 1   iff   0 < eta |c| < sqrt 2,
// whereas E mult^2 = 1 + eta^2 c^2 > 1: the origin attracts almost surely but not in mean square
// (mean-square collapse is stronger than, not necessary for, collapse). GD (the mean, y-bar = 0)
// multiplies by exactly 1 and does not collapse.
//
// The hypothesis is sufficient, not necessary: the fixed set of a hidden unit's sign flip is the dead
// unit (its in- and out-weights 0), which no gradient leaves whenever sigma(0) = 0, odd or not (ReLU
// included; every activation of the library has sigma(0) = 0). The mutant that drops the symmetry
// therefore uses a loss with terms odd in the flipped coordinate: from theta_0 = (0, t2) the first step
// moves t1 to -eta (1 + beta [Nesterov]) dl/dt1(theta_0), which the part predicts and the mutant
// ("Fix(R) invariant anyway") puts at 0.
//
// Evidence, exact in Rational: runs that start on Fix(R) stay on it at every step (R theta_t == theta_t)
// for a hidden unit's sign flip in z - z^3/3 and identity nets, a permutation of hidden units (ReLU,
// z - z^3/3) and a sign flip of a polynomial loss even in that coordinate; the multipliers read off the
// optimizer's own Jacobian (forward mode through sgd_map) and the exponent's sign decided by the
// rational |1 - eta^2 c^2| < 1. The statistical part (the collapse rate of sampled runs against the
// exponent, with a confidence interval) is tests/stability/collapse_rate_test.cpp.
#include <algorithm>

#include "entropic/symmetry/symmetry.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/symmetric_run.hpp"

namespace entropic {
namespace {

// Exact runs stay short: the digits of z - z^3/3 nets grow sevenfold per step (as in T4).
constexpr int kCubicSteps = 3;
constexpr int kExactSteps = 4;

// A run that starts on Fix(R) of an orthogonal R.
struct FixedSetRun {
  ModelSpec spec;
  DataSet<Rational> data;
  std::vector<Batch> batches;
  SgdConfig<Rational> cfg;
  Vec<Rational> theta0;
  Mat<Rational> R;
  std::string text;
  std::string show() const { return text; }
};

// The projection of theta onto Fix(R) for R of finite order: the mean of R^k theta over k = 0..ord-1.
Vec<Rational> onto_fixed_set(const Mat<Rational>& R, const Vec<Rational>& theta) {
  const Mat<Rational> I = Mat<Rational>::Identity(R.rows(), R.cols());
  Vec<Rational> sum = theta, image = R * theta;
  Mat<Rational> power = R;
  int order = 1;
  while (power != I) {
    sum += image;
    image = R * image;
    power = R * power;
    ++order;
  }
  return sum / Rational(order);
}

FixedSetRun on_fixed_set(const SymmetricRun& r) {
  FixedSetRun f{r.run.spec, r.run.data, r.run.batches, r.config_as<Rational>(), r.run.theta0, r.g.M, ""};
  f.theta0 = onto_fixed_set(f.R, r.run.theta0);
  TrainingRun projected = r.run;
  projected.theta0 = f.theta0;
  f.text = projected.show() + (r.nesterov ? ", nesterov" : "") + "; R = " + r.action;
  return f;
}

bool moves(const Mat<Rational>& R) { return R != Mat<Rational>::Identity(R.rows(), R.cols()); }

// A hidden unit's sign flip of an odd net (z - z^3/3 or the identity), or a nontrivial permutation of
// hidden units (ReLU or z - z^3/3); heavy ball or Nesterov when beta != 0, weight decay 0 or > 0.
rc::Gen<FixedSetRun> network_runs() {
  using A = ActivationKind;
  const auto permutations =
      rc::gen::suchThat(gen::hidden_permutation_runs({A::relu, A::odd_cubic}, kExactSteps),
                        [](const SymmetricRun& r) { return moves(r.g.M); });
  return rc::gen::map(rc::gen::oneOf(gen::sign_flip_runs(A::odd_cubic, kCubicSteps),
                                     gen::sign_flip_runs(A::linear, kExactSteps), permutations),
                      on_fixed_set);
}

// l(t1, t2) = sum c_e t1^e1 t2^e2 with R = diag(-1, 1). With `odd_terms` the loss also has terms odd in
// t1 (the mutant's instances: R is then not a symmetry).
rc::Gen<FixedSetRun> polynomial_runs(bool odd_terms) {
  return rc::gen::exec([odd_terms]() {
    std::vector<std::vector<int>> exponents = {{0, 1}, {0, 2}, {2, 0}, {2, 1}, {0, 3}, {4, 0}};
    if (odd_terms)
      for (const std::vector<int>& e : {std::vector<int>{1, 0}, {1, 1}, {1, 2}, {3, 0}}) exponents.push_back(e);
    FixedSetRun f;
    f.spec.kind = ModelKind::polynomial;
    f.spec.widths = {2, 1};
    std::string loss;
    for (const auto& e : exponents) {
      const Rational c = *gen::rational(4, 4);
      f.spec.polynomial.push_back(Monomial{c, e});
      if (c == 0) continue;
      loss += (loss.empty() ? "" : " + ") + to_text(c) + " t1^" + std::to_string(e[0]) + " t2^" +
              std::to_string(e[1]);
    }
    f.data = DataSet<Rational>{Mat<Rational>::Zero(1, 1), Mat<Rational>::Zero(1, 1)};
    const int steps = *gen::in_range(1, kExactSteps + 1);
    f.batches.assign(steps, Batch{0});
    const Rational eta = *gen::step_size(), lambda = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size());
    const Rational beta = *rc::gen::oneOf(rc::gen::just(Rational(0)), gen::step_size(Rational(9, 10)));
    const bool nesterov = !(beta == 0) && *rc::gen::arbitrary<bool>();
    f.cfg = SgdConfig<Rational>{eta, lambda, beta, nesterov, {}};
    f.theta0 = Vec<Rational>(2);
    f.theta0 << 0, *gen::rational(4, 4);
    f.R = Mat<Rational>::Identity(2, 2);
    f.R(0, 0) = -1;
    f.text = "l = " + (loss.empty() ? std::string("0") : loss) + "; R: t1 -> -t1; theta0 = [0, " + to_text(f.theta0[1]) + "]; eta = " +
             to_text(eta) + ", lambda = " + to_text(lambda) + ", beta = " + to_text(beta) +
             (nesterov ? ", nesterov" : "") + "; steps = " + std::to_string(steps);
    return f;
  });
}

// theta_0 and theta_t after every step.
std::vector<Vec<Rational>> iterates(const FixedSetRun& f) {
  const auto model = make_model<Rational>(f.spec);
  SgdState<Rational> state{f.theta0, Vec<Rational>()};
  std::vector<Vec<Rational>> out{f.theta0};
  for (const Batch& batch : f.batches) {
    sgd_step(*model, f.data, batch, f.cfg, state);
    out.push_back(state.theta);
  }
  return out;
}
std::string iterate_name(size_t t) { return t == 0 ? "theta_0" : "theta_t at t = " + std::to_string(t); }
// R theta_t (observed) = theta_t (the invariance), at t = 0 and after every step.
Quantities<Vec<Rational>> images_under_r(const FixedSetRun& f) {
  Quantities<Vec<Rational>> out;
  const auto thetas = iterates(f);
  for (size_t t = 0; t < thetas.size(); ++t) out.push_back({"R " + iterate_name(t), Vec<Rational>(f.R * thetas[t])});
  return out;
}
Quantities<Vec<Rational>> fixed_by_r(const FixedSetRun& f) {
  Quantities<Vec<Rational>> out;
  const auto thetas = iterates(f);
  for (size_t t = 0; t < thetas.size(); ++t) out.push_back({"R " + iterate_name(t), thetas[t]});
  return out;
}

// Off the hypothesis: from theta_0 = (0, t2) the first step's direction along t1 is
// (1 + beta [Nesterov]) dl/dt1 (weight decay adds lambda t1 = 0; the momentum buffer starts at d), with
// dl/dt1(0, t2) = sum over the terms with e1 = 1 of c t2^e2: t1 after the first step is
// -eta (1 + beta [Nesterov]) dl/dt1(theta_0).
Rational t1_after_first_step(const FixedSetRun& f) {
  const auto model = make_model<Rational>(f.spec);
  SgdState<Rational> state{f.theta0, Vec<Rational>()};
  sgd_step(*model, f.data, f.batches.front(), f.cfg, state);
  return state.theta[0];
}
Rational first_step_off_fixed_set(const FixedSetRun& f) {
  Rational dl_dt1 = 0;
  for (const Monomial& m : f.spec.polynomial)
    if (m.exponents[0] == 1) {
      Rational term = m.coefficient;
      for (int k = 0; k < m.exponents[1]; ++k) term *= f.theta0[1];
      dl_dt1 += term;
    }
  const Rational direction = (f.cfg.nesterov ? Rational(1 + f.cfg.momentum) : Rational(1)) * dl_dt1;
  return -f.cfg.lr * direction;
}
// Mutant: Fix(R) is invariant anyway, t1 stays 0.
Rational stays_at_t1_zero(const FixedSetRun&) { return 0; }

// Degenerate for the invariance parts: a run that never moves (theta_t = theta_0: zero gradient and
// no decay) stays on Fix(R) whatever R does.
bool stands_still(const FixedSetRun& f) {
  const auto thetas = iterates(f);
  return std::all_of(thetas.begin(), thetas.end(), [&](const Vec<Rational>& t) { return t == thetas.front(); });
}
// Degenerate for odd-loss: dl/dt1(theta_0) = 0, the first step stays on Fix(R) and the mutant agrees.
bool first_step_stays(const FixedSetRun& f) { return first_step_off_fixed_set(f) == 0; }

// --- the exact example ------------------------------------------------------------------------------

struct UwOrigin {
  static int parameter_count() { return 2; }  // u, w
  Rational c, eta;
  std::string show() const {
    return "f = u w x, x = (1, 1), y = (" + to_text(c) + ", " + to_text(Rational(-c)) + "), S = 1; eta = " +
           to_text(eta);
  }
};

// c != 0 and eta |c| in (0, 3].
rc::Gen<UwOrigin> uw_origins() {
  return rc::gen::exec([]() {
    UwOrigin o;
    o.c = *gen::nonzero_rational(4, 4);
    o.eta = *gen::step_size(Rational(3)) / abs(o.c);
    return o;
  });
}

// J v for the one-step map theta -> sgd_map(theta) on `batch` at theta = 0 (forward mode through the
// optimizer).
Vec<Rational> step_jacobian(const UwOrigin& o, const Batch& batch, const Vec<Rational>& v) {
  using D = Dual<Rational>;
  ModelSpec spec;
  spec.kind = ModelKind::deep_linear;
  spec.widths = {1, 1, 1};
  const auto model = make_model<D>(spec);
  Mat<D> X(2, 1), Y(2, 1);
  X << D(1), D(1);
  Y << D(o.c), D(Rational(-o.c));
  const DataSet<D> data{X, Y};
  Vec<D> theta(2);
  theta << D(Rational(0), v[0]), D(Rational(0), v[1]);
  const Vec<D> next = sgd_map(*model, data, batch, SgdConfig<D>{D(o.eta), D(0), D(0), false, {}}, theta);
  Vec<Rational> out(2);
  out << next[0].tangent(), next[1].tangent();
  return out;
}

// The multiplier of the eigenvector v under the step on `batch`: J v = m v exactly, or nothing.
std::optional<Rational> multiplier(const UwOrigin& o, const Batch& batch, const Vec<Rational>& v) {
  const Vec<Rational> image = step_jacobian(o, batch, v);
  const Rational m = image[0] / v[0];
  if (image != Vec<Rational>(m * v)) return std::nullopt;
  return m;
}

Verdict exact(bool holds, const std::string& residual, const std::string& what) {
  return holds ? Verdict::holds(Arithmetic::rational(), residual, what)
               : Verdict::violated(Arithmetic::rational(), residual, what);
}

// What is said of E m^2 along an eigenvector `name`, given the multipliers m_0, m_1 of the two samples.
using MeanSquareClaim = Verdict (*)(const Rational& m0, const Rational& m1, const std::string& name);
// E m^2 > 1: no collapse in mean square.
Verdict mean_square_above_one(const Rational& m0, const Rational& m1, const std::string& name) {
  const Rational mean_square = (m0 * m0 + m1 * m1) / 2;
  return exact(mean_square > 1, "E m^2 - 1 = " + to_text(Rational(mean_square - 1)), "E m^2 > 1 along " + name);
}
// Mutant: collapse (|m_0 m_1| < 1) implies E m^2 < 1.
Verdict mean_square_collapse_necessary(const Rational& m0, const Rational& m1, const std::string& name) {
  if (!(abs(m0 * m1) < 1)) return mean_square_above_one(m0, m1, name);
  const Rational mean_square = (m0 * m0 + m1 * m1) / 2;
  return exact(mean_square < 1, "E m^2 = " + to_text(mean_square), "collapse along " + name + " implies E m^2 < 1");
}

// On p = (1, 1) and q = (1, -1), for both samples: the multipliers are 1 -+ eta y_i; GD multiplies by 1.
// Then |m_0 m_1| < 1 (the exponent 1/2 ln|m_0 m_1| < 0) iff eta^2 c^2 < 2, E m^2 = 1 + eta^2 c^2, and
// `mean_square` says what E m^2 does (the catalog: E m^2 > 1).
auto collapse_example(MeanSquareClaim mean_square) {
  return [mean_square](const UwOrigin& o) {
    Vec<Rational> p(2), q(2);
    p << 1, 1;
    q << 1, -1;
    std::vector<Verdict> verdicts;
    const Rational x2 = o.eta * o.eta * o.c * o.c;
    for (const auto& [v, name, sign] : {std::tuple{p, std::string("p"), 1}, std::tuple{q, std::string("q"), -1}}) {
      std::vector<Rational> m;
      for (int i = 0; i < 2; ++i) {
        const auto mi = multiplier(o, Batch{i}, v);
        if (!mi)
          return exact(false, "J v not parallel to v",
                       name + " is an eigenvector of the step on sample " + std::to_string(i));
        m.push_back(*mi);
      }
      verdicts.push_back(compare<Rational>(m[0], Rational(1 + sign * o.eta * o.c),
                                           name + "' = (1 " + (sign > 0 ? "+" : "-") + " eta c) " + name));
      verdicts.push_back(compare<Rational>(m[1], Rational(1 - sign * o.eta * o.c),
                                           name + "' = (1 " + (sign > 0 ? "-" : "+") + " eta c) " + name));
      const auto gd = multiplier(o, Batch{0, 1}, v);
      verdicts.push_back(compare<Rational>(gd.value_or(Rational(0)), Rational(1), "GD: " + name + "' = " + name));
      const Rational product = m[0] * m[1];
      verdicts.push_back(exact((abs(product) < 1) == (x2 < 2), "|m_0 m_1| = " + to_text(Rational(abs(product))),
                               "exponent 1/2 ln|m_0 m_1| < 0 iff eta^2 c^2 < 2 along " + name));
      verdicts.push_back(compare<Rational>(Rational((m[0] * m[0] + m[1] * m[1]) / 2), Rational(1 + x2),
                                           "E m^2 = 1 + eta^2 c^2 along " + name));
      verdicts.push_back(mean_square(m[0], m[1], name));
    }
    return all_of(verdicts);
  };
}

}  // namespace

ENTROPIC_CLAIM(E7) {
  return Claim("E7", "Stochastic collapse")
      .provenance(Provenance::classical)
      .kind("exact identity; exact exponent")
      .part("odd-net", "Fix(R) invariant: sign flip (odd net), permutation of hidden units", network_runs())
          .observe(images_under_r)
          .predict(fixed_by_r)
          .degenerate("theta_t = theta_0 at every step: a run that never moves", stands_still)
          .feature("steps", [](const FixedSetRun& f) { return int(f.batches.size()); })
      .part("relu-dead-unit", "Fix(R) of a ReLU unit's sign flip (the dead unit) invariant too: relu(0) = 0",
            rc::gen::map(gen::sign_flip_runs(ActivationKind::relu, kExactSteps), on_fixed_set))
          .observe(images_under_r)
          .predict(fixed_by_r)
          .degenerate("theta_t = theta_0 at every step: a run that never moves", stands_still)
          .feature("steps", [](const FixedSetRun& f) { return int(f.batches.size()); })
      .part("even-loss", "Fix(R) invariant: t1 -> -t1 of a loss even in t1",
            rc::gen::suchThat(polynomial_runs(false), [](const FixedSetRun& f) { return !stands_still(f); }))
          .observe(images_under_r)
          .predict(fixed_by_r)
          .degenerate("theta_t = theta_0 at every step: a run that never moves", stands_still)
          .feature("steps", [](const FixedSetRun& f) { return int(f.batches.size()); })
      .part("odd-loss", "t1 -> -t1 of a loss with terms odd in t1: the first step leaves Fix(R), "
                        "t1' = -eta (1 + beta [Nesterov]) dl/dt1(theta_0)",
            rc::gen::suchThat(polynomial_runs(true), [](const FixedSetRun& f) { return !first_step_stays(f); }))
          .observe(t1_after_first_step)
          .predict(first_step_off_fixed_set)
          .mutant("invariant", "Fix(R) invariant for a sign flip that is not a symmetry (terms odd in t1)",
                  stays_at_t1_zero)
          .degenerate("dl/dt1(theta_0) = 0: the first step stays on Fix(R) (excluded by the generator)", first_step_stays)
          .feature("momentum", [](const FixedSetRun& f) { return f.cfg.momentum != 0; })
      .part("uw-origin", "uw at the origin: multipliers 1 +- eta c, exponent < 0 iff eta^2 c^2 < 2, E m^2 > 1",
            uw_origins())
          .check(collapse_example(mean_square_above_one))
          .nondegenerate("c != 0 and eta |c| in (0, 3] by construction; both sides of eta^2 c^2 = 2 occur")
          .feature("collapses (eta^2 c^2 < 2)", [](const UwOrigin& o) { return o.eta * o.eta * o.c * o.c < 2; })
          .mutant("mean-square", "mean-square collapse is necessary", collapse_example(mean_square_collapse_necessary));
}

}  // namespace entropic
