// The instances of catalog T2 and the charges of (b) and (c) (t2_states.hpp).
#include "t2/t2_states.hpp"

#include "entropic/gen/training_run.hpp"
#include "entropic/model/mlp.hpp"

namespace entropic::t2 {

std::string MinibatchState::show() const {
  std::string widths;
  for (size_t i = 0; i < spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(spec.widths[i]);
  const auto model = make_model<Rational>(spec);
  return spec.kind_name() + " [" + widths + "], activation " + spec.activation.name() +
         (spec.bias ? ", bias" : "") + "; x = " + gen::show(data.X) + ", y = " + gen::show(data.Y) +
         "; theta = " + gen::show_parameters(model->layout(), theta) + "; eta = " + to_text(eta) +
         ", lambda = " + to_text(lambda) + "; batches of " + std::to_string(batches.size) +
         (batches.sampling == Sampling::with_replacement ? ", i.i.d. with replacement" : ", uniform subsets");
}

Features coverage_features(const MinibatchState& s) {
  std::string widths;
  for (size_t i = 0; i < s.spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(s.spec.widths[i]);
  return {{"widths", widths},
          {"activation", s.spec.activation.name()},
          {"samples", std::to_string(s.data.size())},
          {"batch size", std::to_string(s.batches.size)},
          {"sampling", s.batches.sampling == Sampling::with_replacement ? "i.i.d." : "subsets"},
          {"lambda = 0", s.lambda == 0 ? "yes" : "no"}};
}

bool stands_still(const MinibatchState& s) {
  if (s.lambda != 0) return false;
  const auto model = make_model<Rational>(s.spec);
  for (int i = 0; i < s.data.size(); ++i)
    if (!model->sample_gradient(s.theta, s.data.x(i), s.data.y(i)).isZero(0)) return false;
  return true;
}
bool noiseless(const MinibatchState& s) {
  return gradient_noise_trace(*make_model<Rational>(s.spec), s.data, s.theta) == 0;
}

rc::Gen<MinibatchState> minibatch_states(StateShape shape) {
  return rc::gen::exec([shape] {
    MinibatchState s;
    s.spec.kind = ModelKind::mlp;
    const int w = shape.max_width;
    s.spec.widths = *gen::model_widths(ModelKind::mlp, {1, 1, 1}, {w, w, w});
    s.spec.activation.kind = *rc::gen::elementOf(shape.activations);
    s.spec.bias = *rc::gen::arbitrary<bool>();
    const int n = *gen::dimension(shape.min_samples, shape.max_samples);
    s.data = *gen::dataset(s.spec, n);
    s.theta = *gen::parameters(s.spec);
    s.eta = *gen::step_size();
    if (shape.always_decay || (shape.weight_decay && *rc::gen::arbitrary<bool>())) s.lambda = *gen::step_size();
    s.batches.size = *gen::dimension(1, std::min(shape.max_batch, n));
    s.batches.sampling =
        *rc::gen::elementOf(std::vector<Sampling>{Sampling::with_replacement, Sampling::without_replacement});
    return s;
  });
}

StateShape decomposition_states() {
  return StateShape{{ActivationKind::odd_cubic, ActivationKind::linear}, 4, 6, 3, 2, true};
}
StateShape symmetric_states() { return StateShape{{ActivationKind::linear}, 3, 5, 3, 2, true}; }
StateShape decaying_symmetric_states() {
  StateShape shape = symmetric_states();
  shape.always_decay = true;
  return shape;
}
StateShape two_step_states(std::vector<ActivationKind> activations, bool weight_decay) {
  return StateShape{std::move(activations), 3, 4, 2, 2, weight_decay};
}

std::vector<Symmetry<Rational>> charges(const ModelSpec& spec) {
  const Mlp<Rational> mlp(spec);
  const Layout& layout = mlp.layout();
  const int w1 = mlp.weight_block(1), b1 = mlp.bias_block(1), w2 = mlp.weight_block(2);
  std::vector<Symmetry<Rational>> out;
  out.push_back(layer_rescaling<Rational>(layout, w1, b1, w2, Rational(2)));
  for (int k = 0; k < spec.widths[1]; ++k) out.push_back(neuron_rescaling<Rational>(layout, w1, b1, w2, k, Rational(2)));
  const int h = spec.widths[1];
  out.push_back(gl_symmetry<Rational>(layout, w1, b1, w2, Mat<Rational>::Identity(h, h)));
  return out;
}

std::vector<ChargeForm<Rational>> charge_forms_of(const ModelSpec& spec) {
  const int parameter_count = make_model<Rational>(spec)->parameter_count();
  std::vector<ChargeForm<Rational>> forms;
  for (const auto& sym : charges(spec))
    for (auto& f : charge_forms(sym, parameter_count)) forms.push_back(std::move(f));
  return forms;
}

}  // namespace entropic::t2
