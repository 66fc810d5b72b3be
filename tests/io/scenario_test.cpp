// The scenario loader: what it reads, and the one-line message, naming the field, for everything it
// refuses (docs/scenario.md).
#include <gtest/gtest.h>

#include "entropic/io/scenario.hpp"
#include "scenario_error_of.hpp"

namespace entropic {
namespace {

using nlohmann::json;

// docs/scenario.md's example, as a document to mutate.
json example() {
  return json::parse(R"({
    "version": 1,
    "model": {"kind": "deep_linear", "widths": [2, 3, 1]},
    "params": {"W1": [["1/2", "0"], ["1", "-1/3"], ["0", "2"]], "W2": [["1", "-1", "1/4"]]},
    "data": {"x": [["1", "0"], ["1/2", "2"]], "y": [["1"], ["-1/2"]]},
    "optimizer": {"kind": "sgd", "lr": "1/10", "weight_decay": "1/100", "momentum": "0",
                  "batches": [[0], [1], [0, 1]]},
    "steps": 3,
    "arithmetic": "rational"
  })");
}

json mlp() {
  return json::parse(R"({
    "model": {"kind": "mlp", "widths": [2, 2, 1], "activation": "leaky_relu:1/8", "bias": true},
    "params": {"W1": [[1, 0], [0, 1]], "b1": ["1/2", "-1/2"], "W2": [["1", "1"]], "b2": [["0"]]},
    "data": {"x": [["1", "2"]], "y": ["3"]},
    "optimizer": {"kind": "gd", "lr": "0.25", "momentum": "9/10", "nesterov": true},
    "steps": 0,
    "arithmetic": "real:100"
  })");
}

Mat<Rational> matrix(std::initializer_list<std::initializer_list<Rational>> rows) {
  Mat<Rational> m(rows.size(), rows.begin()->size());
  int i = 0;
  for (const auto& row : rows) {
    int j = 0;
    for (const Rational& q : row) m(i, j++) = q;
    ++i;
  }
  return m;
}

using test::error_of;

TEST(Scenario, ReadsTheDocumentedExampleExactly) {
  const Scenario s = parse_scenario(example());
  EXPECT_EQ(s.spec.kind, ModelKind::deep_linear);
  EXPECT_EQ(s.spec.widths, (std::vector<int>{2, 3, 1}));
  const Layout layout = make_model<Rational>(s.spec)->layout();
  ASSERT_EQ(s.theta0.size(), 9);
  EXPECT_EQ(Mat<Rational>(layout.view(s.theta0, 0)), matrix({{Rational(1, 2), 0}, {1, Rational(-1, 3)}, {0, 2}}));
  EXPECT_EQ(Mat<Rational>(layout.view(s.theta0, 1)), matrix({{1, -1, Rational(1, 4)}}));
  EXPECT_EQ(s.data.X, matrix({{1, 0}, {Rational(1, 2), 2}}));
  EXPECT_EQ(s.data.Y, matrix({{1}, {Rational(-1, 2)}}));
  EXPECT_EQ(s.optimizer.lr, Rational(1, 10));
  EXPECT_EQ(s.optimizer.weight_decay, Rational(1, 100));
  EXPECT_EQ(s.optimizer.momentum, 0);
  EXPECT_FALSE(s.optimizer.nesterov);
  EXPECT_FALSE(s.optimizer.preconditioner);
  EXPECT_EQ(s.schedule.batches(), (std::vector<Batch>{{0}, {1}, {0, 1}}));
  EXPECT_EQ(s.steps, 3);
  EXPECT_EQ(s.arithmetic.kind, Arithmetic::Kind::rational);
}

