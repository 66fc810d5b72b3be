// Linear solves and inverses in the scalar's own terms: exact on FLINT for Rational, certified on
// Arb for Interval (numeric/matrix_kernels.hpp says what each guarantees), and Eigen's partial-pivot
// LU for the floating kinds, whose result is a floating approximation.
//
//   linear_solve(A, B)   X with A X = B, A square
//   matrix_inverse(A)    A^-1
//
// Generic code (theory/, metrics/) calls these instead of A.partialPivLu(), so that its Rational
// and Interval instances run on the libraries.
#pragma once

#include <Eigen/LU>

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

Mat<Rational> exact_solve(const Mat<Rational>& A, const Mat<Rational>& B);
Mat<Rational> exact_inverse(const Mat<Rational>& A);
Mat<Interval> certified_solve(const Mat<Interval>& A, const Mat<Interval>& B);
Mat<Interval> certified_inverse(const Mat<Interval>& A);

template <class T>
Mat<T> linear_solve(const Mat<T>& A, const typename Mat<T>::PlainObject& B) {
  if constexpr (std::is_same_v<T, Rational>) return exact_solve(A, B);
  else if constexpr (std::is_same_v<T, Interval>) return certified_solve(A, B);
  else return A.partialPivLu().solve(B);
}

template <class T>
Mat<T> matrix_inverse(const Mat<T>& A) {
  if constexpr (std::is_same_v<T, Rational>) return exact_inverse(A);
  else if constexpr (std::is_same_v<T, Interval>) return certified_inverse(A);
  else return A.partialPivLu().inverse();
}

}  // namespace entropic
