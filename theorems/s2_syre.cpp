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
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/syre.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "symmetric_run.hpp"

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

// O: the unit columns e_j of the entries of hidden unit k (row k of W1, b1[k], column k of W2).
Mat<Rational> unit_directions(const ModelSpec& spec, int k) {
  const Mlp<Rational> mlp(spec);
  const Layout& L = mlp.layout();
  const int w_in = mlp.weight_block(1), b_in = mlp.bias_block(1), w_out = mlp.weight_block(2);
  std::vector<int> entries;
  for (int c = 0; c < L[w_in].cols; ++c) entries.push_back(L.at(w_in, k, c));
  if (b_in >= 0) entries.push_back(L.at(b_in, k, 0));
  for (int r = 0; r < L[w_out].rows; ++r) entries.push_back(L.at(w_out, r, k));
  Mat<Rational> O = Mat<Rational>::Zero(L.size(), static_cast<int>(entries.size()));
  for (size_t j = 0; j < entries.size(); ++j) O(entries[j], static_cast<int>(j)) = 1;
  return O;
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
    const Mlp<Rational> mlp(s.run.run.spec);
    const int k = *rc::gen::inRange(0, s.run.run.spec.widths[1]);
    s.run.g = unit_sign_flip<Rational>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1), mlp.weight_block(2), k);
    s.run.action = "sign flip of hidden unit " + std::to_string(k);
    s.O = unit_directions(s.run.run.spec, k);
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
              [](const SyreRun& s) { return mirror_law(s, true); }, show);
}

}  // namespace entropic
