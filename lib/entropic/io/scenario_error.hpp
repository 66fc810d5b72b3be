// scenario_error: a scenario file that cannot be run as written. The message is one line that
// starts with the path of the offending field, e.g.
//   params.W1[2][0]: malformed number "1/0": zero denominator
// so that the user can find it in the file (docs/scenario.md, "Errors").
//
// Whatever of the input the message shows has been through echo_text (exact_text.hpp) where it
// was put in; as a last guard, the constructor escapes any control character left and cuts the
// message at kMaxMessageBytes, so that it is always one short line.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace entropic {

inline constexpr std::size_t kMaxMessageBytes = 900;

inline std::string one_line_message(const std::string& text) {
  static const char* const hex = "0123456789abcdef";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    else out += ch;
  }
  if (out.size() <= kMaxMessageBytes) return out;
  std::size_t cut = kMaxMessageBytes - 4;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a whole character
  return out.substr(0, cut) + " ...";
}

struct scenario_error : std::invalid_argument {
  scenario_error(const std::string& path, const std::string& what)
      : std::invalid_argument(one_line_message(path.empty() ? what : path + ": " + what)) {}
};

}  // namespace entropic
