// A certified matrix exponential: exp(A) for an interval matrix A, every entry an enclosure of the
// corresponding entry of exp(M) for every point matrix M in A.
//
// Computed by Arb's arb_mat_exp (scaling and squaring of a Taylor polynomial with a rigorous bound on
// the truncated tail; Arb's documentation, arb_mat.h "Special functions"), at the working precision
// (PrecisionScope).
#pragma once

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

// Throws std::invalid_argument when A is not square, or when an entry of A or of exp(A) is not
// finite.
Mat<Interval> certified_exp(const Mat<Interval>& A);

}  // namespace entropic
