// The exact and certified matrix kernels, entropic against the libraries made for them, on the same
// matrices in one run (docs/benchmarks.md, "Matrix kernels against Arb and FLINT"):
//
//   BM_Product_Interval/N    Mat<Interval> (Arb balls) A * B at 256 bits, Eigen's product handing the
//                            work to Arb (numeric/matrix_kernels.hpp)        peer BM_Product_Arb/N:
//                            arb_mat_mul at 256 bits, the same entries as exact balls
//   BM_Product_Rational/N    Mat<Rational> (FLINT fmpq) A * B, handed to FLINT  peer BM_Product_Fmpq/N:
//                            fmpq_mat_mul
//   BM_Solve_Interval/N      certified_solve(A, b) at 256 bits               peer BM_Solve_Arb/N:
//                            arb_mat_solve
//   BM_Solve_Rational/N      exact_solve(A, b)                               peer BM_Solve_Fmpq/N:
//                            fmpq_mat_solve
//   BM_ProductLoop_*/N, BM_SolveEigenLU_Mpq/N
//                            Eigen's own scalar loops (lazyProduct, partialPivLu): what the product
//                            and the solve cost before the kernels, for the record; *_Mpq on Boost's
//                            GMP rational (Rational's scalar before fmpq), *_Rational on the fmpq
//                            scalar itself
//   BM_Product_Double/N      Eigen's double product, for scale
//
// The matrices are A(i, j) = (((7 i + 3 j) mod 11) - 5) / (1 + (i + j) mod 7) + [i == j] N (so
// that A is far from singular) and B(i, j) = A(j, i) - 1/2, b(i) = 1 - i mod 3: small fractions with
// a few different denominators, as the catalog's generated instances have. scripts/bench --kernels
// runs this program and prints each entropic kernel as a ratio to its peer.
#include <benchmark/benchmark.h>

#include <arb_mat.h>
#include <flint/fmpq_mat.h>

#include <Eigen/LU>

#include "entropic/numeric/eigen_traits.hpp"
#include "entropic/numeric/kind.hpp"
#include "entropic/numeric/linear_solve.hpp"
#include "entropic/numeric/scalar.hpp"

// Boost's GMP rational, for the "before" rows: the NumTraits of Rational (eigen_traits.hpp).
using Mpq = boost::multiprecision::number<boost::multiprecision::gmp_rational, boost::multiprecision::et_off>;
namespace Eigen {
template <>
struct NumTraits<Mpq> : GenericNumTraits<Mpq> {
  using Real = Mpq;
  using NonInteger = Mpq;
  using Literal = Mpq;
  using Nested = Mpq;
  enum { IsInteger = 0, IsSigned = 1, IsComplex = 0, RequireInitialization = 1,
         ReadCost = 8, AddCost = 64, MulCost = 64 };
  static inline Real epsilon() { return Real(0); }
  static inline Real dummy_precision() { return Real(0); }
  static inline int digits10() { return 0; }
  static inline int digits() { return 0; }
};
}  // namespace Eigen

