// Representation alignment metrics (catalog E6): linear CKA, debiased HSIC and CKA, mutual kNN.
//
// Conventions. A representation is a matrix F with one row per example (n rows) and one column per
// feature. K = X X^T and L = Y Y^T are linear kernels (Gram matrices); H = I - 1 1^T / n centres.
// Every function is a template over the scalar T and uses only field operations (and, in mutual
// kNN, comparisons), except linear_cka, linear_cka_gram and debiased_cka, which need sqrt; so in
// Rational the squared forms, HSIC_u and m_kNN are exact.
//
// Linear CKA [Kornblith, Norouzi, Lee, Hinton, "Similarity of neural network representations
// revisited", ICML 2019, eqs. (3)-(5) and Sec. 3]:
//   feature form  CKA = ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F)   on column-centred X, Y;
//   Gram form     CKA = tr(K H L H) / sqrt(tr(K H K H) tr(L H L H)).
// They agree since tr(KHLH) = ||Y_c^T X_c||_F^2 with X_c = H X. The biased HSIC normalization
// 1/(n-1)^2 cancels in the ratio. CKA^2 = ||Y^T X||^4 / (||X^T X||^2 ||Y^T Y||^2) is exact in Rational.
//
// Debiased HSIC [Song, Smola, Gretton, Bedo, Borgwardt, "Feature selection via dependence
// maximization", JMLR 2012, eq. (5)], with K~, L~ the kernels with zero diagonal and n > 3:
//   HSIC_u = [tr(K~ L~) + 1^T K~ 1 1^T L~ 1 / ((n-1)(n-2)) - 2/(n-2) 1^T K~ L~ 1] / (n(n-3)).
// Debiased CKA = HSIC_u(K, L) / sqrt(HSIC_u(K, K) HSIC_u(L, L)); it can be negative, so the exact
// companion is the signed square HSIC_u(K,L) |HSIC_u(K,L)| / (HSIC_u(K,K) HSIC_u(L,L)).
// The feature form of the google-research CKA demo (`_debiased_dot_product_similarity_helper`), on
// centred features,
//   ||X^T Y||_F^2 - n/(n-2) sum_i ||x_i||^2 ||y_i||^2 + ||X||_F^2 ||Y||_F^2 / ((n-1)(n-2)),
// equals n(n-3) HSIC_u(X X^T, Y Y^T).
//
// Mutual kNN [Huh, Cheung, Wang, Isola, "The Platonic representation hypothesis", ICML 2024; as
// implemented in platonic-rep `mutual_knn`]: similarity S = F F^T with the diagonal excluded (a sample
// is never its own neighbour), N_F(i) the k largest entries of row i, and
//   m_kNN = 1/n sum_i |N_A(i) ∩ N_B(i)| / k.
// The reference breaks ties at the top-k boundary by argsort order; here such a tie is an error
// (std::domain_error), so that a result never depends on a tie-break. Unlike platonic-rep we apply
// no +1e-6 in denominators, no clamping and no row normalization: the metric itself, exactly.
#pragma once

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

namespace alignment_detail {

inline std::string shape(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

template <class T>
void require_same_examples(const Mat<T>& X, const Mat<T>& Y, const char* who) {
  if (X.rows() != Y.rows())
    throw std::invalid_argument(std::string(who) + ": X is " + shape(X.rows(), X.cols()) + " and Y is " +
                                shape(Y.rows(), Y.cols()) +
                                "; both need one row per example and the same number of examples");
  if (X.rows() < 2 || X.cols() < 1 || Y.cols() < 1)
    throw std::invalid_argument(std::string(who) + ": X is " + shape(X.rows(), X.cols()) + " and Y is " +
                                shape(Y.rows(), Y.cols()) + "; needs n >= 2 examples and at least one feature");
}

template <class T>
void require_kernels(const Mat<T>& K, const Mat<T>& L, const char* who, Eigen::Index min_n) {
  if (K.rows() != K.cols() || L.rows() != L.cols() || K.rows() != L.rows())
    throw std::invalid_argument(std::string(who) + ": K is " + shape(K.rows(), K.cols()) + " and L is " +
                                shape(L.rows(), L.cols()) + "; both must be n x n with the same n");
  if (K.rows() < min_n)
    throw std::invalid_argument(std::string(who) + ": n = " + std::to_string(K.rows()) + " examples; needs n >= " +
                                std::to_string(min_n));
}

template <class T>
T nonzero_denominator(const T& d, const char* who, const char* what) {
  if (d == T(0)) throw std::domain_error(std::string(who) + ": " + what + " is 0 (a constant representation)");
  return d;
}

}  // namespace alignment_detail

// H = I - 1 1^T / n.
template <class T>
Mat<T> centering_matrix(Eigen::Index n) {
  return Mat<T>::Identity(n, n) - Mat<T>::Constant(n, n, T(1) / T(static_cast<long>(n)));
}

// X - 1 mean(X)^T = H X: every column has mean 0.
template <class T>
Mat<T> center_columns(const Mat<T>& X) {
  Mat<T> out = X;
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    T mean = X.col(j).sum() / T(static_cast<long>(X.rows()));
    for (Eigen::Index i = 0; i < X.rows(); ++i) out(i, j) -= mean;
  }
  return out;
}

