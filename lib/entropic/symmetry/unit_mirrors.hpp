// The mirror directions O of the discrete symmetries of a hidden unit (catalog S2): the symmetry is
// the mirror R = I - 2 O (O^T O)^{-1} O^T (builders.hpp, `mirror`), and O^T theta = 0 its fixed set.
//
//   unit_entries(layout, W_in, b_in, W_out, k)   the entries of unit k in theta: row k of W_in,
//                                                b_in[k] (b_in = -1: no bias), column k of W_out
//   unit_flip_directions(..., k)                 O = the unit columns e_a over those entries:
//                                                O^T O = I, R = unit_sign_flip(..., k)
//   unit_swap_directions(..., i, j)              O with columns e_a - e_b over the paired entries
//                                                (a of unit i, b of unit j, in unit_entries order):
//                                                O^T O = 2 I, R = the swap of units i and j
//                                                (hidden_permutation)
#pragma once

#include <stdexcept>
#include <vector>

#include "entropic/model/layout.hpp"
#include "entropic/numeric/kind.hpp"

namespace entropic {

inline std::vector<int> unit_entries(const Layout& layout, int weight_in, int bias_in, int weight_out, int k) {
  std::vector<int> entries;
  for (int c = 0; c < layout[weight_in].cols; ++c) entries.push_back(layout.at(weight_in, k, c));
  if (bias_in >= 0) entries.push_back(layout.at(bias_in, k, 0));
  for (int r = 0; r < layout[weight_out].rows; ++r) entries.push_back(layout.at(weight_out, r, k));
  return entries;
}

template <class S>
Mat<S> unit_flip_directions(const Layout& layout, int weight_in, int bias_in, int weight_out, int k) {
  const std::vector<int> entries = unit_entries(layout, weight_in, bias_in, weight_out, k);
  Mat<S> O = Mat<S>::Zero(layout.size(), static_cast<int>(entries.size()));
  for (size_t c = 0; c < entries.size(); ++c) O(entries[c], static_cast<int>(c)) = S(1);
  return O;
}

template <class S>
Mat<S> unit_swap_directions(const Layout& layout, int weight_in, int bias_in, int weight_out, int i, int j) {
  if (i == j) throw std::invalid_argument("unit swap directions: the units must differ");
  const std::vector<int> a = unit_entries(layout, weight_in, bias_in, weight_out, i);
  const std::vector<int> b = unit_entries(layout, weight_in, bias_in, weight_out, j);
  Mat<S> O = Mat<S>::Zero(layout.size(), static_cast<int>(a.size()));
  for (size_t c = 0; c < a.size(); ++c) {
    O(a[c], static_cast<int>(c)) = S(1);
    O(b[c], static_cast<int>(c)) = S(-1);
  }
  return O;
}

}  // namespace entropic
