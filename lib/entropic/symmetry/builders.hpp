// Builders of the symmetry actions declared in symmetry.hpp.
#pragma once

#include <Eigen/LU>
#include <algorithm>
#include <initializer_list>
#include <vector>

#include "entropic/numeric/linear_solve.hpp"

namespace entropic {

namespace detail {

template <class S>
Mat<S> identity_on(const Layout& layout) {
  return Mat<S>::Identity(layout.size(), layout.size());
}

template <class S>
S block_norm2(const Layout& layout, const Vec<S>& theta, int block) {
  return block < 0 ? S(0) : S(layout.view(theta, block).squaredNorm());
}

// The coordinates of the given blocks (-1: none), ascending.
inline std::vector<int> block_coordinates(const Layout& layout, std::initializer_list<int> blocks) {
  std::vector<int> out;
  for (int block : blocks) {
    if (block < 0) continue;
    for (int i = 0; i < layout[block].size(); ++i) out.push_back(layout[block].offset + i);
  }
  std::sort(out.begin(), out.end());
  return out;
}

template <class S>
Mat<S> scalar_charge(const S& q) {
  Mat<S> m(1, 1);
  m(0, 0) = q;
  return m;
}

// [W b]: the weight of the incoming layer with its bias as an extra column.
template <class S>
Mat<S> with_bias(const Layout& layout, const Vec<S>& theta, int weight, int bias) {
  const auto W = layout.view(theta, weight);
  if (bias < 0) return W;
  Mat<S> Wb(W.rows(), W.cols() + 1);
  Wb << W, layout.view(theta, bias);
  return Wb;
}

// x = 0 exactly: decided by the arithmetic, so an enclosure that merely contains 0 is not zero
// (and Boost's comparison of overlapping intervals, which would terminate, is never called).
template <class S>
bool exactly_zero(const S& x) {
  try {
    return elem::branch_sign(x) == 0;
  } catch (const kink_unresolved&) {
    return false;
  }
}

// The diagonal rescaling by s and 1/s is orthogonal iff s^2 = 1.
template <class S>
bool unit_magnitude(const S& s) {
  return exactly_zero(S(s * s - S(1)));
}

// O^T O = I exactly.
template <class S>
bool exactly_orthogonal(const Mat<S>& O) {
  const Mat<S> defect = O.transpose() * O - Mat<S>::Identity(O.cols(), O.cols());
  for (Eigen::Index i = 0; i < defect.size(); ++i)
    if (!exactly_zero(defect.data()[i])) return false;
  return true;
}

}  // namespace detail

template <class S>
Symmetry<S> layer_rescaling(const Layout& layout, int weight_in, int bias_in, int weight_out,
                            const S& s) {
  Symmetry<S> g;
  g.name = "layer rescaling of " + layout[weight_in].name + "/" + layout[weight_out].name;
  g.isometry = detail::unit_magnitude(s);
  g.M = detail::identity_on<S>(layout);
  for (int block : {weight_in, bias_in}) {
    if (block < 0) continue;
    for (int i = 0; i < layout[block].size(); ++i) g.M(layout[block].offset + i, layout[block].offset + i) = s;
  }
  for (int i = 0; i < layout[weight_out].size(); ++i)
    g.M(layout[weight_out].offset + i, layout[weight_out].offset + i) = S(1) / s;
  g.charge_support = detail::block_coordinates(layout, {weight_in, bias_in, weight_out});
  g.charge = [layout, weight_in, bias_in, weight_out](const Vec<S>& th) {
    return detail::scalar_charge<S>(detail::block_norm2(layout, th, weight_in) +
                                    detail::block_norm2(layout, th, bias_in) -
                                    detail::block_norm2(layout, th, weight_out));
  };
  return g;
}

template <class S>
Symmetry<S> neuron_rescaling(const Layout& layout, int weight_in, int bias_in, int weight_out,
                             int k, const S& s) {
  Symmetry<S> g;
  g.name = "rescaling of unit " + std::to_string(k) + " between " + layout[weight_in].name + " and " +
           layout[weight_out].name;
  g.isometry = detail::unit_magnitude(s);
  g.M = detail::identity_on<S>(layout);
  for (int c = 0; c < layout[weight_in].cols; ++c) {
    const int i = layout.at(weight_in, k, c);
    g.M(i, i) = s;
  }
  if (bias_in >= 0) {
    const int i = layout.at(bias_in, k, 0);
    g.M(i, i) = s;
  }
  for (int r = 0; r < layout[weight_out].rows; ++r) {
    const int i = layout.at(weight_out, r, k);
    g.M(i, i) = S(1) / s;
  }
  for (int c = 0; c < layout[weight_in].cols; ++c) g.charge_support.push_back(layout.at(weight_in, k, c));
  if (bias_in >= 0) g.charge_support.push_back(layout.at(bias_in, k, 0));
  for (int r = 0; r < layout[weight_out].rows; ++r) g.charge_support.push_back(layout.at(weight_out, r, k));
  std::sort(g.charge_support.begin(), g.charge_support.end());
  g.charge = [layout, weight_in, bias_in, weight_out, k](const Vec<S>& th) {
    S q = layout.view(th, weight_in).row(k).squaredNorm();
    if (bias_in >= 0) q += layout.view(th, bias_in)(k, 0) * layout.view(th, bias_in)(k, 0);
    q -= layout.view(th, weight_out).col(k).squaredNorm();
    return detail::scalar_charge<S>(q);
  };
  return g;
}

template <class S>
Symmetry<S> scale_symmetry(const Layout& layout, const S& s) {
  Symmetry<S> g;
  g.name = "scale";
  g.isometry = detail::unit_magnitude(s);
  g.M = s * detail::identity_on<S>(layout);
  g.charge = [](const Vec<S>& th) { return detail::scalar_charge<S>(th.squaredNorm()); };
  return g;
}

template <class S>
Symmetry<S> gl_symmetry(const Layout& layout, int weight_in, int bias_in, int weight_out,
                        const Mat<S>& G) {
  const int h = layout[weight_in].rows;
  if (G.rows() != h || G.cols() != h || layout[weight_out].cols != h)
    throw std::invalid_argument("GL symmetry: G must be h x h with h the shared width");
  Symmetry<S> g;
  g.name = "GL between " + layout[weight_in].name + " and " + layout[weight_out].name;
  const Mat<S> Ginv = matrix_inverse(G);
  g.isometry = detail::exactly_orthogonal(G);
  g.M = detail::identity_on<S>(layout);
  // (G W)(r, c) = sum_j G(r, j) W(j, c);  (U G^{-1})(r, c) = sum_j U(r, j) Ginv(j, c).
  for (int c = 0; c < layout[weight_in].cols; ++c)
    for (int r = 0; r < h; ++r) {
      g.M(layout.at(weight_in, r, c), layout.at(weight_in, r, c)) = S(0);
      for (int j = 0; j < h; ++j) g.M(layout.at(weight_in, r, c), layout.at(weight_in, j, c)) = G(r, j);
    }
  if (bias_in >= 0)
    for (int r = 0; r < h; ++r) {
      g.M(layout.at(bias_in, r, 0), layout.at(bias_in, r, 0)) = S(0);
      for (int j = 0; j < h; ++j) g.M(layout.at(bias_in, r, 0), layout.at(bias_in, j, 0)) = G(r, j);
    }
  for (int r = 0; r < layout[weight_out].rows; ++r)
    for (int c = 0; c < h; ++c) {
      g.M(layout.at(weight_out, r, c), layout.at(weight_out, r, c)) = S(0);
      for (int j = 0; j < h; ++j)
        g.M(layout.at(weight_out, r, c), layout.at(weight_out, r, j)) = Ginv(j, c);
    }
  g.charge_support = detail::block_coordinates(layout, {weight_in, bias_in, weight_out});
  g.charge = [layout, weight_in, bias_in, weight_out](const Vec<S>& th) {
    const Mat<S> Wb = detail::with_bias(layout, th, weight_in, bias_in);
    const auto U = layout.view(th, weight_out);
    return Mat<S>(U.transpose() * U - Wb * Wb.transpose());
  };
  return g;
}

template <class S>
Symmetry<S> translation(const Layout& layout, const Vec<S>& v, const S& c) {
  if (v.size() != layout.size()) throw std::invalid_argument("translation: v has the wrong size");
  Symmetry<S> g;
  g.name = "translation";
  g.isometry = true;
  g.M = detail::identity_on<S>(layout);
  g.shift = c * v;
  g.charge_degree = 1;
  g.charge = [v](const Vec<S>& th) { return detail::scalar_charge<S>(v.dot(th)); };
  return g;
}

template <class S>
Symmetry<S> hidden_permutation(const Layout& layout, int weight_in, int bias_in, int weight_out,
                               const std::vector<int>& perm) {
  const int h = layout[weight_in].rows;
  if (static_cast<int>(perm.size()) != h) throw std::invalid_argument("permutation: wrong size");
  Mat<S> P = Mat<S>::Zero(h, h);
  for (int k = 0; k < h; ++k) P(perm[k], k) = S(1);
  Symmetry<S> g = gl_symmetry<S>(layout, weight_in, bias_in, weight_out, P);
  g.name = "permutation of the units between " + layout[weight_in].name + " and " + layout[weight_out].name;
  g.isometry = true;
  g.charge_degree = 0;
  g.charge = nullptr;
  return g;
}

template <class S>
Symmetry<S> mirror(const Mat<S>& O) {
  const Mat<S> gram = O.transpose() * O;
  Eigen::FullPivLU<Mat<S>> lu(gram);
  if (!lu.isInvertible()) throw std::invalid_argument("mirror: the columns of O are dependent");
  Symmetry<S> g;
  g.name = "mirror";
  g.isometry = true;
  g.M = Mat<S>::Identity(O.rows(), O.rows()) - S(2) * O * lu.inverse() * O.transpose();
  g.charge_degree = 0;
  return g;
}

template <class S>
Symmetry<S> unit_sign_flip(const Layout& layout, int weight_in, int bias_in, int weight_out, int k) {
  std::vector<int> entries;
  for (int c = 0; c < layout[weight_in].cols; ++c) entries.push_back(layout.at(weight_in, k, c));
  if (bias_in >= 0) entries.push_back(layout.at(bias_in, k, 0));
  for (int r = 0; r < layout[weight_out].rows; ++r) entries.push_back(layout.at(weight_out, r, k));
  Mat<S> O = Mat<S>::Zero(layout.size(), static_cast<int>(entries.size()));
  for (size_t j = 0; j < entries.size(); ++j) O(entries[j], static_cast<int>(j)) = S(1);
  Symmetry<S> g = mirror<S>(O);
  g.name = "sign flip of unit " + std::to_string(k) + " between " + layout[weight_in].name + " and " +
           layout[weight_out].name;
  return g;
}

template <class S>
Symmetry<S> orthogonal_map(const Mat<S>& O, std::string name) {
  Symmetry<S> g;
  g.name = std::move(name);
  g.isometry = detail::exactly_orthogonal(O);
  g.M = O;
  g.charge_degree = 0;
  return g;
}

}  // namespace entropic
