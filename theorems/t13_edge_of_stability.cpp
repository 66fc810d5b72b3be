// T13 — Limits of the first-order theory; edge of stability (catalog T13).
//
// (1) Quadratic loss 1/2 z^T H z. GD multiplies the component along an eigenvector e (H e = lambda e)
//     by 1 - eta lambda. For eta lambda < 1 this is exactly the time-eta flow of 1/2 z^T K z with
//         K = -log(1 - eta lambda) / eta = lambda (1 + eta lambda/2) + O(eta^2),
//     and the relative error of the first-order rate, rel = (K - lambda(1 + eta lambda/2)) / K,
//     satisfies, with a = eta lambda in (0, 1) and -log(1 - a) = sum_n a^n / n,
//         a^2 (1 - a) / 3 < rel < a^2 / (3 (1 - a)),                                    (near 0)
//     while at a = 1 - 2^-k, where -log(1 - a) = k log 2 and log 2 > 2/3,
//         rel = 1 - a (1 + a/2) / (k log 2) > 1 - 9 / (4 k)  -> 1.                      (near 1)
//     For 1 < eta lambda < 2, GD converges (|z| shrinks) while e^T z flips sign every step. No real
//     flow can do that: exp(-eta K) is positive definite for every real symmetric K, so
//     z_0^T exp(-eta K) z_0 > 0, whereas GD gives z_0^T z_1 < 0 for z_0 = e.
// (2) At a stationary point of L, grad phi_1 = grad 1/4 ||grad L||^2 = 1/2 H grad L = 0: full-batch GD
//     feels no entropic force at a minimum. On the label-noise manifold W2 W1 = V of a deep linear net
//     (product data, sum eps = 0) the per-sample gradient covariance keeps a force: with
//     Tr C = E||grad l_i||^2 - ||grad L||^2 and r_i = -eps on the manifold,
//         grad_{W1} Tr C = 2 Tr(Sigma_eps) W1 Sigma_x,   grad_{W2} Tr C = 2 E||x||^2 Sigma_eps W2,
//     (Sigma_x = E x x^T, Sigma_eps = E eps eps^T), nonzero whenever W1 != 0 and Sigma_x > 0.
//     All derivatives are exact forward-mode derivatives over Dual<Rational>.
//     With weight decay (catalog T13 (2)): L_lambda = L + lambda/2 ||theta||^2, phi_1 = 1/4 ||grad L_lambda||^2
//     (on the loss the step uses, catalog section 0) and H_lambda = H + lambda I give
//         grad phi_1 = 1/2 H_lambda grad L_lambda   at every theta,  = 0 at a stationary point of L_lambda,
//     checked at exact stationary points of deep linear nets (stationary_points.hpp).
// (1, matrix form) For a non-diagonal H = R diag(lambda) R^T (R a rational Cayley rotation) with every
//     eta lambda_i in (0, 1), K = -log(I - eta H)/eta = R diag(-log(1 - eta lambda_i)/eta) R^T and GD is
//     the time-eta flow of 1/2 z^T K z: exp(-eta K) = I - eta H, so z_t = exp(-t eta K) z_0. exp is
//     evaluated on the interval matrix K by its Taylor series with a rigorous remainder, independently
//     of the eigen-decomposition that defined K.
#include <algorithm>
#include <limits>
#include <stdexcept>

#include <Eigen/LU>

#include "entropic/metrics/hessian.hpp"
#include "entropic/theory/entropic_loss.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/stationary_points.hpp"

