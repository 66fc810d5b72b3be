// init's random start is what docs/scenario.md says it is: checked against MT19937-64 written here
// from the published algorithm (Matsumoto and Nishimura, mt19937-64.c, 2004), so that another
// implementation following the docs reproduces the same parameters.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>

#include "entropic/io/random_init.hpp"
#include "entropic/model/make_model.hpp"

namespace entropic {
namespace {

class Mt19937_64 {
 public:
  explicit Mt19937_64(std::uint64_t seed) {
    mt_[0] = seed;
    for (int i = 1; i < kN; ++i) mt_[i] = 6364136223846793005ULL * (mt_[i - 1] ^ (mt_[i - 1] >> 62)) + i;
  }
  std::uint64_t next() {
    if (i_ >= kN) twist();
    std::uint64_t x = mt_[i_++];
    x ^= (x >> 29) & 0x5555555555555555ULL;
    x ^= (x << 17) & 0x71D67FFFEDA60000ULL;
    x ^= (x << 37) & 0xFFF7EEE000000000ULL;
    return x ^ (x >> 43);
  }

 private:
  static constexpr int kN = 312, kM = 156;
  static constexpr std::uint64_t kA = 0xB5026F5AA96619E9ULL, kUpper = 0xFFFFFFFF80000000ULL,
                                 kLower = 0x7FFFFFFFULL;
  void twist() {
    for (int i = 0; i < kN; ++i) {
      const std::uint64_t x = (mt_[i] & kUpper) | (mt_[(i + 1) % kN] & kLower);
      mt_[i] = mt_[(i + kM) % kN] ^ (x >> 1) ^ ((x & 1) ? kA : 0);
    }
    i_ = 0;
  }
  std::array<std::uint64_t, kN> mt_;
  int i_ = kN;
};

TEST(Mt19937_64Reference, MatchesTheStandardsCheckValue) {
  // The C++ standard ([rand.predef]): the 10000th output of a default-constructed mt19937_64
  // (seed 5489) is 9981545732273789042.
  Mt19937_64 reference(5489);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = reference.next();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(RandomInit, FollowsTheDocumentedRecipe) {
  ModelSpec spec;
  spec.kind = ModelKind::mlp;
  spec.widths = {3, 4, 2};
  spec.bias = true;
  const Layout layout = make_model<Rational>(spec)->layout();
  const RandomInit init{7, Rational(1, 2)};
  const Vec<Rational> theta = random_parameters(layout, init);

  // docs/scenario.md: reject x = 2^64 - 1, k = (x mod 17) - 8, entries scale k / 8, blocks in
  // order, each row by row.
  Mt19937_64 reference(7);
  for (const Block& b : layout.blocks())
    for (int i = 0; i < b.rows; ++i)
      for (int j = 0; j < b.cols; ++j) {
        std::uint64_t x;
        do x = reference.next();
        while (x == UINT64_MAX);
        const int k = static_cast<int>(x % 17) - 8;
        EXPECT_EQ(theta[layout.at(layout.index(b.name), i, j)], Rational(k, 16)) << b.name << "[" << i << "][" << j << "]";
      }
}

TEST(RandomInit, IsDeterministicPerSeedAndCoversTheRange) {
  Layout layout;
  layout.add("W1", 40, 40);
  const Vec<Rational> a = random_parameters(layout, {7, 1}), b = random_parameters(layout, {7, 1});
  const Vec<Rational> c = random_parameters(layout, {8, 1});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // 1600 draws of 17 values: every k appears (each misses with probability (16/17)^1600 < 1e-42).
  std::array<int, 17> seen{};
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const Rational k = a[i] * 8;
    ASSERT_EQ(denominator(k), 1);
    ASSERT_LE(abs(k), 8);
    ++seen[static_cast<int>(numerator(k)) + 8];
  }
  for (int k = 0; k < 17; ++k) EXPECT_GT(seen[k], 0) << "k = " << k - 8;
}

}  // namespace
}  // namespace entropic
