#include "entropic/io/exact_values.hpp"

#include <algorithm>
#include <new>

#include "entropic/io/scenario_error.hpp"
#include "entropic/numeric/exact_text.hpp"

namespace entropic {

namespace {

std::string dimension_text(int n, const char* any) { return n == kAnySize ? any : std::to_string(n); }

std::string shape_text(const Shape& s) {
  std::string t = dimension_text(s.rows, "N") + " x " + dimension_text(s.cols, "M");
  return s.meaning.empty() ? t : t + " (" + s.meaning + ")";
}

bool fits(int expected, std::size_t actual) {
  return expected == kAnySize || static_cast<std::size_t>(expected) == actual;
}

// A dimension of any size still has its limit (the number of samples, a width).
void check_limit(const Node& node, std::size_t n, int max, const std::string& limit, const char* what) {
  if (max > 0 && n > static_cast<std::size_t>(max))
    node.fail(std::to_string(n) + " " + what + ": more than the limit of " + std::to_string(max) +
              (limit.empty() ? "" : " " + limit));
}

}  // namespace

Rational read_rational(const Node& node) {
  const nlohmann::json& j = node.json();
  if (j.is_string()) {
    try {
      return parse_rational(j.get_ref<const std::string&>(),
                            NumberLimits{kMaxExactExponent, kMaxExactDigits});
    } catch (const parse_error& e) {
      node.fail(e.what());
    } catch (const std::bad_alloc&) {
      node.fail("not enough memory to read this number");
    } catch (const std::exception& e) {  // the multiprecision library's own complaint
      node.fail("cannot read the number \"" + echo_text(j.get_ref<const std::string&>()) +
                "\": " + echo_text(e.what()));
    }
  }
  if (j.is_number_unsigned()) return Rational(Integer(j.get<std::uint64_t>()));
  if (j.is_number_integer()) return Rational(Integer(j.get<std::int64_t>()));
  if (j.is_number_float())
    node.fail("the JSON number " + echo_text(j.dump()) +
              " is not exact (JSON readers round numbers with a fraction or an exponent to binary); "
              "quote it: write the number you mean as a string, e.g. \"0.1\" or \"1/10\"");
  node.fail("expected a number (a string such as \"1/3\" or \"-0.25\", or a JSON integer), got " +
            node.type_name());
}

Mat<Rational> read_matrix(const Node& node, const Shape& expected) {
  const std::string wanted = "a matrix of shape " + shape_text(expected) + ", a list of rows";
  // The shape first, from the JSON arrays' sizes alone: nothing is built for a matrix that cannot fit.
  const std::size_t r = node.size(wanted);
  if (r == 0) node.fail("expected " + wanted + ", got an empty list");
  if (expected.rows == kAnySize) check_limit(node, r, expected.max_rows, expected.rows_limit, "rows");
  const std::size_t c = node.element(0).size("a row (a list of numbers)");
  for (std::size_t i = 1; i < r; ++i) {
    const Node row = node.element(i);
    const std::size_t n = row.size("a row (a list of numbers)");
    if (n != c)
      row.fail("has " + std::to_string(n) + " entries but row 0 has " + std::to_string(c) +
               " (rows must have equal lengths)");
  }
  if (c == 0 || !fits(expected.rows, r) || !fits(expected.cols, c))
    node.fail("expected shape " + shape_text(expected) + ", got " + std::to_string(r) + " x " +
              std::to_string(c));
  if (expected.cols == kAnySize) check_limit(node, c, expected.max_cols, expected.cols_limit, "columns");
  Mat<Rational> m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
  for (std::size_t i = 0; i < r; ++i) {
    const Node row = node.element(i);
    for (std::size_t j = 0; j < c; ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = read_rational(row.element(j));
  }
  return m;
}

Mat<Rational> read_column(const Node& node, const Shape& expected) {
  const bool flat = node.is_array() && !node.json().empty() &&
                    std::none_of(node.json().begin(), node.json().end(),
                                 [](const nlohmann::json& e) { return e.is_array(); });
  Shape column = expected;
  column.cols = 1;
  if (!flat) return read_matrix(node, column);
  const std::size_t r = node.size("a column");
  if (expected.rows == kAnySize) check_limit(node, r, expected.max_rows, expected.rows_limit, "entries");
  if (!fits(expected.rows, r))
    node.fail("expected shape " + shape_text(Shape(expected.rows, 1, expected.meaning)) + ", got " +
              std::to_string(r) + " entries");
  Mat<Rational> m(static_cast<Eigen::Index>(r), 1);
  for (std::size_t i = 0; i < r; ++i) m(static_cast<Eigen::Index>(i), 0) = read_rational(node.element(i));
  return m;
}

}  // namespace entropic
