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
// Degenerate instances (a statement or a mutant holds trivially) are excluded by the generators and
// counted (0) by .degenerate: g_t = 0 at every step (a spurious eta^2 ||g||^2 agrees), lambda v^T theta_0
// = 0 (every power of the decay agrees), lambda^2 (2 c v^T theta_t + c^2 ||v||^2) = 0 at every step (phi_1
// constant along v agrees), beta = 0 or lambda s_0 = 0 (heavy ball: the plain law agrees), c = 0
// (softmax: no shift).
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"
#include "entropic/gen/run_shapes.hpp"

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

// A run and the size c of the shift theta -> theta + c v.
struct ShiftedRun {
  TrainingRun run;
  Rational c;
  std::string show() const { return run.show() + "; c = " + to_text(c); }
};
rc::Gen<ShiftedRun> shifted(rc::Gen<TrainingRun> runs, rc::Gen<Rational> shifts = gen::rational()) {
  return rc::gen::map(rc::gen::pair(std::move(runs), std::move(shifts)),
                      [](const std::pair<TrainingRun, Rational>& p) { return ShiftedRun{p.first, p.second}; });
}

// The all-ones direction of the centered model's parameter vector.
Symmetry<Rational> shift_along_ones(const TrainingRun& run, const Rational& c) {
  const auto model = make_model<Rational>(run.spec);
  return translation<Rational>(model->layout(), Vec<Rational>::Ones(model->parameter_count()), c);
}

// --- translation law: v^T g_t and v^T theta_{t+1} at every step --------------------------------------

Quantities<Rational> observed_translation_charges(const TrainingRun& run) {
  const Symmetry<Rational> shift = shift_along_ones(run, Rational(1));
  Quantities<Rational> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(run)) {
    out.push_back({"v^T g at step " + std::to_string(s.t), shift.charge(s.g)(0, 0)});
    out.push_back({"v^T theta' at step " + std::to_string(s.t), shift.charge(s.next)(0, 0)});
  }
  return out;
}

// v^T g = 0 and v^T theta' = law(run, shift, step); the catalog's law is (1 - eta lambda) v^T theta.
template <class Law>
Quantities<Rational> translation_charges(const TrainingRun& run, Law law) {
  const Symmetry<Rational> shift = shift_along_ones(run, Rational(1));
  Quantities<Rational> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(run)) {
    out.push_back({"v^T g at step " + std::to_string(s.t), Rational(0)});
    out.push_back({"v^T theta' at step " + std::to_string(s.t), law(run, shift, s)});
  }
  return out;
}
Rational exact_law(const TrainingRun& run, const Symmetry<Rational>& shift, const RunStep<Rational>& s) {
  return predicted_charge_after_step(shift, s.theta, s.g, run.eta, run.lambda)(0, 0);
}
Quantities<Rational> translation_law(const TrainingRun& run) { return translation_charges(run, exact_law); }
// Mutant: + eta^2 ||g||^2, as if v^T theta were a quadratic charge.
Quantities<Rational> law_with_spurious_drift(const TrainingRun& run) {
  return translation_charges(run, [](const TrainingRun& r, const Symmetry<Rational>& shift, const RunStep<Rational>& s) {
    return Rational(exact_law(r, shift, s) + r.eta * r.eta * s.g.squaredNorm());
  });
}
// Mutant: (1 - eta lambda)^2 v^T theta.
Quantities<Rational> law_with_squared_decay(const TrainingRun& run) {
  return translation_charges(run, [](const TrainingRun& r, const Symmetry<Rational>& shift, const RunStep<Rational>& s) {
    return Rational(exact_law(r, shift, s) * (1 - r.eta * r.lambda));
  });
}

// g_t = 0 at every step; lambda v^T theta_0 = 0 (then v^T theta_t = (1 - eta lambda)^t v^T theta_0 does
// not tell the powers of the decay apart).
bool no_gradient_throughout(const TrainingRun& run) {
  for (const RunStep<Rational>& s : trajectory<Rational>(run))
    if (!s.g.isZero(0)) return false;
  return true;
}
bool decay_untested(const TrainingRun& run) {
  return run.lambda == 0 || shift_along_ones(run, Rational(1)).charge(run.theta0)(0, 0) == 0;
}

// --- heavy ball: s_1 = (1 - eta lambda) s_0, s_{t+1} = (1 + beta - eta lambda) s_t - beta s_{t-1} ------