namespace entropic {
namespace {

// Precision of the certified part.
constexpr unsigned kCertifiedBits = 256;

// p / (p + q) in (0, 1) with p, q >= 1.
rc::Gen<Rational> unit_fraction() {
  return rc::gen::apply([](int p, int q) { return Rational(p, p + q); }, rc::gen::inRange(1, 13),
                        rc::gen::inRange(1, 13));
}

// ---- (1) the quadratic case, exact ------------------------------------------------------------

// H = R diag(lambda) R^T with rational rotation R; eta lambda_0 = a in (1, 2) (the edge-of-stability
// direction e = R e_0), every other eta lambda_i in (0, 2); z_0 has a nonzero component along e.
struct Quadratic {
  Rational eta;
  Mat<Rational> R;
  Vec<Rational> eta_lambda;  // eta lambda_i
  Vec<Rational> z0;
  int steps = 1;
  Mat<Rational> H() const {
    return R * Mat<Rational>((eta_lambda / eta).asDiagonal()) * R.transpose();
  }
  Vec<Rational> e() const { return R.col(0); }
};

rc::Gen<Quadratic> quadratics() {
  return rc::gen::mapcat(gen::dimension(1, 3), [](int n) {
    return rc::gen::apply(
        [n](Rational eta, Mat<Rational> R, Rational a, std::vector<Rational> rest, Rational along,
            Vec<Rational> others, int steps) {
          Quadratic q;
          q.eta = eta;
          q.R = R;
          q.eta_lambda = Vec<Rational>(n);
          q.eta_lambda[0] = 1 + a;
          for (int i = 1; i < n; ++i) q.eta_lambda[i] = 2 * rest[i - 1];
          Vec<Rational> c = others;
          c[0] = along;
          q.z0 = R * c;
          q.steps = steps;
          return q;
        },
        gen::step_size(Rational(1)), gen::cayley_rotation(n), unit_fraction(),
        rc::gen::container<std::vector<Rational>>(std::max(n - 1, 0), unit_fraction()),
        gen::nonzero_rational(), gen::vector(n), rc::gen::inRange(1, 5));
  });
}

std::string show_quadratic(const Quadratic& q) {
  return "eta = " + to_text(q.eta) + ", eta lambda = " + gen::show(q.eta_lambda) + ", R = " + gen::show(q.R) +
         ", z_0 = " + gen::show(q.z0) + ", steps = " + std::to_string(q.steps);
}

// At every GD step: e^T z_{t+1} = (1 - eta lambda) e^T z_t, the component flips sign
// (e^T z_{t+1} / e^T z_t < 0) and ||z_{t+1}|| < ||z_t||; and e^T (I - eta H) e < 0.
// The mutant claims a real flow matches the step: e^T z_{t+1} / e^T z_t > 0.
Verdict sign_flip(const Quadratic& q, bool claim_real_flow) {
  const Mat<Rational> H = q.H();
  const Vec<Rational> e = q.e();
  Vec<Rational> z = q.z0;
  std::vector<Verdict> verdicts;
  for (int t = 0; t < q.steps; ++t) {
    const std::string at = " at step " + std::to_string(t);
    const Vec<Rational> next = z - q.eta * (H * z);
    const Rational c = e.dot(z), c_next = e.dot(next);
    const Rational ratio = c_next / c;
    verdicts.push_back(compare<Rational>(c_next, Rational((1 - q.eta_lambda[0]) * c),
                                         "e^T z_{t+1} = (1 - eta lambda) e^T z_t" + at));
    if (claim_real_flow) {
      verdicts.push_back(certainly_positive<Rational>(ratio, "a real flow: e^T z_{t+1} / e^T z_t > 0" + at));
    } else {
      verdicts.push_back(certainly_positive<Rational>(Rational(-ratio), "e^T z_{t+1} / e^T z_t < 0" + at));
      verdicts.push_back(certainly_positive<Rational>(Rational(z.squaredNorm() - next.squaredNorm()),
                                                      "||z_t||^2 - ||z_{t+1}||^2 > 0" + at));
    }
    z = next;
  }
  // z_0 = e: e^T (I - eta H) e = 1 - eta lambda < 0, which z^T exp(-eta K) z > 0 forbids.
  if (!claim_real_flow)
    verdicts.push_back(certainly_positive<Rational>(Rational(-e.dot(e - q.eta * (H * e))),
                                                    "-e^T (I - eta H) e > 0"));
  return all_of(verdicts);
}

// ---- (1) the modified rate, certified ----------------------------------------------------------

struct Rate {
  Rational eta, a;  // a = eta lambda
};

rc::Gen<Rate> rates_below_one() {
  return rc::gen::apply([](Rational eta, Rational a) { return Rate{eta, a}; }, gen::step_size(Rational(1)),
                        unit_fraction());
}

std::string show_rate(const Rate& r) {
  return "eta = " + to_text(r.eta) + ", eta lambda = " + to_text(r.a) + ", lambda = " + to_text(r.a / r.eta);
}

// K = -log(1 - a) / eta and the first-order rate lambda (1 + a/2), at kCertifiedBits.
struct Rates {
  Interval K, first_order;
};
Rates rates(const Rate& r) {
  const Interval eta = from_rational<Interval>(r.eta), a = from_rational<Interval>(r.a);
  return Rates{Interval(-log(Interval(1) - a)) / eta, Interval(a / eta) * (Interval(1) + a / 2)};
}

// exp(-eta K) = 1 - eta lambda (enclosure of the difference contains 0), K > 0, and the relative
// error of the first-order rate lies strictly inside (a^2 (1 - a)/3, a^2 / (3 (1 - a))).
// The mutant claims the first-order rate is exact: K = lambda (1 + eta lambda/2).
Verdict modified_rate(const Rate& r, bool claim_exact) {
  const PrecisionScope precision(kCertifiedBits);
  const auto [K, first] = rates(r);
  if (claim_exact) return compare<Interval>(K, first, "K = lambda (1 + eta lambda/2)");
  const Interval eta = from_rational<Interval>(r.eta);
  const Interval rel = (K - first) / K;
  const Rational lo = r.a * r.a * (1 - r.a) / 3, hi = r.a * r.a / (3 * (1 - r.a));
  return all_of({compare<Interval>(Interval(exp(-eta * K)), from_rational<Interval>(1 - r.a),
                                   "exp(-eta K) = 1 - eta lambda"),
                 certainly_positive<Interval>(K, "K > 0"),
                 certainly_positive<Interval>(Interval(rel - from_rational<Interval>(lo)),
                                              "rel - a^2 (1 - a)/3 > 0 (rel = " + to_text(rel) + ")"),
                 certainly_positive<Interval>(Interval(from_rational<Interval>(hi) - rel),
                                              "a^2 / (3 (1 - a)) - rel > 0")});
}

// a = 1 - 2^-k: rel > 1 - 9/(4k), and rel grows with k (rel(k + 1) > rel(k)).
Verdict rate_near_one(int k) {
  const PrecisionScope precision(kCertifiedBits);
  auto rel = [](int j) {
    const Rational a = 1 - Rational(1) / Rational(Integer(1) << j);
    const auto [K, first] = rates(Rate{Rational(1), a});
    return Interval((K - first) / K);
  };
  const Interval r = rel(k), r_next = rel(k + 1);
  return all_of({certainly_positive<Interval>(Interval(r - from_rational<Interval>(1 - Rational(9, 4 * k))),
                                              "rel > 1 - 9/(4k) (rel = " + to_text(r) + ")"),
                 certainly_positive<Interval>(Interval(r_next - r), "rel(k + 1) > rel(k)")});
}

// ---- (1) the matrix form, certified --------------------------------------------------------------

// exp(A) for an interval matrix A, by its Taylor series with a rigorous remainder. With a >= ||A||_inf,
// each entry of sum_{m >= N} A^m / m! is at most sum_{m >= N} a^m / m! <= (a^N / N!) / (1 - a/(N + 1)),
// which is <= 2 a^N / N! once N + 1 >= 2a. The series stops at the first such N where 2 a^N / N! is
// below the working epsilon, and [-2 a^N / N!, 2 a^N / N!] is added to every entry.
Mat<Interval> certified_exp(const Mat<Interval>& A) {
  const Eigen::Index n = A.rows();
  if (A.cols() != n) throw std::invalid_argument("certified_exp: the matrix is not square");
  Real a = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    Interval row(0);
    for (Eigen::Index j = 0; j < n; ++j) row += abs(A(i, j));
    a = std::max<Real>(a, Real(mp::upper(row)));
  }
  const Interval a_iv(a);
  const Real eps = std::numeric_limits<Real>::epsilon();
  constexpr int kMaxTerms = 100000;
  Mat<Interval> term = Mat<Interval>::Identity(n, n), sum = term;
  Interval bound(1);  // a^N / N!
  for (int N = 1; N < kMaxTerms; ++N) {
    term = Mat<Interval>(term * A) / Interval(N);
    bound = bound * a_iv / Interval(N);
    const Real tail = Real(mp::upper(Interval(2 * bound)));
    if (Real(N + 1) >= 2 * a && tail < eps) {
      const Interval slack(-tail, tail);
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) sum(i, j) += slack;
      return sum;
    }
    sum += term;
  }
  throw std::invalid_argument("certified_exp: ||A||_inf = " + to_text(a) + " is too large for the series");
}