TEST(Scenario, ReadsIntegersDecimalsFlatColumnsAndGd) {
  const Scenario s = parse_scenario(mlp());
  EXPECT_EQ(s.spec.activation.kind, ActivationKind::leaky_relu);
  EXPECT_EQ(s.spec.activation.slope, Rational(1, 8));
  EXPECT_TRUE(s.spec.bias);
  const Layout layout = make_model<Rational>(s.spec)->layout();
  EXPECT_EQ(Mat<Rational>(layout.view(s.theta0, layout.index("b1"))), matrix({{Rational(1, 2)}, {Rational(-1, 2)}}));
  EXPECT_EQ(Mat<Rational>(layout.view(s.theta0, layout.index("W1"))), matrix({{1, 0}, {0, 1}}));
  EXPECT_EQ(s.data.Y, matrix({{3}}));
  EXPECT_EQ(s.optimizer.lr, Rational(1, 4));
  EXPECT_EQ(s.optimizer.momentum, Rational(9, 10));
  EXPECT_TRUE(s.optimizer.nesterov);
  EXPECT_TRUE(s.schedule.is_full());
  EXPECT_EQ(s.steps, 0);
  EXPECT_EQ(s.arithmetic.kind, Arithmetic::Kind::real);
  EXPECT_EQ(s.arithmetic.bits, 100u);
}

TEST(Scenario, ReadsEmbeddingsSoftmaxLabelsAndAPreconditioner) {
  json d = example();
  d["model"]["embed_in"] = {{"1", "0", "1"}, {"0", "1", "0"}};
  d["model"]["embed_out"] = {{"2"}, {"-1"}};
  d["data"] = json::parse(R"({"x": [["1", "2", "3"]], "y": [["1", "2"]]})");
  d["optimizer"]["batches"] = "full";
  d["optimizer"]["preconditioner"] = json::array();
  for (int i = 0; i < 9; ++i) {
    json row = json::array();
    for (int j = 0; j < 9; ++j) row.push_back(i == j ? "1/2" : "0");
    d["optimizer"]["preconditioner"].push_back(row);
  }
  const Scenario s = parse_scenario(d);
  EXPECT_EQ(s.spec.input_dim(), 3);
  EXPECT_EQ(s.spec.output_dim(), 2);
  EXPECT_EQ(*s.optimizer.preconditioner, Mat<Rational>(Mat<Rational>::Identity(9, 9) / Rational(2)));

  const Scenario softmax = parse_scenario_text(R"({
    "model": {"kind": "softmax", "widths": [1, 3], "bias": true},
    "params": {"W1": [["1"], ["0"], ["-1"]], "b1": ["0", "0", "0"]},
    "data": {"x": [["1"], ["2"]], "y": [2, "0"]},
    "optimizer": {"kind": "gd", "lr": "1"}, "steps": 1, "arithmetic": "interval:64"})");
  EXPECT_EQ(softmax.data.Y, matrix({{2}, {0}}));
}

// Documents built with nlohmann::json in code hold signed integers where parsed text holds
// unsigned ones: both read the same.
TEST(Scenario, ReadsDocumentsBuiltInCode) {
  json d = example();
  d["optimizer"]["batches"] = {{1}, {0, 1}};
  d["steps"] = 2;
  d["init"] = {{"seed", 3}};
  d.erase("params");
  const Scenario s = parse_scenario(d);
  EXPECT_EQ(s.schedule.batches(), (std::vector<Batch>{{1}, {0, 1}}));
  EXPECT_EQ(s.steps, 2);
}

TEST(Scenario, InitIsExactAndDeterministic) {
  json d = example();
  d.erase("params");
  d["init"] = {{"seed", 7}, {"scale", "1/2"}};
  const Scenario a = parse_scenario(d), b = parse_scenario(d);
  EXPECT_EQ(a.theta0, b.theta0);
  for (Eigen::Index k = 0; k < a.theta0.size(); ++k) {
    const Rational k8 = a.theta0[k] * 16;  // scale * k / 8 with scale 1/2
    EXPECT_EQ(denominator(k8), 1);
    EXPECT_LE(abs(k8), 8);
  }
}

struct Refusal {
  const char* name;
  std::function<void(json&)> edit;
  std::string message;  // the whole message
};

