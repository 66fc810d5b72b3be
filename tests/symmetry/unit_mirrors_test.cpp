// symmetry/unit_mirrors.hpp: the mirror directions of a hidden unit's sign flip and of a swap of two
// units give, through R = I - 2 O (O^T O)^{-1} O^T, exactly the builders' unit_sign_flip and
// hidden_permutation (rational), with O^T O = I and 2 I.
#include <gtest/gtest.h>

#include "entropic/model/make_model.hpp"
#include "entropic/model/mlp.hpp"
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/symmetry/unit_mirrors.hpp"

namespace entropic {
namespace {

using Q = Rational;

ModelSpec mlp_2_3_2(bool bias) {
  ModelSpec s;
  s.kind = ModelKind::mlp;
  s.widths = {2, 3, 2};
  s.activation.kind = ActivationKind::odd_cubic;
  s.bias = bias;
  return s;
}

TEST(UnitMirrors, EntriesOfAUnit) {
  const Mlp<Q> mlp(mlp_2_3_2(true));
  const Layout& L = mlp.layout();
  const std::vector<int> e = unit_entries(L, mlp.weight_block(1), mlp.bias_block(1), mlp.weight_block(2), 1);
  const std::vector<int> expected{L.at(mlp.weight_block(1), 1, 0), L.at(mlp.weight_block(1), 1, 1),
                                  L.at(mlp.bias_block(1), 1, 0), L.at(mlp.weight_block(2), 0, 1),
                                  L.at(mlp.weight_block(2), 1, 1)};
  EXPECT_EQ(e, expected);
  const Mlp<Q> no_bias(mlp_2_3_2(false));
  EXPECT_EQ(unit_entries(no_bias.layout(), no_bias.weight_block(1), -1, no_bias.weight_block(2), 1).size(), 4u);
}

TEST(UnitMirrors, FlipDirectionsGiveTheSignFlip) {
  for (bool bias : {true, false}) {
    const Mlp<Q> mlp(mlp_2_3_2(bias));
    const int w_in = mlp.weight_block(1), b_in = mlp.bias_block(1), w_out = mlp.weight_block(2);
    for (int k = 0; k < 3; ++k) {
      const Mat<Q> O = unit_flip_directions<Q>(mlp.layout(), w_in, b_in, w_out, k);
      EXPECT_EQ(Mat<Q>(O.transpose() * O), Mat<Q>(Mat<Q>::Identity(O.cols(), O.cols())));
      EXPECT_EQ(mirror<Q>(O).M, unit_sign_flip<Q>(mlp.layout(), w_in, b_in, w_out, k).M) << "unit " << k;
    }
  }
}

TEST(UnitMirrors, SwapDirectionsGiveTheSwap) {
  for (bool bias : {true, false}) {
    const Mlp<Q> mlp(mlp_2_3_2(bias));
    const int w_in = mlp.weight_block(1), b_in = mlp.bias_block(1), w_out = mlp.weight_block(2);
    for (const auto& [i, j] : {std::pair{0, 1}, std::pair{0, 2}, std::pair{2, 1}}) {
      const Mat<Q> O = unit_swap_directions<Q>(mlp.layout(), w_in, b_in, w_out, i, j);
      EXPECT_EQ(Mat<Q>(O.transpose() * O), Mat<Q>(2 * Mat<Q>::Identity(O.cols(), O.cols())));
      std::vector<int> perm{0, 1, 2};
      std::swap(perm[i], perm[j]);
      EXPECT_EQ(mirror<Q>(O).M, hidden_permutation<Q>(mlp.layout(), w_in, b_in, w_out, perm).M)
          << "units " << i << ", " << j;
    }
  }
  const Mlp<Q> mlp(mlp_2_3_2(true));
  EXPECT_THROW(unit_swap_directions<Q>(mlp.layout(), mlp.weight_block(1), mlp.bias_block(1), mlp.weight_block(2), 1, 1),
               std::invalid_argument);
}

}  // namespace
}  // namespace entropic