namespace {

using entropic::Interval;
using entropic::Mat;
using entropic::Rational;

constexpr unsigned kBits = 256;

Rational a_entry(int i, int j, int n) {
  Rational q(((7 * i + 3 * j) % 11) - 5, 1 + (i + j) % 7);
  if (i == j) q += n;
  return q;
}
Rational b_entry(int i, int j, int n) { return a_entry(j, i, n) - Rational(1, 2); }
Rational rhs_entry(int i) { return Rational(1 - i % 3); }

template <class Entry>
Mat<Rational> rational_matrix(int rows, int cols, Entry&& entry) {
  Mat<Rational> m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = entry(i, j);
  return m;
}

struct Operands {
  Mat<Rational> a, b, rhs;
  explicit Operands(int n)
      : a(rational_matrix(n, n, [n](int i, int j) { return a_entry(i, j, n); })),
        b(rational_matrix(n, n, [n](int i, int j) { return b_entry(i, j, n); })),
        rhs(rational_matrix(n, 1, [](int i, int) { return rhs_entry(i); })) {}
};

void set_fmpq(fmpq_t out, const Rational& q) { fmpq_set(out, q.backend().data()); }

// FLINT and Arb matrices holding the same entries (exact balls for Arb: radius 0).
struct FmpqMatrix {
  fmpq_mat_t m;
  explicit FmpqMatrix(const Mat<Rational>& from) {
    fmpq_mat_init(m, from.rows(), from.cols());
    for (Eigen::Index i = 0; i < from.rows(); ++i)
      for (Eigen::Index j = 0; j < from.cols(); ++j) set_fmpq(fmpq_mat_entry(m, i, j), from(i, j));
  }
  FmpqMatrix(slong rows, slong cols) { fmpq_mat_init(m, rows, cols); }
  ~FmpqMatrix() { fmpq_mat_clear(m); }
  FmpqMatrix(const FmpqMatrix&) = delete;
  FmpqMatrix& operator=(const FmpqMatrix&) = delete;
};

struct ArbMatrix {
  arb_mat_t m;
  ArbMatrix(const Mat<Rational>& from, slong prec) {
    arb_mat_init(m, from.rows(), from.cols());
    fmpq_t q;
    fmpq_init(q);
    for (Eigen::Index i = 0; i < from.rows(); ++i)
      for (Eigen::Index j = 0; j < from.cols(); ++j) {
        set_fmpq(q, from(i, j));
        arb_set_fmpq(arb_mat_entry(m, i, j), q, prec);
      }
    fmpq_clear(q);
  }
  ArbMatrix(slong rows, slong cols) { arb_mat_init(m, rows, cols); }
  ~ArbMatrix() { arb_mat_clear(m); }
  ArbMatrix(const ArbMatrix&) = delete;
  ArbMatrix& operator=(const ArbMatrix&) = delete;
};

// The entries in T as the library converts them (numeric/kind.hpp: an enclosure for Interval).
template <class T>
Mat<T> converted(const Mat<Rational>& m) {
  return m.unaryExpr([](const Rational& q) { return entropic::ScalarKind<T>::from_rational(q); });
}

void BM_Product_Interval(benchmark::State& state) {
  const entropic::PrecisionScope precision(kBits);
  const Operands op(static_cast<int>(state.range(0)));
  const Mat<Interval> a = converted<Interval>(op.a), b = converted<Interval>(op.b);
  Mat<Interval> c;
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
}

void BM_ProductLoop_Interval(benchmark::State& state) {
  const entropic::PrecisionScope precision(kBits);
  const Operands op(static_cast<int>(state.range(0)));
  const Mat<Interval> a = converted<Interval>(op.a), b = converted<Interval>(op.b);
  Mat<Interval> c;
  for (auto _ : state) {
    c.noalias() = a.lazyProduct(b);
    benchmark::DoNotOptimize(c.data());
  }
}

void BM_Product_Arb(benchmark::State& state) {
  const slong n = state.range(0);
  const Operands op(static_cast<int>(n));
  const ArbMatrix a(op.a, kBits), b(op.b, kBits);
  ArbMatrix c(n, n);
  for (auto _ : state) {
    arb_mat_mul(c.m, a.m, b.m, kBits);
    benchmark::DoNotOptimize(c.m);
  }
}

void BM_Product_Rational(benchmark::State& state) {
  const Operands op(static_cast<int>(state.range(0)));
  Mat<Rational> c;
  for (auto _ : state) {
    c.noalias() = op.a * op.b;
    benchmark::DoNotOptimize(c.data());
  }
}

void BM_ProductLoop_Rational(benchmark::State& state) {
  const Operands op(static_cast<int>(state.range(0)));
  Mat<Rational> c;
  for (auto _ : state) {
    c.noalias() = op.a.lazyProduct(op.b);
    benchmark::DoNotOptimize(c.data());
  }
}

Mat<Mpq> as_mpq(const Mat<Rational>& m) {
  return m.unaryExpr([](const Rational& q) {
    Mpq r;
    fmpq_get_mpq(r.backend().data(), q.backend().data());
    return r;
  });
}

void BM_ProductLoop_Mpq(benchmark::State& state) {
  const Operands op(static_cast<int>(state.range(0)));
  const Mat<Mpq> a = as_mpq(op.a), b = as_mpq(op.b);
  Mat<Mpq> c;
  for (auto _ : state) {
    c.noalias() = a.lazyProduct(b);
    benchmark::DoNotOptimize(c.data());
  }
}

void BM_Product_Fmpq(benchmark::State& state) {
  const slong n = state.range(0);
  const Operands op(static_cast<int>(n));
  const FmpqMatrix a(op.a), b(op.b);
  FmpqMatrix c(n, n);
  for (auto _ : state) {
    fmpq_mat_mul(c.m, a.m, b.m);
    benchmark::DoNotOptimize(c.m);
  }
}

void BM_Product_Double(benchmark::State& state) {
  const Operands op(static_cast<int>(state.range(0)));
  const Mat<double> a = converted<double>(op.a), b = converted<double>(op.b);
  Mat<double> c;
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
}

void BM_Solve_Arb(benchmark::State& state) {
  const slong n = state.range(0);
  const Operands op(static_cast<int>(n));
  const ArbMatrix a(op.a, kBits), rhs(op.rhs, kBits);
  ArbMatrix x(n, 1);
  for (auto _ : state) {
    if (!arb_mat_solve(x.m, a.m, rhs.m, kBits)) state.SkipWithError("arb_mat_solve: not certified invertible");
    benchmark::DoNotOptimize(x.m);
  }
}

void BM_Solve_Interval(benchmark::State& state) {
  const entropic::PrecisionScope precision(kBits);
  const Operands op(static_cast<int>(state.range(0)));
  const Mat<Interval> a = converted<Interval>(op.a), rhs = converted<Interval>(op.rhs);
  Mat<Interval> x;
  for (auto _ : state) {
    x = entropic::certified_solve(a, rhs);
    benchmark::DoNotOptimize(x.data());
  }
}

void BM_Solve_Rational(benchmark::State& state) {
  const Operands op(static_cast<int>(state.range(0)));
  Mat<Rational> x;
  for (auto _ : state) {
    x = entropic::exact_solve(op.a, op.rhs);
    benchmark::DoNotOptimize(x.data());
  }
}

void BM_SolveEigenLU_Mpq(benchmark::State& state) {
  const Operands op(static_cast<int>(state.range(0)));
  const Mat<Mpq> a = as_mpq(op.a), rhs = as_mpq(op.rhs);
  Mat<Mpq> x;
  for (auto _ : state) {
    x = a.partialPivLu().solve(rhs);
    benchmark::DoNotOptimize(x.data());
  }
}

void BM_Solve_Fmpq(benchmark::State& state) {
  const slong n = state.range(0);
  const Operands op(static_cast<int>(n));
  const FmpqMatrix a(op.a), rhs(op.rhs);
  FmpqMatrix x(n, 1);
  for (auto _ : state) {
    if (!fmpq_mat_solve(x.m, a.m, rhs.m)) state.SkipWithError("fmpq_mat_solve: singular");
    benchmark::DoNotOptimize(x.m);
  }
}

#define ENTROPIC_KERNEL(name) BENCHMARK(name)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond)
ENTROPIC_KERNEL(BM_Product_Interval);
ENTROPIC_KERNEL(BM_Product_Arb);
ENTROPIC_KERNEL(BM_Product_Rational);
ENTROPIC_KERNEL(BM_Product_Fmpq);
ENTROPIC_KERNEL(BM_Solve_Interval);
ENTROPIC_KERNEL(BM_Solve_Arb);
ENTROPIC_KERNEL(BM_Solve_Rational);
ENTROPIC_KERNEL(BM_Solve_Fmpq);
ENTROPIC_KERNEL(BM_ProductLoop_Interval);
ENTROPIC_KERNEL(BM_ProductLoop_Rational);
ENTROPIC_KERNEL(BM_ProductLoop_Mpq);
ENTROPIC_KERNEL(BM_SolveEigenLU_Mpq);
ENTROPIC_KERNEL(BM_Product_Double);

}  // namespace

BENCHMARK_MAIN();
