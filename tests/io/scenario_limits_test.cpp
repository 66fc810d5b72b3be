// What the scenario loader refuses beyond malformed fields: the limits of docs/scenario.md
// ("Limits"), a start outside the model's domain, input that is not a regular file, exceptions of
// the libraries underneath, and the echo of input in messages (one short line, no control
// characters). tests/io/malformed/ is the same as files, through the command line.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "entropic/io/exact_values.hpp"
#include "entropic/io/json_text.hpp"
#include "entropic/io/scenario.hpp"
#include "scenario_error_of.hpp"
#include "entropic/numeric/exact_text.hpp"

namespace entropic {
namespace {

using nlohmann::json;

json uwx() {
  return json::parse(R"({
    "model": {"kind": "deep_linear", "widths": [1, 1, 1]},
    "params": {"W1": [["1"]], "W2": [["1/2"]]},
    "data": {"x": [["1"]], "y": [["1"]]},
    "optimizer": {"kind": "sgd", "lr": "1/10", "batches": "full"},
    "steps": 2,
    "arithmetic": "rational"
  })");
}

// W1 = [[a, b]].
json cosine(std::initializer_list<std::initializer_list<const char*>> rows, const std::string& arithmetic) {
  json w1 = json::array();
  for (const auto& row : rows) {
    json r = json::array();
    for (const char* x : row) r.push_back(x);
    w1.push_back(r);
  }
  json d = {{"model", {{"kind", "cosine_square"}, {"widths", {2, 1}}}},
            {"params", {{"W1", w1}}},
            {"data", {{"x", json::array({json::array({"1", "0"})})}, {"y", json::array({"1"})}}},
            {"optimizer", {{"kind", "gd"}, {"lr", "1/10"}}},
            {"steps", 3},
            {"arithmetic", arithmetic}};
  return d;
}

using test::error_of;

std::string error_of_text(const std::string& text) {
  try {
    parse_scenario_text(text);
  } catch (const scenario_error& e) {
    return e.what();
  }
  return "(loaded without error)";
}

std::string error_of_file(const std::string& path) {
  try {
    load_scenario(path);
  } catch (const scenario_error& e) {
    return e.what();
  }
  return "(loaded without error)";
}

// Every message: one line, no control character, well under 1 KB.
void expect_one_short_line(const std::string& message) {
  EXPECT_LT(message.size(), 1000u) << message.substr(0, 200);
  for (char c : message) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F) << message;
}

const std::string kLimits = " (docs/scenario.md, \"Limits\")";

// ---- limits ------------------------------------------------------------------------------------

TEST(ScenarioLimits, StepsAtMostTenMillion) {
  json d = uwx();
  d["steps"] = kMaxSteps;
  EXPECT_EQ(parse_scenario(d).steps, kMaxSteps);
  for (const json& steps : {json(2147483647), json(kMaxSteps + 1), json(std::uint64_t(1) << 63)}) {
    d["steps"] = steps;
    EXPECT_EQ(error_of(d), "steps: " + steps.dump() + ": more than the limit of 10000000 steps" + kLimits);
  }
}

TEST(ScenarioLimits, AJsonNumberBeyondDoubleNamesItsField) {
  EXPECT_EQ(error_of_text(R"({"version": 1, "steps": 1e400})"),
            "steps: the JSON number 1e400 is out of range (beyond the largest double)");
  EXPECT_EQ(error_of_text(R"({"data": {"x": [["1", -1E+999]]}})"),
            "data.x[0][1]: the JSON number -1E+999 is out of range (beyond the largest double)");
  // A JSON integer beyond 64 bits is read as a double: a JSON number, not an integer.
  json d = uwx();
  const std::string text = d.dump();
  const std::string big = "123456789012345678901234567890";
  EXPECT_EQ(error_of_text(text.substr(0, text.find("\"steps\":")) + "\"steps\":" + big + "}"),
            "steps: expected a JSON integer in 0..10000000, got the JSON number 1.2345678901234568e+29");
}

