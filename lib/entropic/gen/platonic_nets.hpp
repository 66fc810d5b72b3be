// Instances of the Platonic-representation claims (catalog T11, S1): label-noise data
// (Sigma_x, V*, Sigma_eps) in two dimensions and pairs of deep linear nets on the same manifold of
// minima A_i N_i = V*, one of depth 2 without a view, one of depth 3 with a view Z and embeddings
// M^I, M^O. Entries are small rationals that shrink toward simple fractions.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/metrics/universal_kernel.hpp"
#include "entropic/theory/platonic.hpp"
#include "entropic/gen/generators.hpp"
#include "entropic/gen/size_profile.hpp"
#include "entropic/gen/training_run.hpp"

namespace entropic {
namespace gen {

// A rational SPD 2 x 2 matrix L L^T + c I, c > 0.
inline rc::Gen<Mat<Rational>> spd_2x2() {
  return rc::gen::exec([]() {
    const Mat<Rational> L = *matrix(2, 2, rational(3, 3));
    return Mat<Rational>(L * L.transpose() + *positive_rational(3, 4) * Mat<Rational>::Identity(2, 2));
  });
}

// An invertible rational 2 x 2 matrix: D (I + N), D diagonal nonzero, N strictly upper.
inline rc::Gen<Mat<Rational>> invertible_2x2() {
  return rc::gen::exec([]() {
    Mat<Rational> G = Mat<Rational>::Identity(2, 2);
    G(0, 1) = *rational(3, 3);
    if (*rc::gen::arbitrary<bool>()) G.transposeInPlace();
    G.row(0) *= *nonzero_rational(3, 3);
    G.row(1) *= *nonzero_rational(3, 3);
    return G;
  });
}

struct KernelInstance {
  Mat<Rational> sigma_x, V, sigma_eps;
  std::string show() const {
    return "Sigma_x = " + gen::show(sigma_x) + ", V* = " + gen::show(V) + ", Sigma_eps = " + gen::show(sigma_eps);
  }
};

inline rc::Gen<KernelInstance> kernel_instance() {
  return rc::gen::exec([]() { return KernelInstance{*spd_2x2(), *invertible_2x2(), *spd_2x2()}; });
}

// A nonzero rational 2-vector: one entry nonzero, the other free, in either order.
inline rc::Gen<Vec<Rational>> nonzero_vector_2() {
  return rc::gen::exec([]() {
    Vec<Rational> w(2);
    w << *nonzero_rational(3, 3), *rational(3, 3);
    if (*rc::gen::arbitrary<bool>()) std::swap(w[0], w[1]);
    return w;
  });
}

// A rational 2 x 2 matrix of rank one: u v^T with u, v nonzero.
inline rc::Gen<Mat<Rational>> rank_one_2x2() {
  return rc::gen::exec([]() {
    const Vec<Rational> u = *nonzero_vector_2(), v = *nonzero_vector_2();
    return Mat<Rational>(u * v.transpose());
  });
}

// A vector spanning the kernel of a rank-one 2 x 2 matrix V: (-r_1, r_0) for a nonzero row r.
inline Vec<Rational> kernel_vector_rank_one_2x2(const Mat<Rational>& V) {
  const Vec<Rational> r = V.row(V.row(0).isZero(0) ? 1 : 0).transpose();
  Vec<Rational> n(2);
  n << -r[1], r[0];
  return n;
}

// Label-noise data whose V* is not injective (catalog T11: Q* is then the unique PSD solution).
inline rc::Gen<KernelInstance> rank_deficient_kernel_instance() {
  return rc::gen::exec([]() { return KernelInstance{*spd_2x2(), *rank_one_2x2(), *spd_2x2()}; });
}

// Two nets with the same V*: depth 2 without a view, depth 3 with a view and embeddings.
struct TwoNets {
  // The three-layer net's (the larger; the two-layer net trains separately).
  int parameter_count() const { return static_cast<int>(viewed.theta.size()); }
  KernelInstance data;
  LinearChain<Rational> plain, viewed;
  std::string show() const {
    std::ostringstream out;
    out << data.show() << "; net 1: depth 2, W1 = " << gen::show(Mat<Rational>(plain.W(0)))
        << ", W2 = " << gen::show(Mat<Rational>(plain.W(1))) << "; net 2: depth 3, Z = " << gen::show(viewed.Z)
        << ", M^I = " << gen::show(viewed.MI) << ", M^O = " << gen::show(viewed.MO);
    for (int i = 0; i < viewed.depth(); ++i) out << ", W" << i + 1 << " = " << gen::show(Mat<Rational>(viewed.W(i)));
    return out.str();
  }
};

// Completes a chain whose first D - 1 layers are given so that its product is V*:
// W_D N_{D-1} = (M^O)^{-1} V*, W_D = C (N^T N)^{-1} N^T (N has full column rank 2).
inline bool complete_chain(LinearChain<Rational>& c, const Mat<Rational>& V, int last_rows) {
  std::vector<Mat<Rational>> ws = c.weights();
  const Mat<Rational> n = c.N(c.depth());
  const Mat<Rational> gram = n.transpose() * n;
  if (det_2x2(gram) == 0) return false;
  const Mat<Rational> C = exact_solve(c.MO, V);
  ws.push_back(Mat<Rational>(C * inverse_2x2(gram) * n.transpose()));
  if (ws.back().rows() != last_rows) return false;
  c = LinearChain<Rational>(c.Z, c.MI, c.MO, ws);
  return c.product() == V;
}

// A construction that can fail (a singular matrix, a sign condition): the value and whether it is one.
template <class T>
struct Candidate {
  T value;
  bool valid = false;
};

// The valid draws of `candidates`, retried by RapidCheck until one is valid.
template <class T>
rc::Gen<T> valid_only(rc::Gen<Candidate<T>> candidates) {
  return rc::gen::map(rc::gen::suchThat(std::move(candidates), [](const Candidate<T>& c) { return c.valid; }),
                      [](const Candidate<T>& c) { return c.value; });
}

// A hidden width above rank V* leaves directions v of the hidden space unused (v^T N_1 = 0). Along
// the GL orbit that scales v, phi_1 falls like the square of W_2 v and reaches its infimum only in
// the limit W_2 v = 0, where R_1 would vanish only polynomially fast. Projecting W_2 onto col(N_1)
// (W_2 <- W_2 N_1 (N_1^T N_1)^{-1} N_1^T) moves there and keeps the product: the instance starts in
// the closure where the minimum of phi_1 along the orbits is attained.
inline bool without_unused_directions(LinearChain<Rational>& c) {
  const Mat<Rational> n = c.N(1);
  const Mat<Rational> gram = n.transpose() * n;
  if (det_2x2(gram) == 0) return false;
  c.W(1) = Mat<Rational>(c.W(1) * n * inverse_2x2(gram) * n.transpose());
  return true;
}

inline rc::Gen<TwoNets> two_nets() {
  // N_{D-1} of full column rank: almost every draw.
  return valid_only(rc::gen::exec([]() {
    Candidate<TwoNets> c;
    TwoNets& t = c.value;
    t.data = *kernel_instance();
    // Hidden widths 2 to 3; under `--profile large` one common width per net, the smallest that
    // reaches 200 parameters ([2, 50, 2] and [2, 13, 13, 2]). The standard branch draws as before
    // the profile existed, so that past replay strings keep their instances.
    int h1 = 0, h2 = 0, h3 = 0;
    if (size_profile() == SizeProfile::large) {
      h1 = (*model_widths(ModelKind::deep_linear, {2, 2, 2}, {2, 3, 2}))[1];
      const std::vector<int> viewed = *model_widths(ModelKind::deep_linear, {2, 2, 2, 2}, {2, 3, 3, 2});
      h2 = viewed[1], h3 = viewed[2];
    } else {
      h1 = *dimension(2, 3), h2 = *dimension(2, 3), h3 = *dimension(2, 3);
    }
    const Mat<Rational> I = Mat<Rational>::Identity(2, 2);
    t.plain = LinearChain<Rational>(I, I, I, {*matrix(h1, 2, rational(3, 3))});
    const Mat<Rational> Z = *invertible_2x2(), MI = *invertible_2x2(), MO = *invertible_2x2();
    t.viewed = LinearChain<Rational>(Z, MI, MO, {*matrix(h2, 2, rational(3, 3)), *matrix(h3, h2, rational(3, 3))});
    c.valid = without_unused_directions(t.viewed) && complete_chain(t.plain, t.data.V, 2) &&
              complete_chain(t.viewed, t.data.V, 2);
    return c;
  }));
}

// Both nets descended along their GL orbits (theory/platonic.hpp) in Real at the caller's working
// precision `bits`, until every ||R_i|| is at most 2^-(3 bits / 8) of its terms. `outcome` says why
// not, and `failure` in words: a descent that did not converge in 20000 iterations (the instance
// decides nothing), or phi_1 that rose (the descent contradicts itself).
enum class DescentOutcome { converged, not_converged, phi1_increased };

struct DescendedNets {
  Mat<Real> sigma_x, sigma_eps, V;
  std::vector<LinearChain<Real>> nets;
  std::string failure;  // empty when converged
  DescentOutcome outcome = DescentOutcome::converged;
};

inline DescendedNets descend_both(const TwoNets& t, unsigned bits) {
  DescendedNets d{from_rational<Real>(t.data.sigma_x), from_rational<Real>(t.data.sigma_eps),
                  from_rational<Real>(t.data.V), {}, "", DescentOutcome::converged};
  const Real stop = pow(Real(2), -static_cast<int>(bits) * 3 / 8);
  for (const LinearChain<Rational>* net : {&t.plain, &t.viewed}) {
    LinearChain<Real> c = chain_as<Real>(*net);
    const Real before = phi1_on_manifold(c, d.sigma_x, d.sigma_eps);
    const DescentReport r = descend_entropic_term(c, d.sigma_x, d.sigma_eps, stop, 20000);
    if (!r.converged) {
      d.outcome = DescentOutcome::not_converged;
      d.failure = "the orbit descent did not converge in " + std::to_string(r.iterations) + " iterations";
      return d;
    }
    if (!(phi1_on_manifold(c, d.sigma_x, d.sigma_eps) <= before)) {
      d.outcome = DescentOutcome::phi1_increased;
      d.failure = "phi_1 increased along the descent";
      return d;
    }
    d.nets.push_back(std::move(c));
  }
  return d;
}

}  // namespace gen
}  // namespace entropic