// H = R diag(lambda) R^T with R the Cayley rotation of a skew generator whose entry (0, 1) is k, |k| > 1
// (so R is not a signed permutation in dimension 2), and eta lambda_i in (0, 1), strictly decreasing
// (eta lambda_i = eta lambda_{i-1} times a fraction in (0, 1)); H is drawn non-diagonal.
struct MatrixQuadratic {
  Rational eta;
  Mat<Rational> R;
  Vec<Rational> eta_lambda;
  Vec<Rational> z0;
  int steps = 1;
  Mat<Rational> H() const { return R * Mat<Rational>((eta_lambda / eta).asDiagonal()) * R.transpose(); }
};

bool off_diagonal(const Mat<Rational>& H) {
  for (Eigen::Index i = 0; i < H.rows(); ++i)
    for (Eigen::Index j = 0; j < H.cols(); ++j)
      if (i != j && H(i, j) != 0) return true;
  return false;
}

rc::Gen<MatrixQuadratic> matrix_quadratics() {
  const auto drawn = rc::gen::mapcat(gen::dimension(2, 3), [](int n) {
    return rc::gen::apply(
        [n](Rational eta, Mat<Rational> a, Rational k_minus_one, bool negative, Rational first,
            std::vector<Rational> ratios, Vec<Rational> z0, int steps) {
          Mat<Rational> skew = (a - a.transpose()) / Rational(2);
          const Rational k = negative ? Rational(-1 - k_minus_one) : Rational(1 + k_minus_one);
          skew(0, 1) = k;
          skew(1, 0) = -k;
          const Mat<Rational> I = Mat<Rational>::Identity(n, n);
          MatrixQuadratic q;
          q.eta = eta;
          q.R = (I - skew) * (I + skew).partialPivLu().inverse();
          q.eta_lambda = Vec<Rational>(n);
          q.eta_lambda[0] = first;
          for (int i = 1; i < n; ++i) q.eta_lambda[i] = q.eta_lambda[i - 1] * ratios[i - 1];
          q.z0 = z0;
          q.steps = steps;
          return q;
        },
        gen::step_size(Rational(1)), gen::matrix(n, n, gen::rational(3, 3)), gen::positive_rational(3, 3),
        rc::gen::arbitrary<bool>(), unit_fraction(),
        rc::gen::container<std::vector<Rational>>(n - 1, unit_fraction()), gen::vector(n), rc::gen::inRange(1, 4));
  });
  return rc::gen::suchThat(drawn, [](const MatrixQuadratic& q) { return off_diagonal(q.H()); });
}

