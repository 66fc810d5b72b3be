// T11 — Platonic representation: the universal kernel Q* (catalog T11; Ziyin & Chuang 2025).
//
// Data Sigma_x > 0, y = V* x + eps with eps independent of x, Sigma_eps > 0. At any point of the
// manifold of global minima of a deep linear net f = M^O W_D ... W_1 M^I Z x that is phi_1-stationary
// along every GL orbit, every hidden kernel K_i = N_i^T N_i equals c_i Q* with
//     Q* = Sigma_x^{-1} # (V*^T Sigma_eps V*),   the unique SPD solution of Q Sigma_x Q = V*^T Sigma_eps V*
// (the unique PSD one if V* is not injective), independent of the view Z, the embeddings, the widths,
// the depth and the layer.
//
// Parts (d = 2 inputs, 2 outputs, V* invertible):
//   (a) certified: the closed form of Q* (2 x 2 geometric mean) in interval arithmetic at 256 bits;
//       the enclosure of Q Sigma_x Q - B contains 0 and Q is certainly positive definite;
//   (a') exact construction: a planted rational SPD Q, inputs {x_j}, label noise with support
//       {+-V*^{-T} Q x_j} (a product data set: noise independent of x, mean 0). Then
//       V*^T Sigma_eps V* = Q Sigma_x Q exactly, and the certified Q* encloses Q;
//   (b) deterministic: two nets with the same V* (depth 2 plain; depth 3 with a view Z and
//       embeddings M^I, M^O), widths 2 or 3, descended along their GL orbits in 256-bit arithmetic
//       until every R_i vanishes to 3/8 of the working digits: phi_1 has decreased and every
//       normalized hidden kernel K_i / tr K_i equals Q* / tr Q* to a quarter of the working digits
//       (evidence: high precision, residual reported).
//   (c) exact (rational): the limiting drift of label-noise SGD along the manifold (Li, Wang & Arora
//       2022; theory/limiting_drift.hpp), the small-eta selection the statement invokes. Its force
//       along the GL orbit of hidden layer i is F_i = -1/2 R_i + Omega_i with Omega_i skew: the
//       symmetric part is the entropic force of phi_1 for any Sigma_eps; for Sigma_eps = sigma^2 I the
//       skew part vanishes, so the drift is -grad phi_1 and stops where phi_1 is stationary (K = c Q*).
//
// Parts (d = 2, V* = u v^T of rank one; B = V*^T Sigma_eps V* = (u^T Sigma_eps u) v v^T):
//   (r) certified: Q* = B / sqrt(tr(Sigma_x B)) (metrics/universal_kernel.hpp) in interval arithmetic at
//       256 bits: the enclosure of Q Sigma_x Q - B contains 0, tr Q* > 0 is certain, the enclosures of
//       det Q* and of Q* n (n spanning ker V*) contain 0; exactly, V* n = 0 and det B = 0. Q* is a
//       positive multiple of B, so it is PSD of rank one with kernel ker V*;
//   (r') exact construction: a planted rational PSD Q = q v v^T, inputs {x_j}, label noise with support
//       {+-e_j}, e_j = (q v^T x_j / |u|^2) u + t_j u_perp (V*^T e_j = Q x_j; the free t_j make Sigma_eps
//       SPD). Then V*^T Sigma_eps V* = Q Sigma_x Q, tr(Sigma_x B) = (q v^T Sigma_x v)^2 is a rational
//       square, and Q* equals the planted Q exactly, with det Q* = 0 and Q* n = 0.
//   No orbit descent for rank one: see docs/claims/T11.md (the minimum along the orbits is reached only
//   polynomially fast off the closure, and in the closure K_i / tr K_i = v v^T / |v|^2 holds at every
//   start, so the check could not fail).
// Mutants: kernels independent of the inputs or of the noise (for invertible and for rank-one V*);
// "every global minimum is Platonic" (the kernels of the generated, undescended start), falsified by
// a certified enclosure; "the drift is the entropic force for any Sigma_eps" (no skew part) and
// "Q* is SPD also for rank-one V*" (det Q* = 0), falsified exactly. That SGD's drift then
// moves the kernels off Q* at a phi_1-minimizer is N9 (theorems/n9_phi1_minimizer_not_sgd_limit.cpp);
// the statistical check of the time-averaged kernels is tests/platonic_sgd.
#include <sstream>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/metrics/universal_kernel.hpp"
#include "entropic/theory/limiting_drift.hpp"
#include "entropic/theory/platonic.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "support/drift_consistency.hpp"
#include "entropic/gen/label_noise_points.hpp"
#include "entropic/gen/platonic_nets.hpp"

