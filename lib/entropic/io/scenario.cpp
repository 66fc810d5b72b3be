#include "entropic/io/scenario.hpp"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "entropic/io/exact_values.hpp"
#include "entropic/io/json_text.hpp"
#include "entropic/io/random_init.hpp"
#include "entropic/model/make_model.hpp"

namespace entropic {

namespace {

// Sizes the format accepts: every block fits the layout's int offsets with room to spare.
constexpr int kMaxWidth = 4096;
constexpr int kMaxLayers = 64;

// ---- model -------------------------------------------------------------------------------------

ModelKind model_kind(const Node& node) {
  const std::string k = node.string();
  for (ModelKind kind : {ModelKind::deep_linear, ModelKind::mlp, ModelKind::softmax,
                         ModelKind::normalized_linear, ModelKind::cosine_square,
                         ModelKind::centered_linear}) {
    ModelSpec probe;
    probe.kind = kind;
    if (probe.kind_name() == k) return kind;
  }
  node.fail("unknown model kind \"" + k +
            "\" (use deep_linear, mlp, softmax, normalized_linear, cosine_square or centered_linear)");
}

Activation activation(const Node& node) {
  const std::string a = node.string();
  Activation out;
  if (a == "linear") out.kind = ActivationKind::linear;
  else if (a == "relu") out.kind = ActivationKind::relu;
  else if (a == "tanh") out.kind = ActivationKind::tanh;
  else if (a == "odd_cubic") out.kind = ActivationKind::odd_cubic;
  else if (a == "leaky_relu")
    node.fail("leaky_relu needs its negative slope, e.g. \"leaky_relu:1/100\" (PyTorch's default)");
  else if (a.rfind("leaky_relu:", 0) == 0) {
    out.kind = ActivationKind::leaky_relu;
    try {
      out.slope = parse_rational(a.substr(11));
    } catch (const parse_error& e) {
      node.fail(std::string("leaky_relu slope: ") + e.what());
    }
    if (out.slope < 0) node.fail("leaky_relu slope must be >= 0, got " + to_text(out.slope));
  } else {
    node.fail("unknown activation \"" + a +
              "\" (use linear, relu, leaky_relu:SLOPE, tanh or odd_cubic)");
  }
  return out;
}

ModelSpec model_spec(const Node& node) {
  Fields f(node);
  ModelSpec spec;
  spec.kind = model_kind(f.required("kind", "the model kind, e.g. \"deep_linear\""));
  const Node widths = f.required("widths", "the layer widths [d_in, ..., d_out]");
  const auto ws = widths.elements("a list of layer widths");
  if (ws.size() < 2) widths.fail("give at least two widths, [d_in, ..., d_out]");
  if (ws.size() > kMaxLayers + 1) widths.fail("at most " + std::to_string(kMaxLayers) + " layers");
  for (const Node& w : ws) spec.widths.push_back(static_cast<int>(w.integer(1, kMaxWidth)));

  switch (spec.kind) {
    case ModelKind::deep_linear:
      if (auto m = f.optional("embed_in"))
        spec.embed_in = read_matrix(*m, Shape{spec.widths.front(), kAnySize, "widths[0] x input dimension"});
      if (auto m = f.optional("embed_out"))
        spec.embed_out = read_matrix(*m, Shape{kAnySize, spec.widths.back(), "output dimension x widths[-1]"});
      break;
    case ModelKind::mlp:
      spec.activation = activation(f.required("activation", "relu, leaky_relu:SLOPE, tanh, linear or odd_cubic"));
      if (auto b = f.optional("bias")) spec.bias = b->boolean();
      break;
    case ModelKind::softmax:
      if (auto b = f.optional("bias")) spec.bias = b->boolean();
      break;
    default: break;
  }
  f.finish();
  try {
    spec.validate();
  } catch (const std::invalid_argument& e) {
    throw scenario_error("", e.what());  // ModelSpec's messages start with the field path
  }
  return spec;
}

// The models whose every value is rational for rational inputs.
void check_rational_model(const ModelSpec& spec, const Node& arithmetic) {
  std::string why;
  if (spec.kind == ModelKind::softmax) why = "a softmax model needs exp and log";
  if (spec.kind == ModelKind::normalized_linear)
    why = "a normalized_linear model, f = W1 x / ||W1||_F, needs a square root";
  if (spec.kind == ModelKind::mlp && spec.activation.kind == ActivationKind::tanh)
    why = "a tanh activation needs exp";
  if (!why.empty())
    arithmetic.fail("\"rational\" cannot run this model: " + why +
                    ", whose values are not rational; use \"interval:BITS\" (certified) or "
                    "\"real:BITS\"");
}

// ---- parameters --------------------------------------------------------------------------------

// Where a block's shape comes from, for messages.
std::string block_meaning(const ModelSpec& spec, const Block& b) {
  const std::string layer = b.name.substr(1);
  const bool layered = spec.kind == ModelKind::deep_linear || spec.kind == ModelKind::mlp ||
                       spec.kind == ModelKind::softmax || spec.kind == ModelKind::normalized_linear;
  if (!layered) return "1 x widths[0]";
  const std::string below = std::to_string(std::stoi(layer) - 1);
  return b.name[0] == 'b' ? "widths[" + layer + "] x 1"
                          : "widths[" + layer + "] x widths[" + below + "]";
}

std::string block_list(const Layout& layout) {
  std::string out;
  for (const Block& b : layout.blocks())
    out += (out.empty() ? "" : ", ") + b.name + " (" + std::to_string(b.rows) + " x " +
           std::to_string(b.cols) + ")";
  return out;
}

Vec<Rational> parameters(const Node& node, const ModelSpec& spec, const Layout& layout) {
  Fields f(node);
  Vec<Rational> theta(layout.size());
  for (int i = 0; i < layout.count(); ++i) {
    const Block& b = layout[i];
    const Node block = f.required(b.name, "a " + std::to_string(b.rows) + " x " +
                                              std::to_string(b.cols) + " matrix");
    const Shape shape{b.rows, b.cols, block_meaning(spec, b)};
    layout.view(theta, i) = b.name[0] == 'b' && b.cols == 1 ? read_column(block, shape)
                                                            : read_matrix(block, shape);
  }
  f.finish();
  return theta;
}

Vec<Rational> initial_parameters(const Node& node, const Layout& layout) {
  Fields f(node);
  RandomInit init;
  init.seed = f.required("seed", "a JSON integer in 0..2^64-1").unsigned_integer();
  if (auto s = f.optional("scale")) init.scale = read_rational(*s);
  f.finish();
  return random_parameters(layout, init);
}

// ---- data --------------------------------------------------------------------------------------

DataSet<Rational> data_set(const Node& node, const ModelSpec& spec) {
  Fields f(node);
  const Node xn = f.required("x", "the inputs, one row per sample");
  const Node yn = f.required("y", "the targets, one row per sample");
  f.finish();
  const Mat<Rational> X = read_matrix(
      xn, Shape{kAnySize, spec.input_dim(), "one row per sample, input dimension " +
                                                 std::to_string(spec.input_dim())});
  const int n = static_cast<int>(X.rows());
  const std::string y_meaning =
      "one row per sample of data.x" +
      std::string(spec.kind == ModelKind::softmax ? ", each a class index"
                                                  : ", output dimension " + std::to_string(spec.output_dim()));
  const Shape y_shape{n, spec.output_dim(), y_meaning};
  const Mat<Rational> Y = spec.output_dim() == 1 ? read_column(yn, y_shape) : read_matrix(yn, y_shape);
  if (spec.kind == ModelKind::softmax) {
    const int classes = spec.widths.back();
    for (int i = 0; i < n; ++i) {
      const Rational& c = Y(i, 0);
      if (denominator(c) != 1 || c < 0 || c >= classes) {
        const std::string at = yn.json()[i].is_array() ? "[" + std::to_string(i) + "][0]"
                                                       : "[" + std::to_string(i) + "]";
        throw scenario_error(yn.path() + at, "a class index must be an integer in 0.." +
                                                 std::to_string(classes - 1) + ", got " + to_text(c));
      }
    }
  }
  return DataSet<Rational>{X, Y};
}

// ---- optimizer ---------------------------------------------------------------------------------

Rational nonnegative(const Node& node, const std::string& torch_name) {
  const Rational v = read_rational(node);
  if (v < 0)
    node.fail("must be >= 0, as torch.optim.SGD requires of " + torch_name + ", got " + to_text(v));
  return v;
}

BatchSchedule schedule(const Node& node, int n) {
  if (node.json().is_string()) {
    if (node.string() != "full")
      node.fail("expected \"full\" or a list of index batches, got the string " + node.json().dump());
    return BatchSchedule::full();
  }
  const auto batches = node.elements("\"full\" or a list of index batches such as [[0], [1, 2]]");
  if (batches.empty()) node.fail("expected at least one batch");
  std::vector<Batch> out;
  for (const Node& b : batches) {
    const auto indices = b.elements("a batch, a list of sample indices");
    if (indices.empty()) b.fail("a batch needs at least one index");
    Batch batch;
    for (const Node& i : indices) {
      if (!i.json().is_number_integer())
        i.fail("expected a sample index (a JSON integer), got " + i.type_name());
      const bool inside = i.json().is_number_unsigned()
                              ? i.json().get<std::uint64_t>() < std::uint64_t(n)
                              : i.json().get<std::int64_t>() >= 0 && i.json().get<std::int64_t>() < n;
      if (!inside)
        i.fail("index " + i.json().dump() + " outside 0.." + std::to_string(n - 1) + " (data has " +
               std::to_string(n) + (n == 1 ? " sample)" : " samples)"));
      batch.push_back(i.json().get<int>());
    }
    out.push_back(std::move(batch));
  }
  return BatchSchedule(std::move(out));
}

void optimizer(const Node& node, int parameter_count, int samples, Scenario& s) {
  Fields f(node);
  const Node kind = f.required("kind", "\"sgd\" or \"gd\"");
  const std::string k = kind.string();
  if (k != "sgd" && k != "gd") kind.fail("unknown optimizer \"" + k + "\" (use \"sgd\" or \"gd\")");
  SgdConfig<Rational>& cfg = s.optimizer;
  cfg.lr = nonnegative(f.required("lr", "the learning rate, e.g. \"1/10\""), "lr");
  if (auto w = f.optional("weight_decay")) cfg.weight_decay = nonnegative(*w, "weight_decay");
  if (auto m = f.optional("momentum")) cfg.momentum = nonnegative(*m, "momentum");
  if (auto n = f.optional("nesterov")) {
    cfg.nesterov = n->boolean();
    if (cfg.nesterov && cfg.momentum == 0)
      n->fail("nesterov needs a momentum > 0 (torch.optim.SGD refuses it otherwise)");
  }
  if (auto p = f.optional("preconditioner"))
    cfg.preconditioner = read_matrix(
        *p, Shape{parameter_count, parameter_count,
                  "parameters x parameters, in the flat parameter order of docs/scenario.md"});
  const auto batches = f.optional("batches");
  if (k == "gd") {
    if (batches && !(batches->json().is_string() && batches->json() == "full"))
      batches->fail("gd always uses the full batch: leave batches out or write \"full\"");
    s.schedule = BatchSchedule::full();
  } else {
    if (!batches)
      throw scenario_error(node.path() + ".batches",
                           "missing (sgd needs \"full\" or a list of index batches such as [[0], [1]])");
    s.schedule = schedule(*batches, samples);
  }
  f.finish();
}

}  // namespace

Scenario parse_scenario(const nlohmann::json& document) {
  const Node root_node(document, "");
  Fields root(root_node);
  root.declare({"version", "description", "model", "params", "init", "data", "optimizer", "steps",
                "arithmetic"});
  root.finish();

  if (auto v = root.optional("version")) {
    const auto version = v->integer(INT64_MIN, INT64_MAX);
    if (version != kScenarioVersion)
      v->fail("unsupported version " + std::to_string(version) + " (this entropic reads version " +
              std::to_string(kScenarioVersion) + ")");
  }
  if (auto d = root.optional("description")) d->string();

  Scenario s;
  s.spec = model_spec(root.required("model", "an object with kind and widths"));

  const Node arithmetic = root.required("arithmetic", "\"rational\", \"interval:BITS\", \"real:BITS\" or \"double\"");
  try {
    s.arithmetic = Arithmetic::parse(arithmetic.string());
  } catch (const std::invalid_argument& e) {
    arithmetic.fail(e.what());
  }
  if (s.arithmetic.kind == Arithmetic::Kind::rational) check_rational_model(s.spec, arithmetic);

  const Layout layout = make_model<Rational>(s.spec)->layout();
  const auto params = root.optional("params");
  const auto init = root.optional("init");
  if (params && init) init->fail("give either params or init, not both");
  if (params) s.theta0 = parameters(*params, s.spec, layout);
  else if (init) s.theta0 = initial_parameters(*init, layout);
  else
    throw scenario_error("params", "missing (the start: " + block_list(layout) +
                                       "; or give init for a random start)");

  s.data = data_set(root.required("data", "an object with x and y"), s.spec);
  optimizer(root.required("optimizer", "an object with kind, lr and batches"), layout.size(),
            s.data.size(), s);
  s.steps = static_cast<int>(root.required("steps", "the number of optimizer steps").integer(0, INT_MAX));
  return s;
}

Scenario parse_scenario_text(std::string_view text) { return parse_scenario(parse_json_text(text)); }

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw scenario_error(path, std::string("cannot read the scenario file: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw scenario_error(path, "cannot read the scenario file");
  try {
    return parse_scenario_text(text.str());
  } catch (const scenario_error& e) {
    throw scenario_error(path, e.what());
  }
}

}  // namespace entropic
