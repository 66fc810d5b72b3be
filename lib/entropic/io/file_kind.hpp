// The kind of a file that is not a regular file, for messages: "a directory", "a fifo", ...
// (a scenario file, io/scenario.cpp, and an --output target, cli/output.hpp, must be regular).
#pragma once

#include <sys/stat.h>

namespace entropic {

inline const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a fifo";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace entropic
