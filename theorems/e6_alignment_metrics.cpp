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
                                       gen::matrix(dx, dx), gen::positive_rational(), gen::vector(dx),
                                       gen::vector(dy)),
                        [](const std::tuple<Mat<Rational>, Mat<Rational>, Mat<Rational>, Mat<Rational>, Rational,
                                            Vec<Rational>, Vec<Rational>>& t) {
                          const auto& [X, Y, R, A, s, cx, cy] = t;
                          return Representations{X, Y, R, A, s, cx, cy};
                        });
  });
  return rc::gen::suchThat(all, [](const Representations& r) { return !constant(r.X) && !constant(r.Y); });
}

std::string show_representations(const Representations& r) { return r.show(); }

// --- linear CKA ---------------------------------------------------------------------------------

// ||Y_c^T X_c||^2 = tr(KHLH) and the feature-form CKA^2 = the Gram-form CKA^2.
Verdict feature_equals_gram(const Representations& r) {
  const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
  const Mat<Rational> Xc = center_columns(r.X), Yc = center_columns(r.Y);
  return all_of({compare<Rational>((Yc.transpose() * Xc).squaredNorm(), centered_kernel_product(K, L),
                                   "||Y_c^T X_c||_F^2 = tr(K H L H)"),
                 compare<Rational>(cka_squared(r.X, r.Y), cka_squared_gram(K, L),
                                   "feature-form CKA^2 = Gram-form CKA^2")});
}

// 1-D features: CKA = r^2 with r the Pearson correlation, i.e. CKA^2 = (r^2)^2.
Verdict pearson(const Representations& r) {
  const Vec<Rational> x = center_columns(r.X).col(0), y = center_columns(r.Y).col(0);
  const Rational r2 = x.dot(y) * x.dot(y) / (x.squaredNorm() * y.squaredNorm());
  return compare<Rational>(cka_squared(r.X, r.Y), Rational(r2 * r2), "1-D features: CKA^2 = (Pearson r^2)^2");
}

// CKA^2(X', Y') = CKA^2(X, Y) for the named map.
enum class Map { rotation, scaling, translation, general };

Verdict cka_invariant(const Representations& r, Map map) {
  const Rational before = cka_squared(r.X, r.Y);
  switch (map) {
    case Map::rotation:
      return compare<Rational>(cka_squared(Mat<Rational>(r.X * r.R), r.Y), before, "CKA^2(X R, Y) = CKA^2(X, Y)");
    case Map::scaling:
      return compare<Rational>(cka_squared(Mat<Rational>(r.s * r.X), r.Y), before, "CKA^2(s X, Y) = CKA^2(X, Y)");
    case Map::translation:
      return compare<Rational>(cka_squared(translated(r.X, r.cx), translated(r.Y, r.cy)), before,
                               "CKA^2(X + 1 cx^T, Y + 1 cy^T) = CKA^2(X, Y)");
    case Map::general:
      return compare<Rational>(cka_squared(Mat<Rational>(r.X * r.A), r.Y), before,
                               "CKA^2(X A, Y) = CKA^2(X, Y) for invertible A");
  }
  return Verdict::inconclusive("unknown map");
}

// Mutant: ||Y^T X||^4 / (||X^T X||^2 ||Y^T Y||^2) on raw, uncentred features, claimed
// translation-invariant.
Rational uncentered_cka_squared(const Mat<Rational>& X, const Mat<Rational>& Y) {
  const Rational num = (Y.transpose() * X).squaredNorm();
  return num * num / ((X.transpose() * X).squaredNorm() * (Y.transpose() * Y).squaredNorm());
}

Verdict uncentered_translation(const Representations& r) {
  return compare<Rational>(uncentered_cka_squared(translated(r.X, r.cx), translated(r.Y, r.cy)),
                           uncentered_cka_squared(r.X, r.Y),
                           "uncentred CKA^2 translation-invariant");
}

// A general map: at least 2 features and det A != 0.
rc::Gen<Representations> invertible_maps() {
  return rc::gen::suchThat(representations(3, 6, 2, 3),
                           [](const Representations& r) { return r.A.fullPivLu().isInvertible(); });
}

// --- debiased HSIC and CKA ----------------------------------------------------------------------

// HSIC_u(K, K) HSIC_u(L, L) > 0, so the debiased ratio is defined.
rc::Gen<Representations> debiased_representations() {
  return rc::gen::suchThat(representations(4, 7), [](const Representations& r) {
    const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
    return hsic_unbiased(K, K) * hsic_unbiased(L, L) > 0;
  });
}

Verdict debiased_translation(const Representations& r) {
  const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
  const Mat<Rational> Kt = linear_kernel(translated(r.X, r.cx)), Lt = linear_kernel(translated(r.Y, r.cy));
  return all_of({compare<Rational>(hsic_unbiased(Kt, Lt), hsic_unbiased(K, L),
                                   "HSIC_u(X + 1 cx^T, Y + 1 cy^T) = HSIC_u(X, Y)"),
                 compare<Rational>(debiased_cka_signed_square(Kt, Lt), debiased_cka_signed_square(K, L),
                                   "debiased CKA ratio^2 (signed) translation-invariant")});
}

