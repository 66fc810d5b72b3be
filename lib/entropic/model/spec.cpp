#include "entropic/model/spec.hpp"

#include <stdexcept>

namespace entropic {

std::string Activation::name() const {
  switch (kind) {
    case ActivationKind::linear: return "linear";
    case ActivationKind::relu: return "relu";
    case ActivationKind::leaky_relu: return "leaky_relu:" + to_text(slope);
    case ActivationKind::tanh: return "tanh";
    case ActivationKind::odd_cubic: return "odd_cubic";
  }
  return "?";
}

std::string ModelSpec::kind_name() const {
  switch (kind) {
    case ModelKind::deep_linear: return "deep_linear";
    case ModelKind::mlp: return "mlp";
    case ModelKind::softmax: return "softmax";
    case ModelKind::normalized_linear: return "normalized_linear";
    case ModelKind::cosine_square: return "cosine_square";
    case ModelKind::centered_linear: return "centered_linear";
    case ModelKind::polynomial: return "polynomial";
  }
  return "?";
}

int ModelSpec::input_dim() const {
  if (kind == ModelKind::polynomial) return 1;
  if (kind == ModelKind::deep_linear && embed_in) return static_cast<int>(embed_in->cols());
  return widths.at(0);
}

int ModelSpec::output_dim() const {
  if (kind == ModelKind::softmax || kind == ModelKind::polynomial) return 1;
  if (kind == ModelKind::deep_linear && embed_out) return static_cast<int>(embed_out->rows());
  return widths.back();
}

std::vector<NonzeroBlock> ModelSpec::nonzero_blocks() const {
  switch (kind) {
    case ModelKind::normalized_linear: return {{"W1", "f = W1 x / ||W1||_F divides by ||W1||"}};
    case ModelKind::cosine_square: return {{"W1", "f = (x^T w)^2 / ||w||^2 divides by ||W1||^2"}};
    case ModelKind::deep_linear:
    case ModelKind::mlp:
    case ModelKind::softmax:
    case ModelKind::centered_linear:
    case ModelKind::polynomial: return {};
  }
  return {};
}

void ModelSpec::validate() const {
  const std::string k = kind_name();
  if (widths.size() < 2)
    throw std::invalid_argument("model.widths: " + k + " needs at least two widths");
  for (size_t i = 0; i < widths.size(); ++i)
    if (widths[i] <= 0)
      throw std::invalid_argument("model.widths[" + std::to_string(i) + "] must be positive");
  auto need_depth_one = [&] {
    if (widths.size() != 2)
      throw std::invalid_argument("model.widths: " + k + " has one layer, give [d_in, d_out]");
  };
  switch (kind) {
    case ModelKind::deep_linear:
      if (embed_in && embed_in->rows() != widths.front())
        throw std::invalid_argument("model.embed_in must have widths[0] rows");
      if (embed_out && embed_out->cols() != widths.back())
        throw std::invalid_argument("model.embed_out must have widths[-1] columns");
      break;
    case ModelKind::mlp:
      if (activation.kind == ActivationKind::leaky_relu && activation.slope < 0)
        throw std::invalid_argument("model.activation: leaky_relu slope must be >= 0");
      break;
    case ModelKind::softmax:
      need_depth_one();
      if (widths[1] < 2) throw std::invalid_argument("model.widths: softmax needs >= 2 classes");
      break;
    case ModelKind::normalized_linear: need_depth_one(); break;
    case ModelKind::cosine_square:
    case ModelKind::centered_linear:
      need_depth_one();
      if (widths[1] != 1)
        throw std::invalid_argument("model.widths: " + k + " has scalar output, give [d, 1]");
      break;
    case ModelKind::polynomial:
      need_depth_one();
      if (polynomial.empty()) throw std::invalid_argument("model.terms: a polynomial needs terms");
      for (size_t t = 0; t < polynomial.size(); ++t) {
        if (static_cast<int>(polynomial[t].exponents.size()) != widths[0])
          throw std::invalid_argument("model.terms[" + std::to_string(t) + "]: needs " +
                                      std::to_string(widths[0]) + " exponents");
        for (int e : polynomial[t].exponents)
          if (e < 0) throw std::invalid_argument("model.terms[" + std::to_string(t) + "]: negative exponent");
      }
      break;
  }
  if (kind != ModelKind::polynomial && !polynomial.empty())
    throw std::invalid_argument("model: terms are only for polynomial");
  if (kind != ModelKind::deep_linear && (embed_in || embed_out))
    throw std::invalid_argument("model: embeddings are only for deep_linear");
}

}  // namespace entropic
