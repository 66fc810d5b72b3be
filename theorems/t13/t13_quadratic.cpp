// T13 (1): GD on the quadratic loss 1/2 z^T H z against the flow of its modified matrix K (the
// formulas: t13_edge_of_stability.cpp).
#include <algorithm>

#include <Eigen/LU>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/numeric/interval_expm.hpp"
#include "entropic/verify/compare.hpp"
#include "t13/t13_parts.hpp"

namespace entropic::t13 {
namespace {

// p / (p + q) in (0, 1) with p, q >= 1.
rc::Gen<Rational> unit_fraction() {
  return rc::gen::apply([](int p, int q) { return Rational(p, p + q); }, gen::in_range(1, 13),
                        gen::in_range(1, 13));
}

// K = -log(1 - a) / eta and the first-order rate lambda (1 + a/2), at the working precision.
struct Rates {
  Interval K, first_order;
};
Rates rates(const Rate& r) {
  const Interval eta = from_rational<Interval>(r.eta), a = from_rational<Interval>(r.a);
  return Rates{Interval(-log(Interval(1) - a)) / eta, Interval(a / eta) * (Interval(1) + a / 2)};
}

// (e^T z_t, e^T z_{t+1}, z_t, z_{t+1}) at every GD step z_{t+1} = z_t - eta H z_t.
struct Step {
  Rational c, c_next;
  Vec<Rational> z, next;
};
std::vector<Step> gd_iterates(const Quadratic& q) {
  const Mat<Rational> H = q.H();
  const Vec<Rational> e = q.e();
  std::vector<Step> out;
  Vec<Rational> z = q.z0;
  for (int t = 0; t < q.steps; ++t) {
    const Vec<Rational> next = z - q.eta * (H * z);
    out.push_back({e.dot(z), e.dot(next), z, next});
    z = next;
  }
  return out;
}

// The time-eta flow of 1/2 z^T K z for the interval matrix K: exp(-eta K) (certified_exp) and
// exp(-t eta K) z_0 = exp(-eta K)^t z_0.
Quantities<Mat<Interval>> flow(const MatrixQuadratic& q, const Mat<Interval>& K) {
  const Mat<Interval> step = certified_exp(Mat<Interval>(-from_rational<Interval>(q.eta) * K));
  Quantities<Mat<Interval>> out{{"one step: exp(-eta K) = I - eta H", step}};
  Vec<Interval> z = from_rational<Interval>(q.z0);
  for (int t = 1; t <= q.steps; ++t) {
    z = step * z;
    out.push_back({"exp(-t eta K) z_0 = z_t (GD) at t = " + std::to_string(t), Mat<Interval>(z)});
  }
  return out;
}

}  // namespace

// ---- the scalar case, exact ----------------------------------------------------------------------

rc::Gen<Quadratic> quadratics() {
  return rc::gen::mapcat(gen::free_dimension(1, 3), [](int n) {
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
        gen::nonzero_rational(), gen::vector(n), gen::in_range(1, 5));
  });
}

std::string Quadratic::show() const {
  return "eta = " + to_text(eta) + ", eta lambda = " + gen::show(eta_lambda) + ", R = " + gen::show(R) +
         ", z_0 = " + gen::show(z0) + ", steps = " + std::to_string(steps);
}

