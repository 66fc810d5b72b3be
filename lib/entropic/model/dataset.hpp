// Finite data sets, rows are samples: X is N x d_in, Y is N x d_out (for softmax, N x 1 class
// indices). Training loss L = mean over the N samples (catalog, section 0).
//
//   product_data(xs, V, noises)  {x_j} x {eps_m}: rows (x_j, V x_j + eps_m). With sum_m eps_m = 0,
//                                x and eps are exactly independent and eps has mean zero, so
//                                expectations over the data are exact finite sums.
//   view(data, Z)                the view Z x of every input (Platonic setting, T11).
#pragma once

#include <stdexcept>
#include <string>

#include "entropic/numeric/kind.hpp"

namespace entropic {

template <class S>
struct DataSet {
  Mat<S> X, Y;
  int size() const { return static_cast<int>(X.rows()); }
  int input_dim() const { return static_cast<int>(X.cols()); }
  int output_dim() const { return static_cast<int>(Y.cols()); }
  Vec<S> x(int i) const { return X.row(i).transpose(); }
  Vec<S> y(int i) const { return Y.row(i).transpose(); }
};

template <class S>
DataSet<S> finite_data(Mat<S> X, Mat<S> Y) {
  if (X.rows() != Y.rows())
    throw std::invalid_argument("data: x has " + std::to_string(X.rows()) + " rows but y has " +
                                std::to_string(Y.rows()));
  if (X.rows() == 0) throw std::invalid_argument("data: no samples");
  return DataSet<S>{std::move(X), std::move(Y)};
}

// Rows of xs are the inputs x_j; rows of noises the eps_m; V maps inputs to clean targets.
template <class S>
DataSet<S> product_data(const Mat<S>& xs, const Mat<S>& V, const Mat<S>& noises) {
  if (V.cols() != xs.cols() || V.rows() != noises.cols())
    throw std::invalid_argument("product data: V must be (noise dim) x (input dim)");
  const int n = static_cast<int>(xs.rows()), m = static_cast<int>(noises.rows());
  Mat<S> X(n * m, xs.cols()), Y(n * m, V.rows());
  for (int j = 0; j < n; ++j)
    for (int k = 0; k < m; ++k) {
      X.row(j * m + k) = xs.row(j);
      Y.row(j * m + k) = (V * xs.row(j).transpose() + noises.row(k).transpose()).transpose();
    }
  return DataSet<S>{std::move(X), std::move(Y)};
}

template <class S>
DataSet<S> view(const DataSet<S>& data, const Mat<S>& Z) {
  if (Z.cols() != data.X.cols())
    throw std::invalid_argument("view: Z has " + std::to_string(Z.cols()) +
                                " columns but inputs have dimension " +
                                std::to_string(data.X.cols()));
  return DataSet<S>{data.X * Z.transpose(), data.Y};
}

// The same data over a richer scalar (S -> Dual<S>, Series<S>, ...): every entry converted exactly.
template <class T, class S>
DataSet<T> lift(const DataSet<S>& d) {
  return DataSet<T>{d.X.unaryExpr([](const S& x) { return T(x); }),
                    d.Y.unaryExpr([](const S& x) { return T(x); })};
}

template <class S>
DataSet<S> from_rational(const DataSet<Rational>& d) {
  return DataSet<S>{from_rational<S>(d.X), from_rational<S>(d.Y)};
}

}  // namespace entropic
