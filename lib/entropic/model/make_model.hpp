// make_model<S>(spec): the model of a spec over the scalar S.
#pragma once

#include "entropic/model/centered_linear.hpp"
#include "entropic/model/deep_linear.hpp"
#include "entropic/model/mlp.hpp"
#include "entropic/model/polynomial_loss.hpp"
#include "entropic/model/scale_invariant.hpp"
#include "entropic/model/softmax_regression.hpp"

namespace entropic {

template <class S>
std::unique_ptr<Model<S>> make_model(const ModelSpec& spec) {
  switch (spec.kind) {
    case ModelKind::deep_linear: return std::make_unique<DeepLinear<S>>(spec);
    case ModelKind::mlp: return std::make_unique<Mlp<S>>(spec);
    case ModelKind::softmax: return std::make_unique<SoftmaxRegression<S>>(spec);
    case ModelKind::normalized_linear: return std::make_unique<NormalizedLinear<S>>(spec);
    case ModelKind::cosine_square: return std::make_unique<CosineSquare<S>>(spec);
    case ModelKind::centered_linear: return std::make_unique<CenteredLinear<S>>(spec);
    case ModelKind::polynomial: return std::make_unique<PolynomialLoss<S>>(spec);
  }
  throw std::invalid_argument("unknown model kind");
}

}  // namespace entropic