std::string show_matrix_quadratic(const MatrixQuadratic& q) {
  return "eta = " + to_text(q.eta) + ", eta lambda = " + gen::show(q.eta_lambda) + ", R = " + gen::show(q.R) +
         ", H = " + gen::show(q.H()) + ", z_0 = " + gen::show(q.z0) + ", steps = " + std::to_string(q.steps);
}

// K = R diag(-log(1 - eta lambda_i) / eta) R^T at the working precision.
Mat<Interval> modified_matrix(const MatrixQuadratic& q) {
  const Interval eta = from_rational<Interval>(q.eta);
  Vec<Interval> k(q.eta_lambda.size());
  for (Eigen::Index i = 0; i < k.size(); ++i)
    k[i] = Interval(-log(Interval(1) - from_rational<Interval>(q.eta_lambda[i]))) / eta;
  const Mat<Interval> R = from_rational<Interval>(q.R);
  return R * Mat<Interval>(k.asDiagonal()) * R.transpose();
}

// R^T R = I exactly; exp(-eta K) = I - eta H entrywise (certified); and the GD iterates
// z_{t+1} = (I - eta H) z_t (exact) lie in the enclosures of exp(-t eta K) z_0, the flow at time t eta.
// The mutant claims the first-order matrix K = H + eta/2 H^2 is exact.
Verdict matrix_form(const MatrixQuadratic& q, bool claim_first_order) {
  const PrecisionScope precision(kCertifiedBits);
  const Eigen::Index n = q.R.rows();
  const Mat<Rational> H = q.H(), I = Mat<Rational>::Identity(n, n);
  const Mat<Interval> K = modified_matrix(q);
  if (claim_first_order)
    return compare_entries<Interval>(K, from_rational<Interval>(Mat<Rational>(H + q.eta / 2 * H * H)),
                                     "K = H + eta/2 H^2");
  const Mat<Interval> step = certified_exp(Mat<Interval>(-from_rational<Interval>(q.eta) * K));
  // The combined verdict carries the weakest evidence of its comparisons: certified here.
  std::vector<Verdict> verdicts{compare_entries<Interval>(step, from_rational<Interval>(Mat<Rational>(I - q.eta * H)),
                                                          "exp(-eta K) = I - eta H")};
  Vec<Rational> z = q.z0;
  Vec<Interval> flow = from_rational<Interval>(Mat<Rational>(q.z0));
  for (int t = 1; t <= q.steps; ++t) {
    z = z - q.eta * (H * z);
    flow = step * flow;
    verdicts.push_back(compare<Interval>(flow, Vec<Interval>(from_rational<Interval>(Mat<Rational>(z))),
                                         "exp(-t eta K) z_0 = z_t (GD) at t = " + std::to_string(t)));
  }
  verdicts.push_back(compare_entries<Rational>(Mat<Rational>(q.R.transpose() * q.R), I, "R^T R = I"));
  return all_of(verdicts);
}

