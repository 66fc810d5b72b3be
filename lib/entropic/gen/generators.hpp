// RapidCheck generators of exact instances.
//
// RapidCheck's own floating generators never produce small magnitudes and shrink poorly; these
// generate exact rationals and dyadics that shrink toward 0 and toward simple fractions (small
// numerator, denominator 1), dimensions that shrink toward 1, and whole instances (matrices,
// models, data sets, batch schedules) built from them, so a counterexample shrinks to a small,
// readable one. Every value prints exactly (exact_text.hpp).
#pragma once

#include <rapidcheck.h>

#include <string>
#include <vector>

#include "entropic/model/make_model.hpp"
#include "entropic/optim/schedule.hpp"

namespace entropic::gen {

// sign * p / q with 0 <= p <= max_numerator, 1 <= q <= max_denominator; shrinks to 0, then to
// small p and q = 1.
rc::Gen<Rational> rational(int max_numerator = 9, int max_denominator = 9);
// Nonzero: sign * p / q with p >= 1.
rc::Gen<Rational> nonzero_rational(int max_numerator = 9, int max_denominator = 9);
// Strictly positive p / q.
rc::Gen<Rational> positive_rational(int max_numerator = 9, int max_denominator = 9);
// sign * p / 2^k, 0 <= k <= max_exponent.
rc::Gen<Rational> dyadic(int max_numerator = 16, int max_exponent = 4);
// A learning rate or weight decay: p / q in (0, max] with small denominators.
rc::Gen<Rational> step_size(Rational max = Rational(1, 2));

// The RapidCheck size from which in_range draws from its whole range.
constexpr int kFullRangeSize = 10;

// An integer in [lo, hi), shrinking toward lo. rc::gen::inRange scales its range with the size
// (it uses the first (hi - lo - 1) * size / 100 values, rounded), so a two-valued choice never
// leaves lo below size 50 and most of a run sees the bottom of every range; in_range draws from the
// first ceil((hi - lo - 1) * size / kFullRangeSize) + 1 values: only lo at size 0, at least two
// values from size 1, the whole range from size kFullRangeSize on.
rc::Gen<int> in_range(int lo, int hi);
// Integer in [lo, hi], shrinking toward lo.
rc::Gen<int> dimension(int lo, int hi);

rc::Gen<Mat<Rational>> matrix(int rows, int cols, rc::Gen<Rational> entries = rational());
rc::Gen<Vec<Rational>> vector(int size, rc::Gen<Rational> entries = rational());
// A rational orthogonal matrix by the Cayley transform R = (I - K)(I + K)^{-1}, K skew.
rc::Gen<Mat<Rational>> cayley_rotation(int n);
// A permutation of 0..n-1 (shrinks toward the identity).
rc::Gen<std::vector<int>> permutation(int n);

// n samples of a data set for the model's input and output dimensions (softmax: class indices).
rc::Gen<DataSet<Rational>> dataset(const ModelSpec& spec, int n);
// A parameter vector for the model.
rc::Gen<Vec<Rational>> parameters(const ModelSpec& spec, rc::Gen<Rational> entries = rational());
// `steps` batches of size s from n samples (indices may repeat across batches, not within one).
rc::Gen<std::vector<Batch>> batch_schedule(int n, int s, int steps);

// Exact text of matrices and vectors: [[1/2, 0], [1, -1/3]].
std::string show(const Mat<Rational>& m);
std::string show(const Vec<Rational>& v);
std::string show(const std::vector<Batch>& batches);
std::string show_parameters(const Layout& layout, const Vec<Rational>& theta);

}  // namespace entropic::gen
