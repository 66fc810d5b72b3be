// S2 — syre: weight decay toward a random centre (catalog S2; classical: Ziyin, Xu, Chuang, 2025; the
// exact equation is unconfirmed, the catalog's assumed form is used).
//
//   theta' = theta - eta (g + lambda (theta - theta_0)),   theta_0 fixed.
//
// [derived] For a mirror R = I - 2 O O^T (O^T O = I) that is a symmetry of every l_i,
//   O^T theta' = (1 - eta lambda) O^T theta + eta lambda O^T theta_0 - eta O^T g     exactly.
// On {O^T theta = 0} = Fix(R) we have O^T g = 0 (R g = g there), so O^T theta' = eta lambda O^T theta_0,
// nonzero whenever lambda > 0 and O^T theta_0 != 0: the set is neither invariant nor stationary. With
// theta_0 = 0 (plain weight decay) it is both (E7).
//
// Instance: the sign flip of hidden unit k of a one-hidden-layer net with an odd activation
// (z - z^3/3 or the identity, exact in Rational). O has one unit column per entry of the unit (row k of
// W1, b1[k], column k of W2), so O^T O = I and R = I - 2 O O^T is the builders' unit_sign_flip.
//
// The catalog's variant with a positive diagonal D, theta' = theta - eta (g + lambda D (theta - theta_0))
// (syre.hpp). [derived] The mirror law closes on O^T theta iff D commutes with R; then
//   O^T theta' = (I - eta lambda M) O^T theta + eta lambda M O^T theta_0 - eta O^T g,  M = O^T D O (O^T O)^{-1}.
// A sign flip has unit columns, so every diagonal D commutes with it (M = the unit's entries of D). The
// swap of hidden units i and j is the mirror of O with columns e_a - e_b over the paired entries
// (O^T O = 2 I); D commutes with it iff d_a = d_b on every pair. If not, the fixed set {O^T theta = 0}
// (units i and j equal) is left even with theta_0 = 0: O^T theta' = -eta lambda O^T D theta != 0, while
// another start in the set with the same O^T theta = 0, O^T g = 0 stays in it. O^T theta' is then no
// function of (O^T theta, O^T theta_0, O^T g): the law does not close.
#include <algorithm>
#include <utility>

#include "entropic/symmetry/symmetry.hpp"
#include "entropic/symmetry/unit_mirrors.hpp"
#include "entropic/theory/syre.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/symmetric_run.hpp"

