// A certified matrix exponential: exp(A) for an interval matrix A, every entry an enclosure of the
// corresponding entry of exp(M) for every point matrix M in A.
//
// Method (truncated Taylor series with a rigorous remainder; cf. Moler & Van Loan, "Nineteen dubious
// ways to compute the exponential of a matrix", 2003, method 1). With a >= ||A||_inf, each entry of
// A^m is at most ||A^m||_inf <= a^m in modulus, so each entry of the tail sum_{m >= N} A^m / m! is at
// most
//     sum_{m >= N} a^m / m! <= (a^N / N!) / (1 - a/(N + 1)) <= 2 a^N / N!   once N + 1 >= 2a.
// The series stops at the first such N with 2 a^N / N! below the working epsilon, and
// [-2 a^N / N!, 2 a^N / N!] is added to every entry of sum_{m < N} A^m / m!. There is no scaling and
// squaring: the number of terms grows like e a, and ||A||_inf is limited to kCertifiedExpMaxNorm.
// Runs at the working precision (PrecisionScope).
#pragma once

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

// The largest ||A||_inf certified_exp accepts.
inline constexpr int kCertifiedExpMaxNorm = 1024;

// Throws std::invalid_argument when A is not square, or when ||A||_inf (from the upper ends of the
// entries' moduli) exceeds kCertifiedExpMaxNorm or is not finite.
Mat<Interval> certified_exp(const Mat<Interval>& A);

}  // namespace entropic
