// T9 — Translation symmetry: no entropic force (catalog T9).
//
// If l(theta + c v) = l(theta) for every c, then v^T g = 0 and one SGD step moves the translation
// charge s = v^T theta exactly as
//     v^T theta_{t+1} = (1 - eta lambda) v^T theta_t,
// with no eta^2 term: translations are isometries. Heavy ball (beta, PyTorch form) gives
//     s_1 = (1 - eta lambda) s_0,   s_{t+1} = (1 + beta - eta lambda) s_t - beta s_{t-1}.
// phi_1 = 1/4 ||g + lambda theta||^2 does not feel the data along v: since g(theta + c v) = g(theta)
// and v^T g = 0,
//     phi_1(theta + c v) - phi_1(theta) = lambda^2/4 (2 c v^T theta + c^2 ||v||^2),
// so phi_1 is constant along v at lambda = 0, and at lambda > 0 it moves along v only through the
// weight-decay term (the catalog's "phi_1 is constant along v" holds at lambda = 0 only; a mutant
// below states it at lambda > 0 and is falsified).
// Rational instance: l = 1/2 (x^T (I - 11^T/d) theta - y)^2 with v = 1. Certified instance: softmax
// regression with bias, whose loss is invariant under the logit shift z -> z + c 1, i.e. under
// b -> b + c 1 (v = ones on the bias) and under adding c to a column of W (the shift c x_j).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace {

// Precision of the certified part.
constexpr unsigned kCertifiedBits = 256;

// l = 1/2 (x^T (I - 11^T/d) theta - y)^2, d = 1..3; with heavy ball if `momentum`.
gen::RunShape centered_linear(bool momentum) {
  gen::RunShape shape;
  shape.kind = ModelKind::centered_linear;
  shape.min_widths = {1, 1};
  shape.max_widths = {3, 1};
  shape.max_samples = 4;
  shape.max_batch = 3;
  shape.momentum = momentum;
  if (momentum) {
    shape.min_steps = 2;
    shape.max_steps = 4;
  }
  return shape;
}

// Softmax regression with bias: up to 3 inputs and 3 classes.
gen::RunShape softmax_with_bias() {
  gen::RunShape shape;
  shape.kind = ModelKind::softmax;
  shape.min_widths = {1, 2};
  shape.max_widths = {3, 3};
  shape.bias = true;
  shape.max_samples = 4;
  shape.max_batch = 3;
  return shape;
}

// The all-ones direction of the centered model's parameter vector.
Symmetry<Rational> shift_along_ones(const TrainingRun& run, const Rational& c) {
  const auto model = make_model<Rational>(run.spec);
  return translation<Rational>(model->layout(), Vec<Rational>::Ones(model->parameter_count()), c);
}

// What a law predicts for v^T theta_{t+1}. The first is the catalog's; the others are mutants.
enum class ChargeLaw {
  exact,           // (1 - eta lambda) v^T theta
  spurious_drift,  // (1 - eta lambda) v^T theta + eta^2 ||g||^2, as if v^T theta were a quadratic charge
  squared_decay,   // (1 - eta lambda)^2 v^T theta
};

// v^T g = 0 and the charge follows `law` at every step.
Verdict charge_law(const TrainingRun& run, ChargeLaw law) {
  const Symmetry<Rational> shift = shift_along_ones(run, Rational(1));
  const Rational decay = 1 - run.eta * run.lambda;
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0",
              "v^T g = 0 and v^T theta' = (1 - eta lambda) v^T theta at every step"};
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>& g,
                                   const Vec<Rational>& next) {
    if (out.outcome != Outcome::holds) return;
    const std::string step = " at step " + std::to_string(t);
    Mat<Rational> predicted = predicted_charge_after_step(shift, theta, g, run.eta, run.lambda);
    if (law == ChargeLaw::spurious_drift) predicted(0, 0) += run.eta * run.eta * g.squaredNorm();
    if (law == ChargeLaw::squared_decay) predicted(0, 0) *= decay;
    out = all_of({compare_entries<Rational>(shift.charge(g), Mat<Rational>::Zero(1, 1), "v^T g = 0" + step),
                  compare_entries<Rational>(shift.charge(next), predicted, "translation law" + step)});
  });
  return out;
}

// Heavy ball: s_1 = (1 - eta lambda) s_0 and s_{t+1} = (1 + beta - eta lambda) s_t - beta s_{t-1}.
Verdict heavy_ball(const TrainingRun& run) {
  const Symmetry<Rational> shift = shift_along_ones(run, Rational(1));
  std::vector<Rational> s{shift.charge(run.theta0)(0, 0)};
  for_each_step<Rational>(run, [&](int, const Vec<Rational>&, const Vec<Rational>&,
                                   const Vec<Rational>& next) { s.push_back(shift.charge(next)(0, 0)); });
  const Rational decay = 1 - run.eta * run.lambda, beta = run.momentum;
  Verdict out = compare<Rational>(s[1], Rational(decay * s[0]), "s_1 = (1 - eta lambda) s_0");
  for (size_t t = 1; t + 1 < s.size() && out.outcome == Outcome::holds; ++t)
    out = compare<Rational>(s[t + 1], Rational((1 + beta - run.eta * run.lambda) * s[t] - beta * s[t - 1]),
                            "s_{t+1} = (1 + beta - eta lambda) s_t - beta s_{t-1} at t = " + std::to_string(t));
  return out;
}