// At every GD step: e^T z_{t+1} = (1 - eta lambda) e^T z_t, the component flips sign
// (e^T z_{t+1} / e^T z_t < 0) and ||z_{t+1}|| < ||z_t||; and e^T (I - eta H) e < 0, which
// z^T exp(-eta K) z > 0 forbids for every real symmetric K.
Verdict sign_flip(const Quadratic& q) {
  std::vector<Verdict> verdicts;
  const std::vector<Step> steps = gd_iterates(q);
  for (std::size_t t = 0; t < steps.size(); ++t) {
    const Step& s = steps[t];
    const std::string at = " at step " + std::to_string(t);
    verdicts.push_back(compare<Rational>(s.c_next, Rational((1 - q.eta_lambda[0]) * s.c),
                                         "e^T z_{t+1} = (1 - eta lambda) e^T z_t" + at));
    verdicts.push_back(certainly_positive<Rational>(Rational(-s.c_next / s.c), "e^T z_{t+1} / e^T z_t < 0" + at));
    verdicts.push_back(certainly_positive<Rational>(Rational(s.z.squaredNorm() - s.next.squaredNorm()),
                                                    "||z_t||^2 - ||z_{t+1}||^2 > 0" + at));
  }
  const Vec<Rational> e = q.e();
  verdicts.push_back(certainly_positive<Rational>(Rational(-e.dot(e - q.eta * (q.H() * e))), "-e^T (I - eta H) e > 0"));
  return all_of(verdicts);
}

// The mutant: a real flow matches the step, e^T z_{t+1} / e^T z_t > 0.
Verdict real_flow_sign(const Quadratic& q) {
  std::vector<Verdict> verdicts;
  const std::vector<Step> steps = gd_iterates(q);
  for (std::size_t t = 0; t < steps.size(); ++t)
    verdicts.push_back(certainly_positive<Rational>(Rational(steps[t].c_next / steps[t].c),
                                                    "a real flow: e^T z_{t+1} / e^T z_t > 0 at step " + std::to_string(t)));
  return all_of(verdicts);
}

// ---- the modified rate, certified ------------------------------------------------------------------

rc::Gen<Rate> rates_below_one() {
  return rc::gen::apply([](Rational eta, Rational a) { return Rate{eta, a}; }, gen::step_size(Rational(1)),
                        unit_fraction());
}

std::string Rate::show() const {
  return "eta = " + to_text(eta) + ", eta lambda = " + to_text(a) + ", lambda = " + to_text(a / eta);
}

// exp(-eta K) = 1 - eta lambda (enclosure of the difference contains 0), K > 0, and the relative
// error rel = (K - lambda (1 + a/2)) / K lies strictly inside (a^2 (1 - a)/3, a^2 / (3 (1 - a))).
Verdict modified_rate(const Rate& r) {
  const PrecisionScope precision(kCertifiedBits);
  const auto [K, first] = rates(r);
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

// The mutant: the first-order rate is exact, K = lambda (1 + eta lambda/2).
Verdict first_order_rate_exact(const Rate& r) {
  const PrecisionScope precision(kCertifiedBits);
  const auto [K, first] = rates(r);
  return compare<Interval>(K, first, "K = lambda (1 + eta lambda/2)");
}

rc::Gen<NearOne> near_one() {
  return rc::gen::map(gen::in_range(1, 61), [](int k) { return NearOne{k}; });
}

// a = 1 - 2^-k: rel > 1 - 9/(4k), and rel grows with k (rel(k + 1) > rel(k)).
Verdict rate_near_one(const NearOne& n) {
  const PrecisionScope precision(kCertifiedBits);
  auto rel = [](int j) {
    const Rational a = 1 - Rational(1) / Rational(Integer(1) << j);
    const auto [K, first] = rates(Rate{Rational(1), a});
    return Interval((K - first) / K);
  };
  const int k = n.k;
  const Interval r = rel(k), r_next = rel(k + 1);
  return all_of({certainly_positive<Interval>(Interval(r - from_rational<Interval>(1 - Rational(9, 4 * k))),
                                              "rel > 1 - 9/(4k) (rel = " + to_text(r) + ")"),
                 certainly_positive<Interval>(Interval(r_next - r), "rel(k + 1) > rel(k)")});
}

// ---- the matrix form, certified ----------------------------------------------------------------------

rc::Gen<MatrixQuadratic> matrix_quadratics() {
  const auto drawn = rc::gen::mapcat(gen::free_dimension(2, 3), [](int n) {
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
          q.R = (I - skew) * exact_inverse(Mat<Rational>(I + skew));
          q.eta_lambda = Vec<Rational>(n);
          q.eta_lambda[0] = first;
          for (int i = 1; i < n; ++i) q.eta_lambda[i] = q.eta_lambda[i - 1] * ratios[i - 1];
          q.z0 = z0;
          q.steps = steps;
          return q;
        },
        gen::step_size(Rational(1)), gen::matrix(n, n, gen::rational(3, 3)), gen::positive_rational(3, 3),
        rc::gen::arbitrary<bool>(), unit_fraction(),
        rc::gen::container<std::vector<Rational>>(n - 1, unit_fraction()), gen::vector(n), gen::in_range(1, 4));
  });
  return rc::gen::suchThat(drawn, [](const MatrixQuadratic& q) {
    const Mat<Rational> H = q.H();
    return !Mat<Rational>(H - Mat<Rational>(H.diagonal().asDiagonal())).isZero(0);
  });
}

