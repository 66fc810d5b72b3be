#include "entropic/io/scenario.hpp"
#include "entropic/io/file_kind.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>

#include "entropic/io/exact_values.hpp"
#include "entropic/io/json_text.hpp"
#include "entropic/io/random_init.hpp"
#include "entropic/model/make_model.hpp"
#include "entropic/numeric/exact_text.hpp"

namespace entropic {

namespace {

const std::string kLimits = " (docs/scenario.md, \"Limits\")";

// A count from the file (steps, a width): a JSON integer from lo to the limit, which a message names.
int counted(const Node& node, int lo, int limit, const std::string& unit) {
  const nlohmann::json& j = node.json();
  const std::string range = " in " + std::to_string(lo) + ".." + std::to_string(limit);
  if (!j.is_number_integer()) node.fail("expected a JSON integer" + range + ", got " + node.type_name());
  const bool above = j.is_number_unsigned() ? j.get<std::uint64_t>() > static_cast<std::uint64_t>(limit)
                                            : j.get<std::int64_t>() > limit;
  if (above) node.fail(j.dump() + ": more than the limit of " + std::to_string(limit) + " " + unit + kLimits);
  const std::int64_t v = j.get<std::int64_t>();
  if (v < lo) node.fail("expected an integer" + range + ", got " + std::to_string(v));
  return static_cast<int>(v);
}

// "W1 (3 x 2), W2 (1 x 3)", at most the first 8 blocks.
std::string block_list(const Layout& layout);

// What was read from the input, shown as messages show it.
std::string quoted(const std::string& text) { return "\"" + echo_text(text) + "\""; }

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
  node.fail("unknown model kind " + quoted(k) +
            " (use deep_linear, mlp, softmax, normalized_linear, cosine_square or centered_linear)");
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
      out.slope = parse_rational(a.substr(11), NumberLimits{kMaxExactExponent, kMaxExactDigits});
    } catch (const parse_error& e) {
      node.fail(std::string("leaky_relu slope: ") + e.what());
    }
    if (out.slope < 0) node.fail("leaky_relu slope must be >= 0, got " + echo_text(to_text(out.slope)));
  } else {
    node.fail("unknown activation " + quoted(a) +
              " (use linear, relu, leaky_relu:SLOPE, tanh or odd_cubic)");
  }
  return out;
}

ModelSpec model_spec(const Node& node) {
  Fields f(node);
  ModelSpec spec;
  spec.kind = model_kind(f.required("kind", "the model kind, e.g. \"deep_linear\""));
  const Node widths = f.required("widths", "the layer widths [d_in, ..., d_out]");
  const std::size_t n = widths.size("a list of layer widths");
  if (n < 2) widths.fail("give at least two widths, [d_in, ..., d_out]");
  if (n > kMaxLayers + 1)
    widths.fail(std::to_string(n - 1) + " layers: more than the limit of " +
                std::to_string(kMaxLayers) + " layers" + kLimits);
  for (std::size_t i = 0; i < n; ++i) spec.widths.push_back(counted(widths.element(i), 1, kMaxWidth, "for a width"));

  switch (spec.kind) {
    case ModelKind::deep_linear:
      if (auto m = f.optional("embed_in"))
        spec.embed_in = read_matrix(*m, Shape(spec.widths.front(), kAnySize, "widths[0] x input dimension")
                                            .limit_cols(kMaxWidth, "for an input dimension" + kLimits));
      if (auto m = f.optional("embed_out"))
        spec.embed_out = read_matrix(*m, Shape(kAnySize, spec.widths.back(), "output dimension x widths[-1]")
                                             .limit_rows(kMaxWidth, "for an output dimension" + kLimits));
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
  int shown = 0;
  for (const Block& b : layout.blocks()) {
    if (++shown > 8) return out + ", ... (" + std::to_string(layout.count()) + " blocks)";
    out += (out.empty() ? "" : ", ") + b.name + " (" + std::to_string(b.rows) + " x " +
           std::to_string(b.cols) + ")";
  }
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
      xn, Shape(kAnySize, spec.input_dim(),
                "one row per sample, input dimension " + std::to_string(spec.input_dim()))
              .limit_rows(kMaxSamples, "samples" + kLimits));
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
                                                 std::to_string(classes - 1) + ", got " + echo_text(to_text(c)));
      }
    }
  }
  return DataSet<Rational>{X, Y};
}

