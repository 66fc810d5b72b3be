// Activations and their derivatives, over any scalar.
//
// Kinks follow PyTorch's autograd: relu'(0) = 0 (threshold_backward), leaky_relu'(0) = slope
// (leaky_relu_backward takes the negative branch at 0). odd_cubic is z - z^3/3, the polynomial odd
// activation of catalog T4 (sign-flip symmetry, exact in Rational).
#pragma once

#include "entropic/model/spec.hpp"

namespace entropic {

template <class S>
S activate(const Activation& a, const S& z) {
  switch (a.kind) {
    case ActivationKind::linear: return z;
    case ActivationKind::relu: return elem::branch_sign(z) > 0 ? z : S(0);
    case ActivationKind::leaky_relu:
      return elem::branch_sign(z) > 0 ? z : S(from_rational<S>(a.slope) * z);
    case ActivationKind::tanh: return elem::tanh(z);
    case ActivationKind::odd_cubic: return S(z - z * z * z / S(3));
  }
  return z;
}

template <class S>
S activation_derivative(const Activation& a, const S& z) {
  switch (a.kind) {
    case ActivationKind::linear: return S(1);
    case ActivationKind::relu: return elem::branch_sign(z) > 0 ? S(1) : S(0);
    case ActivationKind::leaky_relu:
      return elem::branch_sign(z) > 0 ? S(1) : from_rational<S>(a.slope);
    case ActivationKind::tanh: {
      const S t = elem::tanh(z);
      return S(S(1) - t * t);
    }
    case ActivationKind::odd_cubic: return S(S(1) - z * z);
  }
  return S(1);
}

}  // namespace entropic