// ---- (2) no entropic force at a minimum; label noise keeps one ---------------------------------

// f = W2 W1 x, product data {x_j} x {eps_m} with targets V x + eps, V = W2 W1, so theta = (W1, W2)
// lies on the label-noise manifold. The x_j contain the unit vectors (Sigma_x > 0); the noise is
// {+sigma e_k, -sigma e_k}; W1 != 0. `delta` is a displacement for the off-minimum identity check.
struct NoiseManifold {
  ModelSpec spec;
  DataSet<Rational> data, clean;  // clean: the same inputs with targets V x (interpolating)
  Vec<Rational> theta, delta;
  Rational sigma;
};

rc::Gen<NoiseManifold> noise_manifolds() {
  return rc::gen::mapcat(
      rc::gen::tuple(gen::dimension(1, 2), gen::dimension(1, 2), gen::dimension(1, 2), gen::dimension(0, 2)),
      [](std::tuple<int, int, int, int> dims) {
        const auto [din, h, dout, extra] = dims;
        ModelSpec spec;
        spec.kind = ModelKind::deep_linear;
        spec.widths = {din, h, dout};
        return rc::gen::apply(
            [spec, din = din, h = h, dout = dout](Mat<Rational> W1, Mat<Rational> W2, Mat<Rational> more,
                                                  Rational sigma, Vec<Rational> delta) {
              if (W1.isZero(0)) W1(0, 0) = 1;
              Mat<Rational> xs(din + more.rows(), din);
              xs << Mat<Rational>::Identity(din, din), more;
              Mat<Rational> noises(2 * dout, dout);
              noises << sigma * Mat<Rational>::Identity(dout, dout), -sigma * Mat<Rational>::Identity(dout, dout);
              NoiseManifold m;
              m.spec = spec;
              m.data = product_data<Rational>(xs, Mat<Rational>(W2 * W1), noises);
              m.clean = product_data<Rational>(xs, Mat<Rational>(W2 * W1), Mat<Rational>::Zero(1, dout));
              m.theta = Vec<Rational>(h * din + dout * h);
              const auto model = make_model<Rational>(spec);
              model->layout().view(m.theta, 0) = W1;
              model->layout().view(m.theta, 1) = W2;
              m.delta = delta;
              m.sigma = sigma;
              return m;
            },
            gen::matrix(h, din), gen::matrix(dout, h), gen::matrix(extra, din), gen::positive_rational(),
            gen::vector(h * din + dout * h));
      });
}

std::string show_manifold(const NoiseManifold& m) {
  const auto model = make_model<Rational>(m.spec);
  return "widths " + std::to_string(m.spec.widths[0]) + "-" + std::to_string(m.spec.widths[1]) + "-" +
         std::to_string(m.spec.widths[2]) + ", " + gen::show_parameters(model->layout(), m.theta) +
         ", sigma = " + to_text(m.sigma) + ", X = " + gen::show(m.data.X) + ", Y = " + gen::show(m.data.Y) +
         ", delta = " + gen::show(m.delta);
}

