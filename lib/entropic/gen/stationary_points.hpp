// Exact stationary points of L_lambda = L + lambda/2 ||theta||^2 for a deep linear net f = W_D ... W_1 x
// (catalog E5, T13 (2)). The point is built from the known structure of such points; the claims check
// grad L + lambda theta = 0 exactly, they never assume it.
//
// With l = 1/2 ||f(x) - y||^2 averaged over n samples, residuals r_i = W_D ... W_1 x_i - y_i and
// G = (1/n) sum_i r_i x_i^T, backpropagation gives
//
//     nabla_j L = (W_D ... W_{j+1})^T G (W_{j-1} ... W_1)^T.
//
// Take widths d_0 .. d_D, a rank r <= min_k d_k, U_k (d_k x r) with orthonormal columns (the first r
// columns of a rational Cayley rotation, column signs drawn), S = diag(s) with s > 0 rational, and
//
//     W_j = U_j S U_{j-1}^T,        G = -lambda U_D S^{2-D} U_0^T.
//
// Then W_D ... W_{j+1} = U_D S^{D-j} U_j^T, W_{j-1} ... W_1 = U_{j-1} S^{j-1} U_0^T, and
// nabla_j L = U_j S^{D-1} (-lambda S^{2-D}) U_{j-1}^T = -lambda W_j: grad L_lambda = 0.
// The data realise G: the inputs are the unit vectors e_1 .. e_{d_0} and up to two further x_k with
// arbitrary residuals r_k; the residuals on the unit vectors are the columns of n G - sum_k r_k x_k^T,
// and y_i = W_D ... W_1 x_i - r_i.
//
// With lambda = 0 (`weight_decay` false) G = 0, and W_1 -> c W_1, W_2 -> W_2 / c with c > 0, c != 1
// keeps every product, hence G = 0 and grad L = 0, while D_1 = W_2^T W_2 - W_1 W_1^T becomes
// (1/c^2 - c^2) U_1 S^2 U_1^T != 0: an unbalanced stationary point of L.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {

struct StationaryPoint {
  ModelSpec spec;  // deep linear, widths d_0 .. d_D
  DataSet<Rational> data;
  Vec<Rational> theta;
  Rational lambda = 0;
  Rational c = 1;  // the rescaling W_1 -> c W_1, W_2 -> W_2 / c (lambda = 0 only)

  std::string show() const {
    std::string widths;
    for (size_t i = 0; i < spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(spec.widths[i]);
    return "deep linear [" + widths + "], " + gen::show_parameters(make_model<Rational>(spec)->layout(), theta) +
           ", lambda = " + to_text(lambda) + (c == 1 ? "" : ", rescaled by c = " + to_text(c)) +
           "; X = " + gen::show(data.X) + ", Y = " + gen::show(data.Y);
  }
};

namespace gen {

namespace detail {
// The first r columns of a rational Cayley rotation of size d, each column's sign drawn.
inline Mat<Rational> orthonormal_columns(int d, int r) {
  Mat<Rational> U = (*cayley_rotation(d)).leftCols(r);
  for (int k = 0; k < r; ++k)
    if (*rc::gen::arbitrary<bool>()) U.col(k) = -U.col(k);
  return U;
}
}  // namespace detail

// Depth D in [min_depth, max_depth] (D >= 2), widths 1 to 3 (under `--profile large` one common
// width reaching 200 parameters: gen::model_widths), rank 1 to min width, 0 to 2 extra samples. With
// `weight_decay`, lambda > 0 and the point is balanced; without, lambda = 0 and the point is rescaled
// by c != 1 (unbalanced).
inline rc::Gen<StationaryPoint> deep_linear_stationary_points(int min_depth, int max_depth, bool weight_decay) {
  if (min_depth < 2 || max_depth < min_depth)
    throw std::invalid_argument("stationary points: depth must satisfy 2 <= min_depth <= max_depth");
  return rc::gen::exec([=]() {
    const int D = *dimension(min_depth, max_depth);
    StationaryPoint p;
    p.spec.kind = ModelKind::deep_linear;
    p.spec.widths = *model_widths(ModelKind::deep_linear, std::vector<int>(D + 1, 1), std::vector<int>(D + 1, 3));
    const int min_width = *std::min_element(p.spec.widths.begin(), p.spec.widths.end());
    const int r = *dimension(1, min_width);
    std::vector<Mat<Rational>> U;
    for (int k = 0; k <= D; ++k) U.push_back(detail::orthonormal_columns(p.spec.widths[k], r));
    const Vec<Rational> s = *vector(r, positive_rational(4, 4));
    const Mat<Rational> S = s.asDiagonal();
    p.lambda = weight_decay ? *step_size(Rational(1)) : Rational(0);
    if (!weight_decay) p.c = *rc::gen::suchThat(positive_rational(4, 4), [](const Rational& c) { return c != 1; });

    const auto model = make_model<Rational>(p.spec);
    const Layout& layout = model->layout();
    p.theta = Vec<Rational>::Zero(layout.size());
    for (int j = 1; j <= D; ++j) layout.view(p.theta, j - 1) = U[j] * S * U[j - 1].transpose();
    layout.view(p.theta, 0) *= p.c;
    layout.view(p.theta, 1) /= p.c;

    // G = -lambda U_D S^{2-D} U_0^T.
    Mat<Rational> S_power = Mat<Rational>::Identity(r, r);
    for (int k = 0; k < D - 2; ++k) S_power = S_power * Mat<Rational>(s.cwiseInverse().asDiagonal());
    const Mat<Rational> G = -p.lambda * U[D] * S_power * U[0].transpose();

    // Product P = W_D ... W_1 and the data realising G.
    const int d0 = p.spec.widths[0], dD = p.spec.widths[D];
    Mat<Rational> P = Mat<Rational>::Identity(d0, d0);
    for (int j = 0; j < D; ++j) P = Mat<Rational>(layout.view(p.theta, j)) * P;
    const int extra = *dimension(0, 2);
    const Mat<Rational> more = *matrix(extra, d0);  // rows: the extra inputs
    const Mat<Rational> more_residuals = *matrix(extra, dD);
    const int n = d0 + extra;
    Mat<Rational> X(n, d0), residuals(n, dD);
    X << Mat<Rational>::Identity(d0, d0), more;
    // Rows of `residuals` are r_i^T; sum_i r_i x_i^T = R^T X must equal n G.
    const Mat<Rational> unit_residuals = (Rational(n) * G - more_residuals.transpose() * more).transpose();
    residuals << unit_residuals, more_residuals;
    p.data = finite_data<Rational>(X, Mat<Rational>(X * P.transpose() - residuals));
    return p;
  });
}

}  // namespace gen
}  // namespace entropic