// ---- optimizer ---------------------------------------------------------------------------------

Rational nonnegative(const Node& node, const std::string& torch_name) {
  const Rational v = read_rational(node);
  if (v < 0)
    node.fail("must be >= 0, as torch.optim.SGD requires of " + torch_name + ", got " + echo_text(to_text(v)));
  return v;
}

BatchSchedule schedule(const Node& node, int n) {
  if (node.json().is_string()) {
    if (node.string() != "full")
      node.fail("expected \"full\" or a list of index batches, got " + node.type_name());
    return BatchSchedule::full();
  }
  const auto batches = node.elements("\"full\" or a list of index batches such as [[0], [1, 2]]",
                                     kMaxBatches, "batches" + kLimits);
  if (batches.empty()) node.fail("expected at least one batch");
  std::vector<Batch> out;
  for (const Node& b : batches) {
    const auto indices = b.elements("a batch, a list of sample indices", kMaxBatchSize,
                                    "indices in a batch" + kLimits);
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
  if (k != "sgd" && k != "gd") kind.fail("unknown optimizer " + quoted(k) + " (use \"sgd\" or \"gd\")");
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

// ---- the start and the model's domain ----------------------------------------------------------

// A start where the model is undefined (W1 = 0 for the scale-invariant models) is bad input: no
// arithmetic can run it, and each would fail its own way (a division by zero, a NaN, an unbounded
// enclosure). In double, a W1 whose squared norm underflows to 0 (or overflows) is the same.
void check_domain(const Scenario& s, const Layout& layout, const std::optional<Node>& params,
                  const std::optional<Node>& init) {
  for (const NonzeroBlock& nz : s.spec.nonzero_blocks()) {
    const int b = layout.find(nz.block);
    if (b < 0) continue;
    const auto block = layout.view(s.theta0, b);
    const std::string where = params ? params->path() + "." + nz.block : init->path();
    const std::string what = params ? nz.block : "the random start's " + nz.block;
    bool zero = true;
    for (Eigen::Index k = 0; k < block.size() && zero; ++k) zero = block(k) == 0;
    if (zero)
      throw scenario_error(where, what + " = 0 is outside the domain of " + s.spec.kind_name() + ": " +
                                      nz.formula + (params ? "; give a nonzero start"
                                                           : "; choose another seed or a nonzero scale"));
    if (s.arithmetic.kind == Arithmetic::Kind::floating) {
      double norm2 = 0;
      for (Eigen::Index k = 0; k < block.size(); ++k) {
        const double x = from_rational<double>(block(k));
        norm2 += x * x;
      }
      if (norm2 == 0 || !std::isfinite(norm2))
        throw scenario_error(where, "||" + nz.block + "||^2 " + (norm2 == 0 ? "underflows to 0" : "overflows") +
                                        " in double arithmetic, and " + s.spec.kind_name() + "'s " +
                                        nz.formula + "; use rational, interval:BITS or real:BITS");
    }
  }
}

// Runs one part of the reading; whatever a library throws there becomes a scenario_error naming
// the part, so that nothing but scenario_error ever leaves the loader.
template <class Read>
auto section(const std::string& path, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const scenario_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw scenario_error(path, path.empty() ? "not enough memory to read the scenario" : "not enough memory to read it");
  } catch (const std::exception& e) {
    throw scenario_error(path, (path.empty() ? "cannot read the scenario: " : "cannot read it: ") +
                                   echo_text(e.what(), 200));
  }
}

}  // namespace

