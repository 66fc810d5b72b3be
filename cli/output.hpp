// Output helpers shared by the subcommands: usage errors, standard output that reports its write
// errors, and --output files written atomically and safely.
//
// An --output FILE is written to a temporary file created beside it (in the directory of the file
// it names) under a fresh random name, with O_CREAT | O_EXCL | O_NOFOLLOW: never an existing file,
// never through a symbolic link planted under that name. The temporary file is removed on every
// error path (a failed write, an exception from the run, SIGINT, SIGTERM, SIGHUP) and renamed over
// FILE only when everything was written, so that FILE is either left as it was or replaced whole.
// A FILE that exists must be a regular file (or a symbolic link to one, which is then followed:
// the file it names is replaced); a directory, a device, a fifo, a socket or a dangling link is
// refused (exit 2) before the run, and so is a directory in which no file can be created.
//
// Standard output: the first write that fails is remembered (stdout_error) and reported by
// finish_stdout, which main() calls after the subcommand: "entropic: cannot write standard output:
// No space left on device" and exit 1, whichever subcommand wrote.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <ostream>
#include <random>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

#include "entropic/io/file_kind.hpp"

namespace entropic::cli {

// Bad input from the user: exit code 2 with the message.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A write that failed: "cannot write WHAT: strerror(errno)".
struct write_error : std::runtime_error {
  write_error(const std::string& what, int error)
      : std::runtime_error("cannot write " + what + ": " + std::strerror(error)), error(error) {}
  int error;
};

// The errno of the first failed write to standard output; 0 while none failed.
inline int& stdout_error() {
  static int error = 0;
  return error;
}

inline void note_stdout_error(int error) {
  if (stdout_error() == 0) stdout_error() = error != 0 ? error : EIO;
}

// Buffered writes to a file descriptor: standard output, or the temporary file of an OutputFile.
// flush() writes what is buffered; a failed write throws write_error (naming `name`), and so does
// every later write.
class Writer {
 public:
  Writer(int fd, std::string name) : fd_(fd), name_(std::move(name)) { buffer_.reserve(kBuffer); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void write(std::string_view text) {
    if (buffer_.size() + text.size() > kBuffer) {
      flush();
      if (text.size() >= kBuffer) return write_all(text);
    }
    buffer_.append(text.data(), text.size());
    if (interval_.count() > 0) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_flush_ >= interval_) flush();
    }
  }
  // Also flush what is buffered once `interval` has passed since the last flush, at the next write:
  // a slow stream is seen as it goes, a fast one still leaves in large writes.
  void flush_every(std::chrono::milliseconds interval) {
    interval_ = interval;
    last_flush_ = std::chrono::steady_clock::now();
  }
  Writer& operator<<(std::string_view text) {
    write(text);
    return *this;
  }
  void flush() {
    if (interval_.count() > 0) last_flush_ = std::chrono::steady_clock::now();
    if (buffer_.empty()) return;
    write_all(buffer_);
    buffer_.clear();
  }
  const std::string& name() const { return name_; }

 private:
  static constexpr size_t kBuffer = size_t(1) << 16;

  void write_all(std::string_view text) {
    if (failed_) throw write_error(name_, failed_);
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        failed_ = errno;
        buffer_.clear();
        throw write_error(name_, failed_);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

  int fd_;
  std::string name_;
  std::string buffer_;
  int failed_ = 0;
  std::chrono::milliseconds interval_{0};
  std::chrono::steady_clock::time_point last_flush_;
};

// A std::ostream that writes into a Writer: for what serializes itself to a stream, as nlohmann's
// `out << std::setw(2) << json` does, so that a document goes out piece by piece instead of as one
// string beside it. A failed write is rethrown from the stream as the Writer's write_error.
class WriterStream : public std::ostream {
 public:
  explicit WriterStream(Writer& out) : std::ostream(nullptr), buffer_(out) {
    rdbuf(&buffer_);
    exceptions(std::ios::badbit);
  }

 private:
  class Buffer : public std::streambuf {
   public:
    explicit Buffer(Writer& out) : out_(out) {}