// GoogleTest prints a case by its name (not as the bytes of the struct).
void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class Refuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(Refuses, WithOneLineNamingTheField) {
  json d = example();
  GetParam().edit(d);
  const std::string message = error_of(d);
  EXPECT_EQ(message, GetParam().message);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

const std::string kNumberHelp = " (write an integer, a decimal such as -0.125 or 1e-3, or a fraction p/q)";

INSTANTIATE_TEST_SUITE_P(
    Scenario, Refuses,
    ::testing::Values(
        Refusal{"zero_denominator", [](json& d) { d["params"]["W1"][2][0] = "1/0"; },
                "params.W1[2][0]: malformed number \"1/0\": zero denominator" + kNumberHelp},
        Refusal{"empty_number", [](json& d) { d["data"]["x"][0][1] = ""; },
                "data.x[0][1]: malformed number \"\": empty" + kNumberHelp},
        Refusal{"nan", [](json& d) { d["optimizer"]["lr"] = "nan"; },
                "optimizer.lr: malformed number \"nan\": not a number" + kNumberHelp},
        Refusal{"inf", [](json& d) { d["params"]["W2"][0][0] = "-inf"; },
                "params.W2[0][0]: malformed number \"-inf\": not a number" + kNumberHelp},
        Refusal{"json_float", [](json& d) { d["optimizer"]["weight_decay"] = 0.01; },
                "optimizer.weight_decay: the JSON number 0.01 is not exact (JSON readers round numbers "
                "with a fraction or an exponent to binary); quote it: write the number you mean as a "
                "string, e.g. \"0.1\" or \"1/10\""},
        Refusal{"number_of_wrong_type", [](json& d) { d["params"]["W2"][0][1] = true; },
                "params.W2[0][1]: expected a number (a string such as \"1/3\" or \"-0.25\", or a JSON "
                "integer), got true"},
        Refusal{"wrong_shape", [](json& d) { d["params"]["W1"].erase(2); },
                "params.W1: expected shape 3 x 2 (widths[1] x widths[0]), got 2 x 2"},
        Refusal{"transposed", [](json& d) { d["params"]["W2"] = {{"1"}, {"-1"}, {"1/4"}}; },
                "params.W2: expected shape 1 x 3 (widths[2] x widths[1]), got 3 x 1"},
        Refusal{"ragged", [](json& d) { d["params"]["W1"][1].push_back("3"); },
                "params.W1[1]: has 3 entries but row 0 has 2 (rows must have equal lengths)"},
        Refusal{"flat_weight", [](json& d) { d["params"]["W2"] = {"1", "-1", "1/4"}; },
                "params.W2[0]: expected a row (a list of numbers), got the string \"1\""},
        Refusal{"missing_block", [](json& d) { d["params"].erase("W2"); },
                "params.W2: missing (a 1 x 3 matrix)"},
        Refusal{"unknown_block", [](json& d) { d["params"]["W3"] = {{"1"}}; },
                "params.W3: unknown field (known here: W1, W2)"},
        Refusal{"missing_params", [](json& d) { d.erase("params"); },
                "params: missing (the start: W1 (3 x 2), W2 (1 x 3); or give init for a random start)"},
        Refusal{"params_and_init", [](json& d) { d["init"] = {{"seed", 1}}; },
                "init: give either params or init, not both"},
        Refusal{"negative_seed", [](json& d) { d.erase("params"); d["init"] = {{"seed", -1}}; },
                "init.seed: expected a JSON integer in 0..18446744073709551615, got the number -1"},
        Refusal{"unknown_root_field", [](json& d) { d["optimiser"] = d["optimizer"]; },
                "optimiser: unknown field (known here: version, description, model, params, init, data, "
                "optimizer, steps, arithmetic)"},
        Refusal{"unknown_optimizer_field", [](json& d) { d["optimizer"]["dampening"] = "0"; },
                "optimizer.dampening: unknown field (known here: kind, lr, weight_decay, momentum, "
                "nesterov, preconditioner, batches)"},
        Refusal{"missing_lr", [](json& d) { d["optimizer"].erase("lr"); },
                "optimizer.lr: missing (the learning rate, e.g. \"1/10\")"},
        Refusal{"negative_lr", [](json& d) { d["optimizer"]["lr"] = "-1/10"; },
                "optimizer.lr: must be >= 0, as torch.optim.SGD requires of lr, got -1/10"},
        Refusal{"nesterov_without_momentum", [](json& d) { d["optimizer"]["nesterov"] = true; },
                "optimizer.nesterov: nesterov needs a momentum > 0 (torch.optim.SGD refuses it otherwise)"},
        Refusal{"unknown_optimizer", [](json& d) { d["optimizer"]["kind"] = "adam"; },
                "optimizer.kind: unknown optimizer \"adam\" (use \"sgd\" or \"gd\")"},
        Refusal{"gd_with_batches", [](json& d) { d["optimizer"]["kind"] = "gd"; },
                "optimizer.batches: gd always uses the full batch: leave batches out or write \"full\""},
        Refusal{"sgd_without_batches", [](json& d) { d["optimizer"].erase("batches"); },
                "optimizer.batches: missing (sgd needs \"full\" or a list of index batches such as [[0], [1]])"},
        Refusal{"batch_index", [](json& d) { d["optimizer"]["batches"][2][1] = 2; },
                "optimizer.batches[2][1]: index 2 outside 0..1 (data has 2 samples)"},
        Refusal{"negative_batch_index", [](json& d) { d["optimizer"]["batches"][0][0] = -1; },
                "optimizer.batches[0][0]: index -1 outside 0..1 (data has 2 samples)"},
        Refusal{"empty_batch", [](json& d) { d["optimizer"]["batches"][1] = json::array(); },
                "optimizer.batches[1]: a batch needs at least one index"},
        Refusal{"string_index", [](json& d) { d["optimizer"]["batches"][0][0] = "0"; },
                "optimizer.batches[0][0]: expected a sample index (a JSON integer), got the string \"0\""},
        Refusal{"bad_preconditioner", [](json& d) { d["optimizer"]["preconditioner"] = {{"1"}}; },
                "optimizer.preconditioner: expected shape 9 x 9 (parameters x parameters, in the flat "
                "parameter order of docs/scenario.md), got 1 x 1"},
        Refusal{"negative_steps", [](json& d) { d["steps"] = -1; },
                "steps: expected an integer in 0..10000000, got -1"},
        Refusal{"fractional_steps", [](json& d) { d["steps"] = 1.5; },
                "steps: expected a JSON integer in 0..10000000, got the JSON number 1.5"},
        Refusal{"missing_steps", [](json& d) { d.erase("steps"); },
                "steps: missing (the number of optimizer steps)"},
        Refusal{"unknown_arithmetic", [](json& d) { d["arithmetic"] = "float"; },
                "arithmetic: unknown arithmetic \"float\" (use rational, interval:BITS, real:BITS or double)"},
        Refusal{"arithmetic_without_bits", [](json& d) { d["arithmetic"] = "interval"; },
                "arithmetic: \"interval\" needs a precision in bits, e.g. \"interval:128\""},
        Refusal{"arithmetic_bits", [](json& d) { d["arithmetic"] = "real:4"; },
                "arithmetic: \"real:4\": the precision must be a number of bits from 8 to 1048576"},
        Refusal{"version", [](json& d) { d["version"] = 2; },
                "version: unsupported version 2 (this entropic reads version 1)"},
        Refusal{"unknown_model", [](json& d) { d["model"]["kind"] = "resnet"; },
                "model.kind: unknown model kind \"resnet\" (use deep_linear, mlp, softmax, "
                "normalized_linear, cosine_square or centered_linear)"},
        Refusal{"activation_on_deep_linear", [](json& d) { d["model"]["activation"] = "relu"; },
                "model.activation: unknown field (known here: kind, widths, embed_in, embed_out)"},
        Refusal{"zero_width", [](json& d) { d["model"]["widths"][1] = 0; },
                "model.widths[1]: expected an integer in 1..4096, got 0"},
        Refusal{"one_width", [](json& d) { d["model"]["widths"] = {2}; },
                "model.widths: give at least two widths, [d_in, ..., d_out]"},
        Refusal{"rows_of_y", [](json& d) { d["data"]["y"].erase(1); },
                "data.y: expected shape 2 x 1 (one row per sample of data.x, output dimension 1), got 1 x 1"},
        Refusal{"width_of_x", [](json& d) { d["data"]["x"] = {{"1"}, {"2"}}; },
                "data.x: expected shape N x 2 (one row per sample, input dimension 2), got 2 x 1"},
        Refusal{"no_samples", [](json& d) { d["data"]["x"] = json::array(); },
                "data.x: expected a matrix of shape N x 2 (one row per sample, input dimension 2), a list "
                "of rows, got an empty list"},
        Refusal{"rational_tanh",
                [](json& d) {
                  d["model"] = {{"kind", "mlp"}, {"widths", {2, 3, 1}}, {"activation", "tanh"}};
                },
                "arithmetic: \"rational\" cannot run this model: a tanh activation needs exp, whose values "
                "are not rational; use \"interval:BITS\" (certified) or \"real:BITS\""},
        Refusal{"leaky_relu_without_slope",
                [](json& d) {
                  d["model"] = {{"kind", "mlp"}, {"widths", {2, 3, 1}}, {"activation", "leaky_relu"}};
                },
                "model.activation: leaky_relu needs its negative slope, e.g. \"leaky_relu:1/100\" "
                "(PyTorch's default)"},
        Refusal{"softmax_label",
                [](json& d) {
                  d["model"] = {{"kind", "softmax"}, {"widths", {2, 3}}};
                  d["params"] = json::parse(R"({"W1": [["0", "0"], ["0", "0"], ["0", "0"]]})");
                  d["data"]["y"] = json::parse(R"([["1"], ["5/2"]])");
                  d["arithmetic"] = "double";
                },
                "data.y[1][0]: a class index must be an integer in 0..2, got 5/2"}),
    [](const ::testing::TestParamInfo<Refusal>& info) { return std::string(info.param.name); });

TEST(ScenarioText, RefusesDuplicateKeysAndBadJsonInOneLine) {
  auto error_of_text = [](const std::string& text) -> std::string {
    try {
      parse_scenario_text(text);
    } catch (const scenario_error& e) {
      return e.what();
    }
    return "(loaded without error)";
  };
  EXPECT_EQ(error_of_text(R"({"optimizer": {"lr": "1", "lr": "2"}})"),
            "optimizer.lr: duplicate key \"lr\" (each field may appear once)");
  EXPECT_EQ(error_of_text(R"({"params": {"W1": [["1"], ["2"]]}, "data": {}, "data": {}})"),
            "data: duplicate key \"data\" (each field may appear once)");
  const std::string bad = error_of_text("{\"steps\": 3,\n}");
  EXPECT_EQ(bad.rfind("not valid JSON: parse error at line 2, column 1", 0), 0u) << bad;
  EXPECT_EQ(bad.find('\n'), std::string::npos);
  EXPECT_EQ(error_of_text("[1, 2]"), "expected a JSON object, got a JSON array");
}

TEST(ScenarioFile, MessagesStartWithThePath) {
  try {
    load_scenario(ENTROPIC_IO_SCENARIOS "/wrong_shape.json");
    FAIL() << "loaded";
  } catch (const scenario_error& e) {
    EXPECT_EQ(std::string(e.what()), ENTROPIC_IO_SCENARIOS "/wrong_shape.json: params.W1: expected shape "
                                     "3 x 2 (widths[1] x widths[0]), got 2 x 2");
  }
  EXPECT_THROW(load_scenario(ENTROPIC_IO_SCENARIOS "/no_such_file.json"), scenario_error);
}

}  // namespace
}  // namespace entropic
