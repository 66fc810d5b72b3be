// Output helpers shared by the subcommands: usage errors, and writing a result either to stdout or
// atomically to a file (write to a temporary beside it, then rename), so that nothing is ever
// half-written.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

namespace entropic::cli {

// Bad input from the user: exit code 2 with the message.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Refuses, before a long run, an --output that cannot be written: an empty name, a directory, or a
// file in a directory that does not exist or is not writable.
inline void check_writable(const std::string& path) {
  if (path.empty()) throw usage_error("--output: empty file name");
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw usage_error("--output '" + path + "' is a directory");
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const std::string d = dir.empty() ? "." : dir.string();
  if (!std::filesystem::is_directory(d, ec)) throw usage_error("--output '" + path + "': no directory '" + d + "'");
  if (::access(d.c_str(), W_OK) != 0) throw usage_error("--output '" + path + "': the directory '" + d + "' is not writable");
}

inline void emit(const std::string& text, const std::string& path) {
  if (path.empty()) {
    std::cout << text << std::flush;
    return;
  }
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace entropic::cli