// The google-research form = n(n-3) HSIC_u on the raw features' linear kernels. With
// `drop_sums_term` (mutant) HSIC_u loses its 1^T K~ 1 1^T L~ 1 / ((n-1)(n-2)) term.
Verdict google_research_form(const Representations& r, bool drop_sums_term) {
  const Mat<Rational> K = linear_kernel(r.X), L = linear_kernel(r.Y);
  const Rational n = r.X.rows();
  Rational hsic = hsic_unbiased(K, L);
  if (drop_sums_term)
    hsic -= zero_diagonal(K).sum() * zero_diagonal(L).sum() / ((n - 1) * (n - 2)) / (n * (n - 3));
  return compare<Rational>(debiased_dot_product_similarity(r.X, r.Y), Rational(n * (n - 3) * hsic),
                           drop_sums_term ? "google-research form = n(n-3) HSIC_u without the (n-1)(n-2) term"
                                          : "google-research form = n(n-3) HSIC_u");
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
std::string show_knn(const KnnInstance& i) { return i.show(); }

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

// m_kNN(A, s A R) = 1.
Verdict knn_rotation_scaling(const KnnInstance& i) {
  return compare<Rational>(mutual_knn(i.A, Mat<Rational>(i.s * i.A * i.R), i.k), Rational(1),
                           "m_kNN(A, s A R) = 1");
}

// Mutant: m_kNN(A, A M) = 1 for an invertible, tie-free M.
rc::Gen<KnnInstance> general_knn_maps() {
  return rc::gen::suchThat(knn_instances(6, 2), [](const KnnInstance& i) {
    return i.M.fullPivLu().isInvertible() && !has_top_k_tie(Mat<Rational>(i.A * i.M), i.k);
  });
}
Verdict knn_general_map(const KnnInstance& i) {
  return compare<Rational>(mutual_knn(i.A, Mat<Rational>(i.A * i.M), i.k), Rational(1),
                           "m_kNN(A, A M) = 1 for invertible M");
}

// Mean of m_kNN(A, P B0) over all n! row permutations P = k/(n-1) (or, as a mutant, k/n).
Verdict null_mean(const KnnInstance& i, bool mutant_over_n) {
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
  const Rational mean = total / count;
  return mutant_over_n
             ? compare<Rational>(mean, Rational(i.k, n), "mean over row permutations of m_kNN = k/n")
             : compare<Rational>(mean, Rational(i.k, n - 1),
                                 "mean over all " + std::to_string(count) + " row permutations of m_kNN = k/(n-1)");
}

}  // namespace

ENTROPIC_CLAIM(E6) {
  const auto pairs = representations(2, 6);
  const auto debiased = debiased_representations();
  const auto knn = knn_instances(6, 1);
  const auto knn_null = knn_instances(5, 1);
  return Claim("E6", "Alignment metrics")
      .provenance(Provenance::classical)
      .kind("exact identity")
      .part("feature form = Gram form (CKA^2)", pairs, feature_equals_gram, show_representations)
      .part("1-D features: CKA = Pearson r^2", representations(2, 6, 1, 1), pearson, show_representations)
      .part("CKA^2 invariant under a Cayley rotation X -> X R", pairs,
            [](const Representations& r) { return cka_invariant(r, Map::rotation); }, show_representations)
      .part("CKA^2 invariant under isotropic scaling X -> s X", pairs,
            [](const Representations& r) { return cka_invariant(r, Map::scaling); }, show_representations)
      .part("CKA^2 invariant under translation", pairs,
            [](const Representations& r) { return cka_invariant(r, Map::translation); }, show_representations)
      .part("debiased HSIC_u and ratio^2 translation-invariant", debiased, debiased_translation,
            show_representations)
      .part("google-research feature form = n(n-3) HSIC_u", representations(4, 7),
            [](const Representations& r) { return google_research_form(r, false); }, show_representations)
      .part("mutual kNN = 1 under rotation and scaling", knn, knn_rotation_scaling, show_knn)
      .part("null mean: m_kNN averaged over row permutations = k/(n-1)", knn_null,
            [](const KnnInstance& i) { return null_mean(i, false); }, show_knn)
      .mutant("CKA invariant under a general invertible map X -> X A", invertible_maps(),
              [](const Representations& r) { return cka_invariant(r, Map::general); }, show_representations)
      .mutant("debiased form without the (n-1)(n-2) correction equals HSIC_u", representations(4, 7),
              [](const Representations& r) { return google_research_form(r, true); }, show_representations)
      .mutant("linear CKA without centering is translation-invariant",
              rc::gen::suchThat(pairs,
                                [](const Representations& r) {
                                  return !translated(r.X, r.cx).isZero(0) && !translated(r.Y, r.cy).isZero(0);
                                }),
              uncentered_translation, show_representations)
      .mutant("mutual kNN = 1 under a general invertible map", general_knn_maps(), knn_general_map, show_knn)
      .mutant("null mean of m_kNN is k/n", knn_null, [](const KnnInstance& i) { return null_mean(i, true); },
              show_knn);
}

}  // namespace entropic