TEST(ScenarioLimits, WidthsLayersAndParameters) {
  json d = uwx();
  d["model"]["widths"] = {1, 4097, 1};
  EXPECT_EQ(error_of(d), "model.widths[1]: 4097: more than the limit of 4096 for a width" + kLimits);
  d["model"]["widths"] = json::array();
  for (int i = 0; i < 66; ++i) d["model"]["widths"].push_back(1);
  EXPECT_EQ(error_of(d), "model.widths: 65 layers: more than the limit of 64 layers" + kLimits);
  // 64 layers of 4096 x 4096 would be 2^30 parameters: refused before anything is allocated.
  d = uwx();
  d.erase("params");
  d["init"] = {{"seed", 1}};
  d["model"]["widths"] = json::array();
  for (int i = 0; i < 65; ++i) d["model"]["widths"].push_back(4096);
  EXPECT_EQ(error_of(d), "model.widths: these widths make 1073741824 parameters: more than the limit "
                         "of 1000000" + kLimits);
}

TEST(ScenarioLimits, SamplesBatchesAndBatchSizes) {
  json d = uwx();
  d["data"]["x"] = json::array();
  for (int i = 0; i <= kMaxSamples; ++i) d["data"]["x"].push_back(json::array({0}));
  EXPECT_EQ(error_of(d), "data.x: 1000001 rows: more than the limit of 1000000 samples" + kLimits);

  d = uwx();
  d["optimizer"]["batches"] = json::array({json::array()});
  for (int i = 0; i <= kMaxBatchSize; ++i) d["optimizer"]["batches"][0].push_back(0);
  EXPECT_EQ(error_of(d), "optimizer.batches[0]: 1000001 entries: more than the limit of 1000000 "
                         "indices in a batch" + kLimits);

  d["optimizer"]["batches"] = json::array();
  for (int i = 0; i <= kMaxBatches; ++i) d["optimizer"]["batches"].push_back(json::array({0}));
  EXPECT_EQ(error_of(d), "optimizer.batches: 1000001 entries: more than the limit of 1000000 batches" + kLimits);
}

TEST(ScenarioLimits, NestingAndNumberOfValues) {
  std::string deep = "{\"data\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  const std::string m = error_of_text(deep);
  EXPECT_NE(m.find("nested deeper than 32 levels"), std::string::npos) << m;
  EXPECT_EQ(m.rfind("data[0][0]", 0), 0u) << m;
  std::string many = "{\"description\": [0";
  many.reserve(2 * kMaxJsonValues + 64);
  for (std::size_t i = 0; i < kMaxJsonValues; ++i) many += ",0";
  many += "]}";
  EXPECT_EQ(error_of_text(many),
            "description[4194302]: more than 4194304 JSON values (the limit of a scenario file)");
}

TEST(ScenarioLimits, ExactNumbersHaveBoundedExponentsAndDigits) {
  json d = uwx();
  d["optimizer"]["lr"] = "1e-10000";
  EXPECT_EQ(parse_scenario(d).optimizer.lr, Rational(1, parse_rational("1e10000")));
  d["optimizer"]["lr"] = "1e10001";
  EXPECT_EQ(error_of(d), "optimizer.lr: malformed number \"1e10001\": exponent beyond the limit of "
                         "10000 in absolute value (write an integer, a decimal such as -0.125 or "
                         "1e-3, or a fraction p/q)");
  d["optimizer"]["lr"] = "1/" + std::string(kMaxExactDigits - 1, '7');
  EXPECT_EQ(error_of(d), "(loaded without error)") << "10000 digits are allowed";
  d["optimizer"]["lr"] = "1/" + std::string(kMaxExactDigits, '7');
  const std::string m = error_of(d);
  EXPECT_NE(m.find("10001 digits: more than the limit of 10000 digits"), std::string::npos) << m;
  expect_one_short_line(m);
  // The old cost: 10^e by e multiplications. Forty of the largest exponents now take milliseconds.
  d = uwx();
  d["data"]["x"] = json::array();
  d["data"]["y"] = json::array();
  for (int i = 0; i < 40; ++i) {
    d["data"]["x"].push_back({"1e10000"});
    d["data"]["y"].push_back({"-1e-10000"});
  }
  const auto start = std::chrono::steady_clock::now();
  parse_scenario(d);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  const auto general = std::chrono::steady_clock::now();
  EXPECT_EQ(parse_rational("1e100000"), parse_rational("1e50000") * parse_rational("1e50000"));
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - general).count(), 0.5);
}

// ---- the model's domain ------------------------------------------------------------------------

