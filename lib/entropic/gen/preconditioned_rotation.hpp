// PreconditionedRotation: a training run of a linear two-layer net f = U W x (deep_linear [d, h, k],
// h = 2 or 3), a rotation of its hidden units (W, U) -> (G W, U G^T) with G a rational Cayley
// rotation, and the matrix learning rate's P (theta <- theta - eta P d, catalog section 0): the
// instances of the equivariance claims for preconditioned SGD (catalog T3, N6).
//
// The rotation acts on theta as an orthogonal M (gl_symmetry). Two families of P:
//   commuting   P = a I + b (M + M^T), a > 2 |b|: symmetric, positive definite (M + M^T has
//               eigenvalues in [-2, 2]) and PM = MP; not diagonal when b != 0 and G != I
//   diagonal    P = diag(p_i), p_i > 0: an Adam-like per-parameter learning rate, which commutes
//               with M only when p is constant on every orbit of the rotation
// Dimensions shrink toward [1, 2, 1], b toward 0 and p toward 1, so a counterexample shrinks to a
// small net.
#pragma once

#include "entropic/symmetry/symmetry.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {

struct PreconditionedRotation {
  TrainingRun run;  // deep_linear [d, h, k]
  Mat<Rational> G;  // h x h, orthogonal
  Mat<Rational> M;  // the action of G on theta, orthogonal
  Mat<Rational> P;  // symmetric positive definite

  template <class S>
  SgdConfig<S> config_as() const {
    SgdConfig<S> cfg = run.config_as<S>();
    cfg.preconditioner = from_rational<S>(P);
    return cfg;
  }
  std::string show() const {
    return run.show() + "; G = " + gen::show(G) + "; P = " + gen::show(P);
  }
};

enum class PreconditionerFamily { commuting, diagonal };

namespace gen {

inline rc::Gen<PreconditionedRotation> preconditioned_rotation(PreconditionerFamily family) {
  return rc::gen::exec([family]() {
    RunShape shape;
    shape.kind = ModelKind::deep_linear;
    shape.min_widths = {1, 2, 1};
    shape.max_widths = {2, 3, 2};
    shape.max_samples = 3;
    shape.max_batch = 2;
    shape.max_steps = 2;
    shape.momentum = true;
    PreconditionedRotation r;
    r.run = *training_run(shape);
    const int h = r.run.spec.widths[1];
    r.G = *cayley_rotation(h);
    const Layout layout = make_model<Rational>(r.run.spec)->layout();
    r.M = gl_symmetry<Rational>(layout, 0, -1, 1, r.G).M;
    const int n = static_cast<int>(r.M.rows());
    const Mat<Rational> I = Mat<Rational>::Identity(n, n);
    if (family == PreconditionerFamily::commuting) {
      // b = a t / 2 with |t| = p / (p + q) < 1.
      const Rational a = *positive_rational(4, 4);
      const auto [p, q] = *rc::gen::pair(gen::in_range(0, 4), gen::in_range(1, 4));
      const Rational t = (*rc::gen::arbitrary<bool>() ? -1 : 1) * Rational(p, p + q);
      r.P = a * I + (a * t / 2) * Mat<Rational>(r.M + r.M.transpose());
    } else {
      const auto p = *rc::gen::container<std::vector<Rational>>(n, positive_rational(4, 4));
      r.P = Mat<Rational>::Zero(n, n);
      for (int i = 0; i < n; ++i) r.P(i, i) = p[i];
    }
    return r;
  });
}

}  // namespace gen
}  // namespace entropic