Scenario parse_scenario(const nlohmann::json& document) {
  return section("", [&] {
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
    s.spec = section("model", [&] { return model_spec(root.required("model", "an object with kind and widths")); });

    const Node arithmetic =
        root.required("arithmetic", "\"rational\", \"interval:BITS\", \"real:BITS\" or \"double\"");
    try {
      s.arithmetic = Arithmetic::parse(arithmetic.string());
    } catch (const std::invalid_argument& e) {
      arithmetic.fail(e.what());
    }
    if (s.arithmetic.kind == Arithmetic::Kind::rational) check_rational_model(s.spec, arithmetic);

    // The layout only counts: the blocks' shapes (64 layers of 4096 x 4096 fit an int).
    const Layout layout = make_model<Rational>(s.spec)->layout();
    if (layout.size() > kMaxParameters)
      throw scenario_error("model.widths", "these widths make " + std::to_string(layout.size()) +
                                        " parameters: more than the limit of " +
                                        std::to_string(kMaxParameters) + kLimits);
    const auto params = root.optional("params");
    const auto init = root.optional("init");
    if (params && init) init->fail("give either params or init, not both");
    if (params) s.theta0 = section("params", [&] { return parameters(*params, s.spec, layout); });
    else if (init) s.theta0 = section("init", [&] { return initial_parameters(*init, layout); });
    else
      throw scenario_error("params", "missing (the start: " + block_list(layout) +
                                         "; or give init for a random start)");
    check_domain(s, layout, params, init);

    s.data = section("data", [&] { return data_set(root.required("data", "an object with x and y"), s.spec); });
    section("optimizer", [&] {
      optimizer(root.required("optimizer", "an object with kind, lr and batches"), layout.size(),
                s.data.size(), s);
    });
    s.steps = counted(root.required("steps", "the number of optimizer steps"), 0, kMaxSteps, "steps");
    return s;
  });
}

Scenario parse_scenario_text(std::string_view text) {
  return section("", [&] { return parse_scenario(parse_json_text(text)); });
}

namespace {

std::string size_limit_text() {
  return "larger than the limit of " + std::to_string(kMaxScenarioBytes >> 20) + " MiB (" +
         std::to_string(kMaxScenarioBytes) + " bytes) for a scenario file" + kLimits;
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The whole file, read with a bound: never more than kMaxScenarioBytes plus one buffer, whatever
// it claims its size is (a file in /proc says 0; a file may grow while it is read).
std::string read_bounded(const std::string& path, const std::string& shown) {
  // O_NONBLOCK: opening a fifo must not wait for a writer (it is refused just below).
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) throw scenario_error(shown, std::string("cannot read the scenario file: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    throw scenario_error(shown, std::string("cannot read the scenario file: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw scenario_error(shown, std::string("is ") + file_kind(st.st_mode) + ": a scenario file must be a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > kMaxScenarioBytes)
    throw scenario_error(shown, std::to_string(st.st_size) + " bytes: " + size_limit_text());
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw scenario_error(shown, std::string("cannot read the scenario file: ") + std::strerror(errno));
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > kMaxScenarioBytes)
      throw scenario_error(shown, std::to_string(text.size() + static_cast<std::size_t>(n)) +
                                      " bytes or more: " + size_limit_text());
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (text.empty()) throw scenario_error(shown, "the file is empty (a scenario is a JSON object)");
  return text;
}

}  // namespace

Scenario load_scenario(const std::string& path) {
  const std::string shown = echo_text(path, 256);
  std::string text;
  try {
    text = read_bounded(path, shown);  // its messages start with the path
  } catch (const scenario_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw scenario_error(shown, "not enough memory to read the scenario file");
  } catch (const std::exception& e) {
    throw scenario_error(shown, "cannot read the scenario file: " + echo_text(e.what(), 200));
  }
  try {
    return parse_scenario_text(text);
  } catch (const scenario_error& e) {
    throw scenario_error(shown, e.what());
  } catch (const std::bad_alloc&) {
    throw scenario_error(shown, "not enough memory to read the scenario file");
  } catch (const std::exception& e) {
    throw scenario_error(shown, "cannot read the scenario file: " + echo_text(e.what(), 200));
  }
}

}  // namespace entropic