TEST(ScenarioDomain, ZeroStartOfAScaleInvariantModelIsBadInput) {
  const std::string cos = "params.W1: W1 = 0 is outside the domain of cosine_square: f = (x^T w)^2 / "
                          "||w||^2 divides by ||W1||^2; give a nonzero start";
  for (const char* arithmetic : {"rational", "double", "interval:64", "real:64"})
    EXPECT_EQ(error_of(cosine({{"0", "0"}}, arithmetic)), cos) << arithmetic;
  EXPECT_EQ(error_of(cosine({{"0", "1/3"}}, "rational")), "(loaded without error)");

  json n = cosine({{"0", "0"}}, "interval:64");
  n["model"]["kind"] = "normalized_linear";
  EXPECT_EQ(error_of(n), "params.W1: W1 = 0 is outside the domain of normalized_linear: f = W1 x / "
                         "||W1||_F divides by ||W1||; give a nonzero start");
  // A random start of scale 0 is W1 = 0 whatever the seed.
  n.erase("params");
  n["init"] = {{"seed", 3}, {"scale", "0"}};
  EXPECT_EQ(error_of(n), "init: the random start's W1 = 0 is outside the domain of normalized_linear: "
                         "f = W1 x / ||W1||_F divides by ||W1||; choose another seed or a nonzero scale");
  // Models defined everywhere accept a zero start.
  json d = uwx();
  d["params"]["W1"] = {{"0"}};
  EXPECT_EQ(error_of(d), "(loaded without error)");
}

TEST(ScenarioDomain, DoubleCannotHoldTheNorm) {
  EXPECT_EQ(error_of(cosine({{"1e-200", "0"}}, "double")),
            "params.W1: ||W1||^2 underflows to 0 in double arithmetic, and cosine_square's f = (x^T "
            "w)^2 / ||w||^2 divides by ||W1||^2; use rational, interval:BITS or real:BITS");
  EXPECT_NE(error_of(cosine({{"1e200", "0"}}, "double")).find("||W1||^2 overflows in double"), std::string::npos);
  EXPECT_EQ(error_of(cosine({{"1e-200", "0"}}, "interval:64")), "(loaded without error)");
}

// ---- messages ----------------------------------------------------------------------------------

TEST(ScenarioMessages, EchoTextEscapesAndShortens) {
  EXPECT_EQ(echo_text("relu"), "relu");
  EXPECT_EQ(echo_text(std::string("a\nb\x1b[2J\0c\t\\", 11)), "a\\nb\\x1b[2J\\0c\\t\\\\");
  EXPECT_EQ(echo_text("\xc2\x9b" "2J \xe2\x80\xae" "x \xff"), "\\u009b2J \\u202ex \\xff");
  EXPECT_EQ(echo_text("h\xc3\xa9llo \xf0\x9f\x98\x80"), "h\xc3\xa9llo \xf0\x9f\x98\x80");  // UTF-8 is kept
  EXPECT_EQ(echo_text(std::string(100000, '9')), std::string(60, '9') + "... (100000 characters)");
  // Characters, not bytes: a cut never splits one.
  std::string e;
  for (int i = 0; i < 61; ++i) e += "\xc3\xa9";
  std::string first;
  for (int i = 0; i < 60; ++i) first += "\xc3\xa9";
  EXPECT_EQ(echo_text(e), first + "... (61 characters)");
}