// K = F F^T.
template <class T>
Mat<T> linear_kernel(const Mat<T>& F) {
  return F * F.transpose();
}

// tr(K H L H), the (n-1)^2-scaled biased HSIC of Kornblith et al.
template <class T>
T centered_kernel_product(const Mat<T>& K, const Mat<T>& L) {
  alignment_detail::require_kernels(K, L, "centered_kernel_product", 1);
  const Mat<T> H = centering_matrix<T>(K.rows());
  return (K * H * L * H).trace();
}

// ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F) with X, Y column-centred first. Needs sqrt.
template <class T>
T linear_cka(const Mat<T>& X, const Mat<T>& Y) {
  using std::sqrt;
  alignment_detail::require_same_examples(X, Y, "linear_cka");
  const Mat<T> Xc = center_columns(X), Yc = center_columns(Y);
  const T den = sqrt((Xc.transpose() * Xc).squaredNorm() * (Yc.transpose() * Yc).squaredNorm());
  return (Yc.transpose() * Xc).squaredNorm() / alignment_detail::nonzero_denominator(den, "linear_cka", "||X^T X|| ||Y^T Y||");
}

// CKA^2 = ||Y^T X||_F^4 / (||X^T X||_F^2 ||Y^T Y||_F^2) on column-centred X, Y: exact in Rational.
template <class T>
T cka_squared(const Mat<T>& X, const Mat<T>& Y) {
  alignment_detail::require_same_examples(X, Y, "cka_squared");
  const Mat<T> Xc = center_columns(X), Yc = center_columns(Y);
  const T num = (Yc.transpose() * Xc).squaredNorm();
  const T den = (Xc.transpose() * Xc).squaredNorm() * (Yc.transpose() * Yc).squaredNorm();
  return num * num / alignment_detail::nonzero_denominator(den, "cka_squared", "||X^T X||^2 ||Y^T Y||^2");
}

// Gram form tr(KHLH) / sqrt(tr(KHKH) tr(LHLH)). Needs sqrt.
template <class T>
T linear_cka_gram(const Mat<T>& K, const Mat<T>& L) {
  using std::sqrt;
  alignment_detail::require_kernels(K, L, "linear_cka_gram", 2);
  const T den = sqrt(centered_kernel_product(K, K) * centered_kernel_product(L, L));
  return centered_kernel_product(K, L) /
         alignment_detail::nonzero_denominator(den, "linear_cka_gram", "tr(KHKH) tr(LHLH)");
}

// Gram form squared: tr(KHLH)^2 / (tr(KHKH) tr(LHLH)), exact in Rational.
template <class T>
T cka_squared_gram(const Mat<T>& K, const Mat<T>& L) {
  alignment_detail::require_kernels(K, L, "cka_squared_gram", 2);
  const T num = centered_kernel_product(K, L);
  const T den = centered_kernel_product(K, K) * centered_kernel_product(L, L);
  return num * num / alignment_detail::nonzero_denominator(den, "cka_squared_gram", "tr(KHKH) tr(LHLH)");
}

// The kernel with its diagonal set to 0 (K~ of Song et al.).
template <class T>
Mat<T> zero_diagonal(const Mat<T>& K) {
  Mat<T> out = K;
  for (Eigen::Index i = 0; i < K.rows(); ++i) out(i, i) = T(0);
  return out;
}

// HSIC_u = [tr(K~L~) + 1^T K~ 1 1^T L~ 1/((n-1)(n-2)) - 2/(n-2) 1^T K~ L~ 1] / (n(n-3)),  n > 3.
template <class T>
T hsic_unbiased(const Mat<T>& K, const Mat<T>& L) {
  alignment_detail::require_kernels(K, L, "hsic_unbiased", 4);
  const T n(static_cast<long>(K.rows()));
  const Mat<T> Kt = zero_diagonal(K), Lt = zero_diagonal(L);
  const Vec<T> ones = Vec<T>::Ones(K.rows());
  const T trace = (Kt * Lt).trace();
  const T sums = Kt.sum() * Lt.sum() / ((n - 1) * (n - 2));
  const T cross = T(2) / (n - 2) * ones.dot(Kt * Lt * ones);
  return (trace + sums - cross) / (n * (n - 3));
}

// Debiased CKA HSIC_u(K,L) / sqrt(HSIC_u(K,K) HSIC_u(L,L)). Needs sqrt; the product must be > 0.
template <class T>
T debiased_cka(const Mat<T>& K, const Mat<T>& L) {
  using std::sqrt;
  const T kk = hsic_unbiased(K, K), ll = hsic_unbiased(L, L);
  if (!(kk * ll > T(0)))
    throw std::domain_error("debiased_cka: HSIC_u(K,K) HSIC_u(L,L) is not positive; the ratio is undefined");
  return hsic_unbiased(K, L) / sqrt(kk * ll);
}

