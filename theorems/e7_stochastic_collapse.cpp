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
// therefore uses a loss with terms odd in the flipped coordinate.
//
// Evidence, exact in Rational: runs that start on Fix(R) stay on it at every step (R theta_t == theta_t)
// for a hidden unit's sign flip in z - z^3/3 and identity nets, a permutation of hidden units (ReLU,
// z - z^3/3) and a sign flip of a polynomial loss even in that coordinate; the multipliers read off the
// optimizer's own Jacobian (forward mode through sgd_map) and the exponent's sign decided by the
// rational |1 - eta^2 c^2| < 1. The statistical part (the collapse rate of sampled runs against the
// exponent, with a confidence interval) is tests/stability/collapse_rate_test.cpp.
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
    const int steps = *rc::gen::inRange(1, kExactSteps + 1);
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

// R theta_0 = theta_0, and R theta_t = theta_t after every step.
Verdict stays_on_fixed_set(const FixedSetRun& f) {
  const auto model = make_model<Rational>(f.spec);
  SgdState<Rational> state{f.theta0, Vec<Rational>()};
  std::vector<Verdict> verdicts{compare<Rational>(Vec<Rational>(f.R * f.theta0), f.theta0, "R theta_0 = theta_0")};
  for (size_t t = 0; t < f.batches.size(); ++t) {
    sgd_step(*model, f.data, f.batches[t], f.cfg, state);
    verdicts.push_back(compare<Rational>(Vec<Rational>(f.R * state.theta), state.theta,
                                         "R theta_t = theta_t at t = " + std::to_string(t + 1)));
  }
  return all_of(verdicts);
}

// --- the exact example ------------------------------------------------------------------------------

struct UwOrigin {
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

// On p = (1, 1) and q = (1, -1), for both samples: the multipliers are 1 -+ eta y_i; GD multiplies by 1.
// Then |m_0 m_1| < 1 (the exponent 1/2 ln|m_0 m_1| < 0) iff eta^2 c^2 < 2, and E m^2 = 1 + eta^2 c^2 > 1.
// With `mean_square_necessary` (mutant) collapse is also claimed in mean square: E m^2 < 1 whenever the
// exponent is negative.
Verdict collapse_example(const UwOrigin& o, bool mean_square_necessary) {
  Vec<Rational> p(2), q(2);
  p << 1, 1;
  q << 1, -1;
  std::vector<Verdict> verdicts;
  const Rational x2 = o.eta * o.eta * o.c * o.c;
  for (const auto& [v, name, sign] : {std::tuple{p, "p", 1}, std::tuple{q, "q", -1}}) {
    std::vector<Rational> m;
    for (int i = 0; i < 2; ++i) {
      const auto mi = multiplier(o, Batch{i}, v);
      if (!mi) return Verdict{Outcome::violated, "rational", Evidence::exact, "J v not parallel to v",
                              std::string(name) + " is an eigenvector of the step on sample " + std::to_string(i)};
      m.push_back(*mi);
    }
    const Rational c = o.c;
    verdicts.push_back(compare<Rational>(m[0], Rational(1 + sign * o.eta * c),
                                         std::string(name) + "' = (1 " + (sign > 0 ? "+" : "-") + " eta c) " + name));
    verdicts.push_back(compare<Rational>(m[1], Rational(1 - sign * o.eta * c),
                                         std::string(name) + "' = (1 " + (sign > 0 ? "-" : "+") + " eta c) " + name));
    const auto gd = multiplier(o, Batch{0, 1}, v);
    verdicts.push_back(compare<Rational>(gd.value_or(Rational(0)), Rational(1), std::string("GD: ") + name + "' = " + name));
    const Rational product = m[0] * m[1], mean_square = (m[0] * m[0] + m[1] * m[1]) / 2;
    const bool negative_exponent = abs(product) < 1;
    const bool predicted = x2 < 2;  // 0 < eta |c| < sqrt 2
    verdicts.push_back(Verdict{negative_exponent == predicted ? Outcome::holds : Outcome::violated, "rational",
                               Evidence::exact, "|m_0 m_1| = " + to_text(Rational(abs(product))),
                               std::string("exponent 1/2 ln|m_0 m_1| < 0 iff eta^2 c^2 < 2 along ") + name});
    verdicts.push_back(compare<Rational>(mean_square, Rational(1 + x2), std::string("E m^2 = 1 + eta^2 c^2 along ") + name));
    if (mean_square_necessary && negative_exponent)
      verdicts.push_back(Verdict{mean_square < 1 ? Outcome::holds : Outcome::violated, "rational", Evidence::exact,
                                 "E m^2 = " + to_text(mean_square),
                                 std::string("collapse along ") + name + " implies E m^2 < 1"});
    else
      verdicts.push_back(Verdict{mean_square > 1 ? Outcome::holds : Outcome::violated, "rational", Evidence::exact,
                                 "E m^2 - 1 = " + to_text(Rational(mean_square - 1)),
                                 std::string("E m^2 > 1 along ") + name});
  }
  return all_of(verdicts);
}

template <class Instance>
std::string show(const Instance& i) {
  return i.show();
}

}  // namespace

ENTROPIC_CLAIM(E7) {
  return Claim("E7", "Stochastic collapse")
      .provenance(Provenance::classical)
      .kind("exact identity; exact exponent")
      .part("Fix(R) invariant: sign flip (odd net), permutation of hidden units", network_runs(),
            stays_on_fixed_set, show<FixedSetRun>)
      .part("Fix(R) of a ReLU unit's sign flip (the dead unit) invariant too: relu(0) = 0",
            rc::gen::map(gen::sign_flip_runs(ActivationKind::relu, kExactSteps), on_fixed_set),
            stays_on_fixed_set, show<FixedSetRun>)
      .part("Fix(R) invariant: t1 -> -t1 of a loss even in t1", polynomial_runs(false), stays_on_fixed_set,
            show<FixedSetRun>)
      .part("uw at the origin: multipliers 1 +- eta c, exponent < 0 iff eta^2 c^2 < 2, E m^2 > 1",
            uw_origins(), [](const UwOrigin& o) { return collapse_example(o, false); }, show<UwOrigin>)
      .mutant("Fix(R) invariant for a sign flip that is not a symmetry (terms odd in t1)",
              polynomial_runs(true), stays_on_fixed_set, show<FixedSetRun>)
      .mutant("mean-square collapse is necessary", uw_origins(),
              [](const UwOrigin& o) { return collapse_example(o, true); }, show<UwOrigin>);
}

}  // namespace entropic
