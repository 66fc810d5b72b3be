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
    const auto model = make_model<Rational>(run.run.spec);
    return run.show() + "; centre theta_0 = " +
           gen::show_parameters(model->layout(), centre);
  }
};

// The entries of hidden unit k in the parameter vector: row k of W1, b1[k], column k of W2.
std::vector<int> unit_entries(const ModelSpec& spec, int k) {
  const Mlp<Rational> mlp(spec);
  const Layout& L = mlp.layout();
  const int w_in = mlp.weight_block(1), b_in = mlp.bias_block(1), w_out = mlp.weight_block(2);
  std::vector<int> entries;
  for (int c = 0; c < L[w_in].cols; ++c) entries.push_back(L.at(w_in, k, c));
  if (b_in >= 0) entries.push_back(L.at(b_in, k, 0));
  for (int r = 0; r < L[w_out].rows; ++r) entries.push_back(L.at(w_out, r, k));
  return entries;
}

// O: the unit columns e_j of the entries of hidden unit k.
Mat<Rational> unit_directions(const ModelSpec& spec, int k) {
  const std::vector<int> entries = unit_entries(spec, k);
  Mat<Rational> O = Mat<Rational>::Zero(make_model<Rational>(spec)->parameter_count(), static_cast<int>(entries.size()));
  for (size_t j = 0; j < entries.size(); ++j) O(entries[j], static_cast<int>(j)) = 1;
  return O;
}

// The sign flip of a drawn hidden unit k of the run's one-hidden-layer net (run.g, run.action), and
// its mirror directions O.
Mat<Rational> draw_unit_sign_flip(SymmetricRun& run) {
  const Mlp<Rational> mlp(run.run.spec);
  const int k = *rc::gen::inRange(0, run.run.spec.widths[1]);
  run.g = unit_sign_flip<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1), mlp.weight_block(2), k);
  run.action = "sign flip of hidden unit " + std::to_string(k);
  return unit_directions(run.run.spec, k);
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

// The syre iterates theta_0 .. theta_T from `start` with the given centre, and the batch gradients.
struct SyrePath {
  std::vector<Vec<Rational>> theta, grad;
};
SyrePath syre_path(const SyreRun& s, const Vec<Rational>& start, const Vec<Rational>& centre) {
  const auto model = make_model<Rational>(s.run.run.spec);
  SyrePath p{{start}, {}};
  for (const Batch& b : s.run.run.batches) {
    p.grad.push_back(model->gradient(p.theta.back(), s.run.run.data, b));
    p.theta.push_back(syre_step(p.theta.back(), p.grad.back(), s.run.run.eta, s.lambda, centre));
  }
  return p;
}

// R = I - 2 O O^T with O^T O = I, and the loss is R-invariant per sample at theta_0.
Verdict mirror_is_symmetry(const SyreRun& s) {
  const Mat<Rational> I = Mat<Rational>::Identity(s.O.rows(), s.O.rows());
  const auto model = make_model<Rational>(s.run.run.spec);
  return all_of({compare_entries<Rational>(Mat<Rational>(s.O.transpose() * s.O),
                                           Mat<Rational>::Identity(s.O.cols(), s.O.cols()), "O^T O = I"),
                 compare_entries<Rational>(Mat<Rational>(I - 2 * s.O * s.O.transpose()), s.run.g.M,
                                           "R = I - 2 O O^T is the unit's sign flip"),
                 compare<Rational>(loss_invariance_defect(*model, s.run.run.data, s.run.run.theta0, s.run.g),
                                   Vec<Rational>::Zero(s.run.run.data.size()), "l_i(R theta) = l_i(theta)")});
}

