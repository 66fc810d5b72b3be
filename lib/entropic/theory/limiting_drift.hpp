// The limiting drift of label-noise SGD along the manifold of minima of a deep linear net
// (Li, Wang & Arora, "What happens after SGD reaches zero loss?", ICLR 2022, Theorem 4.6, with a
// noise covariance that lies in the normal space; specialised here to catalog T11's setting).
//
// Setting (catalog T11): f = M^O W_D ... W_1 M^I Z x, l = 1/2 ||f - y||^2, y = V* x + eps, eps
// independent of x with mean 0 and covariance Sigma_eps, E x x^T = Sigma_x, and a point theta on the
// manifold of minima P(theta) = V* (P = A_0 N_0, platonic.hpp). Per sample the gradient is
// J(x)^T (f - y) = -J(x)^T eps with J(x) d theta = dP x, so in the coordinates dP of the outputs
//     H     = E J^T J           : H_ab     = <D_a, D_b>,            <A, B> = tr(A Sigma_x B^T),
//     Sigma = E J^T eps eps^T J : Sigma_ab = <Sigma_eps D_a, D_b>,   D_a = dP / d theta_a.
// Online SGD with step eta fluctuates in the normal space with covariance eta S + O(eta^2), where S is
// the solution of the Lyapunov equation H S + S H = Sigma supported on range(H), and moves along the
// manifold (tangent space ker H) with the mean velocity, per step,
//     eta^2 v + O(eta^3),   v = -1/2 P_T grad_theta tr(H(theta) S) |_{S fixed}   (Ito's correction of
// the third derivative: for a tangent w, d/dw of the Hessian of L is d/dw of the Gauss-Newton part).
// Hence, for the orbit direction w of a generator X in gl(h_i),
//     w = (dW_i, dW_{i+1}) = (X W_i, -W_{i+1} X),        <v, w> = -sum_ab S_ab <d_w D_a, D_b>.
// These are the forces F_i (F_i(a, b) = <v, w_ab>, w_ab from X = E_ab). The velocity is the tangent
// vector sum_i w(Xi_i) whose components along every orbit direction are the forces,
// sum_(j,c,d) <w_ab, w_cd> Xi_j(c, d) = F_i(a, b), generators ordered by layer, then (a, b) row-major.
// That is the projection P_T v when the orbit directions span the tangent space ker(d theta -> dP):
// Z, M^I, M^O square (catalog T11: fixed and invertible) and the output map onto; the rank of the Gram
// matrix is checked against dim ker = n - dim y dim x, exactly for rationals. With widths above the
// dimensions the generators are redundant (a stabiliser X with X N_i = 0 and W_{i+1} X = 0), the
// system is consistent and singular, and any solution gives the same tangent vector and the same
// kernel velocities d/dt K_i = N_i^T (Xi_i + Xi_i^T) N_i.
//
// The force from the action alone (orbit_force_from_action). The orbit acts linearly on theta,
// theta -> L_g theta, with generator Lambda_X, and the loss is invariant, so
// H(L_g theta) = L_g^{-T} H(theta) L_g^{-1} and Sigma likewise. Hence, with S fixed,
//     F(X) = -1/2 d/dt tr(H S) = tr(Lambda_X S H) = -d phi_1(X) + 1/2 tr(Lambda_X [S, H]),
// using phi_1 = 1/4 tr Sigma, Sigma = H S + S H and d phi_1(X) = -1/2 tr(Lambda_X Sigma). Since
// Lambda_{X^T} = Lambda_X^T, for symmetric X the last term is the trace of a symmetric times a skew
// matrix: the symmetric part of F_i is -1/2 R_i for every Sigma_eps, and F_i = -1/2 R_i whenever S
// commutes with H. This proves the statements checked in T11 part (c); the code computes F both ways.
//
// When Sigma_eps = sigma^2 I, Sigma = sigma^2 H, S = sigma^2/2 times the projection on range(H)
// commutes with H, and F_i = -d phi_1 / d w = -1/2 R_i exactly (platonic.hpp): the drift is the entropic
// force of the catalog, and it vanishes where phi_1 is stationary along every orbit. For anisotropic
// Sigma_eps neither holds in general (docs/claims/T11.md, docs/claims/N9.md).
//
// Coordinates: theta is the chain's parameter vector, the deep_linear model's (platonic.hpp), so H, Sigma
// and S are in the model's parameter order (its Layout; W_j column-major).
// Scalars: double (floating) and Rational (exact: every solve and rank below is decided exactly).
//
// S is found in output space: with Dm the m x n matrix of columns vec(D_a) (m = dim y * dim x),
// G = Sigma_x (x) I and G_eps = Sigma_x (x) Sigma_eps (so H = Dm^T G Dm, Sigma = Dm^T G_eps Dm),
// S = Dm^T Y Dm where (G K) Y + Y (G K)^T = G_eps, K = Dm Dm^T. G K is similar to the SPD
// G^{1/2} K G^{1/2} when the output map is onto, so the Sylvester equation has one solution, found
// exactly for rationals from its Kronecker form.
#pragma once