std::vector<Rational> translation_charge_path(const TrainingRun& run) {
  const Symmetry<Rational> shift = shift_along_ones(run, Rational(1));
  std::vector<Rational> s{shift.charge(run.theta0)(0, 0)};
  for (const RunStep<Rational>& step : trajectory<Rational>(run)) s.push_back(shift.charge(step.next)(0, 0));
  return s;
}
Quantities<Rational> observed_heavy_ball(const TrainingRun& run) {
  const std::vector<Rational> s = translation_charge_path(run);
  Quantities<Rational> out;
  for (size_t t = 1; t < s.size(); ++t) out.push_back({"s_" + std::to_string(t), s[t]});
  return out;
}
// The recursion applied to the observed s_t, s_{t-1}.
Quantities<Rational> heavy_ball_recursion(const TrainingRun& run) {
  const std::vector<Rational> s = translation_charge_path(run);
  const Rational decay = 1 - run.eta * run.lambda, beta = run.momentum;
  Quantities<Rational> out{{"s_1", Rational(decay * s[0])}};
  for (size_t t = 1; t + 1 < s.size(); ++t)
    out.push_back({"s_" + std::to_string(t + 1), Rational((1 + beta - run.eta * run.lambda) * s[t] - beta * s[t - 1])});
  return out;
}

// Mutant: momentum leaves the translation law as it is, s_{t+1} = (1 - eta lambda) s_t.
Quantities<Rational> plain_law_recursion(const TrainingRun& run) {
  const std::vector<Rational> s = translation_charge_path(run);
  const Rational decay = 1 - run.eta * run.lambda;
  Quantities<Rational> out;
  for (size_t t = 0; t + 1 < s.size(); ++t) out.push_back({"s_" + std::to_string(t + 1), Rational(decay * s[t])});
  return out;
}
// beta = 0, or lambda s_0 = 0 (s constant): the recursion and the plain law agree.
bool heavy_ball_degenerate(const TrainingRun& run) { return run.momentum == 0 || decay_untested(run); }

// --- phi_1 along v: phi_1(theta + c v) - phi_1(theta) at every step's theta_t and batch --------------

Quantities<Rational> observed_phi1_along_v(const ShiftedRun& in) {
  const auto model = make_model<Rational>(in.run.spec);
  const Symmetry<Rational> shift = shift_along_ones(in.run, in.c);
  Quantities<Rational> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(in.run)) {
    const Batch& batch = in.run.batches[s.t];
    out.push_back({"phi_1(theta + c v) - phi_1(theta) at step " + std::to_string(s.t),
                   phi1(*model, in.run.data, batch, shift.act(s.theta), in.run.lambda) -
                       phi1(*model, in.run.data, batch, s.theta, in.run.lambda)});
  }
  return out;
}
// lambda^2/4 (2 c v^T theta + c^2 ||v||^2).
Quantities<Rational> phi1_weight_decay_term(const ShiftedRun& in) {
  const Symmetry<Rational> unit = shift_along_ones(in.run, Rational(1));
  const Rational v2 = make_model<Rational>(in.run.spec)->parameter_count();  // ||1||^2
  const Rational& lambda = in.run.lambda;
  Quantities<Rational> out;
  for (const RunStep<Rational>& s : trajectory<Rational>(in.run))
    out.push_back({"phi_1(theta + c v) - phi_1(theta) at step " + std::to_string(s.t),
                   Rational(lambda * lambda / 4 * (2 * in.c * unit.charge(s.theta)(0, 0) + in.c * in.c * v2))});
  return out;
}
// Mutant: phi_1 constant along v at every lambda.
Quantities<Rational> phi1_constant(const ShiftedRun& in) {
  Quantities<Rational> out = phi1_weight_decay_term(in);
  for (Quantity<Rational>& q : out) q.value = 0;
  return out;
}

// lambda^2 (2 c v^T theta_t + c^2 ||v||^2) = 0 at every step: phi_1 is constant along v there.
bool phi1_term_zero(const ShiftedRun& in) {
  for (const Quantity<Rational>& q : phi1_weight_decay_term(in))
    if (q.value != 0) return false;
  return true;
}

// --- softmax with bias, certified ------------------------------------------------------------------

// v = ones on the bias, and v = ones on each column of W.
std::vector<Symmetry<Interval>> logit_shifts(const Layout& layout, const Interval& c) {
  std::vector<Symmetry<Interval>> shifts;
  auto ones_on = [&](int block, int col, std::string name) {
    Vec<Interval> v = Vec<Interval>::Zero(layout.size());
    for (int r = 0; r < layout[block].rows; ++r) v[layout.at(block, r, col)] = Interval(1);
    Symmetry<Interval> g = translation<Interval>(layout, v, c);
    g.name = std::move(name);
    shifts.push_back(std::move(g));
  };
  const int bias = layout.index("b1"), weight = layout.index("W1");
  ones_on(bias, 0, "b + c 1");
  for (int j = 0; j < layout[weight].cols; ++j) ones_on(weight, j, "column " + std::to_string(j) + " of W + c 1");
  return shifts;
}