// The O^T theta law at every step from a generic start; with `drop_centre` (mutant) without the
// eta lambda O^T theta_0 term.
Verdict mirror_law(const SyreRun& s, bool drop_centre) {
  const SyrePath p = syre_path(s, s.run.run.theta0, s.centre);
  const Vec<Rational> centre = drop_centre ? Vec<Rational>(Vec<Rational>::Zero(s.centre.size())) : s.centre;
  std::vector<Verdict> verdicts{mirror_is_symmetry(s)};
  for (size_t t = 0; t < p.grad.size(); ++t)
    verdicts.push_back(compare<Rational>(Vec<Rational>(s.O.transpose() * p.theta[t + 1]),
                                         syre_mirror_law(s.O, p.theta[t], p.grad[t], s.run.run.eta, s.lambda, centre),
                                         drop_centre ? "O^T theta' = (1 - eta lambda) O^T theta - eta O^T g at t = " +
                                                           std::to_string(t)
                                                     : "O^T theta' = (1 - eta lambda) O^T theta + eta lambda O^T "
                                                       "theta_0 - eta O^T g at t = " + std::to_string(t)));
  return all_of(verdicts);
}

// theta - O O^T theta: the projection onto {O^T theta = 0}.
Vec<Rational> on_mirror_plane(const SyreRun& s, const Vec<Rational>& theta) {
  return theta - s.O * (s.O.transpose() * theta);
}

// One step from the plane: O^T g = 0 and O^T theta' = eta lambda O^T theta_0 != 0.
Verdict leaves_plane(const SyreRun& s) {
  const SyrePath p = syre_path(s, on_mirror_plane(s, s.run.run.theta0), s.centre);
  const Vec<Rational> og = s.O.transpose() * p.grad[0], moved = s.O.transpose() * p.theta[1];
  const Vec<Rational> predicted = s.run.run.eta * s.lambda * (s.O.transpose() * s.centre);
  return all_of({mirror_is_symmetry(s),
                 compare<Rational>(og, Vec<Rational>::Zero(og.size()), "O^T g = 0 on O^T theta = 0"),
                 compare<Rational>(moved, predicted, "O^T theta' = eta lambda O^T theta_0"),
                 certainly_nonzero<Rational>(Rational(moved.squaredNorm()), "||O^T theta'||^2 != 0")});
}

// From the plane, with centre 0 (`random_centre` false) or the run's centre (mutant): O^T theta_t = 0 at
// every step. With centre 0 syre is also the PyTorch step with weight decay lambda.
Verdict plane_invariant(const SyreRun& s, bool random_centre) {
  const Vec<Rational> start = on_mirror_plane(s, s.run.run.theta0);
  const Vec<Rational> centre = random_centre ? s.centre : Vec<Rational>(Vec<Rational>::Zero(s.centre.size()));
  const SyrePath p = syre_path(s, start, centre);
  const auto model = make_model<Rational>(s.run.run.spec);
  const SgdConfig<Rational> weight_decay{s.run.run.eta, s.lambda, Rational(0), false, {}};
  std::vector<Verdict> verdicts{mirror_is_symmetry(s)};
  for (size_t t = 1; t < p.theta.size(); ++t) {
    const Vec<Rational> ot = s.O.transpose() * p.theta[t];
    verdicts.push_back(compare<Rational>(ot, Vec<Rational>::Zero(ot.size()),
                                         "O^T theta_t = 0 at t = " + std::to_string(t)));
    if (!random_centre)
      verdicts.push_back(compare<Rational>(
          p.theta[t], sgd_map(*model, s.run.run.data, s.run.run.batches[t - 1], weight_decay, p.theta[t - 1]),
          "syre with theta_0 = 0 is SGD with weight decay at t = " + std::to_string(t)));
  }
  return all_of(verdicts);
}

std::string show(const SyreRun& s) { return s.show(); }

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
  const int h = s.run.run.spec.widths[1];
  const int i = *rc::gen::inRange(0, h);
  const int j = (i + 1 + *rc::gen::inRange(0, h - 1)) % h;
  std::vector<int> perm(h);
  for (int k = 0; k < h; ++k) perm[k] = k;
  std::swap(perm[i], perm[j]);
  s.run.g = hidden_permutation<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1), mlp.weight_block(2), perm);
  s.run.action = "swap of hidden units " + std::to_string(i) + " and " + std::to_string(j);
  const std::vector<int> a = unit_entries(s.run.run.spec, i), b = unit_entries(s.run.run.spec, j);
  s.O = Mat<Rational>::Zero(mlp.parameter_count(), static_cast<int>(a.size()));
  for (size_t c = 0; c < a.size(); ++c) {
    s.pairs.emplace_back(a[c], b[c]);
    s.O(a[c], static_cast<int>(c)) = 1;
    s.O(b[c], static_cast<int>(c)) = -1;
  }
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
    const auto [a, b] = s.pairs[*rc::gen::inRange(0, static_cast<int>(s.pairs.size()))];
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

