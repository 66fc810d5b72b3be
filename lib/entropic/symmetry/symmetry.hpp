// Symmetries of a model, as actions on the flat parameter vector (catalog section 0):
//
//   theta -> M theta + shift        (one group element; every symmetry here is linear or a translation)
//
// with its Noether charge Q. The charges are quadratic forms Q(theta) = B(theta, theta) (rescaling,
// scale, GL) or linear forms v^T theta (translation); discrete isometries (permutation, mirror) and
// rotations inside GL carry no charge of their own. Because Q is a form, Q evaluated on a gradient
// is B(g, g), which is exactly the drift term of the discrete-time law
//
//   Q(theta') = (1 - eta lambda)^2 Q(theta) + eta^2 Q(g)       (catalog T2(b), T5-T8, E5)
//
// `isometry` follows the catalog ("none is an isometry except GL with G in O(d)"), decided exactly
// where it depends on the argument (a rescaling by s = +-1, GL or a given map with O^T O = I);
// tests/symmetry checks it against the exact test M^T M == I.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "entropic/model/model.hpp"

namespace entropic {

template <class S>
struct Symmetry {
  std::string name;
  bool isometry = false;
  Mat<S> M;          // linear part of the action
  Vec<S> shift;      // translation part (empty: none)
  int charge_degree = 2;                         // 2: quadratic form, 1: linear, 0: no charge
  std::function<Mat<S>(const Vec<S>&)> charge;   // Q(theta); 1x1 for scalar charges
  // The coordinates the charge reads, ascending (empty: every coordinate). A quadratic charge's form
  // vanishes outside them, so charge_forms polarizes only on them (theory/charge_drift.hpp).
  std::vector<int> charge_support;

  Vec<S> act(const Vec<S>& theta) const {
    Vec<S> out = M * theta;
    if (shift.size()) out += shift;
    return out;
  }
  bool has_charge() const { return charge_degree > 0; }
};

// --- builders ---------------------------------------------------------------------------------

// (W_l, b_l, W_{l+1}) -> (s W_l, s b_l, W_{l+1} / s); charge ||W_l||^2 + ||b_l||^2 - ||W_{l+1}||^2.
// `bias_in` may be -1 (no bias).
template <class S>
Symmetry<S> layer_rescaling(const Layout& layout, int weight_in, int bias_in, int weight_out,
                            const S& s);
// The same restricted to hidden unit k: row k of W_l, b_l[k], column k of W_{l+1}.
template <class S>
Symmetry<S> neuron_rescaling(const Layout& layout, int weight_in, int bias_in, int weight_out,
                             int k, const S& s);
// theta -> s theta; charge ||theta||^2.
template <class S>
Symmetry<S> scale_symmetry(const Layout& layout, const S& s);
// GL between adjacent linear layers: (W, b, U) -> (G W, G b, U G^{-1});
// charge U^T U - [W b][W b]^T (a matrix). Isometric iff G is orthogonal.
template <class S>
Symmetry<S> gl_symmetry(const Layout& layout, int weight_in, int bias_in, int weight_out,
                        const Mat<S>& G);
// theta -> theta + c v; charge v^T theta.
template <class S>
Symmetry<S> translation(const Layout& layout, const Vec<S>& v, const S& c);
// Permute the hidden units between W_l (rows), b_l and W_{l+1} (columns): unit k goes to perm[k].
template <class S>
Symmetry<S> hidden_permutation(const Layout& layout, int weight_in, int bias_in, int weight_out,
                               const std::vector<int>& perm);
// R = I - 2 O (O^T O)^{-1} O^T: the reflection through the orthogonal complement of span(O)
// (catalog S2, E7: R = I - 2 O O^T for orthonormal O).
template <class S>
Symmetry<S> mirror(const Mat<S>& O);
// The sign flip of hidden unit k (a mirror): row k of W_l, b_l[k] and column k of W_{l+1} negated.
template <class S>
Symmetry<S> unit_sign_flip(const Layout& layout, int weight_in, int bias_in, int weight_out, int k);
// A fixed orthogonal map O of the whole parameter vector (e.g. Cayley); no charge. Declared an
// isometry only if O^T O = I holds exactly in S.
template <class S>
Symmetry<S> orthogonal_map(const Mat<S>& O, std::string name);

// --- the check that a model has a symmetry ---------------------------------------------------

// l_i(g theta) - l_i(theta) for every sample i: identically 0 (exactly, in Rational) when the model
// has the symmetry at theta.
template <class S>
Vec<S> loss_invariance_defect(const Model<S>& model, const DataSet<S>& data, const Vec<S>& theta,
                              const Symmetry<S>& g) {
  const Vec<S> moved = g.act(theta);
  Vec<S> defect(data.size());
  for (int i = 0; i < data.size(); ++i)
    defect[i] = model.sample_loss(moved, data.x(i), data.y(i)) -
                model.sample_loss(theta, data.x(i), data.y(i));
  return defect;
}

// M^T M - I: exactly zero for an isometry.
template <class S>
Mat<S> isometry_defect(const Symmetry<S>& g) {
  return g.M.transpose() * g.M - Mat<S>::Identity(g.M.rows(), g.M.cols());
}

}  // namespace entropic

#include "entropic/symmetry/builders.hpp"