   private:
    int_type overflow(int_type c) override {
      if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
      const char ch = traits_type::to_char_type(c);
      out_.write(std::string_view(&ch, 1));
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      out_.write(std::string_view(s, static_cast<size_t>(n)));
      return n;
    }
    Writer& out_;
  };
  Buffer buffer_;
};

namespace detail {

// The temporary files alive now, removed by a fatal signal (SIGINT, SIGTERM, SIGHUP) before the
// signal's previous disposition takes over. A handler may only call async-signal-safe functions:
// the names are kept in fixed buffers, and unlink, sigaction and raise are safe.
constexpr int kTemporarySlots = 8;
constexpr size_t kTemporaryName = 4096;
inline char temporary_names[kTemporarySlots][kTemporaryName];
inline volatile std::sig_atomic_t temporary_used[kTemporarySlots];
inline struct sigaction previous_actions[3];
inline constexpr int kCleanupSignals[3] = {SIGINT, SIGTERM, SIGHUP};

inline void remove_temporaries_on_signal(int sig) {
  for (int i = 0; i < kTemporarySlots; ++i)
    if (temporary_used[i]) ::unlink(temporary_names[i]);
  for (int k = 0; k < 3; ++k)
    if (kCleanupSignals[k] == sig) ::sigaction(sig, &previous_actions[k], nullptr);
  ::raise(sig);
}

inline void install_cleanup_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int k = 0; k < 3; ++k) {
    struct sigaction action {};
    action.sa_handler = remove_temporaries_on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(kCleanupSignals[k], &action, &previous_actions[k]);
    // A signal the caller ignores (nohup) stays ignored.
    if (previous_actions[k].sa_handler == SIG_IGN) ::sigaction(kCleanupSignals[k], &previous_actions[k], nullptr);
  }
}

// Registers a temporary file for removal on a fatal signal; -1 when every slot is taken (the file
// is then still removed on every other path).
inline int register_temporary(const std::string& name) {
  if (name.size() >= kTemporaryName) return -1;
  install_cleanup_handlers();
  for (int i = 0; i < kTemporarySlots; ++i)
    if (!temporary_used[i]) {
      std::memcpy(temporary_names[i], name.c_str(), name.size() + 1);
      temporary_used[i] = 1;
      return i;
    }
  return -1;
}

inline void unregister_temporary(int slot) {
  if (slot >= 0) temporary_used[slot] = 0;
}

using entropic::file_kind;

// A fresh file in `dir` for `base`: "DIR/BASE.partial-XXXXXXXX", created with O_CREAT | O_EXCL |
// O_NOFOLLOW (never an existing file, never through a symbolic link), mode 0666 less the umask.
// Returns the descriptor and sets `name`; -1 with errno set when the directory refuses.
inline int create_temporary(const std::string& dir, const std::string& base, std::string& name) {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device device;
  std::uniform_int_distribution<int> pick(0, sizeof alphabet - 2);
  const std::string prefix = (dir == "/" ? std::string("/") : dir + "/") + base + ".partial-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = prefix;
    for (int i = 0; i < 8; ++i) name += alphabet[pick(device)];
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

}  // namespace detail

// The file an --output names, checked (usage_error otherwise): `file` is the path to replace (the
// path given, or the regular file its symbolic links name), `dir` and `base` its directory and
// name; `exists` with its permission bits in `mode`.
struct OutputTarget {
  std::string given, file, dir, base;
  bool exists = false;
  mode_t mode = 0;
};