// R = I - 2 O (O^T O)^{-1} O^T is the builders' symmetry, and l_i(R theta) = l_i(theta) at the start.
Verdict diagonal_mirror_is_symmetry(const DiagonalSyreRun& s) {
  const auto model = make_model<Rational>(s.run.run.spec);
  return all_of({compare_entries<Rational>(mirror<Rational>(s.O).M, s.run.g.M,
                                           "R = I - 2 O (O^T O)^{-1} O^T is the " + s.run.action),
                 compare<Rational>(loss_invariance_defect(*model, s.run.run.data, s.run.run.theta0, s.run.g),
                                   Vec<Rational>::Zero(s.run.run.data.size()), "l_i(R theta) = l_i(theta)")});
}

// D R - R D.
Mat<Rational> commutator(const DiagonalSyreRun& s) {
  const Mat<Rational> D = s.d.asDiagonal();
  return D * s.run.g.M - s.run.g.M * D;
}

struct DiagonalPath {
  std::vector<Vec<Rational>> theta, grad;
};
DiagonalPath diagonal_path(const DiagonalSyreRun& s, const Vec<Rational>& start) {
  const auto model = make_model<Rational>(s.run.run.spec);
  DiagonalPath p{{start}, {}};
  for (const Batch& b : s.run.run.batches) {
    p.grad.push_back(model->gradient(p.theta.back(), s.run.run.data, b));
    p.theta.push_back(syre_step(p.theta.back(), p.grad.back(), s.run.run.eta, s.lambda, s.d, s.centre));
  }
  return p;
}

// The closed law with M = O^T D O (O^T O)^{-1} at every step of a D-syre run; with `d_for_law` = 1
// (mutant) the scalar law 1 - eta lambda that ignores D. For commuting D also D R = R D and D O = O M.
Verdict diagonal_law(const DiagonalSyreRun& s, const Vec<Rational>& d_for_law, const std::string& law) {
  const DiagonalPath p = diagonal_path(s, s.run.run.theta0);
  std::vector<Verdict> verdicts{diagonal_mirror_is_symmetry(s)};
  for (size_t t = 0; t < p.grad.size(); ++t)
    verdicts.push_back(compare<Rational>(Vec<Rational>(s.O.transpose() * p.theta[t + 1]),
                                         syre_mirror_law(s.O, p.theta[t], p.grad[t], s.run.run.eta, s.lambda,
                                                         d_for_law, s.centre),
                                         law + " at t = " + std::to_string(t)));
  return all_of(verdicts);
}

Verdict commuting_law(const DiagonalSyreRun& s, bool ignore_d) {
  const std::string law = "O^T theta' = (I - eta lambda M) O^T theta + eta lambda M O^T theta_0 - eta O^T g";
  if (ignore_d)
    return diagonal_law(s, Vec<Rational>::Ones(s.d.size()), law + " with D replaced by I");
  const Mat<Rational> c = commutator(s);
  const Mat<Rational> M = syre_mirror_rate(s.O, s.d);
  return all_of({compare_entries<Rational>(c, Mat<Rational>::Zero(c.rows(), c.cols()), "D R = R D"),
                 compare_entries<Rational>(Mat<Rational>(s.d.asDiagonal() * s.O), Mat<Rational>(s.O * M),
                                           "D O = O M, M = O^T D O (O^T O)^{-1}"),
                 diagonal_law(s, s.d, law)});
}

