// The budget of `entropic simulate` and `expand` (--max-memory, --timeout; docs/cli.md, "Budget"),
// enforced on the process while the request runs. The estimate before the run (io/cost.hpp) refuses
// what clearly does not fit; these make sure that nothing else does either:
//
//   memory   the address space is limited to what the process uses when the request starts plus
//            --max-memory (RLIMIT_AS), and GMP, MPFR and FLINT allocate through functions that
//            throw std::bad_alloc instead of aborting, so that running out is one exception that
//            the command turns into exit 2 with out_of_memory_message(). Not under AddressSanitizer,
//            which reserves terabytes of address space up front.
//   time     a watchdog thread marks the deadline (Deadline::expire, io/budget.hpp), which the run
//            loops check between steps; a step that runs on for kGrace longer is stopped from the
//            watchdog: the temporary file of --output removed, the message written, exit 2.
#pragma once

#include <gmp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#include <flint/flint.h>

#include "entropic/io/budget.hpp"
#include "commands.hpp"
#include "output.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define ENTROPIC_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ENTROPIC_ADDRESS_SANITIZER 1
#endif
#endif

namespace entropic::cli {

namespace detail {

inline void* throwing_malloc(size_t n) {
  void* p = std::malloc(n);
  if (!p && n) throw std::bad_alloc();
  return p;
}
inline void* throwing_calloc(size_t n, size_t size) {
  void* p = std::calloc(n, size);
  if (!p && n && size) throw std::bad_alloc();
  return p;
}
inline void* throwing_realloc(void* old, size_t n) {
  void* p = std::realloc(old, n);
  if (!p && n) throw std::bad_alloc();
  return p;
}
inline void* gmp_realloc(void* old, size_t, size_t n) { return throwing_realloc(old, n); }
inline void gmp_free(void* p, size_t) { std::free(p); }

// The process's address space now, in bytes (/proc/self/statm: its first field, in pages).
inline std::uint64_t address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0;
  statm >> pages;
  return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace detail

// What a command says when an allocation failed.
inline std::string out_of_memory_message(const Budget& budget) {
  return budget.limits_memory() ? "out of memory: the request needs more than " + budget.memory_text() +
                                      " (raise it with --max-memory, 0 for none)"
                                : "out of memory: the machine has no more for this request";
}

// Holds the budget on the process from construction to destruction.
class Limits {
 public:
  static constexpr std::chrono::seconds kGrace{2};

  explicit Limits(const Budget& budget) : budget_(budget) {
    mp_set_memory_functions(detail::throwing_malloc, detail::gmp_realloc, detail::gmp_free);
    __flint_set_memory_functions(detail::throwing_malloc, detail::throwing_calloc, detail::throwing_realloc, std::free);
#ifndef ENTROPIC_ADDRESS_SANITIZER
    if (budget.limits_memory() && ::getrlimit(RLIMIT_AS, &previous_) == 0) {
      const std::uint64_t wanted = detail::address_space_bytes() + budget.memory_bytes;
      rlimit limit = previous_;
      limit.rlim_cur = previous_.rlim_max == RLIM_INFINITY ? wanted : std::min<std::uint64_t>(wanted, previous_.rlim_max);
      if (limit.rlim_cur < previous_.rlim_cur || previous_.rlim_cur == RLIM_INFINITY)
        limited_ = ::setrlimit(RLIMIT_AS, &limit) == 0;
    }
#endif
    Deadline::reset();
    Deadline::set_limit_text(budget.time_text());
    if (budget.limits_time()) {
      // Formatted now: the watchdog allocates nothing when it fires.
      message_ = "entropic: stopped at the time limit, " + budget.time_text() +
                 ", in the middle of a step (raise it with --timeout, 0 for none)\n";
      watchdog_ = std::thread([this] { watch(); });
    }
  }

  ~Limits() {
    if (watchdog_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
      }
      wake_.notify_all();
      watchdog_.join();
    }
    if (limited_) ::setrlimit(RLIMIT_AS, &previous_);
    Deadline::reset();
  }

  Limits(const Limits&) = delete;
  Limits& operator=(const Limits&) = delete;

 private:
  void watch() {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(budget_.seconds));
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_until(lock, deadline, [this] { return done_; })) return;
    Deadline::expire();
    if (wake_.wait_until(lock, deadline + kGrace, [this] { return done_; })) return;
    // The step did not end: nothing of the run is of use, and it must stop now.
    for (int i = 0; i < detail::kTemporarySlots; ++i)
      if (detail::temporary_used[i]) ::unlink(detail::temporary_names[i]);
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message_.data(), message_.size());
    ::_exit(2);
  }

  Budget budget_;
  rlimit previous_{};
  bool limited_ = false;
  std::string message_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread watchdog_;
};

// `run(budget)` for a request on `scenario` under --max-memory and --timeout (parse_budget), held to
// them by Limits; an allocation that fails anywhere in it is usage_error (exit 2) naming the file.
template <class Run>
int within_budget(const std::string& max_memory, const std::string& timeout, const std::string& scenario, Run&& run) {
  const Budget budget = parse_budget(max_memory, timeout);
  const Limits limits(budget);
  try {
    return run(budget);
  } catch (const std::bad_alloc&) {
    throw usage_error(scenario + ": " + out_of_memory_message(budget));
  }
}

}  // namespace entropic::cli