// phi_1(theta + c v) - phi_1(theta) = lambda^2/4 (2 c v^T theta + c^2 ||v||^2) at every step's
// theta_t and batch. With `claim_constant` (mutant) the right side is taken to be 0 at every lambda.
Verdict phi1_along_v(const std::pair<TrainingRun, Rational>& instance, bool claim_constant) {
  const auto& [run, c] = instance;
  const auto model = make_model<Rational>(run.spec);
  const Symmetry<Rational> shift = shift_along_ones(run, c);
  const Rational v2 = model->parameter_count();  // ||1||^2
  Verdict out{Outcome::holds, "rational", Evidence::exact, "0", "phi_1 along v"};
  for_each_step<Rational>(run, [&](int t, const Vec<Rational>& theta, const Vec<Rational>&,
                                   const Vec<Rational>&) {
    if (out.outcome != Outcome::holds) return;
    const Batch& batch = run.batches[t];
    const Rational moved = phi1(*model, run.data, batch, shift.act(theta), run.lambda) -
                           phi1(*model, run.data, batch, theta, run.lambda);
    const Rational s = shift_along_ones(run, Rational(1)).charge(theta)(0, 0);
    const Rational predicted =
        claim_constant ? Rational(0) : Rational(run.lambda * run.lambda / 4 * (2 * c * s + c * c * v2));
    out = compare<Rational>(moved, predicted,
                            claim_constant
                                ? "phi_1(theta + c v) = phi_1(theta) at step " + std::to_string(t)
                                : "phi_1(theta + c v) - phi_1(theta) = lambda^2/4 (2 c v^T theta + "
                                  "c^2 ||v||^2) at step " + std::to_string(t));
  });
  return out;
}

// Softmax with bias, certified: for v = ones on the bias and v = ones on each column of W,
// l_i(theta + c v) = l_i(theta) at theta_0, and at every step v^T g encloses 0 and
// v^T theta' - (1 - eta lambda) v^T theta encloses 0.
Verdict logit_shift(const std::pair<TrainingRun, Rational>& instance) {
  const PrecisionScope precision(kCertifiedBits);
  const auto& [run, c] = instance;
  const auto model = make_model<Interval>(run.spec);
  const Layout& layout = model->layout();
  const DataSet<Interval> data = from_rational<Interval>(run.data);
  const Interval ci = from_rational<Interval>(c);
  std::vector<Symmetry<Interval>> shifts;
  auto ones_on = [&](int block, int col, std::string name) {
    Vec<Interval> v = Vec<Interval>::Zero(layout.size());
    for (int r = 0; r < layout[block].rows; ++r) v[layout.at(block, r, col)] = Interval(1);
    Symmetry<Interval> g = translation<Interval>(layout, v, ci);
    g.name = std::move(name);
    shifts.push_back(std::move(g));
  };
  const int bias = layout.index("b1"), weight = layout.index("W1");
  ones_on(bias, 0, "b + c 1");
  for (int j = 0; j < layout[weight].cols; ++j)
    ones_on(weight, j, "column " + std::to_string(j) + " of W + c 1");

  std::vector<Verdict> verdicts;
  const Vec<Interval> theta0 = from_rational<Interval>(run.theta0);
  for (const auto& g : shifts)
    verdicts.push_back(compare<Interval>(loss_invariance_defect(*model, data, theta0, g),
                                         Vec<Interval>::Zero(data.size()),
                                         "l_i(theta + c v) = l_i(theta) for " + g.name));
  const Interval eta = from_rational<Interval>(run.eta), lambda = from_rational<Interval>(run.lambda);
  for_each_step<Interval>(run, [&](int t, const Vec<Interval>& theta, const Vec<Interval>& grad,
                                   const Vec<Interval>& next) {
    for (const auto& g : shifts) {
      const std::string where = " for " + g.name + " at step " + std::to_string(t);
      verdicts.push_back(compare_entries<Interval>(g.charge(grad), Mat<Interval>::Zero(1, 1), "v^T g = 0" + where));
      verdicts.push_back(compare_entries<Interval>(
          g.charge(next), predicted_charge_after_step(g, theta, grad, eta, lambda), "translation law" + where));
    }
  });
  Verdict out = all_of(verdicts);
  if (out.outcome == Outcome::holds)
    out.detail = "loss invariance, v^T g = 0 and the translation law, for b and every column of W, "
                 "at every step (every difference enclosure contains 0)";
  return out;
}

std::string show_run(const TrainingRun& run) { return run.show(); }
std::string show_shifted(const std::pair<TrainingRun, Rational>& instance) {
  return instance.first.show() + "; c = " + to_text(instance.second);
}

}  // namespace

ENTROPIC_CLAIM(T9) {
  const auto runs = gen::training_run(centered_linear(false));
  const auto shifted_runs = rc::gen::pair(runs, gen::rational());
  return Claim("T9", "Translation symmetry: no entropic force")
      .provenance(Provenance::derived)
      .kind("exact identity")
      .part("translation law", runs, [](const TrainingRun& r) { return charge_law(r, ChargeLaw::exact); },
            show_run)
      .part("phi_1 along v", shifted_runs,
            [](const std::pair<TrainingRun, Rational>& i) { return phi1_along_v(i, false); }, show_shifted)
      .part("heavy ball", gen::training_run(centered_linear(true)), heavy_ball, show_run)
      .part("softmax logit shift, certified",
            rc::gen::pair(gen::training_run(softmax_with_bias()), gen::rational()), logit_shift,
            show_shifted)
      .mutant("spurious eta^2 ||g||^2 term", runs,
              [](const TrainingRun& r) { return charge_law(r, ChargeLaw::spurious_drift); }, show_run)
      .mutant("translation charge decays like (1 - eta lambda)^2", runs,
              [](const TrainingRun& r) { return charge_law(r, ChargeLaw::squared_decay); }, show_run)
      .mutant("phi_1 constant along v also at lambda > 0", shifted_runs,
              [](const std::pair<TrainingRun, Rational>& i) { return phi1_along_v(i, true); },
              show_shifted);
}

}  // namespace entropic
