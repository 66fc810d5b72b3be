// Exact numbers and matrices from a scenario file, never rounded.
//
// A number is a JSON string in exact_text.hpp's syntax ("3/4", "-0.125", "1e-3", "7") or a JSON
// integer. A JSON number with a fraction or an exponent is refused: every JSON reader has already
// rounded it to binary, so it no longer says which rational was meant.
//
// A matrix is a list of rows, [["1/2", "0"], ["1", "-1/3"]]; its expected shape is checked before
// any entry is read, and a mismatch names both shapes.
#pragma once

#include <string>

#include "entropic/io/json_node.hpp"
#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

// A required dimension, or any positive number of rows / columns.
inline constexpr int kAnySize = -1;

struct Shape {
  int rows = kAnySize, cols = kAnySize;
  // Where the expected shape comes from, e.g. "widths[1] x widths[0]"; appears in messages.
  std::string meaning;
};

Rational read_rational(const Node& node);

Mat<Rational> read_matrix(const Node& node, const Shape& expected);

// A column (rows x 1) written either as a matrix [["1"], ["2"]] or as a flat list ["1", "2"].
Mat<Rational> read_column(const Node& node, const Shape& expected);

}  // namespace entropic
