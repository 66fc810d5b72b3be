#include "entropic/io/random_init.hpp"

#include <limits>
#include <random>

namespace entropic {

Vec<Rational> random_parameters(const Layout& layout, const RandomInit& init) {
  std::mt19937_64 engine(init.seed);
  auto draw_k = [&engine]() {
    std::uint64_t x;
    do x = engine();
    while (x == std::numeric_limits<std::uint64_t>::max());
    return static_cast<int>(x % 17) - 8;
  };
  Vec<Rational> theta(layout.size());
  for (int b = 0; b < layout.count(); ++b) {
    auto block = layout.view(theta, b);
    for (Eigen::Index i = 0; i < block.rows(); ++i)
      for (Eigen::Index j = 0; j < block.cols(); ++j) block(i, j) = init.scale * Rational(draw_k(), 8);
  }
  return theta;
}

}  // namespace entropic
