// Exact random initialisation, reproducible by any implementation (docs/scenario.md, "init").
//
// Entries are scale * k / 8 with k uniform on {-8, ..., 8}. The k are drawn from std::mt19937_64
// seeded with `seed` (the 64-bit Mersenne Twister of Matsumoto and Nishimura, with the standard's
// seeding), one 64-bit output x per attempt: x = 2^64 - 1 is rejected and drawn again, otherwise
// k = (x mod 17) - 8. Since 17 divides 2^64 - 1, the accepted outputs give each k exactly equally
// often. Entries are drawn block by block in the model's parameter order (W1, b1, W2, ...), each
// block row by row, as a scenario file writes it.
#pragma once

#include <cstdint>

#include "entropic/model/layout.hpp"

namespace entropic {

struct RandomInit {
  std::uint64_t seed = 0;
  Rational scale = 1;
};

// The parameter vector in the layout's flat order.
Vec<Rational> random_parameters(const Layout& layout, const RandomInit& init);

}  // namespace entropic
