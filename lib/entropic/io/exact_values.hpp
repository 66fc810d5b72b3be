// Exact numbers and matrices from a scenario file, never rounded.
//
// A number is a JSON string in exact_text.hpp's syntax ("3/4", "-0.125", "1e-3", "7") or a JSON
// integer. A JSON number with a fraction or an exponent is refused: every JSON reader has already
// rounded it to binary, so it no longer says which rational was meant. A number has at most
// kMaxExactDigits digits and an exponent of at most kMaxExactExponent in absolute value, so that a
// typo cannot ask for a number that takes seconds to read ("1e100000").
//
// A matrix is a list of rows, [["1/2", "0"], ["1", "-1/3"]]; its expected shape is checked before
// any entry is read, and a mismatch names both shapes.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "entropic/io/json_node.hpp"
#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

// "1e10000" and "1e-10000" are the extremes of a written exponent.
inline constexpr long kMaxExactExponent = 10000;
// Digits in one number, numerator and denominator (or mantissa and exponent) together.
inline constexpr std::size_t kMaxExactDigits = 10000;

// A required dimension, or any positive number of rows / columns.
inline constexpr int kAnySize = -1;

struct Shape {
  Shape(int rows, int cols, std::string meaning = "")
      : rows(rows), cols(cols), meaning(std::move(meaning)) {}
  // The largest value of a dimension of kAnySize, and what that limit is, for messages
  // ("samples (docs/scenario.md, ...)").
  Shape& limit_rows(int max, std::string what) {
    max_rows = max;
    rows_limit = std::move(what);
    return *this;
  }
  Shape& limit_cols(int max, std::string what) {
    max_cols = max;
    cols_limit = std::move(what);
    return *this;
  }

  int rows = kAnySize, cols = kAnySize;
  // Where the expected shape comes from, e.g. "widths[1] x widths[0]"; appears in messages.
  std::string meaning;
  int max_rows = 0, max_cols = 0;  // 0: no limit but the fixed size
  std::string rows_limit, cols_limit;
};

Rational read_rational(const Node& node);

Mat<Rational> read_matrix(const Node& node, const Shape& expected);

// A column (rows x 1) written either as a matrix [["1"], ["2"]] or as a flat list ["1", "2"].
Mat<Rational> read_column(const Node& node, const Shape& expected);

}  // namespace entropic
