// One SGD step of an MLP, exact and certified, at widths 8, 32 and 128 (docs/benchmarks.md, "SGD
// steps"): theta <- theta - lr (grad L_B(theta) + lambda theta) on a batch of 4 samples, from the same
// theta every iteration, so that the time is that of one step at the entries' starting size.
//
//   BM_SgdStep_Rational/W    ReLU MLP [W, W, W, 1] with biases, exact (Rational)
//   BM_SgdStep_Interval/W    tanh MLP [W, W, W, 1] with biases, certified (Interval, 256 bits)
//   BM_SgdStep_Double/W      the ReLU step in double, for scale
//
// The per-sample forward and backward passes are matrix-vector products (FLINT and Arb above
// Eigen's small-size threshold, numeric/matrix_kernels.hpp); a step's time grows like the parameter
// count, 2 W^2 + 4 W + 1.
#include <benchmark/benchmark.h>

#include "entropic/model/make_model.hpp"
#include "entropic/numeric/kind.hpp"

namespace {

using entropic::Rational;

entropic::ModelSpec mlp(int w, entropic::ActivationKind activation) {
  entropic::ModelSpec spec;
  spec.kind = entropic::ModelKind::mlp;
  spec.widths = {w, w, w, 1};
  spec.bias = true;
  spec.activation.kind = activation;
  return spec;
}

// Small fractions, the same for every arithmetic.
entropic::Vec<Rational> parameters(int p, int w) {
  entropic::Vec<Rational> theta(p);
  for (int k = 0; k < p; ++k) theta[k] = Rational((k % 2 ? -1 : 1) * (1 + k % 7), 3 + k % 4) / w;
  return theta;
}
entropic::DataSet<Rational> batch(int w) {
  entropic::Mat<Rational> X(4, w), Y(4, 1);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < w; ++j) X(i, j) = Rational(((3 * i + j) % 7) - 3, 2);
    Y(i, 0) = Rational(i - 1, 4);
  }
  return {X, Y};
}

template <class T>
void sgd_step(benchmark::State& state, entropic::ActivationKind activation) {
  const int w = static_cast<int>(state.range(0));
  const entropic::PrecisionScope precision(256);
  const auto model = entropic::make_model<T>(mlp(w, activation));
  const int p = model->parameter_count();
  const entropic::Vec<T> theta = entropic::from_rational<T>(parameters(p, w));
  const entropic::DataSet<T> data = entropic::from_rational<T>(batch(w));
  const T lr = entropic::from_rational<T>(Rational(1, 10)), decay = entropic::from_rational<T>(Rational(1, 100));
  entropic::Vec<T> next;
  for (auto _ : state) {
    next = theta - lr * (model->gradient(theta, data) + decay * theta);
    benchmark::DoNotOptimize(next.data());
  }
  state.counters["parameters"] = p;
}

void BM_SgdStep_Rational(benchmark::State& state) { sgd_step<Rational>(state, entropic::ActivationKind::relu); }
void BM_SgdStep_Interval(benchmark::State& state) {
  sgd_step<entropic::Interval>(state, entropic::ActivationKind::tanh);
}
void BM_SgdStep_Double(benchmark::State& state) { sgd_step<double>(state, entropic::ActivationKind::relu); }

BENCHMARK(BM_SgdStep_Rational)->Arg(8)->Arg(32)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SgdStep_Interval)->Arg(8)->Arg(32)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SgdStep_Double)->Arg(8)->Arg(32)->Arg(128)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