// D R != R D. From a start on {O^T theta = 0} with centre 0: O^T g = 0 and
// O^T theta_1 = -eta lambda O^T D theta != 0; the start with the swapped units' entries set to 0 (also
// in the set, same O^T theta = 0 and O^T g = 0) has O^T theta_1 = 0.
Verdict leaves_fixed_set(const DiagonalSyreRun& s) {
  const Mat<Rational> c = commutator(s);
  const Vec<Rational>& start = s.run.run.theta0;
  Vec<Rational> cleared = start;
  for (const auto& [a, b] : s.pairs) cleared[a] = cleared[b] = 0;
  const DiagonalPath p = diagonal_path(s, start), q = diagonal_path(s, cleared);
  const Mat<Rational> Ot = s.O.transpose();
  const Vec<Rational> zero = Vec<Rational>::Zero(s.O.cols());
  const Vec<Rational> moved = Ot * p.theta[1];
  const Vec<Rational> predicted = -s.run.run.eta * s.lambda * (Ot * Vec<Rational>(s.d.cwiseProduct(start)));
  return all_of({diagonal_mirror_is_symmetry(s),
                 certainly_nonzero<Rational>(Rational(c.squaredNorm()), "||D R - R D||^2 != 0"),
                 compare<Rational>(Vec<Rational>(Ot * start), zero, "O^T theta = 0 at the start"),
                 compare<Rational>(Vec<Rational>(Ot * p.grad[0]), zero, "O^T g = 0 on O^T theta = 0"),
                 compare<Rational>(moved, predicted, "O^T theta_1 = -eta lambda O^T D theta"),
                 certainly_nonzero<Rational>(Rational(moved.squaredNorm()), "||O^T theta_1||^2 != 0"),
                 compare<Rational>(Vec<Rational>(Ot * cleared), zero, "O^T theta = 0 at the cleared start"),
                 compare<Rational>(Vec<Rational>(Ot * q.grad[0]), zero, "O^T g = 0 at the cleared start"),
                 compare<Rational>(Vec<Rational>(Ot * q.theta[1]), zero, "O^T theta_1 = 0 from the cleared start")});
}

std::string show_diagonal(const DiagonalSyreRun& s) { return s.show(); }

}  // namespace

ENTROPIC_CLAIM(S2) {
  return Claim("S2", "syre: weight decay toward a random centre")
      .provenance(Provenance::derived)
      .kind("exact identity")
      .part("O^T theta law", syre_runs(), [](const SyreRun& s) { return mirror_law(s, false); }, show)
      .part("on O^T theta = 0: O^T theta' = eta lambda O^T theta_0 != 0", syre_runs(), leaves_plane, show)
      .part("theta_0 = 0: O^T theta = 0 invariant (weight decay)", syre_runs(),
            [](const SyreRun& s) { return plane_invariant(s, false); }, show)
      .mutant("O^T theta = 0 stays invariant with a random centre", syre_runs(),
              [](const SyreRun& s) { return plane_invariant(s, true); }, show)
      .mutant("law without the eta lambda O^T theta_0 term", syre_runs(),
              [](const SyreRun& s) { return mirror_law(s, true); }, show)
      .part("diagonal D commuting with R: closed law with M = O^T D O (O^T O)^{-1}", commuting_diagonal_runs(),
            [](const DiagonalSyreRun& s) { return commuting_law(s, false); }, show_diagonal)
      .part("diagonal D not commuting with R: O^T theta = 0 is left even with theta_0 = 0; no closed law",
            noncommuting_diagonal_runs(), leaves_fixed_set, show_diagonal)
      .mutant("diagonal D: the scalar law 1 - eta lambda (D ignored)", commuting_diagonal_runs(),
              [](const DiagonalSyreRun& s) { return commuting_law(s, true); }, show_diagonal)
      .mutant("diagonal D not commuting with R: the closed law with M = O^T D O (O^T O)^{-1}",
              noncommuting_diagonal_runs(),
              [](const DiagonalSyreRun& s) {
                return diagonal_law(s, s.d, "O^T theta' = (I - eta lambda M) O^T theta + eta lambda M O^T theta_0 "
                                            "- eta O^T g");
              },
              show_diagonal);
}

}  // namespace entropic