using D = Dual<Rational>;

// theta + s e_j over Dual<Rational>.
Vec<D> along(const Vec<Rational>& theta, Eigen::Index j) {
  Vec<D> t(theta.size());
  for (Eigen::Index i = 0; i < theta.size(); ++i) t[i] = D(theta[i], Rational(i == j ? 1 : 0));
  return t;
}

// grad phi_1 for phi_1 = 1/4 ||grad L + lambda theta||^2 (full batch), by exact directional derivatives.
Vec<Rational> grad_phi1(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta,
                        const Rational& lambda = Rational(0)) {
  const auto model = make_model<D>(spec);
  const DataSet<D> lifted = lift<D>(data);
  const Batch all = Model<D>::all(lifted);
  Vec<Rational> out(theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j)
    out[j] = phi1<D>(*model, lifted, all, along(theta, j), D(lambda)).tangent();
  return out;
}

// grad Tr C, Tr C = E||grad l_i||^2 - ||grad L||^2, by exact directional derivatives.
Vec<Rational> grad_trace_C(const ModelSpec& spec, const DataSet<Rational>& data, const Vec<Rational>& theta) {
  const auto model = make_model<D>(spec);
  const DataSet<D> lifted = lift<D>(data);
  Vec<Rational> out(theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    const Vec<D> t = along(theta, j);
    D second(Rational(0));
    for (int i = 0; i < data.size(); ++i) {
      const Vec<D> gi = model->sample_gradient(t, lifted.x(i), lifted.y(i));
      second += gi.dot(gi);
    }
    const Vec<D> g = model->gradient(t, lifted);
    out[j] = (second / D(Rational(data.size())) - g.dot(g)).tangent();
  }
  return out;
}

// At the minimum: grad L = 0 and grad phi_1 = 1/2 H grad L = 0. Off the minimum (theta + delta) the
// identity grad phi_1 = 1/2 H grad L still holds, with both sides in general nonzero. On the clean
// (interpolating) data every per-sample gradient vanishes at theta, so grad Tr C = 0 there too: the
// force that survives at the minimum comes from the label noise alone.
// The mutant claims GD feels an entropic force at the minimum: grad phi_1 != 0.
Verdict no_force_at_minimum(const NoiseManifold& m, bool claim_force) {
  const auto model = make_model<Rational>(m.spec);
  const Vec<Rational> g = model->gradient(m.theta, m.data);
  const Vec<Rational> force = grad_phi1(m.spec, m.data, m.theta);
  if (claim_force)
    return certainly_nonzero<Rational>(Rational(force.squaredNorm()), "||grad phi_1||^2 != 0 at the minimum");
  const Batch all = Model<Rational>::all(m.data);
  const Vec<Rational> off = m.theta + m.delta;
  const Vec<Rational> g_off = model->gradient(off, m.data);
  return all_of({compare<Rational>(g, Vec<Rational>::Zero(g.size()), "grad L = 0 at W2 W1 = V"),
                 compare<Rational>(force, Vec<Rational>::Zero(g.size()), "grad phi_1 = 0 at the minimum"),
                 compare<Rational>(force, Vec<Rational>(hessian_vector_product(m.spec, m.data, all, m.theta, g) / 2),
                                   "grad phi_1 = 1/2 H grad L at the minimum"),
                 compare<Rational>(grad_phi1(m.spec, m.clean, m.theta), Vec<Rational>::Zero(g.size()),
                                   "grad phi_1 = 0 at the interpolating minimum"),
                 compare<Rational>(grad_trace_C(m.spec, m.clean, m.theta), Vec<Rational>::Zero(g.size()),
                                   "grad Tr C = 0 at the interpolating minimum"),
                 compare<Rational>(grad_phi1(m.spec, m.data, off),
                                   Vec<Rational>(hessian_vector_product(m.spec, m.data, all, off, g_off) / 2),
                                   "grad phi_1 = 1/2 H grad L at theta + delta")});
}