std::string MatrixQuadratic::show() const {
  return "eta = " + to_text(eta) + ", eta lambda = " + gen::show(eta_lambda) + ", R = " + gen::show(R) +
         ", H = " + gen::show(H()) + ", z_0 = " + gen::show(z0) + ", steps = " + std::to_string(steps);
}

// GD: the step matrix I - eta H and z_{t+1} = (I - eta H) z_t, exact, enclosed; R^T R.
StepsAndRotation gd_steps(const MatrixQuadratic& q) {
  const PrecisionScope precision(kCertifiedBits);
  const Mat<Rational> H = q.H(), step = Mat<Rational>::Identity(H.rows(), H.cols()) - q.eta * H;
  Quantities<Mat<Interval>> out{{"one step: exp(-eta K) = I - eta H", from_rational<Interval>(step)}};
  Vec<Rational> z = q.z0;
  for (int t = 1; t <= q.steps; ++t) {
    z = step * z;
    out.push_back({"exp(-t eta K) z_0 = z_t (GD) at t = " + std::to_string(t), from_rational<Interval>(Mat<Rational>(z))});
  }
  return {out, Mat<Rational>(q.R.transpose() * q.R)};
}

// K = R diag(-log(1 - eta lambda_i) / eta) R^T, enclosed through the eigen-directions; R^T R = I.
StepsAndRotation flow_of_modified_matrix(const MatrixQuadratic& q) {
  const PrecisionScope precision(kCertifiedBits);
  const Interval eta = from_rational<Interval>(q.eta);
  Vec<Interval> k(q.eta_lambda.size());
  for (Eigen::Index i = 0; i < k.size(); ++i)
    k[i] = Interval(-log(Interval(1) - from_rational<Interval>(q.eta_lambda[i]))) / eta;
  const Mat<Interval> R = from_rational<Interval>(q.R);
  return {flow(q, R * Mat<Interval>(k.asDiagonal()) * R.transpose()), Mat<Rational>::Identity(q.R.rows(), q.R.cols())};
}

// The mutant: the first-order matrix K = H + eta/2 H^2 is exact.
StepsAndRotation flow_of_first_order_matrix(const MatrixQuadratic& q) {
  const PrecisionScope precision(kCertifiedBits);
  const Mat<Rational> H = q.H();
  return {flow(q, from_rational<Interval>(Mat<Rational>(H + q.eta / 2 * H * H))),
          Mat<Rational>::Identity(q.R.rows(), q.R.cols())};
}

// The enclosures are compared at the precision they were computed at (the verdict names it).
Verdict compare_at_certified_precision(const StepsAndRotation& observed, const StepsAndRotation& predicted,
                                       const std::string& what) {
  const PrecisionScope precision(kCertifiedBits);
  return all_of({compare_observed(observed.first, predicted.first, what),
                 compare_observed(observed.second, predicted.second, what + ": R^T R = I")});
}

}  // namespace entropic::t13
