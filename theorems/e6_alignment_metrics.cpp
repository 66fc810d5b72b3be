// E6 — Alignment metrics (catalog E6).
//
// Rows are examples. Linear CKA [Kornblith, Norouzi, Lee, Hinton 2019] on column-centred X, Y:
//     CKA = ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F) = tr(K H L H) / sqrt(tr(KHKH) tr(LHLH)),
// K = X X^T, L = Y Y^T, H = I - 1 1^T / n. Exactly in Rational through CKA^2. It is invariant under
// X -> X R (R orthogonal), X -> s X and X -> X + 1 c^T, not under a general invertible X -> X A; for
// 1-D features CKA = Pearson r^2 (so CKA^2 = r^4).
// Debiased HSIC [Song et al. 2012], zero-diagonal K~, L~, n > 3:
//     HSIC_u = [tr(K~L~) + 1^T K~ 1 1^T L~ 1/((n-1)(n-2)) - 2/(n-2) 1^T K~ L~ 1] / (n(n-3)),
// exactly translation-invariant for linear kernels, so the debiased ratio is too (checked through
// its signed square). The google-research feature form equals n(n-3) HSIC_u.
// Mutual kNN [Huh, Cheung, Wang, Isola 2024, as implemented]: m = 1/n sum_i |N_A(i) ∩ N_B(i)| / k on
// F F^T without the diagonal. m = 1 for B = s A R, since B B^T = s^2 A A^T; only tie-free instances
// are generated (a top-k boundary tie makes the neighbour set a tie-break). Null mean: for a fixed
// B0 and B = P B0 over all n! row permutations P, N_B(i) is a uniform k-subset of the other n - 1
// samples, so the mean of m over the permutations is exactly k/(n-1), by enumeration rather than
// sampling. This is E m = k/(n-1) itself: for i.i.d. rows of B independent of A, given the set of
// B's rows their order is a uniformly random permutation, so E[m | rows of B] is this mean.
#include <Eigen/LU>
#include <algorithm>
#include <numeric>

#include "entropic/metrics/alignment.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"