// On the label-noise manifold grad Tr C equals the hand formula above and is nonzero.
Verdict label_noise_force(const NoiseManifold& m) {
  const auto model = make_model<Rational>(m.spec);
  const Layout& layout = model->layout();
  const Mat<Rational> W1 = layout.view(m.theta, 0), W2 = layout.view(m.theta, 1);
  const int n = m.data.size();
  Mat<Rational> Sx = Mat<Rational>::Zero(m.data.input_dim(), m.data.input_dim());
  Mat<Rational> Se = Mat<Rational>::Zero(m.data.output_dim(), m.data.output_dim());
  Rational x2 = 0;
  for (int i = 0; i < n; ++i) {
    const Vec<Rational> x = m.data.x(i), eps = m.data.y(i) - W2 * W1 * x;
    Sx += x * x.transpose() / Rational(n);
    Se += eps * eps.transpose() / Rational(n);
    x2 += x.squaredNorm() / Rational(n);
  }
  Vec<Rational> predicted(m.theta.size());
  layout.view(predicted, 0) = 2 * Se.trace() * W1 * Sx;
  layout.view(predicted, 1) = 2 * x2 * Se * W2;
  const Vec<Rational> grad = grad_trace_C(m.spec, m.data, m.theta);
  return all_of({compare<Rational>(grad, predicted,
                                   "grad Tr C = (2 Tr(Sigma_eps) W1 Sigma_x, 2 E||x||^2 Sigma_eps W2)"),
                 certainly_nonzero<Rational>(Rational(grad.squaredNorm()), "||grad Tr C||^2 != 0")});
}

// ---- (2) with weight decay -----------------------------------------------------------------------

// An exact stationary point of L_lambda (lambda > 0) of a deep linear net and a displacement.
struct DecayedMinimum {
  StationaryPoint point;
  Vec<Rational> delta;
};

rc::Gen<DecayedMinimum> decayed_minima() {
  return rc::gen::mapcat(gen::deep_linear_stationary_points(2, 3, true), [](const StationaryPoint& p) {
    return rc::gen::map(gen::vector(static_cast<int>(p.theta.size())),
                        [p](const Vec<Rational>& delta) { return DecayedMinimum{p, delta}; });
  });
}

std::string show_decayed(const DecayedMinimum& m) { return m.point.show() + ", delta = " + gen::show(m.delta); }

// What is claimed with weight decay. `holds`: the catalog's statement. The mutants: H in place of
// H_lambda (off the stationary point, where grad L_lambda != 0), and phi_1 built from L instead of
// L_lambda (at the stationary point, where grad L = -lambda theta).
enum class DecayClaim { holds, hessian_without_decay, phi1_without_decay };

// 1/2 H_lambda v at theta (H_lambda = H + lambda I; `with_decay` false: 1/2 H v).
Vec<Rational> half_hessian(const StationaryPoint& p, const Vec<Rational>& theta, const Vec<Rational>& v,
                           bool with_decay) {
  const Vec<Rational> Hv = hessian_vector_product(p.spec, p.data, Model<Rational>::all(p.data), theta, v);
  return (with_decay ? Vec<Rational>(Hv + p.lambda * v) : Hv) / Rational(2);
}

// At the stationary point: grad L_lambda = 0 (checked, else inconclusive), grad phi_1 = 0 =
// 1/2 H_lambda grad L_lambda; at theta + delta: grad phi_1 = 1/2 H_lambda grad L_lambda.
Verdict no_force_with_weight_decay(const DecayedMinimum& m, DecayClaim claim) {
  const StationaryPoint& p = m.point;
  const auto model = make_model<Rational>(p.spec);
  const Batch all = Model<Rational>::all(p.data);
  const Vec<Rational> g = regularized_gradient<Rational>(*model, p.data, all, p.theta, p.lambda);
  const Vec<Rational> zero = Vec<Rational>::Zero(g.size());
  const Verdict stationary = compare<Rational>(g, zero, "grad L_lambda = 0");
  if (stationary.outcome != Outcome::holds)
    return Verdict::inconclusive("not a stationary point of L_lambda: residual " + stationary.residual, "rational");
  if (claim == DecayClaim::phi1_without_decay)
    return compare<Rational>(grad_phi1(p.spec, p.data, p.theta), zero,
                             "grad 1/4 ||grad L||^2 = 0 at a stationary point of L_lambda");
  const Vec<Rational> off = p.theta + m.delta;
  const Vec<Rational> g_off = regularized_gradient<Rational>(*model, p.data, all, off, p.lambda);
  const Vec<Rational> force_off = grad_phi1(p.spec, p.data, off, p.lambda);
  if (claim == DecayClaim::hessian_without_decay)
    return compare<Rational>(force_off, half_hessian(p, off, g_off, false),
                             "grad phi_1 = 1/2 H grad L_lambda at theta + delta");
  const Vec<Rational> force = grad_phi1(p.spec, p.data, p.theta, p.lambda);
  return all_of({stationary, compare<Rational>(force, zero, "grad phi_1 = 0 at the stationary point of L_lambda"),
                 compare<Rational>(force, half_hessian(p, p.theta, g, true),
                                   "grad phi_1 = 1/2 H_lambda grad L_lambda at the stationary point"),
                 compare<Rational>(force_off, half_hessian(p, off, g_off, true),
                                   "grad phi_1 = 1/2 H_lambda grad L_lambda at theta + delta")});
}

}  // namespace

