// Certified spectral facts of symmetric interval matrices, on Arb:
//
//   certified_positive_definite(A)       true when Arb's Cholesky factorisation (arb_mat_cho) of
//                                        the symmetric matrix of A's lower triangle succeeds: then
//                                        every point symmetric matrix in the enclosure is positive
//                                        definite. false means "not proved", not "indefinite".
//   certified_symmetric_eigenvalues(A)   enclosures of the eigenvalues of every point symmetric
//                                        matrix in A, in increasing order, when they are simple:
//                                        acb_mat_approx_eig_qr for approximations, then
//                                        acb_mat_eig_simple (Rump's and van der Hoeven-Mourrain's
//                                        inclusion tests) for disjoint enclosures. The eigenvalues
//                                        of a symmetric matrix are real, so each enclosure is the
//                                        real part of Arb's complex ball. Throws
//                                        interval_error when the eigenvalues cannot be
//                                        separated at the working precision (a multiple
//                                        eigenvalue, or too wide an input).
//
// Both run at the working precision (PrecisionScope) and throw std::invalid_argument for a matrix
// that is not square or not symmetric (A(i, j) and A(j, i) disjoint).
#pragma once

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

bool certified_positive_definite(const Mat<Interval>& A);
Vec<Interval> certified_symmetric_eigenvalues(const Mat<Interval>& A);

}  // namespace entropic