namespace entropic {
namespace {

using gen::KernelInstance;
using gen::TwoNets;
using gen::invertible_2x2;
using gen::kernel_instance;
using gen::kernel_vector_rank_one_2x2;
using gen::nonzero_vector_2;
using gen::rank_deficient_kernel_instance;
using gen::spd_2x2;
using gen::two_nets;

constexpr unsigned kBits = 256;

Mat<Interval> as_interval(const Mat<Rational>& m) { return from_rational<Interval>(m); }

// What is claimed to solve Q Sigma_x Q = B, as a function of (Sigma_x, Sigma_eps, V*) over intervals and
// of the branch (the SPD closed form, or the rank-one branch B / sqrt(tr(Sigma_x B))). Q* is `universal`;
// the mutants ignore the inputs (I # B) or the noise (Sigma_x^{-1} # V*^T V*).
using Branch = Mat<Interval> (*)(const Mat<Interval>& sigma_x, const Mat<Interval>& B);
Mat<Interval> spd_branch(const Mat<Interval>& Sx, const Mat<Interval>& B) { return universal_kernel_2x2<Interval>(Sx, B); }
Mat<Interval> rank_one_branch(const Mat<Interval>& Sx, const Mat<Interval>& B) {
  return universal_kernel_rank_one<Interval>(Sx, B);
}

struct Candidate {
  Mat<Interval> Sx, B, Q;
};
using Formula = Candidate (*)(const KernelInstance& k, Branch branch);
Candidate universal(const KernelInstance& k, Branch branch) {
  const Mat<Interval> Sx = as_interval(k.sigma_x), B = target_kernel<Interval>(as_interval(k.V), as_interval(k.sigma_eps));
  return {Sx, B, branch(Sx, B)};
}
Candidate inputs_ignored(const KernelInstance& k, Branch branch) {
  Candidate c = universal(k, branch);
  c.Q = branch(Mat<Interval>::Identity(2, 2), c.B);
  return c;
}
Candidate noise_ignored(const KernelInstance& k, Branch branch) {
  Candidate c = universal(k, branch);
  c.Q = branch(c.Sx, target_kernel<Interval>(as_interval(k.V), Mat<Interval>::Identity(2, 2)));
  return c;
}

// (a): Q Sigma_x Q = B certified, and Q certainly positive definite.
auto certified_kernel(Formula formula) {
  return [formula](const KernelInstance& k) {
    PrecisionScope precision(kBits);
    const Candidate c = formula(k, spd_branch);
    return all_of({compare_entries<Interval>(Mat<Interval>(c.Q * c.Sx * c.Q), c.B, "Q Sigma_x Q = V*^T Sigma_eps V*"),
                   certainly_positive<Interval>(c.Q(0, 0), "Q_00 > 0"),
                   certainly_positive<Interval>(det_2x2(c.Q), "det Q > 0")});
  };
}

// (a'): the planted kernel.
struct PlantedKernel {
  Mat<Rational> Q, V, X;  // X: inputs x_j as rows
  std::string show() const {
    return "Q = " + gen::show(Q) + ", V* = " + gen::show(V) + ", x_j = rows of " + gen::show(X) +
           ", noise support {+-V*^{-T} Q x_j}";
  }
};

rc::Gen<PlantedKernel> planted_kernel() {
  return rc::gen::exec([]() {
    PlantedKernel p{*spd_2x2(), *invertible_2x2(), Mat<Rational>()};
    // x_1 = e_1 scaled, x_2 = e_2 scaled, x_3 free: Sigma_x = X^T X / 3 is positive definite.
    p.X = *gen::matrix(3, 2, gen::rational(3, 3));
    p.X(0, 0) = *gen::nonzero_rational(3, 3), p.X(0, 1) = 0;
    p.X(1, 0) = 0, p.X(1, 1) = *gen::nonzero_rational(3, 3);
    return p;
  });
}

Verdict planted(const PlantedKernel& p) {
  const int n = static_cast<int>(p.X.rows());
  const Mat<Rational> sigma_x = p.X.transpose() * p.X / Rational(n);
  // Noise support +-e_j, e_j = V*^{-T} Q x_j: mean 0, Sigma_eps = 1/(2n) sum_j 2 e_j e_j^T.
  const Mat<Rational> E = exact_solve(p.V.transpose(), p.Q * p.X.transpose());
  const Mat<Rational> sigma_eps = E * E.transpose() / Rational(n);
  const Mat<Rational> B = target_kernel<Rational>(p.V, sigma_eps);
  const Verdict exact = compare_entries<Rational>(B, Mat<Rational>(p.Q * sigma_x * p.Q),
                                                  "V*^T Sigma_eps V* = Q Sigma_x Q (from the data)");
  if (exact.outcome != Outcome::holds) return exact;
  PrecisionScope precision(kBits);
  const Mat<Interval> Q = universal_kernel_2x2<Interval>(as_interval(sigma_x), as_interval(B));
  return all_of({exact, compare_entries<Interval>(Q, as_interval(p.Q), "Q* encloses the planted Q")});
}

// (b): both nets descended along their GL orbits; the largest |K_i / tr K_i - Q* / tr Q*| is at most
// 2^-64 (a quarter of the working bits). A descent that does not converge decides nothing; one along
// which phi_1 rose contradicts the statement's phi_1-stationary point.
Verdict descended_kernels(const TwoNets& t) {
  PrecisionScope precision(kBits);
  const Arithmetic real = Arithmetic::real(kBits);
  const gen::DescendedNets d = gen::descend_both(t, kBits);
  switch (d.outcome) {
    case gen::DescentOutcome::not_converged: throw Inconclusive(d.failure, real);
    case gen::DescentOutcome::phi1_increased: return Verdict::violated(real, "", d.failure);
    case gen::DescentOutcome::converged: break;
  }
  const Mat<Real> target =
      normalized<Real>(universal_kernel_2x2<Real>(d.sigma_x, target_kernel<Real>(d.V, d.sigma_eps)));
  const Real accept = pow(Real(2), -static_cast<int>(kBits) / 4);
  Real worst = 0;
  for (const auto& c : d.nets)
    for (int i = 1; i < c.depth(); ++i)
      worst = std::max<Real>(worst, (normalized<Real>(c.kernel(i)) - target).cwiseAbs().maxCoeff());
  const std::string what = "max |K_i / tr K_i - Q* / tr Q*| over the hidden layers of both nets (bound 2^-64)";
  return worst <= accept ? Verdict::holds(real, to_text(worst), what) : Verdict::violated(real, to_text(worst), what);
}

// The mutant "every global minimum is Platonic": at the generated (rational) start of both nets,
// K_i / tr K_i equals Q* / tr Q*, compared with a certified enclosure of Q*.
Verdict every_minimum_platonic(const TwoNets& t) {
  PrecisionScope precision(kBits);
  const Mat<Interval> target = normalized<Interval>(universal_kernel_2x2<Interval>(
      as_interval(t.data.sigma_x), target_kernel<Interval>(as_interval(t.data.V), as_interval(t.data.sigma_eps))));
  std::vector<Verdict> layers;
  for (const LinearChain<Rational>* net : {&t.plain, &t.viewed})
    for (int i = 1; i < net->depth(); ++i)
      layers.push_back(compare_entries<Interval>(as_interval(normalized<Rational>(net->kernel(i))), target,
                                                 "K_" + std::to_string(i) + " / tr K_" + std::to_string(i) +
                                                     " = Q* / tr Q* at the start"));
  return all_of(layers);
}

// (c): the limiting drift at a rational point, exactly; a point where it is undefined (the output map
// not onto, the orbits not spanning) decides nothing.
LimitingDrift<Rational> drift_at(const gen::DriftInstance& p) {
  LimitingDrift<Rational> d = limiting_drift<Rational>(p.net, p.sigma_x, p.sigma_eps);
  if (!d.failure.empty()) throw Inconclusive(d.failure, Arithmetic::rational());
  return d;
}
Mat<Rational> entropic_force(const gen::DriftInstance& p, int i) {
  return -orbit_gradient<Rational>(p.net, p.sigma_x, p.sigma_eps, i) / 2;
}

// Lyapunov, the force computed twice, R_i against Sigma, and sym F_i = -1/2 R_i (support/drift_consistency.hpp).
Verdict symmetric_part_is_entropic_force(const gen::DriftInstance& p) { return all_of(drift_consistency(p, drift_at(p))); }

// The same and F_i = -1/2 R_i itself: claimed for isotropic noise, a mutant for any noise (no skew force).
Verdict drift_is_entropic_force(const gen::DriftInstance& p) {
  const LimitingDrift<Rational> d = drift_at(p);
  std::vector<Verdict> parts = drift_consistency(p, d);
  for (int i = 1; i < p.net.depth(); ++i)
    parts.push_back(compare_entries<Rational>(d.force[i - 1], entropic_force(p, i),
                                              "F_" + std::to_string(i) + " = -1/2 R_" + std::to_string(i)));
  return all_of(parts);
}

// At a phi_1-stationary point (R_i = 0, the generator's hypothesis) and isotropic noise, the drift
// vanishes: its force F_i and its velocity Xi_i, observed, are 0 (the exact consistency checks of the
// drift gate the instance, as in N9).
Quantities<Mat<Rational>> observed_drift_at_rest(const gen::DriftInstance& p) {
  const LimitingDrift<Rational> d = drift_at(p);
  Quantities<Mat<Rational>> out;
  for (int i = 1; i < p.net.depth(); ++i) {
    if (!(entropic_force(p, i).array() == Rational(0)).all())
      throw Inconclusive("the generated point is not phi_1-stationary", Arithmetic::rational());
    out.push_back({"force F_" + std::to_string(i), d.force[i - 1]});
    out.push_back({"velocity Xi_" + std::to_string(i), d.generator[i - 1]});
  }
  const Verdict consistent = all_of(drift_consistency(p, d));
  if (consistent.outcome != Outcome::holds)
    throw Inconclusive("the drift failed its own exact checks: " + consistent.detail, Arithmetic::rational());
  return out;
}
Quantities<Mat<Rational>> drift_at_rest(const gen::DriftInstance& p) {
  Quantities<Mat<Rational>> out;
  for (int i = 1; i < p.net.depth(); ++i) {
    const int h = p.net.layout[i - 1].rows;
    out.push_back({"force F_" + std::to_string(i), Mat<Rational>::Zero(h, h)});
    out.push_back({"velocity Xi_" + std::to_string(i), Mat<Rational>::Zero(h, h)});
  }
  return out;
}

// (r): V* of rank one; Q* by the PSD branch B / sqrt(tr(Sigma_x B)), or a mutant through the same branch.
auto certified_rank_one_kernel(Formula formula) {
  return [formula](const KernelInstance& k) {
    PrecisionScope precision(kBits);
    const Candidate c = formula(k, rank_one_branch);
    const Mat<Rational> n = kernel_vector_rank_one_2x2(k.V);
    return all_of({compare_entries<Interval>(Mat<Interval>(c.Q * c.Sx * c.Q), c.B, "Q Sigma_x Q = V*^T Sigma_eps V*"),
                   certainly_positive<Interval>(c.Q.trace(), "tr Q* > 0"),
                   compare<Interval>(det_2x2(c.Q), Interval(0), "det Q* = 0"),
                   compare_entries<Interval>(Mat<Interval>(c.Q * as_interval(n)), Mat<Interval>::Zero(2, 1),
                                             "Q* n = 0 for n = " + gen::show(n)),
                   compare_entries<Rational>(Mat<Rational>(k.V * n), Mat<Rational>::Zero(2, 1), "V* n = 0 (exactly)"),
                   compare<Rational>(det_2x2(target_kernel<Rational>(k.V, k.sigma_eps)), Rational(0),
                                     "det V*^T Sigma_eps V* = 0 (exactly)")});
  };
}

// (r'): a planted PSD Q of rank one. V* = u v^T, Q = q v v^T; noise support +-e_j with
// e_j = (q v^T x_j / |u|^2) u + t_j u_perp, so that V*^T e_j = v u^T e_j = q v v^T x_j = Q x_j.
struct PlantedRankOne {
  Mat<Rational> Q, V, X, E;  // X: inputs x_j as rows; E: noise support vectors e_j as columns
  std::string show() const {
    return "Q = " + gen::show(Q) + ", V* = " + gen::show(V) + ", x_j = rows of " + gen::show(X) +
           ", noise support {+-e_j}, e_j = columns of " + gen::show(E);
  }
};

rc::Gen<PlantedRankOne> planted_rank_one() {
  const auto candidate = rc::gen::exec([]() {
    const Vec<Rational> u = *nonzero_vector_2(), v = *nonzero_vector_2();
    const Rational q = *gen::positive_rational(3, 4);
    PlantedRankOne p{Mat<Rational>(q * v * v.transpose()), Mat<Rational>(u * v.transpose()),
                     *gen::matrix(3, 2, gen::rational(3, 3)), Mat<Rational>(2, 3)};
    p.X(0, 0) = *gen::nonzero_rational(3, 3), p.X(0, 1) = 0;
    p.X(1, 0) = 0, p.X(1, 1) = *gen::nonzero_rational(3, 3);
    Vec<Rational> u_perp(2);
    u_perp << -u[1], u[0];
    for (int j = 0; j < 3; ++j)
      p.E.col(j) = Rational(q * v.dot(p.X.row(j).transpose())) / u.squaredNorm() * u +
                   *gen::rational(3, 3) * u_perp;
    return p;
  });
  // Sigma_eps = E E^T / 3 positive definite: E of rank 2, almost every draw.
  return rc::gen::suchThat(candidate,
                           [](const PlantedRankOne& p) { return det_2x2<Rational>(p.E * p.E.transpose()) != 0; });
}

struct PlantedRankOneKernel {
  Verdict data;     // the construction: Sigma_eps SPD, V*^T Sigma_eps V* = Q Sigma_x Q, Q* rational
  Mat<Rational> Q;  // Q* from the data, when `data` holds
};

PlantedRankOneKernel planted_rank_one_kernel(const PlantedRankOne& p) {
  const Rational n = static_cast<int>(p.X.rows());
  const Mat<Rational> sigma_x = p.X.transpose() * p.X / n;
  // Support +-e_j, each with probability 1/(2n): mean 0, Sigma_eps = 1/n sum_j e_j e_j^T.
  const Mat<Rational> sigma_eps = p.E * p.E.transpose() / n;
  const Mat<Rational> B = target_kernel<Rational>(p.V, sigma_eps);
  PlantedRankOneKernel out;
  out.data = all_of({compare_entries<Rational>(B, Mat<Rational>(p.Q * sigma_x * p.Q),
                                               "V*^T Sigma_eps V* = Q Sigma_x Q (from the data)"),
                     certainly_positive<Rational>(det_2x2(sigma_eps), "det Sigma_eps > 0"),
                     certainly_positive<Rational>(sigma_eps(0, 0), "Sigma_eps_00 > 0")});
  if (out.data.outcome != Outcome::holds) return out;
  try {
    out.Q = universal_kernel_rank_one<Rational>(sigma_x, B);
  } catch (const not_rational& e) {
    throw Inconclusive(std::string("tr(Sigma_x B) is not a rational square: ") + e.what(), Arithmetic::rational());
  }
  return out;
}

Verdict planted_rank_one_recovered(const PlantedRankOne& p) {
  const PlantedRankOneKernel k = planted_rank_one_kernel(p);
  if (k.data.outcome != Outcome::holds) return k.data;
  const Mat<Rational> n = kernel_vector_rank_one_2x2(p.V);
  return all_of({k.data, compare_entries<Rational>(k.Q, p.Q, "Q* = the planted Q"),
                 certainly_positive<Rational>(k.Q.trace(), "tr Q* > 0"),
                 compare<Rational>(det_2x2(k.Q), Rational(0), "det Q* = 0"),
                 compare_entries<Rational>(Mat<Rational>(p.V * n), Mat<Rational>::Zero(2, 1), "V* n = 0"),
                 compare_entries<Rational>(Mat<Rational>(k.Q * n), Mat<Rational>::Zero(2, 1),
                                           "Q* n = 0 for n = " + gen::show(n))});
}

// The mutant "Q* is SPD, as for an invertible V*": det Q* > 0, decided exactly.
Verdict planted_rank_one_definite(const PlantedRankOne& p) {
  const PlantedRankOneKernel k = planted_rank_one_kernel(p);
  if (k.data.outcome != Outcome::holds) return k.data;
  return certainly_positive<Rational>(det_2x2(k.Q), "det Q* > 0 (Q* positive definite)");
}

// Coverage. A matrix proportional to I: the kernel mutants that drop the inputs (Sigma_x -> I) or the
// noise (Sigma_eps -> I) agree with Q* when Sigma_x = I or Sigma_eps = I, and the skew part of the
// drift vanishes when Sigma_eps is proportional to I.
bool is_identity(const Mat<Rational>& m) { return (m.array() == Mat<Rational>::Identity(m.rows(), m.cols()).array()).all(); }
bool proportional_to_identity(const Mat<Rational>& m) { return m(0, 1) == 0 && m(1, 0) == 0 && m(0, 0) == m(1, 1); }
bool kernel_mutant_agrees(const KernelInstance& k) { return is_identity(k.sigma_x) || is_identity(k.sigma_eps); }
// phi_1 is stationary along every GL orbit of the chain (R_i = 0 for every hidden layer).
bool phi1_stationary(const LinearChain<Rational>& c, const Mat<Rational>& sigma_x, const Mat<Rational>& sigma_eps) {
  for (int i = 1; i < c.depth(); ++i)
    if (!orbit_gradient<Rational>(c, sigma_x, sigma_eps, i).isZero(0)) return false;
  return true;
}
bool start_already_platonic(const TwoNets& t) {
  return phi1_stationary(t.plain, t.data.sigma_x, t.data.sigma_eps) ||
         phi1_stationary(t.viewed, t.data.sigma_x, t.data.sigma_eps);
}
std::string hidden_widths(const TwoNets& t) {
  return std::to_string(t.plain.layout[0].rows) + "; " + std::to_string(t.viewed.layout[0].rows) + ", " +
         std::to_string(t.viewed.layout[1].rows);
}

}  // namespace

ENTROPIC_CLAIM(T11) {
  const char* const kKernelMutant = "Sigma_x = I or Sigma_eps = I (a kernel mutant agrees with Q*)";
  const auto isotropic_noise = [](const gen::DriftInstance& p) { return proportional_to_identity(p.sigma_eps); };
  const auto depth = [](const gen::DriftInstance& p) { return p.net.depth(); };
  return Claim("T11", "Platonic representation: universal kernel Q*")
      .provenance(Provenance::paper)
      .kind("exact at an optimum; exact identity (drift)")
      .part("q-star", "Q* closed form, certified (2 x 2)", kernel_instance())
          .check(certified_kernel(universal))
          .mutant("inputs-ignored", "kernel independent of the inputs: Q = (V*^T Sigma_eps V*)^{1/2}",
                  certified_kernel(inputs_ignored))
          .mutant("noise-ignored", "kernel independent of the noise: Q = Sigma_x^{-1} # V*^T V*",
                  certified_kernel(noise_ignored))
          .degenerate(kKernelMutant, kernel_mutant_agrees)
          .feature("Sigma_x diagonal", [](const KernelInstance& k) { return k.sigma_x(0, 1) == 0; })
      .part("planted", "planted rational Q recovered", planted_kernel())
          .check(planted)
          .nondegenerate("no mutant; the inputs hold one point on each axis, so Sigma_x > 0, and Q = L L^T + c I, V* are drawn "
                         "generic (the recovery is checked on every instance)")
      .part("descent", "orbit descent of phi_1: K_i / tr K_i = Q* / tr Q* in two nets", two_nets())
          .check(descended_kernels)
          .mutant("no-descent", "every global minimum is Platonic (no descent)", every_minimum_platonic)
          .degenerate("a net starts phi_1-stationary (R_i = 0: already Platonic, no descent)", start_already_platonic)
          .feature("hidden widths (net 1; net 2)", hidden_widths)
      .part("drift-symmetric", "SGD's limiting drift: symmetric part of its orbit force = -1/2 R_i (any Sigma_eps)",
            gen::drift_instance(gen::LabelNoise::anisotropic))
          .check(symmetric_part_is_entropic_force)
          .mutant("no-skew", "SGD's limiting drift = entropic force for any Sigma_eps (no skew force)",
                  drift_is_entropic_force)
          .degenerate("Sigma_eps proportional to I (no skew force: the mutant is the isotropic statement)", isotropic_noise)
          .feature("depth", depth)
      .part("drift-isotropic", "SGD's limiting drift = entropic force -1/2 R_i (Sigma_eps = sigma^2 I)",
            gen::drift_instance(gen::LabelNoise::isotropic))
          .check(drift_is_entropic_force)
          .degenerate("R_i = 0 (phi_1-stationary: both forces are 0)",
                      [](const gen::DriftInstance& p) { return phi1_stationary(p.net, p.sigma_x, p.sigma_eps); })
          .feature("depth", depth)
      .part("drift-at-rest", "SGD's limiting drift vanishes at a phi_1-stationary point (Sigma_eps = sigma^2 I)",
            gen::phi1_stationary_point(gen::LabelNoise::isotropic))
          .observe(observed_drift_at_rest)
          .predict(drift_at_rest)
          .nondegenerate("no mutant; every instance is a phi_1-stationary point (R_1 = 0, built from a rational point of the "
                         "unit 3-sphere and a rational rotation) with Sigma_eps = sigma^2 I, and its drift is computed")
      .part("rank-one", "rank-one V*: PSD Q* certified, kernel ker V* (2 x 2)", rank_deficient_kernel_instance())
          .check(certified_rank_one_kernel(universal))
          .mutant("rank-one-inputs-ignored", "rank-one V*, kernel independent of the inputs: Q = B / sqrt(tr B)",
                  certified_rank_one_kernel(inputs_ignored))
          .mutant("rank-one-noise-ignored",
                  "rank-one V*, kernel independent of the noise: Q = V*^T V* / sqrt(tr(Sigma_x V*^T V*))",
                  certified_rank_one_kernel(noise_ignored))
          .degenerate(kKernelMutant, kernel_mutant_agrees)
      .part("rank-one-planted", "rank-one V*: planted rational PSD Q recovered", planted_rank_one())
          .check(planted_rank_one_recovered)
          .mutant("definite", "rank-one V*: Q* positive definite, as for an invertible V*", planted_rank_one_definite)
          .nondegenerate("Q = q v v^T has rank one with q > 0, v != 0, and det Sigma_eps > 0 (suchThat): det Q* = 0 "
                         "never agrees with the mutant");
}

}  // namespace entropic