ENTROPIC_CLAIM(T13) {
  const auto quads = quadratics();
  const auto below = rates_below_one();
  const auto manifolds = noise_manifolds();
  const auto matrices = matrix_quadratics();
  const auto decayed = decayed_minima();
  return Claim("T13", "Limits of the first-order theory; edge of stability")
      .provenance(Provenance::paper)
      .kind("exact identity; exact at an optimum")
      .part("1 < eta lambda < 2: sign flip while |z| shrinks", quads,
            [](const Quadratic& q) { return sign_flip(q, false); }, show_quadratic)
      .part("eta lambda < 1: exp(-eta K) = 1 - eta lambda, first-order relative error ~ a^2/3, certified",
            below, [](const Rate& r) { return modified_rate(r, false); }, show_rate)
      .part("relative error -> 1 as eta lambda -> 1, certified", rc::gen::inRange(1, 61), rate_near_one,
            [](int k) { return "eta lambda = 1 - 2^-" + std::to_string(k); })
      .part("matrix form: exp(-eta K) = I - eta H for non-diagonal H, K = -log(I - eta H)/eta, certified",
            matrices, [](const MatrixQuadratic& q) { return matrix_form(q, false); }, show_matrix_quadratic)
      .part("no entropic force for GD at a minimum (with and without label noise)", manifolds,
            [](const NoiseManifold& m) { return no_force_at_minimum(m, false); }, show_manifold)
      .part("label noise: grad Tr C != 0 on the manifold", manifolds, label_noise_force, show_manifold)
      .part("weight decay: grad phi_1 = 1/2 H_lambda grad L_lambda, = 0 at a stationary point of L_lambda",
            decayed, [](const DecayedMinimum& m) { return no_force_with_weight_decay(m, DecayClaim::holds); },
            show_decayed)
      .mutant("a real flow matches GD at 1 < eta lambda < 2 (e^T z_1 / e^T z_0 > 0)", quads,
              [](const Quadratic& q) { return sign_flip(q, true); }, show_quadratic)
      .mutant("GD feels an entropic force at a minimum (grad phi_1 != 0)", manifolds,
              [](const NoiseManifold& m) { return no_force_at_minimum(m, true); }, show_manifold)
      .mutant("the first-order rate is exact (K = lambda (1 + eta lambda/2))", below,
              [](const Rate& r) { return modified_rate(r, true); }, show_rate)
      .mutant("the first-order matrix is exact (K = H + eta/2 H^2)", matrices,
              [](const MatrixQuadratic& q) { return matrix_form(q, true); }, show_matrix_quadratic)
      .mutant("H in place of H_lambda (grad phi_1 = 1/2 H grad L_lambda off the stationary point)", decayed,
              [](const DecayedMinimum& m) { return no_force_with_weight_decay(m, DecayClaim::hessian_without_decay); },
              show_decayed)
      .mutant("phi_1 of L, not L_lambda, feels no force at a stationary point of L_lambda", decayed,
              [](const DecayedMinimum& m) { return no_force_with_weight_decay(m, DecayClaim::phi1_without_decay); },
              show_decayed);
}

}  // namespace entropic
