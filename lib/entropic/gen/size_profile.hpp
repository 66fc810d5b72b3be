// The size profile of generated instances (`entropic verify --profile`, RunOptions::profile):
//   standard  the sizes each claim's generators give
//   large     every generated training run (gen/training_run.hpp) at least kLargeProfileParameters
//             parameters, where the claim leaves the widths free
// Process-wide, read when an instance is generated; SizeProfileScope sets it for a block.
#pragma once

#include <stdexcept>
#include <string>

namespace entropic::gen {

enum class SizeProfile { standard, large };
inline constexpr int kLargeProfileParameters = 200;

namespace detail {
inline SizeProfile& size_profile_slot() {
  static SizeProfile profile = SizeProfile::standard;
  return profile;
}
}  // namespace detail

inline SizeProfile size_profile() { return detail::size_profile_slot(); }
inline void set_size_profile(SizeProfile profile) { detail::size_profile_slot() = profile; }
inline const char* size_profile_name(SizeProfile profile) {
  return profile == SizeProfile::large ? "large" : "standard";
}
// "standard" or "large"; std::invalid_argument otherwise.
inline SizeProfile parse_size_profile(const std::string& name) {
  if (name == "standard") return SizeProfile::standard;
  if (name == "large") return SizeProfile::large;
  throw std::invalid_argument("the size profile must be standard or large, got '" + name + "'");
}

class SizeProfileScope {
 public:
  explicit SizeProfileScope(SizeProfile profile) : saved_(size_profile()) { set_size_profile(profile); }
  ~SizeProfileScope() { set_size_profile(saved_); }
  SizeProfileScope(const SizeProfileScope&) = delete;
  SizeProfileScope& operator=(const SizeProfileScope&) = delete;

 private:
  SizeProfile saved_;
};

}  // namespace entropic::gen
