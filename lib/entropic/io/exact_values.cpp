#include "entropic/io/exact_values.hpp"

#include <algorithm>

#include "entropic/numeric/exact_text.hpp"

namespace entropic {

namespace {

std::string dimension_text(int n, const char* any) { return n == kAnySize ? any : std::to_string(n); }

std::string shape_text(const Shape& s) {
  std::string t = dimension_text(s.rows, "N") + " x " + dimension_text(s.cols, "M");
  return s.meaning.empty() ? t : t + " (" + s.meaning + ")";
}

bool fits(int expected, Eigen::Index actual) { return expected == kAnySize || expected == actual; }

}  // namespace

Rational read_rational(const Node& node) {
  const nlohmann::json& j = node.json();
  if (j.is_string()) {
    try {
      return parse_rational(j.get_ref<const std::string&>());
    } catch (const parse_error& e) {
      node.fail(e.what());
    }
  }
  if (j.is_number_unsigned()) return Rational(Integer(j.get<std::uint64_t>()));
  if (j.is_number_integer()) return Rational(Integer(j.get<std::int64_t>()));
  if (j.is_number_float())
    node.fail("the JSON number " + j.dump() +
              " is not exact (JSON readers round numbers with a fraction or an exponent to binary); "
              "quote it: write the number you mean as a string, e.g. \"0.1\" or \"1/10\"");
  node.fail("expected a number (a string such as \"1/3\" or \"-0.25\", or a JSON integer), got " +
            node.type_name());
}

Mat<Rational> read_matrix(const Node& node, const Shape& expected) {
  const std::string wanted = "a matrix of shape " + shape_text(expected) + ", a list of rows";
  const auto rows = node.elements(wanted);
  if (rows.empty()) node.fail("expected " + wanted + ", got an empty list");
  std::vector<std::vector<Node>> entries;
  for (const Node& row : rows) {
    entries.push_back(row.elements("a row (a list of numbers)"));
    if (entries.back().size() != entries.front().size())
      row.fail("has " + std::to_string(entries.back().size()) + " entries but row 0 has " +
               std::to_string(entries.front().size()) + " (rows must have equal lengths)");
  }
  const Eigen::Index r = static_cast<Eigen::Index>(entries.size());
  const Eigen::Index c = static_cast<Eigen::Index>(entries.front().size());
  if (c == 0 || !fits(expected.rows, r) || !fits(expected.cols, c))
    node.fail("expected shape " + shape_text(expected) + ", got " + std::to_string(r) + " x " +
              std::to_string(c));
  Mat<Rational> m(r, c);
  for (Eigen::Index i = 0; i < r; ++i)
    for (Eigen::Index j = 0; j < c; ++j) m(i, j) = read_rational(entries[i][j]);
  return m;
}

Mat<Rational> read_column(const Node& node, const Shape& expected) {
  const bool flat = node.is_array() && !node.json().empty() &&
                    std::none_of(node.json().begin(), node.json().end(),
                                 [](const nlohmann::json& e) { return e.is_array(); });
  if (!flat) return read_matrix(node, Shape{expected.rows, 1, expected.meaning});
  const auto values = node.elements("a column");
  const Eigen::Index r = static_cast<Eigen::Index>(values.size());
  if (!fits(expected.rows, r))
    node.fail("expected shape " + shape_text(Shape{expected.rows, 1, expected.meaning}) + ", got " +
              std::to_string(r) + " entries");
  Mat<Rational> m(r, 1);
  for (Eigen::Index i = 0; i < r; ++i) m(i, 0) = read_rational(values[i]);
  return m;
}

}  // namespace entropic
