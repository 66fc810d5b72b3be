#include "entropic/numeric/scalar.hpp"

#include <boost/multiprecision/detail/digits.hpp>
#include <stdexcept>

namespace entropic {

namespace {
unsigned digits10_for_bits(unsigned bits) {
  if (bits < 8 || bits > (1u << 20))
    throw std::invalid_argument("precision must be between 8 and 1048576 bits, got " +
                                std::to_string(bits));
  unsigned d = 1;
  while (mp::detail::digits10_2_2(d) < bits) ++d;
  return d;
}
}  // namespace

unsigned set_working_precision(unsigned bits) {
  const unsigned d = digits10_for_bits(bits);
  Real::default_precision(d);
  Interval::default_precision(d);
  return working_precision_bits();
}

unsigned working_precision_bits() {
  return static_cast<unsigned>(mp::detail::digits10_2_2(Real::default_precision()));
}

PrecisionScope::PrecisionScope(unsigned bits)
    : saved_real_digits10_(Real::default_precision()),
      saved_interval_digits10_(Interval::default_precision()),
      bits_(set_working_precision(bits)) {}

PrecisionScope::~PrecisionScope() {
  Real::default_precision(saved_real_digits10_);
  Interval::default_precision(saved_interval_digits10_);
}

}  // namespace entropic
