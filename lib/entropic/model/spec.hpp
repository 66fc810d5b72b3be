// ModelSpec: the architecture of a model, free of any scalar type, so that one spec builds the same
// model over Rational, Interval, Dual<Rational>, Series<Rational>, ... (make_model.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "entropic/numeric/kind.hpp"

namespace entropic {

enum class ModelKind {
  deep_linear,        // f = M_out W_D ... W_1 M_in x
  mlp,                // z_i = W_i a_{i-1} + b_i, a_i = sigma(z_i), linear last layer
  softmax,            // logits W_1 x (+ b_1), cross-entropy with a class index
  normalized_linear,  // f = W_1 x / ||W_1||_F   (scale invariant)
  cosine_square,      // f = (x^T theta)^2 / ||theta||^2 (scale invariant, rational; catalog T8)
  centered_linear,    // f = x^T (I - 11^T/d) theta   (translation invariant along 1; catalog T9)
  polynomial,         // l(theta) = sum_t c_t prod_i theta_i^{e_ti}, data ignored (catalog T1, E1, N2)
};

// One term c * prod_i theta_i^{exponents[i]} of a polynomial loss.
struct Monomial {
  Rational coefficient;
  std::vector<int> exponents;
};

enum class ActivationKind { linear, relu, leaky_relu, tanh, odd_cubic };

struct Activation {
  ActivationKind kind = ActivationKind::linear;
  Rational slope = 0;  // leaky_relu's negative slope
  // Positively homogeneous activations have the rescaling symmetries (catalog T6).
  bool positively_homogeneous() const {
    return kind == ActivationKind::linear || kind == ActivationKind::relu ||
           kind == ActivationKind::leaky_relu;
  }
  // Odd activations have the sign-flip symmetry of a hidden unit (catalog T4, E7).
  bool odd() const {
    return kind == ActivationKind::linear || kind == ActivationKind::tanh ||
           kind == ActivationKind::odd_cubic;
  }
  std::string name() const;
};

// A parameter block where the model is undefined when the block is zero: the scale-invariant models
// divide by its norm. `formula` says where, for messages ("f = (x^T w)^2 / ||w||^2").
struct NonzeroBlock {
  std::string block;
  std::string formula;
};

struct ModelSpec {
  ModelKind kind = ModelKind::deep_linear;
  std::vector<int> widths;  // widths[0] = input dimension, widths.back() = output dimension
  Activation activation;    // mlp
  bool bias = false;        // mlp, softmax
  std::optional<Mat<Rational>> embed_in, embed_out;  // deep_linear: fixed M_in, M_out
  std::vector<Monomial> polynomial;  // polynomial: the terms; widths = {number of parameters, 1}

  int depth() const { return static_cast<int>(widths.size()) - 1; }
  // Input and output dimension seen from the data (embeddings included; polynomial: 1 and 1,
  // the data set only fixes how many samples the mean runs over).
  int input_dim() const;
  int output_dim() const;  // softmax: 1 (a class index)
  std::string kind_name() const;
  // Throws std::invalid_argument naming what is wrong.
  void validate() const;
  // The model's domain: the blocks that must not be zero (normalized_linear, f = W1 x / ||W1||_F,
  // and cosine_square, f = (x^T w)^2 / ||w||^2: W1). Empty for the models defined everywhere
  // (deep_linear, mlp, softmax, centered_linear, polynomial). A start outside the domain is bad
  // input, refused before any run (io/scenario.cpp).
  std::vector<NonzeroBlock> nonzero_blocks() const;
};

}  // namespace entropic