inline OutputTarget output_target(const std::string& path) {
  if (path.empty()) throw usage_error("--output: empty file name");
  OutputTarget t;
  t.given = t.file = path;
  const std::string quoted = "--output '" + path + "'";
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      char* real = ::realpath(path.c_str(), nullptr);
      if (real == nullptr)
        throw usage_error(quoted + " is a symbolic link to nothing that can be written (" + std::strerror(errno) + ")");
      t.file = real;
      std::free(real);
      if (::stat(t.file.c_str(), &st) != 0) throw usage_error(quoted + ": " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) throw usage_error(quoted + " is a directory");
    if (!S_ISREG(st.st_mode))
      throw usage_error(quoted + " is " + detail::file_kind(st.st_mode) + ", not a regular file: write to standard output instead");
    if (::access(t.file.c_str(), W_OK) != 0) throw usage_error(quoted + " is not writable: " + std::strerror(errno));
    t.exists = true;
    t.mode = st.st_mode & 0777;
  } else if (errno != ENOENT && errno != ENOTDIR) {
    throw usage_error(quoted + ": " + std::strerror(errno));
  }
  const auto slash = t.file.find_last_of('/');
  t.dir = slash == std::string::npos ? "." : slash == 0 ? "/" : t.file.substr(0, slash);
  t.base = slash == std::string::npos ? t.file : t.file.substr(slash + 1);
  if (t.base.empty() || t.base == "." || t.base == "..") throw usage_error(quoted + " names a directory, not a file");
  if (::stat(t.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw usage_error(quoted + ": no directory '" + t.dir + "'");
  return t;
}

// An --output file being written: the temporary file exists from construction (which throws
// usage_error when the target is refused or no file can be created beside it) until commit()
// renames it over the target, or the destructor removes it.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : target_(output_target(path)) {
    fd_ = detail::create_temporary(target_.dir, target_.base, temp_);
    if (fd_ < 0)
      throw usage_error("--output '" + target_.given + "': the directory '" + target_.dir +
                        "' is not writable: " + std::strerror(errno));
    slot_ = detail::register_temporary(temp_);
    if (target_.exists) ::fchmod(fd_, target_.mode);  // the replaced file keeps its permissions
    writer_ = std::make_unique<Writer>(fd_, target_.given);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() { discard(); }

  Writer& writer() { return *writer_; }

  // Everything written: flushed, synced, closed and renamed over the target. Throws write_error
  // (the temporary file removed, the target untouched) when any of it fails.
  void commit() {
    try {
      writer_->flush();
    } catch (...) {
      discard();
      throw;
    }
    const auto fail = [&](int error) {
      discard();
      throw write_error(target_.given, error);
    };
    if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) fail(errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(errno);
    if (::rename(temp_.c_str(), target_.file.c_str()) != 0) fail(errno);
    detail::unregister_temporary(slot_);
    slot_ = -1;
    temp_.clear();
  }

  // Removes the temporary file (nothing of it reaches the target). Idempotent.
  void discard() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
    detail::unregister_temporary(slot_);
    slot_ = -1;
    writer_.reset();
  }

 private:
  OutputTarget target_;
  std::string temp_;
  int fd_ = -1;
  int slot_ = -1;
  std::unique_ptr<Writer> writer_;
};

// Refuses, before a long run, an --output that cannot be written: an empty name, an existing
// target that is not a regular file (a directory, a device, a fifo, a symbolic link to one), a
// file in a directory that does not exist, or one in which no file can be created (tried: a
// temporary file is created and removed, which also catches a read-only file system and root's
// exemption from permission bits).
inline void check_writable(const std::string& path) { OutputFile probe(path); }

// Standard output as a Writer for a long output (written as it goes, not held): `fill(writer)`.
// A failed write stops `fill` and is remembered for finish_stdout; returns whether all was written.
template <class Fill>
bool write_stdout(Fill&& fill) {
  std::cout.flush();
  std::fflush(stdout);
  Writer out(STDOUT_FILENO, "standard output");
  try {
    fill(out);
    out.flush();
  } catch (const write_error& e) {
    note_stdout_error(e.error);
    return false;
  }
  return true;
}

// Writes text to standard output (path empty; a failure is remembered for finish_stdout) or to the
// file atomically (write_error or usage_error when that fails).
inline void emit(const std::string& text, const std::string& path) {
  if (path.empty()) {
    write_stdout([&](Writer& out) { out.write(text); });
    return;
  }
  OutputFile out(path);
  out.writer().write(text);
  out.commit();
}

// A long output written piece by piece, never held whole: `fill(writer)` into standard output (path
// empty; a failure is remembered for finish_stdout) or into the file atomically. A report can be
// written this way entry by entry, rather than as one string beside the document it was dumped from.
template <class Fill>
void emit_with(const std::string& path, Fill&& fill) {
  if (path.empty()) {
    write_stdout(fill);
    return;
  }
  OutputFile out(path);
  fill(out.writer());
  out.commit();
}

// What main() calls first: a standard stream that is closed is reopened on /dev/null, read-only, so
// that writes to it still fail (EBADF) and no file the program opens takes its descriptor (an
// --output temporary file on descriptor 1 would receive standard output).
inline void reserve_standard_streams() {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      const int opened = ::open("/dev/null", O_RDONLY);
      if (opened >= 0 && opened != fd) ::close(opened);  // another descriptor was free first
    }
}

// What main() returns: the subcommand's exit code, or 1 when standard output could not be written
// (a full disk, a closed descriptor), said on standard error.
inline int finish_stdout(int code) {
  errno = 0;
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  if (!flushed || std::ferror(stdout) || !std::cout) note_stdout_error(errno);
  if (stdout_error() == 0) return code;
  std::cerr << "entropic: cannot write standard output: " << std::strerror(stdout_error()) << "\n";
  return code == 0 ? 1 : code;
}

}  // namespace entropic::cli
