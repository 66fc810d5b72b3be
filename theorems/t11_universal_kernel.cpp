// T11 — Platonic representation: the universal kernel Q* (catalog T11; Ziyin & Chuang 2025).
//
// Data Sigma_x > 0, y = V* x + eps with eps independent of x, Sigma_eps > 0. At any point of the
// manifold of global minima of a deep linear net f = M^O W_D ... W_1 M^I Z x that is phi_1-stationary
// along every GL orbit, every hidden kernel K_i = N_i^T N_i equals c_i Q* with
//     Q* = Sigma_x^{-1} # (V*^T Sigma_eps V*),   the unique SPD solution of Q Sigma_x Q = V*^T Sigma_eps V*,
// independent of the view Z, the embeddings, the widths, the depth and the layer.
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
// The statistical form (time-averaged kernels of online SGD within O(eta)) is not encoded yet.
#include <sstream>

#include "entropic/metrics/universal_kernel.hpp"
#include "entropic/theory/platonic.hpp"
#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "generators.hpp"

namespace entropic {
namespace {

constexpr unsigned kBits = 256;

// A rational SPD 2 x 2 matrix L L^T + c I, c > 0.
rc::Gen<Mat<Rational>> spd_2x2() {
  return rc::gen::exec([]() {
    const Mat<Rational> L = *gen::matrix(2, 2, gen::rational(3, 3));
    return Mat<Rational>(L * L.transpose() + *gen::positive_rational(3, 4) * Mat<Rational>::Identity(2, 2));
  });
}

// An invertible rational 2 x 2 matrix: D (I + N), D diagonal nonzero, N strictly upper.
rc::Gen<Mat<Rational>> invertible_2x2() {
  return rc::gen::exec([]() {
    Mat<Rational> G = Mat<Rational>::Identity(2, 2);
    G(0, 1) = *gen::rational(3, 3);
    if (*rc::gen::arbitrary<bool>()) G.transposeInPlace();
    G.row(0) *= *gen::nonzero_rational(3, 3);
    G.row(1) *= *gen::nonzero_rational(3, 3);
    return G;
  });
}

struct KernelInstance {
  Mat<Rational> sigma_x, V, sigma_eps;
  std::string show() const {
    return "Sigma_x = " + gen::show(sigma_x) + ", V* = " + gen::show(V) + ", Sigma_eps = " + gen::show(sigma_eps);
  }
};

rc::Gen<KernelInstance> kernel_instance() {
  return rc::gen::exec([]() { return KernelInstance{*spd_2x2(), *invertible_2x2(), *spd_2x2()}; });
}

Mat<Interval> as_interval(const Mat<Rational>& m) { return from_rational<Interval>(m); }

// What is claimed to solve Q Sigma_x Q = B. The first is Q*; the others are mutants.
enum class Kernel {
  universal,       // Sigma_x^{-1} # B
  inputs_ignored,  // I # B = B^{1/2}: as if the kernel did not depend on the input covariance
  noise_ignored,   // Sigma_x^{-1} # (V*^T V*): as if it did not depend on the noise covariance
};

Verdict certified_kernel(const KernelInstance& k, Kernel which) {
  PrecisionScope precision(kBits);
  const Mat<Interval> Sx = as_interval(k.sigma_x), Se = as_interval(k.sigma_eps), V = as_interval(k.V);
  const Mat<Interval> B = target_kernel<Interval>(V, Se);
  Mat<Interval> Q;
  switch (which) {
    case Kernel::universal: Q = universal_kernel_2x2<Interval>(Sx, B); break;
    case Kernel::inputs_ignored: Q = universal_kernel_2x2<Interval>(Mat<Interval>::Identity(2, 2), B); break;
    case Kernel::noise_ignored:
      Q = universal_kernel_2x2<Interval>(Sx, target_kernel<Interval>(V, Mat<Interval>::Identity(2, 2)));
      break;
  }
  return all_of({compare_entries<Interval>(Mat<Interval>(Q * Sx * Q), B, "Q Sigma_x Q = V*^T Sigma_eps V*"),
                 certainly_positive<Interval>(Q(0, 0), "Q_00 > 0"),
                 certainly_positive<Interval>(det_2x2(Q), "det Q > 0")});
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
  const Mat<Rational> E = p.V.transpose().partialPivLu().solve(Mat<Rational>(p.Q * p.X.transpose()));
  const Mat<Rational> sigma_eps = E * E.transpose() / Rational(n);
  const Mat<Rational> B = target_kernel<Rational>(p.V, sigma_eps);
  const Verdict exact = compare_entries<Rational>(B, Mat<Rational>(p.Q * sigma_x * p.Q),
                                                  "V*^T Sigma_eps V* = Q Sigma_x Q (from the data)");
  if (exact.outcome != Outcome::holds) return exact;
  PrecisionScope precision(kBits);
  const Mat<Interval> Q = universal_kernel_2x2<Interval>(as_interval(sigma_x), as_interval(B));
  return all_of({exact, compare_entries<Interval>(Q, as_interval(p.Q), "Q* encloses the planted Q")});
}

// (b): two nets with the same V*, descended along their orbits.
struct TwoNets {
  KernelInstance data;
  LinearChain<Rational> plain, viewed;
  std::string show() const {
    std::ostringstream out;
    out << data.show() << "; net 1: depth 2, W1 = " << gen::show(plain.W[0]) << ", W2 = " << gen::show(plain.W[1])
        << "; net 2: depth 3, Z = " << gen::show(viewed.Z) << ", M^I = " << gen::show(viewed.MI)
        << ", M^O = " << gen::show(viewed.MO);
    for (size_t i = 0; i < viewed.W.size(); ++i) out << ", W" << i + 1 << " = " << gen::show(viewed.W[i]);
    return out.str();
  }
};

// Completes a chain whose first D - 1 layers are given so that its product is V*:
// W_D N_{D-1} = (M^O)^{-1} V*, W_D = C (N^T N)^{-1} N^T (N has full column rank 2).
bool complete_chain(LinearChain<Rational>& c, const Mat<Rational>& V, int last_rows) {
  c.W.push_back(Mat<Rational>::Zero(last_rows, c.W.back().rows()));
  const Mat<Rational> n = c.N(c.depth() - 1);
  const Mat<Rational> gram = n.transpose() * n;
  if (det_2x2(gram) == 0) return false;
  const Mat<Rational> C = c.MO.partialPivLu().solve(V);
  c.W.back() = C * inverse_2x2(gram) * n.transpose();
  return c.product() == V;
}

struct TwoNetCandidate {
  TwoNets nets;
  bool complete = false;
};

rc::Gen<TwoNets> two_nets() {
  const auto candidate = rc::gen::exec([]() {
    TwoNetCandidate c;
    TwoNets& t = c.nets;
    t.data = *kernel_instance();
    const int h1 = *gen::dimension(2, 3), h2 = *gen::dimension(2, 3), h3 = *gen::dimension(2, 3);
    t.plain.Z = t.plain.MI = t.plain.MO = Mat<Rational>::Identity(2, 2);
    t.plain.W = {*gen::matrix(h1, 2, gen::rational(3, 3))};
    t.viewed.Z = *invertible_2x2();
    t.viewed.MI = *invertible_2x2();
    t.viewed.MO = *invertible_2x2();
    t.viewed.W = {*gen::matrix(h2, 2, gen::rational(3, 3)), *gen::matrix(h3, h2, gen::rational(3, 3))};
    c.complete = complete_chain(t.plain, t.data.V, 2) && complete_chain(t.viewed, t.data.V, 2);
    return c;
  });
  // N_{D-1} of full column rank: almost every draw.
  return rc::gen::map(rc::gen::suchThat(candidate, [](const TwoNetCandidate& c) { return c.complete; }),
                      [](const TwoNetCandidate& c) { return c.nets; });
}

template <class T>
LinearChain<T> chain_as(const LinearChain<Rational>& c) {
  LinearChain<T> out{from_rational<T>(c.Z), from_rational<T>(c.MI), from_rational<T>(c.MO), {}};
  for (const auto& w : c.W) out.W.push_back(from_rational<T>(w));
  return out;
}

Verdict descended_kernels(const TwoNets& t) {
  PrecisionScope precision(kBits);
  const Mat<Real> Sx = from_rational<Real>(t.data.sigma_x), Se = from_rational<Real>(t.data.sigma_eps);
  const Mat<Real> V = from_rational<Real>(t.data.V);
  const Mat<Real> target = normalized<Real>(universal_kernel_2x2<Real>(Sx, target_kernel<Real>(V, Se)));
  // Stop at ||R_i|| <= 2^-96 |terms| (3/8 of the working bits); accept kernels equal to 2^-64 (a quarter).
  const Real stop = pow(Real(2), -static_cast<int>(kBits) * 3 / 8), accept = pow(Real(2), -static_cast<int>(kBits) / 4);
  Real worst = 0;
  for (const LinearChain<Rational>* net : {&t.plain, &t.viewed}) {
    LinearChain<Real> c = chain_as<Real>(*net);
    const Real before = phi1_on_manifold(c, Sx, Se);
    const DescentReport r = descend_entropic_term(c, Sx, Se, stop, 20000);
    if (!r.converged)
      return Verdict::inconclusive("the orbit descent did not converge in " + std::to_string(r.iterations) +
                                       " iterations", "real:256");
    if (!(phi1_on_manifold(c, Sx, Se) <= before))
      return Verdict{Outcome::violated, "real:256", Evidence::high_precision, "", "phi_1 increased along the descent"};
    for (int i = 1; i < c.depth(); ++i)
      worst = std::max<Real>(worst, (normalized<Real>(c.kernel(i)) - target).cwiseAbs().maxCoeff());
  }
  return Verdict{worst <= accept ? Outcome::holds : Outcome::violated, "real:256", Evidence::high_precision,
                 to_text(worst),
                 "max |K_i / tr K_i - Q* / tr Q*| over the hidden layers of both nets (bound 2^-64)"};
}

std::string show_instance(const KernelInstance& k) { return k.show(); }
std::string show_planted(const PlantedKernel& p) { return p.show(); }
std::string show_nets(const TwoNets& t) { return t.show(); }

}  // namespace

ENTROPIC_CLAIM(T11) {
  return Claim("T11", "Platonic representation: universal kernel Q*")
      .provenance(Provenance::derived)
      .kind("exact at an optimum")
      .part("Q* closed form, certified (2 x 2)", kernel_instance(),
            [](const KernelInstance& k) { return certified_kernel(k, Kernel::universal); }, show_instance)
      .part("planted rational Q recovered", planted_kernel(), planted, show_planted)
      .part("orbit descent of phi_1: K_i / tr K_i = Q* / tr Q* in two nets", two_nets(), descended_kernels,
            show_nets)
      .mutant("kernel independent of the inputs: Q = (V*^T Sigma_eps V*)^{1/2}", kernel_instance(),
              [](const KernelInstance& k) { return certified_kernel(k, Kernel::inputs_ignored); }, show_instance)
      .mutant("kernel independent of the noise: Q = Sigma_x^{-1} # V*^T V*", kernel_instance(),
              [](const KernelInstance& k) { return certified_kernel(k, Kernel::noise_ignored); }, show_instance);
}

}  // namespace entropic
