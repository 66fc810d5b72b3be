// The size profile of generated training runs (gen/size_profile.hpp, gen::at_size_profile): under
// `large` every free width takes one common width, the smallest giving at least 200 parameters;
// fixed architectures are unchanged; the standard profile keeps the claim's sizes (the control).
#include <gtest/gtest.h>

#include "entropic/gen/by_size_profile.hpp"
#include "entropic/gen/training_run.hpp"
#include "entropic/model/make_model.hpp"

namespace entropic {
namespace {

int parameters(const gen::RunShape& shape) {
  ModelSpec spec;
  spec.kind = shape.kind;
  spec.bias = shape.bias;
  spec.widths = shape.max_widths;
  return make_model<Rational>(spec)->parameter_count();
}

gen::RunShape shape(ModelKind kind, std::vector<int> lo, std::vector<int> hi, bool bias = false) {
  gen::RunShape s;
  s.kind = kind;
  s.min_widths = std::move(lo);
  s.max_widths = std::move(hi);
  s.bias = bias;
  return s;
}

TEST(SizeProfile, LargeTakesFreeWidthsToTwoHundredParameters) {
  // deep linear [1..3, 1..3, 1..3, 1..2]: every width free, [w, w, w, w] has 3 w^2 parameters,
  // at least 200 first at w = 9 (243); w = 8 gives 192.
  const gen::RunShape deep = shape(ModelKind::deep_linear, {1, 1, 1, 1}, {3, 3, 3, 2});
  const gen::RunShape large = gen::at_size_profile(deep, gen::SizeProfile::large);
  EXPECT_EQ(large.min_widths, (std::vector<int>{9, 9, 9, 9}));
  EXPECT_EQ(large.max_widths, large.min_widths);
  EXPECT_GE(parameters(large), gen::kLargeProfileParameters);
  gen::RunShape smaller = large;
  for (int& w : smaller.max_widths) w -= 1;
  EXPECT_LT(parameters(smaller), gen::kLargeProfileParameters);  // the smallest such width
  // A fixed width stays: the output of [1..3, 1..3, 1] remains 1 ((w + 1)^2 parameters with biases:
  // w = 14).
  const gen::RunShape one_output = gen::at_size_profile(shape(ModelKind::mlp, {1, 1, 1}, {3, 3, 1}, true),
                                                        gen::SizeProfile::large);
  EXPECT_EQ(one_output.max_widths, (std::vector<int>{14, 14, 1}));
  EXPECT_GE(parameters(one_output), gen::kLargeProfileParameters);
  // f = u w x: the hypothesis fixes the architecture.
  const gen::RunShape product = shape(ModelKind::deep_linear, {1, 1, 1}, {1, 1, 1});
  EXPECT_EQ(gen::at_size_profile(product, gen::SizeProfile::large).max_widths, product.max_widths);
  EXPECT_EQ(gen::at_size_profile(deep, gen::SizeProfile::standard).max_widths, deep.max_widths);
}

TEST(SizeProfile, GeneratedRunsFollowTheProfileInForce) {
  const rc::Gen<TrainingRun> runs = gen::training_run(shape(ModelKind::deep_linear, {1, 1, 1}, {3, 3, 2}));
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    {
      const gen::SizeProfileScope large(gen::SizeProfile::large);
      EXPECT_GE(runs(rc::Random(seed), 50).value().theta0.size(), gen::kLargeProfileParameters);
    }
    EXPECT_LE(runs(rc::Random(seed), 50).value().theta0.size(), 3 * 3 + 3 * 2);  // standard again
  }
  EXPECT_EQ(gen::parse_size_profile("large"), gen::SizeProfile::large);
  EXPECT_THROW(gen::parse_size_profile("huge"), std::invalid_argument);
}

// by_size_profile hands the standard generator the random stream it would have had alone: its
// draws are those of the generator by itself (so past replay strings keep their instances), and
// under `large` the large generator's. Control: the same standard generator inside rc::gen::exec,
// the branch by_size_profile replaces, draws other values from the same seeds.
TEST(SizeProfile, BySizeProfileKeepsTheStandardDraws) {
  const rc::Gen<int> standard = gen::in_range(0, 1000000), large = rc::gen::just(-1);
  const rc::Gen<int> sized = gen::by_size_profile(standard, large);
  const rc::Gen<int> nested = rc::gen::exec([standard] { return *standard; });
  int nested_differs = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const rc::Random random(seed);
    EXPECT_EQ(sized(random, 50).value(), standard(random, 50).value()) << "seed " << seed;
    nested_differs += nested(random, 50).value() != standard(random, 50).value();
    const gen::SizeProfileScope scope(gen::SizeProfile::large);
    EXPECT_EQ(sized(random, 50).value(), -1);
  }
  EXPECT_GT(nested_differs, 10);
}

}  // namespace
}  // namespace entropic