namespace entropic {
namespace {

constexpr int kCubicSteps = 3;
constexpr int kExactSteps = 4;

struct SyreRun {
  SymmetricRun run;  // data, start, eta, batches and the sign flip R
  Mat<Rational> O;
  Vec<Rational> centre;
  Rational lambda;
  std::string show() const {
    return run.show() + "; centre theta_0 = " + gen::show_parameters(make_model<Rational>(run.run.spec)->layout(), centre);
  }
};

// The sign flip of a drawn hidden unit k of the run's one-hidden-layer net (run.g, run.action), and
// its mirror directions O.
Mat<Rational> draw_unit_sign_flip(SymmetricRun& run) {
  const Mlp<Rational> mlp(run.run.spec);
  const int k = *gen::in_range(0, run.run.spec.widths[1]);
  const int w_in = mlp.weight_block(1), b_in = mlp.bias_block(1), w_out = mlp.weight_block(2);
  run.g = unit_sign_flip<Rational>(mlp.layout(), w_in, b_in, w_out, k);
  run.action = "sign flip of hidden unit " + std::to_string(k);
  return unit_flip_directions<Rational>(mlp.layout(), w_in, b_in, w_out, k);
}

// A one-hidden-layer net with an odd activation, without momentum (syre is a plain step), its unit k's
// sign flip, a syre weight decay lambda > 0 and a centre with O^T theta_0 != 0.
rc::Gen<SyreRun> syre_runs() {
  using A = ActivationKind;
  return rc::gen::exec([]() {
    SyreRun s;
    const bool cubic = *rc::gen::arbitrary<bool>();
    gen::RunShape shape = gen::one_hidden_layer({cubic ? A::odd_cubic : A::linear}, cubic ? kCubicSteps : kExactSteps);
    shape.momentum = false;
    s.run.run = *gen::training_run(shape);
    s.O = draw_unit_sign_flip(s.run);
    s.lambda = *gen::step_size();
    s.run.run.lambda = s.lambda;  // printed with the run; syre_step is the only map that uses it
    const Mat<Rational> O = s.O;
    s.centre = *rc::gen::suchThat(gen::parameters(s.run.run.spec),
                                  [O](const Vec<Rational>& c) { return !Vec<Rational>(O.transpose() * c).isZero(0); });
    return s;
  });
}

// The syre iterates theta_0 .. theta_T from a start, and the batch gradients.
struct Path {
  std::vector<Vec<Rational>> theta, grad;
};
Path syre_path(const SyreRun& s, const Vec<Rational>& start, const Vec<Rational>& centre) {
  const auto model = make_model<Rational>(s.run.run.spec);
  Path p{{start}, {}};
  for (const Batch& b : s.run.run.batches) {
    p.grad.push_back(model->gradient(p.theta.back(), s.run.run.data, b));
    p.theta.push_back(syre_step(p.theta.back(), p.grad.back(), s.run.run.eta, s.lambda, centre));
  }
  return p;
}

// The instance's hypothesis: R = I - 2 O O^T with O^T O = I, and the loss is R-invariant per sample at
// theta_0. An instance that misses it is inconclusive.
void require_mirror(const SyreRun& s) {
  const Mat<Rational> I = Mat<Rational>::Identity(s.O.rows(), s.O.rows());
  const auto model = make_model<Rational>(s.run.run.spec);
  const Verdict v = all_of(
      {compare_entries<Rational>(Mat<Rational>(s.O.transpose() * s.O), Mat<Rational>::Identity(s.O.cols(), s.O.cols()),
                                 "O^T O = I"),
       compare_entries<Rational>(Mat<Rational>(I - 2 * s.O * s.O.transpose()), s.run.g.M,
                                 "R = I - 2 O O^T is the unit's sign flip"),
       compare<Rational>(loss_invariance_defect(*model, s.run.run.data, s.run.run.theta0, s.run.g),
                         Vec<Rational>::Zero(s.run.run.data.size()), "l_i(R theta) = l_i(theta)")});
  if (v.outcome != Outcome::holds) throw Inconclusive("not a mirror symmetry: " + v.detail, Arithmetic::rational());
}

// O^T theta_{t+1} at every step from the run's start, and the law's prediction of it from (theta_t, g_t)
// with the centre, or (mutant) without the eta lambda O^T theta_0 term.
Quantities<Vec<Rational>> mirror_coordinates(const SyreRun& s) {
  require_mirror(s);
  const Path p = syre_path(s, s.run.run.theta0, s.centre);
  Quantities<Vec<Rational>> out;
  for (size_t t = 0; t < p.grad.size(); ++t)
    out.push_back({"O^T theta' at t = " + std::to_string(t), s.O.transpose() * p.theta[t + 1]});
  return out;
}
Quantities<Vec<Rational>> mirror_law_with_centre(const SyreRun& s, const Vec<Rational>& centre) {
  const Path p = syre_path(s, s.run.run.theta0, s.centre);
  Quantities<Vec<Rational>> out;
  for (size_t t = 0; t < p.grad.size(); ++t)
    out.push_back({"O^T theta' at t = " + std::to_string(t),
                   syre_mirror_law(s.O, p.theta[t], p.grad[t], s.run.run.eta, s.lambda, centre)});
  return out;
}
Quantities<Vec<Rational>> mirror_law(const SyreRun& s) { return mirror_law_with_centre(s, s.centre); }
Quantities<Vec<Rational>> mirror_law_without_centre(const SyreRun& s) {
  return mirror_law_with_centre(s, Vec<Rational>::Zero(s.centre.size()));
}

// theta - O O^T theta: the projection onto {O^T theta = 0}.
Vec<Rational> on_mirror_plane(const SyreRun& s, const Vec<Rational>& theta) {
  return theta - s.O * (s.O.transpose() * theta);
}

// One step from the plane: O^T g = 0 and O^T theta' = eta lambda O^T theta_0 != 0.
Verdict leaves_plane(const SyreRun& s) {
  require_mirror(s);
  const Path p = syre_path(s, on_mirror_plane(s, s.run.run.theta0), s.centre);
  const Vec<Rational> og = s.O.transpose() * p.grad[0], moved = s.O.transpose() * p.theta[1];
  const Vec<Rational> predicted = s.run.run.eta * s.lambda * (s.O.transpose() * s.centre);
  return all_of({compare<Rational>(og, Vec<Rational>::Zero(og.size()), "O^T g = 0 on O^T theta = 0"),
                 compare<Rational>(moved, predicted, "O^T theta' = eta lambda O^T theta_0"),
                 certainly_nonzero<Rational>(Rational(moved.squaredNorm()), "||O^T theta'||^2 != 0")});
}
// The mutant: from the plane, with the run's centre, O^T theta_t = 0 at every step.
Verdict plane_invariant_with_random_centre(const SyreRun& s) {
  require_mirror(s);
  const Path p = syre_path(s, on_mirror_plane(s, s.run.run.theta0), s.centre);
  std::vector<Verdict> verdicts;
  for (size_t t = 1; t < p.theta.size(); ++t) {
    const Vec<Rational> ot = s.O.transpose() * p.theta[t];
    verdicts.push_back(compare<Rational>(ot, Vec<Rational>::Zero(ot.size()), "O^T theta_t = 0 at t = " + std::to_string(t)));
  }
  return all_of(verdicts);
}

// From the plane with centre 0: theta_t and O^T theta_t at every step, and their prediction: O^T theta_t
// = 0, and theta_t is the PyTorch SGD iterate with weight decay lambda from the same start.
Quantities<Vec<Rational>> plain_decay_from_plane(const SyreRun& s) {
  require_mirror(s);
  const Path p = syre_path(s, on_mirror_plane(s, s.run.run.theta0), Vec<Rational>::Zero(s.centre.size()));
  Quantities<Vec<Rational>> out;
  for (size_t t = 1; t < p.theta.size(); ++t) {
    out.push_back({"O^T theta_t at t = " + std::to_string(t), s.O.transpose() * p.theta[t]});
    out.push_back({"theta_t at t = " + std::to_string(t), p.theta[t]});
  }
  return out;
}
Quantities<Vec<Rational>> plane_invariant_under_weight_decay(const SyreRun& s) {
  const auto model = make_model<Rational>(s.run.run.spec);
  const SgdConfig<Rational> weight_decay{s.run.run.eta, s.lambda, Rational(0), false, {}};
  Vec<Rational> theta = on_mirror_plane(s, s.run.run.theta0);
  Quantities<Vec<Rational>> out;
  for (size_t t = 1; t <= s.run.run.batches.size(); ++t) {
    theta = sgd_map(*model, s.run.run.data, s.run.run.batches[t - 1], weight_decay, theta);
    out.push_back({"O^T theta_t at t = " + std::to_string(t), Vec<Rational>::Zero(s.O.cols())});
    out.push_back({"theta_t at t = " + std::to_string(t), theta});
  }
  return out;
}

// ---- the diagonal variant ---------------------------------------------------------------------

// A syre run with D = diag(d), d > 0, and a mirror O of the loss: the sign flip of a hidden unit or the
// swap of two (O with columns e_a - e_b over the paired entries a of unit i, b of unit j).
struct DiagonalSyreRun {
  SymmetricRun run;  // run.g is the builders' sign flip or permutation; run.run.theta0 the start
  Mat<Rational> O;
  std::vector<std::pair<int, int>> pairs;  // swap: the paired entries (a, b); empty for a sign flip
  Vec<Rational> d, centre;
  Rational lambda;
  std::string show() const {
    const auto model = make_model<Rational>(run.run.spec);
    return run.show() + "; D = diag " + gen::show_parameters(model->layout(), d) + "; centre theta_0 = " +
           gen::show_parameters(model->layout(), centre);
  }
};

// The run's net (no momentum: syre is a plain step) with at least `min_hidden` hidden units.
TrainingRun diagonal_syre_training_run(int min_hidden) {
  using A = ActivationKind;
  const bool cubic = *rc::gen::arbitrary<bool>();
  gen::RunShape shape = gen::one_hidden_layer({cubic ? A::odd_cubic : A::linear}, cubic ? kCubicSteps : kExactSteps);
  shape.momentum = false;
  shape.min_widths[1] = std::max(shape.min_widths[1], min_hidden);
  return *gen::training_run(shape);
}

// The swap of hidden units i != j: run.g, the pairs and O.
void make_swap(DiagonalSyreRun& s) {
  const Mlp<Rational> mlp(s.run.run.spec);
  const int w_in = mlp.weight_block(1), b_in = mlp.bias_block(1), w_out = mlp.weight_block(2);
  const int h = s.run.run.spec.widths[1];
  const int i = *gen::in_range(0, h);
  const int j = (i + 1 + *gen::in_range(0, h - 1)) % h;
  std::vector<int> perm(h);
  for (int k = 0; k < h; ++k) perm[k] = k;
  std::swap(perm[i], perm[j]);
  s.run.g = hidden_permutation<Rational>(mlp.layout(), w_in, b_in, w_out, perm);
  s.run.action = "swap of hidden units " + std::to_string(i) + " and " + std::to_string(j);
  const std::vector<int> a = unit_entries(mlp.layout(), w_in, b_in, w_out, i);
  const std::vector<int> b = unit_entries(mlp.layout(), w_in, b_in, w_out, j);
  for (size_t c = 0; c < a.size(); ++c) s.pairs.emplace_back(a[c], b[c]);
  s.O = unit_swap_directions<Rational>(mlp.layout(), w_in, b_in, w_out, i, j);
}

// D commuting with R: a sign flip with any d > 0, or a swap with d_a = d_b on every pair; a random centre.
rc::Gen<DiagonalSyreRun> commuting_diagonal_runs() {
  return rc::gen::exec([]() {
    DiagonalSyreRun s;
    const bool swap = *rc::gen::arbitrary<bool>();
    s.run.run = diagonal_syre_training_run(swap ? 2 : 1);
    const int p = make_model<Rational>(s.run.run.spec)->parameter_count();
    s.d = *gen::vector(p, gen::positive_rational(4, 4));
    if (swap) {
      make_swap(s);
      for (const auto& [a, b] : s.pairs) s.d[b] = s.d[a];
    } else {
      s.O = draw_unit_sign_flip(s.run);
    }
    s.lambda = *gen::step_size();
    s.run.run.lambda = s.lambda;  // printed with the run; the syre step is the only map that uses it
    s.centre = *gen::parameters(s.run.run.spec);
    return s;
  });
}

// D not commuting with R: a swap with d_a = d_b on every pair but one, where d_b = d_a + delta
// (delta > 0); the start on the fixed set (paired entries averaged, the unequal pair's entries nonzero);
// centre 0.
rc::Gen<DiagonalSyreRun> noncommuting_diagonal_runs() {
  return rc::gen::exec([]() {
    DiagonalSyreRun s;
    s.run.run = diagonal_syre_training_run(2);
    make_swap(s);
    const int p = make_model<Rational>(s.run.run.spec)->parameter_count();
    s.d = *gen::vector(p, gen::positive_rational(4, 4));
    for (const auto& [a, b] : s.pairs) s.d[b] = s.d[a];
    const auto [a, b] = s.pairs[*gen::in_range(0, static_cast<int>(s.pairs.size()))];
    s.d[b] = s.d[a] + *gen::positive_rational(4, 4);
    Vec<Rational>& start = s.run.run.theta0;
    for (const auto& [x, y] : s.pairs) start[x] = start[y] = (start[x] + start[y]) / 2;
    if (start[a] == 0) start[a] = start[b] = 1;
    s.lambda = *gen::step_size();
    s.run.run.lambda = s.lambda;
    s.centre = Vec<Rational>::Zero(p);
    return s;
  });
}

// The instance's hypothesis: R = I - 2 O (O^T O)^{-1} O^T is the builders' symmetry, and
// l_i(R theta) = l_i(theta) at the start. An instance that misses it is inconclusive.
void require_mirror(const DiagonalSyreRun& s) {
  const auto model = make_model<Rational>(s.run.run.spec);
  const Verdict v = all_of({compare_entries<Rational>(mirror<Rational>(s.O).M, s.run.g.M,
                                                      "R = I - 2 O (O^T O)^{-1} O^T is the " + s.run.action),
                            compare<Rational>(loss_invariance_defect(*model, s.run.run.data, s.run.run.theta0, s.run.g),
                                              Vec<Rational>::Zero(s.run.run.data.size()), "l_i(R theta) = l_i(theta)")});
  if (v.outcome != Outcome::holds) throw Inconclusive("not a mirror symmetry: " + v.detail, Arithmetic::rational());
}

// D R - R D.
Mat<Rational> commutator(const DiagonalSyreRun& s) {
  const Mat<Rational> D = s.d.asDiagonal();
  return D * s.run.g.M - s.run.g.M * D;
}

Path diagonal_path(const DiagonalSyreRun& s, const Vec<Rational>& start) {
  const auto model = make_model<Rational>(s.run.run.spec);
  Path p{{start}, {}};
  for (const Batch& b : s.run.run.batches) {
    p.grad.push_back(model->gradient(p.theta.back(), s.run.run.data, b));
    p.theta.push_back(syre_step(p.theta.back(), p.grad.back(), s.run.run.eta, s.lambda, s.d, s.centre));
  }
  return p;
}

// The closed law O^T theta' = (I - eta lambda M) O^T theta + eta lambda M O^T theta_0 - eta O^T g with
// M = O^T D O (O^T O)^{-1} at every step of a D-syre run, M's rate from `d_for_law`.
std::vector<Vec<Rational>> closed_law_steps(const DiagonalSyreRun& s, const Vec<Rational>& d_for_law) {
  const Path p = diagonal_path(s, s.run.run.theta0);
  std::vector<Vec<Rational>> out;
  for (size_t t = 0; t < p.grad.size(); ++t)
    out.push_back(syre_mirror_law(s.O, p.theta[t], p.grad[t], s.run.run.eta, s.lambda, d_for_law, s.centre));
  return out;
}
std::string law_at(size_t t) { return "O^T theta' at t = " + std::to_string(t); }

// D R, D O and O^T theta' at every step of a commuting run; predicted: R D, O M and the closed law, or
// (mutant) the scalar law 1 - eta lambda that ignores D (D replaced by I in the law).
Quantities<Mat<Rational>> commuting_observation(const DiagonalSyreRun& s) {
  require_mirror(s);
  const Path p = diagonal_path(s, s.run.run.theta0);
  Quantities<Mat<Rational>> out{{"D R", Mat<Rational>(s.d.asDiagonal() * s.run.g.M)},
                                {"D O", Mat<Rational>(s.d.asDiagonal() * s.O)}};
  for (size_t t = 0; t < p.grad.size(); ++t) out.push_back({law_at(t), Mat<Rational>(s.O.transpose() * p.theta[t + 1])});
  return out;
}
Quantities<Mat<Rational>> commuting_prediction(const DiagonalSyreRun& s, const Vec<Rational>& d_for_law) {
  Quantities<Mat<Rational>> out{{"D R", Mat<Rational>(s.run.g.M * s.d.asDiagonal())},
                                {"D O", Mat<Rational>(s.O * syre_mirror_rate(s.O, s.d))}};
  const std::vector<Vec<Rational>> law = closed_law_steps(s, d_for_law);
  for (size_t t = 0; t < law.size(); ++t) out.push_back({law_at(t), Mat<Rational>(law[t])});
  return out;
}
Quantities<Mat<Rational>> closed_law(const DiagonalSyreRun& s) { return commuting_prediction(s, s.d); }
Quantities<Mat<Rational>> scalar_law(const DiagonalSyreRun& s) {
  return commuting_prediction(s, Vec<Rational>::Ones(s.d.size()));
}

// D R != R D. From a start on {O^T theta = 0} with centre 0: O^T g = 0 and
// O^T theta_1 = -eta lambda O^T D theta != 0; the start with the swapped units' entries set to 0 (also
// in the set, same O^T theta = 0 and O^T g = 0) has O^T theta_1 = 0.
Verdict leaves_fixed_set(const DiagonalSyreRun& s) {
  require_mirror(s);
  const Mat<Rational> c = commutator(s);
  const Vec<Rational>& start = s.run.run.theta0;
  Vec<Rational> cleared = start;
  for (const auto& [a, b] : s.pairs) cleared[a] = cleared[b] = 0;
  const Path p = diagonal_path(s, start), q = diagonal_path(s, cleared);
  const Mat<Rational> Ot = s.O.transpose();
  const Vec<Rational> zero = Vec<Rational>::Zero(s.O.cols());
  const Vec<Rational> moved = Ot * p.theta[1];
  const Vec<Rational> predicted = -s.run.run.eta * s.lambda * (Ot * Vec<Rational>(s.d.cwiseProduct(start)));
  return all_of({certainly_nonzero<Rational>(Rational(c.squaredNorm()), "||D R - R D||^2 != 0"),
                 compare<Rational>(Vec<Rational>(Ot * start), zero, "O^T theta = 0 at the start"),
                 compare<Rational>(Vec<Rational>(Ot * p.grad[0]), zero, "O^T g = 0 on O^T theta = 0"),
                 compare<Rational>(moved, predicted, "O^T theta_1 = -eta lambda O^T D theta"),
                 certainly_nonzero<Rational>(Rational(moved.squaredNorm()), "||O^T theta_1||^2 != 0"),
                 compare<Rational>(Vec<Rational>(Ot * cleared), zero, "O^T theta = 0 at the cleared start"),
                 compare<Rational>(Vec<Rational>(Ot * q.grad[0]), zero, "O^T g = 0 at the cleared start"),
                 compare<Rational>(Vec<Rational>(Ot * q.theta[1]), zero, "O^T theta_1 = 0 from the cleared start")});
}
// The mutant: the closed law with M = O^T D O (O^T O)^{-1} holds at every step of a noncommuting run.
Verdict closed_law_holds(const DiagonalSyreRun& s) {
  require_mirror(s);
  const Path p = diagonal_path(s, s.run.run.theta0);
  const std::vector<Vec<Rational>> law = closed_law_steps(s, s.d);
  std::vector<Verdict> verdicts;
  for (size_t t = 0; t < law.size(); ++t)
    verdicts.push_back(compare<Rational>(Vec<Rational>(s.O.transpose() * p.theta[t + 1]), law[t], law_at(t)));
  return all_of(verdicts);
}

}  // namespace

ENTROPIC_CLAIM(S2) {
  return Claim("S2", "syre: weight decay toward a random centre")
      .provenance(Provenance::derived)
      .kind("exact identity")
      .part("law", "O^T theta law", syre_runs())
          .observe(mirror_coordinates)
          .predict(mirror_law)
          .mutant("no-centre", "law without the eta lambda O^T theta_0 term", mirror_law_without_centre)
          .nondegenerate("lambda > 0 and O^T theta_0 != 0 by construction: the centre term eta lambda O^T theta_0 is never 0")
          .feature("activation", [](const SyreRun& r) { return r.run.run.spec.activation.name(); })
      .part("leaves-plane", "on O^T theta = 0: O^T theta' = eta lambda O^T theta_0 != 0", syre_runs())
          .check(leaves_plane)
          .mutant("random-centre-invariant", "O^T theta = 0 stays invariant with a random centre",
                  plane_invariant_with_random_centre)
          .nondegenerate("lambda > 0 and O^T theta_0 != 0 by construction: the step off the plane is never 0")
      .part("weight-decay", "theta_0 = 0: O^T theta = 0 invariant (weight decay)", syre_runs())
          .observe(plain_decay_from_plane)
          .predict(plane_invariant_under_weight_decay)
          .degenerate("the start projected on the plane is 0: nothing moves", [](const SyreRun& r) {
            return (on_mirror_plane(r, r.run.run.theta0).array() == Rational(0)).all();
          })
      .part("commuting", "diagonal D commuting with R: closed law with M = O^T D O (O^T O)^{-1}",
            commuting_diagonal_runs())
          .observe(commuting_observation)
          .predict(closed_law)
          .mutant("scalar-law", "diagonal D: the scalar law 1 - eta lambda (D ignored)", scalar_law)
          .degenerate("M = I: D acts as the identity on the mirror directions (the scalar law is the closed law)",
                      [](const DiagonalSyreRun& r) {
                        const Mat<Rational> M = syre_mirror_rate(r.O, r.d);
                        return M == Mat<Rational>::Identity(M.rows(), M.cols());
                      })
          .feature("mirror", [](const DiagonalSyreRun& r) { return r.pairs.empty() ? "sign flip" : "swap"; })
      .part("noncommuting", "diagonal D not commuting with R: O^T theta = 0 is left even with theta_0 = 0; no closed law",
            noncommuting_diagonal_runs())
          .check(leaves_fixed_set)
          .mutant("closed-law", "diagonal D not commuting with R: the closed law with M = O^T D O (O^T O)^{-1}",
                  closed_law_holds)
          .nondegenerate("d_b = d_a + delta with delta > 0 on one pair and that pair's start entries nonzero, by construction");
}

}  // namespace entropic
