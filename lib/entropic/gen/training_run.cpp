#include "entropic/gen/training_run.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "entropic/model/make_model.hpp"

namespace entropic {

std::string TrainingRun::show() const {
  std::string act = spec.kind == ModelKind::mlp ? ", activation " + spec.activation.name() : "";
  std::string widths;
  for (size_t i = 0; i < spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(spec.widths[i]);
  const auto model = make_model<Rational>(spec);
  return spec.kind_name() + " [" + widths + "]" + act + (spec.bias ? ", bias" : "") +
         "; x = " + gen::show(data.X) + ", y = " + gen::show(data.Y) +
         "; theta0 = " + gen::show_parameters(model->layout(), theta0) + "; eta = " + to_text(eta) +
         ", lambda = " + to_text(lambda) + (momentum == 0 ? "" : ", beta = " + to_text(momentum)) +
         "; batches = " + gen::show(batches);
}

std::string TrainingRun::scenario_json() const {
  using nlohmann::json;
  auto matrix = [](const auto& m) {
    json rows = json::array();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      json row = json::array();
      for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(to_text(Rational(m(i, j))));
      rows.push_back(row);
    }
    return rows;
  };
  const auto model = make_model<Rational>(spec);
  json j;
  j["version"] = 1;
  j["model"] = {{"kind", spec.kind_name()}, {"widths", spec.widths}};
  if (spec.kind == ModelKind::mlp) {
    j["model"]["activation"] = spec.activation.name();
    j["model"]["bias"] = spec.bias;
  }
  if (spec.kind == ModelKind::softmax) j["model"]["bias"] = spec.bias;
  for (int b = 0; b < model->layout().count(); ++b)
    j["params"][model->layout()[b].name] = matrix(model->layout().view(theta0, b));
  j["data"] = {{"x", matrix(data.X)}, {"y", matrix(data.Y)}};
  j["optimizer"] = {{"kind", "sgd"},
                    {"lr", to_text(eta)},
                    {"weight_decay", to_text(lambda)},
                    {"momentum", to_text(momentum)},
                    {"batches", batches}};
  j["steps"] = steps();
  j["arithmetic"] = "rational";
  return j.dump();
}

Features coverage_features(const TrainingRun& run) {
  std::string widths;
  for (size_t i = 0; i < run.spec.widths.size(); ++i) widths += (i ? "," : "") + std::to_string(run.spec.widths[i]);
  const int n = static_cast<int>(run.data.X.rows());
  const bool full = !run.batches.empty() && static_cast<int>(run.batches.front().size()) == n;
  Features f = {{"widths", widths},
                {"samples", std::to_string(n)},
                {"batch size", run.batches.empty() ? "none" : std::to_string(run.batches.front().size()) + (full ? " (full)" : "")},
                {"steps", std::to_string(run.steps())},
                {"parameters", std::to_string(run.theta0.size())},
                {"lambda = 0", run.lambda == 0 ? "yes" : "no"},
                {"zero data", (run.data.X.array() == Rational(0)).all() && (run.data.Y.array() == Rational(0)).all() ? "yes" : "no"},
                {"theta0 = 0", (run.theta0.array() == Rational(0)).all() ? "yes" : "no"}};
  if (run.spec.kind == ModelKind::mlp) f.emplace_back("activation", run.spec.activation.name());
  if (run.momentum != 0) f.emplace_back("momentum", "yes");
  return f;
}

namespace gen {

RunShape at_size_profile(RunShape shape, SizeProfile profile) {
  if (profile == SizeProfile::standard) return shape;
  std::vector<size_t> free;
  int w = 1;
  for (size_t i = 0; i < shape.min_widths.size(); ++i)
    if (shape.min_widths[i] < shape.max_widths[i]) {
      free.push_back(i);
      w = std::max(w, shape.max_widths[i]);
    }
  if (free.empty()) return shape;
  ModelSpec spec;
  spec.kind = shape.kind;
  spec.bias = shape.bias;
  for (;; ++w) {
    spec.widths = shape.max_widths;
    for (size_t i : free) spec.widths[i] = w;
    if (make_model<Rational>(spec)->parameter_count() >= kLargeProfileParameters) break;
  }
  for (size_t i : free) shape.min_widths[i] = shape.max_widths[i] = w;
  return shape;
}

namespace {
// Layer i's width in [min_widths[i], max_widths[i]], shrinking toward the minimum (inside an
// rc::gen::exec).
std::vector<int> draw_widths(const RunShape& shape) {
  std::vector<int> widths;
  for (size_t i = 0; i < shape.min_widths.size(); ++i)
    widths.push_back(*dimension(shape.min_widths[i], shape.max_widths[i]));
  return widths;
}
}  // namespace

rc::Gen<std::vector<int>> model_widths(ModelKind kind, std::vector<int> min_widths, std::vector<int> max_widths) {
  if (min_widths.size() != max_widths.size())
    throw std::invalid_argument("model_widths: as many minimum as maximum widths");
  RunShape requested;
  requested.kind = kind;
  requested.min_widths = std::move(min_widths);
  requested.max_widths = std::move(max_widths);
  return rc::gen::exec([requested]() { return draw_widths(at_size_profile(requested, size_profile())); });
}

rc::Gen<int> free_dimension(int min, int max) {
  if (min > max) throw std::invalid_argument("free_dimension: min > max");
  return rc::gen::exec([min, max]() {
    return size_profile() == SizeProfile::large ? std::max(max, kLargeProfileParameters) : *dimension(min, max);
  });
}

rc::Gen<TrainingRun> training_run(RunShape requested) {
  return rc::gen::exec([requested]() {
    const RunShape shape = at_size_profile(requested, size_profile());
    TrainingRun run;
    run.spec.kind = shape.kind;
    run.spec.bias = shape.bias;
    run.spec.widths = draw_widths(shape);
    run.spec.activation.kind = *rc::gen::elementOf(shape.activations);
    if (run.spec.activation.kind == ActivationKind::leaky_relu)
      run.spec.activation.slope = *positive_rational(1, 4) / 2;
    const int n = *dimension(shape.min_samples, shape.max_samples);
    run.data = *dataset(run.spec, n);
    // Scale-invariant models are undefined at theta = 0 (f divides by ||theta||): start elsewhere.
    const bool scale_invariant = shape.kind == ModelKind::cosine_square ||
                                 shape.kind == ModelKind::normalized_linear;
    run.theta0 = scale_invariant ? *rc::gen::suchThat(parameters(run.spec),
                                                      [](const Vec<Rational>& v) {
                                                        return v.squaredNorm() != 0;
                                                      })
                                 : *parameters(run.spec);
    run.eta = *step_size(shape.max_eta);
    if (shape.weight_decay && *rc::gen::arbitrary<bool>()) run.lambda = *step_size(Rational(1, 2));
    if (shape.momentum && *rc::gen::arbitrary<bool>())
      run.momentum = *step_size(Rational(9, 10));
    const int steps = *dimension(shape.min_steps, shape.max_steps);
    if (shape.full_batch) {
      run.batches.assign(steps, Model<Rational>::all(run.data));
    } else {
      const int s = *dimension(1, std::min(shape.max_batch, n));
      run.batches = *batch_schedule(n, s, steps);
    }
    return run;
  });
}

}  // namespace gen
}  // namespace entropic