TEST(ScenarioMessages, EchoedValuesAreOneShortLine) {
  json d = uwx();
  d["model"]["kind"] = std::string("a\nb\x1b[2J\0c", 9);
  EXPECT_EQ(error_of(d), "model.kind: unknown model kind \"a\\nb\\x1b[2J\\0c\" (use deep_linear, mlp, "
                         "softmax, normalized_linear, cosine_square or centered_linear)");
  d = uwx();
  d["optimizer"]["lr"] = std::string(100000, '1') + "x";
  std::string m = error_of(d);
  EXPECT_EQ(m.rfind("optimizer.lr: malformed number \"" + std::string(60, '1') + "... (100001 characters)\"", 0), 0u) << m;
  expect_one_short_line(m);
  d = uwx();
  d["optimizer"][std::string(5000, 'k') + "\n"] = 1;
  m = error_of(d);
  EXPECT_EQ(m.rfind("optimizer." + std::string(60, 'k') + "... (5001 characters): unknown field", 0), 0u) << m;
  expect_one_short_line(m);
  // A value computed from the input is shown the same way.
  d = uwx();
  d["optimizer"]["lr"] = "-1/" + std::string(9000, '3');
  EXPECT_EQ(error_of(d), "optimizer.lr: must be >= 0, as torch.optim.SGD requires of lr, got -1/" +
                             std::string(57, '3') + "... (9003 characters)");
  // So is the list of the fields a deep model knows.
  d = uwx();
  d["model"] = {{"kind", "mlp"}, {"widths", json::array()}, {"activation", "relu"}, {"bias", true}};
  for (int i = 0; i < 65; ++i) d["model"]["widths"].push_back(1);
  d["params"] = {{"W0", 1}};
  for (int i = 1; i <= 64; ++i) {
    d["params"]["W" + std::to_string(i)] = json::array({json::array({"1"})});
    d["params"]["b" + std::to_string(i)] = json::array({"0"});
  }
  m = error_of(d);
  EXPECT_EQ(m, "params.W0: unknown field (known here: W1, b1, W2, b2, W3, b3, W4, b4, W5, b5, W6, b6, W7, "
               "b7, W8, b8, ... (128 fields))");
  d = uwx();
  d["arithmetic"] = "interval:\x1b[31m";
  EXPECT_EQ(error_of(d), "arithmetic: \"interval:\\x1b[31m\": the precision must be a number of bits "
                         "from 8 to 1048576");
  d = uwx();
  d["steps"] = std::string(3000, '\x07');
  expect_one_short_line(error_of(d));
  // A duplicate key, and the token nlohmann quotes, are shown the same way.
  m = error_of_text("{\"" + std::string(300, 'q') + "\": 1, \"" + std::string(300, 'q') + "\": 2}");
  EXPECT_NE(m.find("duplicate key \"" + std::string(60, 'q') + "... (300 characters)\""), std::string::npos) << m;
  m = error_of_text("{\"steps\": \"" + std::string(5000, 'z') + "\x01\"}");
  EXPECT_NE(m.find("last read: '\"" + std::string(59, 'z') + "... ("), std::string::npos) << m;
  expect_one_short_line(m);
}

// ---- files -------------------------------------------------------------------------------------

class ScenarioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = (std::filesystem::temp_directory_path() / "entropic-scenario-XXXXXX").string();
    ASSERT_NE(mkdtemp(name.data()), nullptr);
    dir_ = name;
  }
  void TearDown() override {
    for (const char* f : {"/empty.json", "/large.json", "/fifo.json", "/ok.json"}) std::remove((dir_ + f).c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(ScenarioFileTest, RefusesWhatIsNotARegularFileOfBoundedSize) {
  EXPECT_EQ(error_of_file(dir_), dir_ + ": is a directory: a scenario file must be a regular file");
  EXPECT_EQ(error_of_file("/dev/zero"), "/dev/zero: is a character device: a scenario file must be a regular file");
  ASSERT_EQ(mkfifo((dir_ + "/fifo.json").c_str(), 0600), 0);  // no writer: must not block
  EXPECT_EQ(error_of_file(dir_ + "/fifo.json"), dir_ + "/fifo.json: is a fifo: a scenario file must be a regular file");
  std::ofstream(dir_ + "/empty.json").close();
  EXPECT_EQ(error_of_file(dir_ + "/empty.json"), dir_ + "/empty.json: the file is empty (a scenario is a JSON object)");
  // A sparse file beyond the limit: refused from its size, before a byte is read.
  std::ofstream(dir_ + "/large.json").close();
  ASSERT_EQ(truncate((dir_ + "/large.json").c_str(), static_cast<off_t>(kMaxScenarioBytes) + 1), 0);
  EXPECT_EQ(error_of_file(dir_ + "/large.json"),
            dir_ + "/large.json: 67108865 bytes: larger than the limit of 64 MiB (67108864 bytes) for a "
                   "scenario file" + kLimits);
  std::ofstream(dir_ + "/ok.json") << uwx().dump();
  EXPECT_EQ(error_of_file(dir_ + "/ok.json"), "(loaded without error)");
  // The path is input too.
  EXPECT_EQ(error_of_file(dir_ + "/no\nsuch"), dir_ + "/no\\nsuch: cannot read the scenario file: No such file or directory");
}

}  // namespace
}  // namespace entropic