namespace entropic {
namespace {

// Two representations of the same n examples and the maps applied to them.
struct Representations {
  Mat<Rational> X, Y;
  Mat<Rational> R;        // Cayley rotation of X's feature space
  Mat<Rational> A;        // general square matrix on X's feature space (invertible where used)
  Rational s;             // isotropic scale, > 0
  Vec<Rational> cx, cy;   // translations X + 1 cx^T, Y + 1 cy^T
  std::string show() const {
    return "X = " + gen::show(X) + ", Y = " + gen::show(Y) + ", R = " + gen::show(R) + ", A = " + gen::show(A) +
           ", s = " + to_text(s) + ", cx = " + gen::show(cx) + ", cy = " + gen::show(cy);
  }
};

Mat<Rational> translated(const Mat<Rational>& F, const Vec<Rational>& c) {
  return F + Vec<Rational>::Ones(F.rows()) * c.transpose();
}

bool constant(const Mat<Rational>& F) { return center_columns(F).isZero(0); }

// n in [min_n, max_n] examples, widths in [min_width, max_width]; X and Y not constant.
rc::Gen<Representations> representations(int min_n, int max_n, int min_width = 1, int max_width = 3) {
  auto shapes = rc::gen::tuple(gen::dimension(min_n, max_n), gen::dimension(min_width, max_width),
                               gen::dimension(1, max_width));
  auto all = rc::gen::mapcat(shapes, [](const std::tuple<int, int, int>& shape) {
    const auto [n, dx, dy] = shape;
    return rc::gen::map(rc::gen::tuple(gen::matrix(n, dx), gen::matrix(n, dy), gen::cayley_rotation(dx),
                                       gen::matrix(dx, dx),
                                       rc::gen::suchThat(gen::positive_rational(), [](const Rational& s) { return s != 1; }),
                                       gen::vector(dx),
                                       gen::vector(dy)),
                        [](const std::tuple<Mat<Rational>, Mat<Rational>, Mat<Rational>, Mat<Rational>, Rational,
                                            Vec<Rational>, Vec<Rational>>& t) {
                          const auto& [X, Y, R, A, s, cx, cy] = t;
                          return Representations{X, Y, R, A, s, cx, cy};
                        });
  });
  return rc::gen::suchThat(all, [](const Representations& r) { return !constant(r.X) && !constant(r.Y); });
}

// Rotations that move X's feature space: dx >= 2 (a 1 x 1 Cayley rotation is 1) and R != I.
rc::Gen<Representations> rotated_representations() {
  return rc::gen::suchThat(representations(3, 6, 2, 3), [](const Representations& r) {
    return r.R != Mat<Rational>::Identity(r.R.rows(), r.R.cols());
  });
}

// --- linear CKA ---------------------------------------------------------------------------------

// ||Y_c^T X_c||^2 and CKA^2 from the features; tr(K H L H) and CKA^2 from the Gram matrices.
Quantities<Rational> feature_form(const Representations& r) {
  const Mat<Rational> Xc = center_columns(r.X), Yc = center_columns(r.Y);
  return {{"||Y_c^T X_c||_F^2", (Yc.transpose() * Xc).squaredNorm()}, {"CKA^2", cka_squared(r.X, r.Y)}};
}
Quantities<Rational> gram_form(const Representations& r) {
  const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
  return {{"||Y_c^T X_c||_F^2", centered_kernel_product(K, L)}, {"CKA^2", cka_squared_gram(K, L)}};
}

Rational cka2(const Representations& r) { return cka_squared(r.X, r.Y); }

// Degenerate for the invariances: CKA^2 at an extreme, 0 (X_c^T Y_c = 0) or 1, which many maps keep.
bool cka_extreme(const Representations& r) {
  const Rational c = cka2(r);
  return c == 0 || c == 1;
}

// 1-D features: CKA = r^2 with r the Pearson correlation, i.e. CKA^2 = (r^2)^2.
Rational pearson_r4(const Representations& r) {
  const Vec<Rational> x = center_columns(r.X).col(0), y = center_columns(r.Y).col(0);
  const Rational r2 = x.dot(y) * x.dot(y) / (x.squaredNorm() * y.squaredNorm());
  return r2 * r2;
}

// Invariances: CKA^2(X, Y) is predicted by CKA^2 of the mapped pair.
Rational cka2_rotated(const Representations& r) { return cka_squared(Mat<Rational>(r.X * r.R), r.Y); }
Rational cka2_scaled(const Representations& r) { return cka_squared(Mat<Rational>(r.s * r.X), r.Y); }
Rational cka2_translated(const Representations& r) {
  return cka_squared(translated(r.X, r.cx), translated(r.Y, r.cy));
}
// Mutant: CKA^2(X A, Y) for a general invertible A (a singular A misses the mutant's hypothesis).
Rational cka2_general_map(const Representations& r) {
  if (!r.A.fullPivLu().isInvertible()) throw Inconclusive("A is singular");
  return cka_squared(Mat<Rational>(r.X * r.A), r.Y);
}

// Mutant: ||Y^T X||^4 / (||X^T X||^2 ||Y^T Y||^2) on raw, uncentred features, claimed
// translation-invariant. CKA^2(X, Y) is this of the centred pair (X_c, Y_c), so the mutant predicts
// CKA^2(X, Y) = its value at the translated centred pair (X_c + 1 cx^T, Y_c + 1 cy^T).
Rational uncentered_cka_squared(const Mat<Rational>& X, const Mat<Rational>& Y) {
  const Rational num = (Y.transpose() * X).squaredNorm();
  return num * num / ((X.transpose() * X).squaredNorm() * (Y.transpose() * Y).squaredNorm());
}
Rational uncentered_cka2_translated(const Representations& r) {
  const Mat<Rational> X = translated(center_columns(r.X), r.cx), Y = translated(center_columns(r.Y), r.cy);
  if (X.isZero(0) || Y.isZero(0)) throw Inconclusive("a translated representation is 0");
  return uncentered_cka_squared(X, Y);
}

// --- debiased HSIC and CKA ----------------------------------------------------------------------

// HSIC_u(K, K) HSIC_u(L, L) > 0, so the debiased ratio is defined.
rc::Gen<Representations> debiased_representations() {
  return rc::gen::suchThat(representations(4, 7), [](const Representations& r) {
    const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
    return hsic_unbiased(K, K) * hsic_unbiased(L, L) > 0;
  });
}

// HSIC_u and the debiased ratio^2 (signed) of (X + 1 cx^T, Y + 1 cy^T), and of (X, Y).
Quantities<Rational> debiased_of(const Mat<Rational>& X, const Mat<Rational>& Y) {
  const Mat<Rational> K = linear_kernel(X), L = linear_kernel(Y);
  return {{"HSIC_u", hsic_unbiased(K, L)}, {"debiased CKA ratio^2 (signed)", debiased_cka_signed_square(K, L)}};
}
Quantities<Rational> debiased_translated(const Representations& r) {
  return debiased_of(translated(r.X, r.cx), translated(r.Y, r.cy));
}
Quantities<Rational> debiased_untranslated(const Representations& r) { return debiased_of(r.X, r.Y); }

// The google-research form, and n(n-3) HSIC_u on the raw features' linear kernels; the mutant's
// HSIC_u loses its 1^T K~ 1 1^T L~ 1 / ((n-1)(n-2)) term.
Rational google_research_form(const Representations& r) { return debiased_dot_product_similarity(r.X, r.Y); }
Rational scaled_hsic(const Representations& r) {
  const Rational n = r.X.rows();
  return n * (n - 3) * hsic_unbiased(linear_kernel(r.X), linear_kernel(r.Y));
}
Rational scaled_hsic_without_sums_term(const Representations& r) {
  const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
  const Rational n = r.X.rows();
  return n * (n - 3) * hsic_unbiased(K, L) - zero_diagonal(K).sum() * zero_diagonal(L).sum() / ((n - 1) * (n - 2));
}

// --- mutual kNN ---------------------------------------------------------------------------------

struct KnnInstance {
  Mat<Rational> A, B0;  // B0: a second representation (null mean) ...
  Mat<Rational> R, M;   // ... a Cayley rotation and a general map of A's feature space
  Rational s;
  int k = 1;
  std::string show() const {
    return "A = " + gen::show(A) + ", B0 = " + gen::show(B0) + ", R = " + gen::show(R) + ", M = " + gen::show(M) +
           ", s = " + to_text(s) + ", k = " + std::to_string(k);
  }
};

// n in [3, max_n], widths in [min_width, 3], k in [1, n-2]; A and B0 without top-k ties.
rc::Gen<KnnInstance> knn_instances(int max_n, int min_width) {
  auto shapes = rc::gen::mapcat(rc::gen::pair(gen::dimension(3, max_n), gen::dimension(min_width, 3)),
                                [](const std::pair<int, int>& nd) {
                                  return rc::gen::tuple(rc::gen::just(nd.first), rc::gen::just(nd.second),
                                                        gen::dimension(1, nd.first - 2));
                                });
  auto all = rc::gen::mapcat(shapes, [](const std::tuple<int, int, int>& shape) {
    const auto [n, d, k] = shape;
    return rc::gen::map(
        rc::gen::tuple(gen::matrix(n, d), gen::matrix(n, d), gen::cayley_rotation(d), gen::matrix(d, d),
                       gen::positive_rational()),
        [k = k](const std::tuple<Mat<Rational>, Mat<Rational>, Mat<Rational>, Mat<Rational>, Rational>& t) {
          const auto& [A, B0, R, M, s] = t;
          return KnnInstance{A, B0, R, M, s, k};
        });
  });
  return rc::gen::suchThat(all, [](const KnnInstance& i) { return !has_top_k_tie(i.A, i.k) && !has_top_k_tie(i.B0, i.k); });
}

// m_kNN(A, s A R), predicted 1.
Rational knn_rotated_scaled(const KnnInstance& i) { return mutual_knn(i.A, Mat<Rational>(i.s * i.A * i.R), i.k); }
Rational one(const KnnInstance&) { return 1; }
// Mutant: m_kNN(A, A M) = 1 for an invertible, tie-free M, so m_kNN(A, s A R) = m_kNN(A, A M).
Rational knn_general_map(const KnnInstance& i) {
  const Mat<Rational> AM = i.A * i.M;
  if (!i.M.fullPivLu().isInvertible() || has_top_k_tie(AM, i.k))
    throw Inconclusive("M is singular or A M has a top-k tie");
  return mutual_knn(i.A, AM, i.k);
}

// Mean of m_kNN(A, P B0) over all n! row permutations P, predicted k/(n-1) (the mutant: k/n).
Rational null_mean(const KnnInstance& i) {
  const int n = static_cast<int>(i.A.rows());
  std::vector<int> p(n);
  std::iota(p.begin(), p.end(), 0);
  Rational total = 0;
  long count = 0;
  do {
    Mat<Rational> B(n, i.B0.cols());
    for (int r = 0; r < n; ++r) B.row(r) = i.B0.row(p[r]);
    total += mutual_knn(i.A, B, i.k);
    ++count;
  } while (std::next_permutation(p.begin(), p.end()));
  return total / count;
}
Rational k_over_n_minus_1(const KnnInstance& i) { return Rational(i.k, static_cast<int>(i.A.rows()) - 1); }
Rational k_over_n(const KnnInstance& i) { return Rational(i.k, static_cast<int>(i.A.rows())); }

}  // namespace

ENTROPIC_CLAIM(E6) {
  // n >= 3: with two examples the centred rows are +-v and CKA = 1 for every pair.
  const auto pairs = representations(3, 6);
  const auto knn_null = knn_instances(5, 1);
  return Claim("E6", "Alignment metrics")
      .provenance(Provenance::classical)
      .kind("exact identity")
      .part("feature-gram", "feature form = Gram form (CKA^2)", pairs)
          .observe(feature_form)
          .predict(gram_form)
          .degenerate("Y_c^T X_c = 0: both forms vanish", [](const Representations& r) { return cka2(r) == 0; })
          .feature("n", [](const Representations& r) { return int(r.X.rows()); })
          .feature("widths", [](const Representations& r) { return std::to_string(r.X.cols()) + "," + std::to_string(r.Y.cols()); })
      .part("pearson", "1-D features: CKA = Pearson r^2", representations(3, 6, 1, 1))
          .observe(cka2)
          .predict(pearson_r4)
          .degenerate("r in {0, 1, -1}", [](const Representations& r) { return cka_extreme(r); })
      .part("rotation", "CKA^2 invariant under a Cayley rotation X -> X R", rotated_representations())
          .observe(cka2)
          .predict(cka2_rotated)
          .mutant("general-map", "CKA invariant under a general invertible map X -> X A", cka2_general_map)
          .degenerate("CKA^2 in {0, 1}", cka_extreme)
      .part("scaling", "CKA^2 invariant under isotropic scaling X -> s X", pairs)
          .observe(cka2)
          .predict(cka2_scaled)
          .degenerate("CKA^2 in {0, 1}", cka_extreme)
      .part("translation", "CKA^2 invariant under translation", pairs)
          .observe(cka2)
          .predict(cka2_translated)
          .mutant("uncentred", "linear CKA without centering is translation-invariant", uncentered_cka2_translated)
          .degenerate("cx = cy = 0 or CKA^2 in {0, 1}", [](const Representations& r) {
            return (r.cx.array() == Rational(0)).all() && (r.cy.array() == Rational(0)).all() ? true : cka_extreme(r);
          })
      .part("debiased", "debiased HSIC_u and ratio^2 translation-invariant", debiased_representations())
          .observe(debiased_translated)
          .predict(debiased_untranslated)
          .degenerate("cx = cy = 0: nothing translated", [](const Representations& r) {
            return (r.cx.array() == Rational(0)).all() && (r.cy.array() == Rational(0)).all();
          })
      .part("google-form", "google-research feature form = n(n-3) HSIC_u", representations(4, 7))
          .observe(google_research_form)
          .predict(scaled_hsic)
          .mutant("no-correction", "debiased form without the (n-1)(n-2) correction equals HSIC_u",
                  scaled_hsic_without_sums_term)
          .degenerate("1^T K~ 1 1^T L~ 1 = 0: the mutant's missing term vanishes",
                      [](const Representations& r) { return scaled_hsic(r) == scaled_hsic_without_sums_term(r); })
      .part("knn-rotation", "mutual kNN = 1 under rotation and scaling", knn_instances(6, 1))
          .observe(knn_rotated_scaled)
          .predict(one)
          .mutant("general-map", "mutual kNN = 1 under a general invertible map", knn_general_map)
          .degenerate("R = I and s = 1: the second representation is A", [](const KnnInstance& i) {
            return i.s == 1 && i.R == Mat<Rational>::Identity(i.R.rows(), i.R.cols());
          })
          .feature("k", [](const KnnInstance& i) { return i.k; })
      .part("knn-null", "null mean: m_kNN averaged over row permutations = k/(n-1)", knn_null)
          .observe(null_mean)
          .predict(k_over_n_minus_1)
          .mutant("over-n", "null mean of m_kNN is k/n", k_over_n)
          .nondegenerate("k in [1, n - 2] and no top-k ties in A or B0, by construction")
          .feature("n", [](const KnnInstance& i) { return int(i.A.rows()); });
}

}  // namespace entropic