// sign(r) r^2 for the debiased CKA ratio r: HSIC_u(K,L) |HSIC_u(K,L)| / (HSIC_u(K,K) HSIC_u(L,L)),
// exact in Rational. The product in the denominator must be > 0.
template <class T>
T debiased_cka_signed_square(const Mat<T>& K, const Mat<T>& L) {
  const T kk = hsic_unbiased(K, K), ll = hsic_unbiased(L, L);
  if (!(kk * ll > T(0)))
    throw std::domain_error(
        "debiased_cka_signed_square: HSIC_u(K,K) HSIC_u(L,L) is not positive; the ratio is undefined");
  const T kl = hsic_unbiased(K, L);
  const T magnitude = kl < T(0) ? T(-kl) : kl;
  return kl * magnitude / (kk * ll);
}

// google-research feature form on centred features (the features are centred here first):
//   ||X^T Y||_F^2 - n/(n-2) sum_i ||x_i||^2 ||y_i||^2 + ||X||_F^2 ||Y||_F^2 / ((n-1)(n-2)),
// which equals n(n-3) HSIC_u(X X^T, Y Y^T). n > 3.
template <class T>
T debiased_dot_product_similarity(const Mat<T>& X, const Mat<T>& Y) {
  alignment_detail::require_same_examples(X, Y, "debiased_dot_product_similarity");
  if (X.rows() < 4)
    throw std::invalid_argument("debiased_dot_product_similarity: n = " + std::to_string(X.rows()) +
                                " examples; needs n >= 4");
  const Mat<T> Xc = center_columns(X), Yc = center_columns(Y);
  const T n(static_cast<long>(X.rows()));
  const Vec<T> rows_x = Xc.rowwise().squaredNorm(), rows_y = Yc.rowwise().squaredNorm();
  return (Xc.transpose() * Yc).squaredNorm() - n / (n - 2) * rows_x.dot(rows_y) +
         rows_x.sum() * rows_y.sum() / ((n - 1) * (n - 2));
}

// N_F(i), i = 0..n-1: the indices j != i of the k largest entries of row i of F F^T, ascending.
// Throws std::domain_error if the k-th and (k+1)-th largest entries of some row are equal (the top-k
// set would depend on a tie-break); needs 1 <= k < n.
template <class T>
std::vector<std::vector<int>> nearest_neighbours(const Mat<T>& F, int k) {
  const Eigen::Index n = F.rows();
  if (k < 1 || k >= n)
    throw std::invalid_argument("nearest_neighbours: k = " + std::to_string(k) + " with n = " + std::to_string(n) +
                                " examples (F is " + alignment_detail::shape(F.rows(), F.cols()) +
                                "); needs 1 <= k < n");
  const Mat<T> S = F * F.transpose();
  std::vector<std::vector<int>> out(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    std::vector<int> others;
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != i) others.push_back(static_cast<int>(j));
    std::stable_sort(others.begin(), others.end(), [&](int a, int b) { return S(i, a) > S(i, b); });
    if (k < static_cast<int>(others.size()) && S(i, others[k - 1]) == S(i, others[k]))
      throw std::domain_error("nearest_neighbours: tie at the top-" + std::to_string(k) + " boundary in row " +
                              std::to_string(i) + ": samples " + std::to_string(others[k - 1]) + " and " +
                              std::to_string(others[k]) +
                              " are equally similar; the neighbour set would depend on a tie-break");
    out[i].assign(others.begin(), others.begin() + k);
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

// True iff some row of F F^T ties at the top-k boundary (nearest_neighbours would throw).
template <class T>
bool has_top_k_tie(const Mat<T>& F, int k) {
  try {
    nearest_neighbours(F, k);
  } catch (const std::domain_error&) {
    return true;
  }
  return false;
}

// m_kNN = 1/n sum_i |N_A(i) ∩ N_B(i)| / k (Huh et al. 2024, as implemented). A and B have one row per
// example (same n), any widths.
template <class T>
T mutual_knn(const Mat<T>& A, const Mat<T>& B, int k) {
  if (A.rows() != B.rows())
    throw std::invalid_argument("mutual_knn: A is " + alignment_detail::shape(A.rows(), A.cols()) + " and B is " +
                                alignment_detail::shape(B.rows(), B.cols()) +
                                "; both need one row per example and the same number of examples");
  const auto na = nearest_neighbours(A, k), nb = nearest_neighbours(B, k);
  long shared = 0;
  for (size_t i = 0; i < na.size(); ++i) {
    std::vector<int> common;
    std::set_intersection(na[i].begin(), na[i].end(), nb[i].begin(), nb[i].end(), std::back_inserter(common));
    shared += static_cast<long>(common.size());
  }
  return T(shared) / T(static_cast<long>(A.rows()) * k);
}

}  // namespace entropic
