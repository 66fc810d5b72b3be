// Model<S>: a per-sample loss l(theta; x, y) over the flat parameter vector, with its exact gradient.
//
// Convention (catalog, section 0): l = 1/2 ||f(x) - y||^2 unless the model says otherwise (softmax:
// cross-entropy); the batch loss is the mean over the batch's indices, duplicates counted; the
// gradient never includes weight decay. Gradients are hand-derived backpropagation, exact in
// Rational; tests/model checks them against Dual<Rational> forward-mode derivatives.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/model/dataset.hpp"
#include "entropic/model/layout.hpp"
#include "entropic/model/spec.hpp"

namespace entropic {

using Batch = std::vector<int>;

template <class S>
class Model {
 public:
  explicit Model(ModelSpec spec) : spec_(std::move(spec)) { spec_.validate(); }
  virtual ~Model() = default;

  const ModelSpec& spec() const { return spec_; }
  const Layout& layout() const { return layout_; }
  int parameter_count() const { return layout_.size(); }

  // Model output f(x) (logits for softmax).
  virtual Vec<S> output(const Vec<S>& theta, const Vec<S>& x) const = 0;
  // Per-sample loss.
  virtual S sample_loss(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y) const {
    const Vec<S> r = output(theta, x) - y;
    return S(r.squaredNorm()) / S(2);
  }
  // grad += weight * nabla_theta l(theta; x, y).
  virtual void add_sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y,
                                   const S& weight, Vec<S>& grad) const = 0;

  Vec<S> sample_gradient(const Vec<S>& theta, const Vec<S>& x, const Vec<S>& y) const {
    Vec<S> g = Vec<S>::Zero(parameter_count());
    add_sample_gradient(theta, x, y, S(1), g);
    return g;
  }
  // l_B = (1/|B|) sum_{i in B} l_i
  S loss(const Vec<S>& theta, const DataSet<S>& data, const Batch& batch) const {
    check(theta, data, batch);
    S total(0);
    for (int i : batch) total += sample_loss(theta, data.x(i), data.y(i));
    return total / S(static_cast<int>(batch.size()));
  }
  // g_B = nabla l_B
  Vec<S> gradient(const Vec<S>& theta, const DataSet<S>& data, const Batch& batch) const {
    check(theta, data, batch);
    Vec<S> g = Vec<S>::Zero(parameter_count());
    const S w = S(1) / S(static_cast<int>(batch.size()));
    for (int i : batch) add_sample_gradient(theta, data.x(i), data.y(i), w, g);
    return g;
  }
  S loss(const Vec<S>& theta, const DataSet<S>& data) const { return loss(theta, data, all(data)); }
  Vec<S> gradient(const Vec<S>& theta, const DataSet<S>& data) const {
    return gradient(theta, data, all(data));
  }
  static Batch all(const DataSet<S>& data) {
    Batch b(data.size());
    for (int i = 0; i < data.size(); ++i) b[i] = i;
    return b;
  }

  // Throws std::invalid_argument if theta, data or batch do not fit this model.
  void check(const Vec<S>& theta, const DataSet<S>& data, const Batch& batch) const {
    if (theta.size() != parameter_count())
      throw std::invalid_argument("parameters: model has " + std::to_string(parameter_count()) +
                                  " entries, got " + std::to_string(theta.size()));
    if (data.input_dim() != spec_.input_dim())
      throw std::invalid_argument("data.x: model expects inputs of dimension " +
                                  std::to_string(spec_.input_dim()) + ", got " +
                                  std::to_string(data.input_dim()));
    if (data.output_dim() != spec_.output_dim())
      throw std::invalid_argument("data.y: model expects targets of dimension " +
                                  std::to_string(spec_.output_dim()) + ", got " +
                                  std::to_string(data.output_dim()));
    if (batch.empty()) throw std::invalid_argument("batch: empty");
    for (int i : batch)
      if (i < 0 || i >= data.size())
        throw std::invalid_argument("batch: index " + std::to_string(i) + " outside 0.." +
                                    std::to_string(data.size() - 1));
  }

 protected:
  ModelSpec spec_;
  Layout layout_;
};

template <class S>
std::unique_ptr<Model<S>> make_model(const ModelSpec& spec);

}  // namespace entropic