#include <Eigen/LU>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "entropic/numeric/linear_solve.hpp"
#include "entropic/numeric/eigen_traits.hpp"
#include "entropic/theory/platonic.hpp"

namespace entropic {

template <class T>
struct LimitingDrift {
  std::vector<Mat<T>> force;            // F_i, h_i x h_i, per eta^2 per step
  std::vector<Mat<T>> generator;        // Xi_i: the velocity as orbit generators
  std::vector<Mat<T>> kernel_velocity;  // d/dt K_i = N_i^T (Xi_i + Xi_i^T) N_i
  std::vector<Mat<T>> normalized_kernel_velocity;  // d/dt (K_i / tr K_i)
  Mat<T> fluctuation;                   // S: the normal fluctuations have covariance eta S + O(eta^2)
  Mat<T> hessian, noise_covariance;     // H and Sigma on the manifold, in the coordinates of theta
  T lyapunov_residual{0};               // max |H S + S H - Sigma|: 0 for rationals
  std::string failure;                  // nonempty: the output map is not onto, or the orbits do not span
  int tangent_dimension = 0, orbit_rank = 0;
};

namespace limiting_drift_detail {

template <class T>
constexpr bool kSupportedScalar = std::is_same_v<T, double> || std::is_same_v<T, Rational>;

// One rank-revealing factorization. Rational: full-pivoting LU with threshold 0 (NumTraits<Rational>
// has epsilon() = 0), so rank and consistency are decided exactly; double: complete orthogonal
// decomposition (minimum-norm solution), consistency up to a multiple of the double epsilon.
template <class T>
struct LinearSolution {
  Mat<T> x;
  int rank = 0;
  bool consistent = false;
};

template <class T>
LinearSolution<T> solve_linear(const Mat<T>& A, const Mat<T>& b) {
  static_assert(kSupportedScalar<T>, "limiting_drift: double (floating) or Rational (exact)");
  LinearSolution<T> out;
  if constexpr (std::is_same_v<T, double>) {
    const Eigen::CompleteOrthogonalDecomposition<Mat<double>> cod(A);
    out.x = cod.solve(b);
    out.rank = static_cast<int>(cod.rank());
    const double scale = A.norm() * out.x.norm() + b.norm();
    out.consistent = (A * out.x - b).norm() <= 1024 * std::numeric_limits<double>::epsilon() * scale;
  } else {
    Eigen::FullPivLU<Mat<T>> lu(A);
    lu.setThreshold(T(0));
    out.rank = static_cast<int>(lu.rank());
    out.x = lu.solve(b);
    out.consistent = (A * out.x - b).cwiseAbs().maxCoeff() == T(0);
  }
  return out;
}

// d/dt of P along one direction (one matrix per layer, or zero) and the mixed second derivative along
// two: P(W + s U + t V) expanded to the coefficient of s t, by the product rule on jets.
template <class T>
struct Jet2 {
  Mat<T> v, s, t, st;
};

template <class T>
Jet2<T> times(const Jet2<T>& x, const Jet2<T>& y) {  // x * y
  return Jet2<T>{x.v * y.v, x.v * y.s + x.s * y.v, x.v * y.t + x.t * y.v,
                 x.v * y.st + x.s * y.t + x.t * y.s + x.st * y.v};
}

template <class T>
Mat<T> mixed_second_derivative(const LinearChain<T>& c, const std::vector<Mat<T>>& U,
                               const std::vector<Mat<T>>& V) {
  const Mat<T> start = c.MI * c.Z;
  Jet2<T> acc{start, Mat<T>::Zero(start.rows(), start.cols()), Mat<T>::Zero(start.rows(), start.cols()),
              Mat<T>::Zero(start.rows(), start.cols())};
  for (int j = 0; j < c.depth(); ++j) {
    const Mat<T> w = c.W(j), zero = Mat<T>::Zero(w.rows(), w.cols());
    acc = times(Jet2<T>{w, U[j].size() ? U[j] : zero, V[j].size() ? V[j] : zero, zero}, acc);
  }
  return c.MO * acc.st;
}

template <class T>
Mat<T> kron(const Mat<T>& a, const Mat<T>& b) {
  Mat<T> k(a.rows() * b.rows(), a.cols() * b.cols());
  for (int i = 0; i < a.rows(); ++i)
    for (int j = 0; j < a.cols(); ++j) k.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return k;
}

template <class T>
Vec<T> vec_of(const Mat<T>& m) {  // column-major
  Vec<T> v(m.size());
  for (int j = 0; j < m.cols(); ++j)
    for (int i = 0; i < m.rows(); ++i) v(j * m.rows() + i) = m(i, j);
  return v;
}

template <class T>
Mat<T> normalized_velocity(const Mat<T>& K, const Mat<T>& dK) {
  const T tr = K.trace();
  return (dK * tr - K * dK.trace()) / (tr * tr);
}

// The chain composes (M^O W_D ... W_1 M^I Z) with square Z, M^I, M^O; Sigma_x is symmetric positive
// definite on the inputs of Z and Sigma_eps symmetric on the outputs of M^O. Otherwise
// std::invalid_argument says which matrix is off and how. Symmetry is exact for rationals and within
// 64 double epsilons of the largest entry for double; definiteness by the leading principal minors.
template <class T>
void check_inputs(const LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps) {
  auto dims = [](const Mat<T>& m) { return std::to_string(m.rows()) + " x " + std::to_string(m.cols()); };
  auto fail = [](const std::string& what) { throw std::invalid_argument("limiting_drift: " + what); };
  if (c.depth() < 2) fail("the chain needs a hidden layer (depth >= 2), got depth " + std::to_string(c.depth()));
  for (const auto& [name, m] : {std::pair<const char*, const Mat<T>*>{"Z", &c.Z}, {"M^I", &c.MI}, {"M^O", &c.MO}})
    if (m->rows() != m->cols()) fail(std::string(name) + " must be square (fixed and invertible), got " + dims(*m));
  if (c.MI.cols() != c.Z.rows()) fail("M^I is " + dims(c.MI) + " but Z is " + dims(c.Z));
  Eigen::Index rows = c.MI.rows();
  for (int j = 0; j < c.depth(); ++j) {
    const Mat<T> w = c.W(j);
    if (w.cols() != rows)
      fail("W_" + std::to_string(j + 1) + " is " + dims(w) + " but its input has " + std::to_string(rows) + " rows");
    rows = w.rows();
  }
  if (c.MO.cols() != rows) fail("M^O is " + dims(c.MO) + " but W_D has " + std::to_string(rows) + " rows");
  if (sigma_x.rows() != c.Z.cols() || sigma_x.cols() != c.Z.cols())
    fail("Sigma_x is " + dims(sigma_x) + ", the inputs have dimension " + std::to_string(c.Z.cols()));
  if (sigma_eps.rows() != c.MO.rows() || sigma_eps.cols() != c.MO.rows())
    fail("Sigma_eps is " + dims(sigma_eps) + ", the outputs have dimension " + std::to_string(c.MO.rows()));
  auto symmetric = [](const Mat<T>& m) {
    if constexpr (std::is_same_v<T, double>)
      return (m - m.transpose()).cwiseAbs().maxCoeff() <= 64 * std::numeric_limits<double>::epsilon() * m.cwiseAbs().maxCoeff();
    else
      return m == m.transpose();
  };
  if (!symmetric(sigma_x)) fail("Sigma_x is not symmetric");
  if (!symmetric(sigma_eps)) fail("Sigma_eps is not symmetric");
  for (Eigen::Index k = 1; k <= sigma_x.rows(); ++k)
    if (!(Mat<T>(sigma_x.topLeftCorner(k, k)).determinant() > T(0)))
      fail("Sigma_x is not positive definite (leading minor " + std::to_string(k) + " is not positive)");
}

}  // namespace limiting_drift_detail

// The forces, velocity generators and normalized-kernel velocities of the limiting drift at a point of
// the manifold of minima (the caller ensures P(theta) = V*; nothing here depends on V* otherwise).
template <class T>
LimitingDrift<T> limiting_drift(const LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps) {
  using namespace limiting_drift_detail;
  static_assert(kSupportedScalar<T>, "limiting_drift: double (floating) or Rational (exact)");
  check_inputs(c, sigma_x, sigma_eps);
  LimitingDrift<T> out;
  const Layout& layout = c.layout;  // the model's parameter order (platonic.hpp)
  const int n = layout.size(), D = c.depth();
  const int dy = static_cast<int>(c.MO.rows()), dx = static_cast<int>(c.Z.cols()), m = dy * dx;

  // D_a = A_j E_rs N_{j-1}, and the unit directions as per-layer matrices.
  std::vector<Mat<T>> Da(n);
  std::vector<std::vector<Mat<T>>> unit(n, std::vector<Mat<T>>(D));
  for (int j = 0; j < D; ++j) {
    const Mat<T> a = c.A(j + 1), nprev = c.N(j);
    const int rows = layout[j].rows, cols = layout[j].cols;
    for (int r = 0; r < rows; ++r)
      for (int s = 0; s < cols; ++s) {
        const int k = layout.at(j, r, s);
        Da[k] = a.col(r) * nprev.row(s);
        unit[k][j] = Mat<T>::Zero(rows, cols);
        unit[k][j](r, s) = T(1);
      }
  }
  Mat<T> Dm(m, n);
  for (int k = 0; k < n; ++k) Dm.col(k) = vec_of(Da[k]);

  // S = Dm^T Y Dm with (G K) Y + Y (G K)^T = G_eps.
  const Mat<T> G = kron<T>(sigma_x, Mat<T>::Identity(dy, dy)), Geps = kron<T>(sigma_x, sigma_eps);
  const Mat<T> GK = G * Dm * Dm.transpose();
  const Mat<T> sylvester = kron<T>(Mat<T>::Identity(m, m), GK) + kron<T>(GK, Mat<T>::Identity(m, m));
  // With Sigma_x > 0 checked, a singular Sylvester operator means K = Dm Dm^T is singular.
  const LinearSolution<T> sylvester_solution = solve_linear<T>(sylvester, Mat<T>(vec_of(Geps)));
  if (sylvester_solution.rank < m * m) {
    out.failure = "the output map d theta -> dP is not onto (the Lyapunov equation is singular)";
    return out;
  }
  const Mat<T>& y = sylvester_solution.x;
  Mat<T> Y(m, m);
  for (int j = 0; j < m; ++j)
    for (int i = 0; i < m; ++i) Y(i, j) = y(j * m + i, 0);
  const Mat<T> S = Dm.transpose() * Y * Dm;
  const Mat<T> H = Dm.transpose() * G * Dm, Sigma = Dm.transpose() * Geps * Dm;
  out.lyapunov_residual = (H * S + S * H - Sigma).cwiseAbs().maxCoeff();
  out.fluctuation = S;
  out.hessian = H;
  out.noise_covariance = Sigma;

  // T_a = sum_b S_ab D_b, then F(w) = -sum_a <d_w D_a, T_a>.
  std::vector<Mat<T>> Ta(n, Mat<T>::Zero(dy, dx));
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      if (S(a, b) != T(0)) Ta[a] += S(a, b) * Da[b];

  struct Direction {
    int layer, a, b;
    std::vector<Mat<T>> d;  // per-layer components
  };
  std::vector<Direction> dirs;
  for (int i = 1; i < D; ++i) {
    const int h = layout[i - 1].rows;
    out.force.push_back(Mat<T>::Zero(h, h));
    for (int a = 0; a < h; ++a)
      for (int b = 0; b < h; ++b) {
        Mat<T> X = Mat<T>::Zero(h, h);
        X(a, b) = T(1);
        Direction dir{i, a, b, std::vector<Mat<T>>(D)};
        dir.d[i - 1] = X * c.W(i - 1);
        dir.d[i] = -c.W(i) * X;
        T f(0);
        for (int k = 0; k < n; ++k) f -= (mixed_second_derivative(c, dir.d, unit[k]) * sigma_x * Ta[k].transpose()).trace();
        out.force.back()(a, b) = f;
        dirs.push_back(std::move(dir));
      }
  }

  // Velocity: Gram(w) c = F in the Euclidean metric of theta.
  const int g = static_cast<int>(dirs.size());
  Mat<T> gram(g, g), rhs(g, 1);
  auto dot = [&](const Direction& p, const Direction& q) {
    T s(0);
    for (int j = 0; j < D; ++j)
      if (p.d[j].size() && q.d[j].size()) s += p.d[j].cwiseProduct(q.d[j]).sum();
    return s;
  };
  for (int k = 0; k < g; ++k) {
    rhs(k, 0) = out.force[dirs[k].layer - 1](dirs[k].a, dirs[k].b);
    for (int l = 0; l < g; ++l) gram(k, l) = dot(dirs[k], dirs[l]);
  }
  out.tangent_dimension = n - m;  // dim ker(d theta -> dP): the output map is onto (checked above)
  const LinearSolution<T> velocity = solve_linear<T>(gram, rhs);
  out.orbit_rank = velocity.rank;
  if (velocity.rank != out.tangent_dimension || !velocity.consistent) {
    out.failure = "the orbit directions do not span the tangent space (rank " + std::to_string(velocity.rank) +
                  " of " + std::to_string(g) + " generators, tangent dimension " + std::to_string(out.tangent_dimension) + ")";
    return out;
  }
  for (int i = 1; i < D; ++i) out.generator.push_back(Mat<T>::Zero(layout[i - 1].rows, layout[i - 1].rows));
  for (int k = 0; k < g; ++k) out.generator[dirs[k].layer - 1](dirs[k].a, dirs[k].b) = velocity.x(k, 0);
  for (int i = 1; i < D; ++i) {
    const Mat<T> N = c.N(i), X = out.generator[i - 1];
    const Mat<T> K = N.transpose() * N, dK = N.transpose() * (X + X.transpose()) * N;
    out.kernel_velocity.push_back(dK);
    out.normalized_kernel_velocity.push_back(normalized_velocity<T>(K, dK));
  }
  return out;
}

// The force of hidden layer i from the orbit's action on theta (header: F(X) = tr(Lambda_X S H)),
// independent of the second derivatives of P used by limiting_drift, and the derivative of phi_1 along
// the same generators, d phi_1(E_ab) = -1/2 tr(Lambda_{E_ab} Sigma) (which is 1/2 (R_i)_ab).
template <class T>
struct ActionForces {
  Mat<T> force, phi1_derivative;
};

template <class T>
ActionForces<T> orbit_force_from_action(const LinearChain<T>& c, const LimitingDrift<T>& d, int i) {
  using namespace limiting_drift_detail;
  const Layout& layout = c.layout;
  const int n = layout.size(), h = layout[i - 1].rows;
  const Mat<T> SH = d.fluctuation * d.hessian;
  ActionForces<T> out{Mat<T>::Zero(h, h), Mat<T>::Zero(h, h)};
  for (int a = 0; a < h; ++a)
    for (int b = 0; b < h; ++b) {
      // Lambda_X for X = E_ab: theta -> (..., X W_i, -W_{i+1} X, ...), column k the image of e_k.
      Mat<T> Lambda = Mat<T>::Zero(n, n);
      for (int j : {i - 1, i}) {
        const int rows = layout[j].rows, cols = layout[j].cols;
        for (int r = 0; r < rows; ++r)
          for (int s = 0; s < cols; ++s) {
            Mat<T> E = Mat<T>::Zero(rows, cols), image;
            E(r, s) = T(1);
            if (j == i - 1) {
              image = Mat<T>::Zero(h, cols);
              image.row(a) = E.row(b);  // E_ab E
            } else {
              image = Mat<T>::Zero(rows, h);
              image.col(b) = -E.col(a);  // -E E_ab
            }
            for (int rr = 0; rr < image.rows(); ++rr)
              for (int ss = 0; ss < image.cols(); ++ss)
                Lambda(layout.at(j, rr, ss), layout.at(j, r, s)) += image(rr, ss);
          }
      }
      out.force(a, b) = (Lambda * SH).trace();
      out.phi1_derivative(a, b) = -(Lambda * d.noise_covariance).trace() / T(2);
    }
  return out;
}

// Follows the limiting drift by Cayley steps in the orbit coordinates, W_i <- G_i W_i and
// W_{i+1} <- W_{i+1} G_i^{-1} with G_i = (I - tau Xi_i / 2)^{-1} (I + tau Xi_i / 2): the product is kept,
// a skew Xi_i gives an exact rotation (an explicit Euler step would inflate a rotation by
// (tau omega)^2 / 2 per step, which here is as large as the drift of the scale), and the fixed points
// are those of the flow. It runs until every kernel velocity is at
// most `tol` relative to its kernel, ||d/dt K_i||_F <= tol tr K_i (the normalized kernels and their
// scales have settled). tau is capped so that ||tau Xi_i|| <= 1/8. The hidden space may keep rotating
// (the drift is not a gradient); the kernels do not. Returns the number of steps, or -1 when it did not
// settle in `max_steps`. Floating point only: the steps take norms.
template <class T>
long follow_limiting_drift(LinearChain<T>& c, const Mat<T>& sigma_x, const Mat<T>& sigma_eps, T tau, T tol,
                           long max_steps) {
  static_assert(std::is_floating_point_v<T>, "follow_limiting_drift: a floating scalar (it takes norms)");
  for (long step = 0; step < max_steps; ++step) {
    const LimitingDrift<T> d = limiting_drift(c, sigma_x, sigma_eps);
    if (!d.failure.empty()) return -1;
    T worst(0), size(0);
    for (int i = 1; i < c.depth(); ++i)
      worst = std::max<T>(worst, d.kernel_velocity[i - 1].norm() / c.kernel(i).trace());
    if (worst <= tol) return step;
    for (const auto& x : d.generator) size = std::max<T>(size, x.norm());
    const T t = std::min<T>(tau, T(1) / (T(8) * size));
    for (int i = 1; i < c.depth(); ++i) {
      const int h = c.layout[i - 1].rows;
      const Mat<T> I = Mat<T>::Identity(h, h), half = t / T(2) * d.generator[i - 1];
      const Mat<T> plus = I + half, minus = I - half;
      c.W(i - 1) = linear_solve(minus, Mat<T>(plus * c.W(i - 1)));
      c.W(i) = Mat<T>(c.W(i) * minus) * matrix_inverse(plus);
    }
  }
  return -1;
}

}  // namespace entropic
