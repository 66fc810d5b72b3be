#include "entropic/gen/generators.hpp"

#include <Eigen/LU>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "entropic/numeric/linear_solve.hpp"

namespace entropic::gen {

namespace {
Rational make(bool negative, int p, int q) {
  Rational r(p, q);
  return negative ? Rational(-r) : r;
}
}  // namespace

rc::Gen<Rational> rational(int max_numerator, int max_denominator) {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::arbitrary<bool>(), gen::in_range(0, max_numerator + 1),
                     gen::in_range(1, max_denominator + 1)),
      [](const std::tuple<bool, int, int>& t) {
        return make(std::get<0>(t), std::get<1>(t), std::get<2>(t));
      });
}

rc::Gen<Rational> nonzero_rational(int max_numerator, int max_denominator) {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::arbitrary<bool>(), gen::in_range(1, max_numerator + 1),
                     gen::in_range(1, max_denominator + 1)),
      [](const std::tuple<bool, int, int>& t) {
        return make(std::get<0>(t), std::get<1>(t), std::get<2>(t));
      });
}

rc::Gen<Rational> positive_rational(int max_numerator, int max_denominator) {
  return rc::gen::map(
      rc::gen::pair(gen::in_range(1, max_numerator + 1), gen::in_range(1, max_denominator + 1)),
      [](const std::pair<int, int>& t) { return Rational(t.first, t.second); });
}

rc::Gen<Rational> dyadic(int max_numerator, int max_exponent) {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::arbitrary<bool>(), gen::in_range(0, max_numerator + 1),
                     gen::in_range(0, max_exponent + 1)),
      [](const std::tuple<bool, int, int>& t) {
        return make(std::get<0>(t), std::get<1>(t), 1 << std::get<2>(t));
      });
}

rc::Gen<Rational> step_size(Rational max) {
  // p/q with 1 <= p <= q <= 12, scaled into (0, max]; shrinks toward max/1 ... simple values.
  return rc::gen::map(rc::gen::pair(gen::in_range(1, 13), gen::in_range(1, 13)),
                      [max](const std::pair<int, int>& t) {
                        const int p = std::min(t.first, t.second), q = std::max(t.first, t.second);
                        return Rational(max * Rational(p, q));
                      });
}

rc::Gen<int> in_range(int lo, int hi) {
  if (hi <= lo)
    throw std::invalid_argument("gen::in_range(" + std::to_string(lo) + ", " + std::to_string(hi) + "): empty range");
  return rc::Gen<int>([lo, hi](const rc::Random& random, int size) {
    const std::uint64_t span = static_cast<std::uint64_t>(static_cast<long long>(hi) - lo - 1);
    const std::uint64_t s = static_cast<std::uint64_t>(std::clamp(size, 0, kFullRangeSize));
    const std::uint64_t reach = (span * s + kFullRangeSize - 1) / kFullRangeSize;  // ceil(span s / full)
    const int value = static_cast<int>(lo + static_cast<long long>(rc::Random(random).next() % (reach + 1)));
    return rc::shrinkable::shrinkRecur(value, [lo](int x) { return rc::shrink::towards<int>(x, lo); });
  });
}

rc::Gen<int> dimension(int lo, int hi) { return in_range(lo, hi + 1); }

rc::Gen<Mat<Rational>> matrix(int rows, int cols, rc::Gen<Rational> entries) {
  return rc::gen::map(rc::gen::container<std::vector<Rational>>(rows * cols, entries),
                      [rows, cols](const std::vector<Rational>& v) {
                        Mat<Rational> m(rows, cols);
                        for (int i = 0; i < rows * cols; ++i) m.data()[i] = v[i];
                        return m;
                      });
}

rc::Gen<Vec<Rational>> vector(int size, rc::Gen<Rational> entries) {
  return rc::gen::map(matrix(size, 1, std::move(entries)),
                      [](const Mat<Rational>& m) { return Vec<Rational>(m.col(0)); });
}

rc::Gen<Mat<Rational>> cayley_rotation(int n) {
  return rc::gen::map(matrix(n, n, rational(3, 3)), [n](const Mat<Rational>& a) {
    const Mat<Rational> K = (a - a.transpose()) / Rational(2);
    const Mat<Rational> I = Mat<Rational>::Identity(n, n);
    // I + K is invertible for skew K (eigenvalues 1 + i mu); the inverse is exact.
    return Mat<Rational>((I - K) * exact_inverse(Mat<Rational>(I + K)));
  });
}

rc::Gen<std::vector<int>> permutation(int n) {
  std::vector<int> id(n);
  for (int i = 0; i < n; ++i) id[i] = i;
  return rc::gen::map(rc::gen::container<std::vector<int>>(n, gen::in_range(0, 1 << 16)),
                      [id](const std::vector<int>& keys) {
                        std::vector<int> p = id;
                        std::stable_sort(p.begin(), p.end(),
                                         [&](int a, int b) { return keys[a] < keys[b]; });
                        return p;
                      });
}

rc::Gen<DataSet<Rational>> dataset(const ModelSpec& spec, int n) {
  const int din = spec.input_dim();
  if (spec.kind == ModelKind::softmax) {
    const int classes = spec.widths.back();
    return rc::gen::map(
        rc::gen::pair(matrix(n, din), rc::gen::container<std::vector<int>>(n, gen::in_range(0, classes))),
        [n](const std::pair<Mat<Rational>, std::vector<int>>& xy) {
          Mat<Rational> Y(n, 1);
          for (int i = 0; i < n; ++i) Y(i, 0) = xy.second[i];
          return DataSet<Rational>{xy.first, Y};
        });
  }
  return rc::gen::map(rc::gen::pair(matrix(n, din), matrix(n, spec.output_dim())),
                      [](const std::pair<Mat<Rational>, Mat<Rational>>& xy) {
                        return DataSet<Rational>{xy.first, xy.second};
                      });
}

rc::Gen<Vec<Rational>> parameters(const ModelSpec& spec, rc::Gen<Rational> entries) {
  return vector(make_model<Rational>(spec)->parameter_count(), std::move(entries));
}

rc::Gen<std::vector<Batch>> batch_schedule(int n, int s, int steps) {
  return rc::gen::container<std::vector<Batch>>(
      steps, rc::gen::map(permutation(n), [s](const std::vector<int>& p) {
        return Batch(p.begin(), p.begin() + s);
      }));
}

std::string show(const Mat<Rational>& m) {
  std::string out = "[";
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    out += i ? ", [" : "[";
    for (Eigen::Index j = 0; j < m.cols(); ++j) out += (j ? ", " : "") + to_text(m(i, j));
    out += "]";
  }
  return out + "]";
}

std::string show(const Vec<Rational>& v) {
  std::string out = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) out += (i ? ", " : "") + to_text(v[i]);
  return out + "]";
}

std::string show(const std::vector<Batch>& batches) {
  std::string out = "[";
  for (size_t k = 0; k < batches.size(); ++k) {
    out += k ? ", [" : "[";
    for (size_t i = 0; i < batches[k].size(); ++i) out += (i ? ", " : "") + std::to_string(batches[k][i]);
    out += "]";
  }
  return out + "]";
}

std::string show_parameters(const Layout& layout, const Vec<Rational>& theta) {
  std::string out = "{";
  for (int b = 0; b < layout.count(); ++b)
    out += (b ? ", " : "") + layout[b].name + ": " + show(Mat<Rational>(layout.view(theta, b)));
  return out + "}";
}

}  // namespace entropic::gen
