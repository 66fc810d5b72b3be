// Replay strings (ReplayKey::text and ReplayKey::parse): CLAIM.PART[/MUTANT]:s=SEED:z=SIZE[:p=I.J.K],
// read exactly. A string that is not one is refused with the offending field named, never read
// as a nearby key (a wrapped negative seed, a dropped trailing field).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "entropic/verify/claim.hpp"

namespace entropic {
namespace {

TEST(ReplayKeyParse, ReadsEveryField) {
  std::string why;
  const auto k = ReplayKey::parse("N1.rescaling:s=12984908531646441976:z=9:p=0.1.1.1.1.3", &why);
  ASSERT_TRUE(k) << why;
  EXPECT_EQ(k->claim, "N1");
  EXPECT_EQ(k->part, "rescaling");
  EXPECT_EQ(k->seed, 12984908531646441976ULL);
  EXPECT_EQ(k->size, 9);
  EXPECT_EQ(k->path, (std::vector<int>{0, 1, 1, 1, 1, 3}));
  EXPECT_TRUE(why.empty());
}

TEST(ReplayKeyParse, ReadsAMutantAndTheEndsOfEachRange) {
  const auto k = ReplayKey::parse("T5.product/swapped:s=18446744073709551615:z=1000");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->part, "product/swapped");
  EXPECT_EQ(k->seed, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(k->size, ReplayKey::kMaxSize);
  EXPECT_TRUE(k->path.empty());
  const auto zero = ReplayKey::parse("my_claim-2.law:s=0:z=0:p=2147483647");
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->claim, "my_claim-2");
  EXPECT_EQ(zero->seed, 0u);
  EXPECT_EQ(zero->path, std::vector<int>{2147483647});
}

struct Refusal {
  const char* name;  // the case's name in the test's name
  std::string text;  // not a replay string
  std::string why;   // the whole reason parse gives
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class ReplayKeyRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(ReplayKeyRefuses, NamingTheField) {
  std::string why = "(unchanged)";
  const auto k = ReplayKey::parse(GetParam().text, &why);
  EXPECT_FALSE(k) << GetParam().text << " was read as " << k->text();
  EXPECT_EQ(why, GetParam().why);
  EXPECT_FALSE(ReplayKey::parse(GetParam().text));  // the same without a reason asked for
}

const std::string kSeed = "seed (s=) must be a decimal integer in 0..18446744073709551615, got ";
const std::string kSize = "size (z=) must be a decimal integer in 0..1000, got ";
const std::string kPath =
    "path (p=) must be shrink indices in 0..2147483647 separated by dots (p=0.2.1; omit :p= for an instance "
    "not shrunk), got ";

INSTANTIATE_TEST_SUITE_P(
    ReplayKey, ReplayKeyRefuses,
    ::testing::Values(
        Refusal{"empty", "", "the replay string is empty"},
        Refusal{"no_fields", "T5.law", "missing the seed (:s=SEED after CLAIM.PART)"},
        Refusal{"no_part", "T5:s=1:z=0", "the first field must be CLAIM.PART or CLAIM.PART/MUTANT, got 'T5'"},
        Refusal{"nonsense", "T5:nonsense", "the first field must be CLAIM.PART or CLAIM.PART/MUTANT, got 'T5'"},
        Refusal{"empty_claim", ".law:s=1:z=0", "claim id '' must be letters, digits, '_' and '-'"},
        Refusal{"space_in_claim", "T 5.law:s=1:z=0", "claim id 'T 5' must be letters, digits, '_' and '-'"},
        Refusal{"empty_part", "T5.:s=1:z=0", "part id '' must be lowercase letters, digits and '-'"},
        Refusal{"uppercase_part", "T5.Law:s=1:z=0", "part id 'Law' must be lowercase letters, digits and '-'"},
        Refusal{"empty_mutant", "T5.law/:s=1:z=0", "mutant id '' must be lowercase letters, digits and '-'"},
        Refusal{"mutant_of_mutant", "T5.law/a/b:s=1:z=0", "mutant id 'a/b' must be lowercase letters, digits and '-'"},
        Refusal{"leading_colon", ":T5.law:s=1:z=0", "empty CLAIM.PART before the first ':'"},
        Refusal{"missing_size", "T5.law:s=1", "missing the size (:z=SIZE after the seed)"},
        Refusal{"fields_swapped", "T5.law:z=0:s=1", "field 2 must be the seed s=SEED, got 'z=0'"},
        Refusal{"size_misnamed", "T5.law:s=1:size=0", "field 3 must be the size z=SIZE, got 'size=0'"},
        Refusal{"negative_seed", "T5.law:s=-1:z=0", kSeed + "'-1'"},
        Refusal{"plus_seed", "T5.law:s=+5:z=0", kSeed + "'+5'"},
        Refusal{"space_before_seed", "T5.law:s= 5:z=0", kSeed + "' 5'"},
        Refusal{"space_after_seed", "T5.law:s=5 :z=0", kSeed + "'5 '"},
        Refusal{"empty_seed", "T5.law:s=:z=0", kSeed + "''"},
        Refusal{"hex_seed", "T5.law:s=0x10:z=0", kSeed + "'0x10'"},
        Refusal{"seed_overflow", "T5.law:s=18446744073709551616:z=0", kSeed + "'18446744073709551616'"},
        Refusal{"huge_seed", "T5.law:s=99999999999999999999999999:z=0", kSeed + "'99999999999999999999999999'"},
        Refusal{"negative_size", "T5.law:s=1:z=-1", kSize + "'-1'"},
        Refusal{"size_too_large", "T5.law:s=1:z=1001", kSize + "'1001'"},
        Refusal{"size_overflow", "T5.law:s=1:z=4294967296", kSize + "'4294967296'"},
        Refusal{"plus_size", "T5.law:s=1:z=+5", kSize + "'+5'"},
        Refusal{"trailing_space", "T5.law:s=1:z=0 ", kSize + "'0 '"},
        Refusal{"control_character", "T5.law:s=1:z=0\r", kSize + "'0\\x0d'"},
        Refusal{"trailing_colon", "T5.law:s=1:z=0:", "a trailing ':' (nothing follows it)"},
        Refusal{"trailing_colon_after_path", "T5.law:s=1:z=0:p=1:", "a trailing ':' (nothing follows it)"},
        Refusal{"doubled_colon", "T5.law:s=1::z=0", "an empty field between two ':' (field 3)"},
        Refusal{"empty_path", "T5.law:s=1:z=0:p=", kPath + "''"},
        Refusal{"trailing_dot", "T5.law:s=1:z=0:p=1.", kPath + "'1.'"},
        Refusal{"leading_dot", "T5.law:s=1:z=0:p=.1", kPath + "'.1'"},
        Refusal{"doubled_dot", "T5.law:s=1:z=0:p=1..2", kPath + "'1..2'"},
        Refusal{"comma_path", "T5.law:s=1:z=0:p=1,2", kPath + "'1,2'"},
        Refusal{"negative_index", "T5.law:s=1:z=0:p=0.-1", kPath + "'0.-1'"},
        Refusal{"index_overflow", "T5.law:s=1:z=0:p=2147483648", kPath + "'2147483648'"},
        Refusal{"path_misnamed", "T5.law:s=1:z=0:q=1", "field 4 must be the shrink path p=I.J.K, got 'q=1'"},
        Refusal{"extra_field", "T5.law:s=1:z=0:p=1:x=2",
                "unexpected field 'x=2' after the path (a replay string has at most 4 fields)"}),
    [](const ::testing::TestParamInfo<Refusal>& info) { return std::string(info.param.name); });

// Every key the runner can make reads back as itself.
RC_GTEST_PROP(ReplayKeyParse, TextRoundTrips, ()) {
  ReplayKey k;
  k.claim = *rc::gen::elementOf(std::vector<std::string>{"T5", "N1", "U1", "my_claim-2"});
  k.part = *rc::gen::elementOf(std::vector<std::string>{"law", "product/swapped", "no-drift", "a1/b-2"});
  k.seed = *rc::gen::arbitrary<std::uint64_t>();
  k.size = *rc::gen::inRange(0, ReplayKey::kMaxSize + 1);
  k.path = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, std::numeric_limits<int>::max()));
  std::string why;
  const auto back = ReplayKey::parse(k.text(), &why);
  RC_ASSERT(back.has_value());
  RC_ASSERT(why.empty());
  RC_ASSERT(back->text() == k.text());
  RC_ASSERT(back->seed == k.seed);
  RC_ASSERT(back->size == k.size);
  RC_ASSERT(back->path == k.path);
}

}  // namespace
}  // namespace entropic