// For every shift v: defect(model, data, theta_0, g) (per sample), and at every step the pair
// step(g, s, eta, lambda) = (v^T g, v^T theta'), as enclosures.
template <class Defect, class Step>
Quantities<Mat<Interval>> over_logit_shifts(const ShiftedRun& in, Defect defect, Step step) {
  const TrainingRun& run = in.run;
  const auto model = make_model<Interval>(run.spec);
  const DataSet<Interval> data = from_rational<Interval>(run.data);
  const std::vector<Symmetry<Interval>> shifts = logit_shifts(model->layout(), from_rational<Interval>(in.c));
  const Interval eta = from_rational<Interval>(run.eta), lambda = from_rational<Interval>(run.lambda);
  const Vec<Interval> theta0 = from_rational<Interval>(run.theta0);
  Quantities<Mat<Interval>> out;
  for (const auto& g : shifts)
    out.push_back({"l_i(theta + c v) - l_i(theta) for " + g.name, defect(*model, data, theta0, g)});
  for (const RunStep<Interval>& s : trajectory<Interval>(run))
    for (const auto& g : shifts) {
      const std::string where = " for " + g.name + " at step " + std::to_string(s.t);
      auto [charge_of_g, charge_after] = step(g, s, eta, lambda);
      out.push_back({"v^T g" + where, std::move(charge_of_g)});
      out.push_back({"v^T theta'" + where, std::move(charge_after)});
    }
  return out;
}
Quantities<Mat<Interval>> observed_logit_shift(const ShiftedRun& in) {
  return over_logit_shifts(
      in,
      [](const Model<Interval>& model, const DataSet<Interval>& data, const Vec<Interval>& theta0,
         const Symmetry<Interval>& g) { return Mat<Interval>(loss_invariance_defect(model, data, theta0, g)); },
      [](const Symmetry<Interval>& g, const RunStep<Interval>& s, const Interval&, const Interval&) {
        return std::pair{g.charge(s.g), g.charge(s.next)};
      });
}
// l_i(theta + c v) = l_i(theta), v^T g = 0, v^T theta' = (1 - eta lambda) v^T theta.
Quantities<Mat<Interval>> invariance_and_translation_law(const ShiftedRun& in) {
  return over_logit_shifts(
      in,
      [](const Model<Interval>&, const DataSet<Interval>& data, const Vec<Interval>&, const Symmetry<Interval>&) {
        return Mat<Interval>(Mat<Interval>::Zero(data.size(), 1));
      },
      [](const Symmetry<Interval>& g, const RunStep<Interval>& s, const Interval& eta, const Interval& lambda) {
        return std::pair{Mat<Interval>(Mat<Interval>::Zero(1, 1)),
                         predicted_charge_after_step(g, s.theta, s.g, eta, lambda)};
      });
}

}  // namespace

ENTROPIC_CLAIM(T9) {
  const auto runs = gen::training_run(centered_linear(false));
  const auto law_runs =
      gen::excluding(runs, [](const TrainingRun& r) { return no_gradient_throughout(r) || decay_untested(r); });
  return Claim("T9", "Translation symmetry: no entropic force")
      .provenance(Provenance::derived)
      .kind("exact identity")
      .part("law", "translation law", law_runs)
          .observe(observed_translation_charges)
          .predict(translation_law)
          .mutant("spurious-drift", "spurious eta^2 ||g||^2 term", law_with_spurious_drift)
          .mutant("squared-decay", "translation charge decays like (1 - eta lambda)^2", law_with_squared_decay)
          .degenerate("g_t = 0 at every step", no_gradient_throughout)
          .degenerate("lambda v^T theta_0 = 0", decay_untested)
          .nondegenerate("such runs are filtered out (suchThat): lambda > 0")
          .feature("dimension", [](const TrainingRun& r) { return r.spec.widths[0]; })
      .part("phi1", "phi_1 along v", gen::excluding(shifted(runs), phi1_term_zero))
          .observe(observed_phi1_along_v)
          .predict(phi1_weight_decay_term)
          .mutant("phi1-constant", "phi_1 constant along v also at lambda > 0", phi1_constant)
          .degenerate("lambda^2 (2 c v^T theta + c^2 ||v||^2) = 0 at every step", phi1_term_zero)
          .nondegenerate("such instances are filtered out (suchThat): lambda > 0, c != 0")
      .part("heavy-ball", "heavy ball", gen::excluding(gen::training_run(centered_linear(true)), heavy_ball_degenerate))
          .observe(observed_heavy_ball)
          .predict(heavy_ball_recursion)
          .mutant("no-momentum", "momentum leaves the law as it is: s_{t+1} = (1 - eta lambda) s_t",
                  plain_law_recursion)
          .degenerate("beta = 0 or lambda s_0 = 0", heavy_ball_degenerate)
          .nondegenerate("such runs are filtered out (suchThat): beta > 0, lambda > 0")
      .part("softmax", "softmax logit shift, certified",
            shifted(gen::training_run(softmax_with_bias()), gen::nonzero_rational()))
          .observe(observed_logit_shift)
          .predict(invariance_and_translation_law)
          .precision(kCertifiedBits)
          .degenerate("c = 0", [](const ShiftedRun& in) { return in.c == 0; })
          .nondegenerate("c is drawn nonzero")
          .feature("lambda = 0", [](const ShiftedRun& in) { return in.run.lambda == 0; })
          .feature("classes", [](const ShiftedRun& in) { return in.run.spec.widths[1]; });
}

}  // namespace entropic
