// The budget of a run: how much memory and time a request of `entropic simulate` or `expand` may
// take (--max-memory, --timeout; docs/cli.md, "Budget"). A request whose estimated cost
// (io/cost.hpp) is beyond it is refused before it runs, and a run that reaches it anyway is
// stopped: both are budget_error, exit 2, with a message that names the limit and how to raise it.
//
// The deadline is the one piece of the budget that the library itself checks while it runs:
// check_deadline() between steps, which the command line arms with a watchdog (cli/limits.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "entropic/io/scenario_error.hpp"

namespace entropic {

struct Budget {
  std::uint64_t memory_bytes = 0;  // 0: no limit
  double seconds = 0;              // 0: no limit

  static constexpr std::uint64_t kDefaultMemory = std::uint64_t{4} << 30;  // 4 GiB
  static constexpr double kDefaultSeconds = 3600;                          // one hour
  static Budget defaults() { return {kDefaultMemory, kDefaultSeconds}; }
  static Budget unlimited() { return {}; }

  bool limits_memory() const { return memory_bytes != 0; }
  bool limits_time() const { return seconds != 0; }
  // "--max-memory 4 GiB", "--timeout 1 h": how a message names the limit.
  std::string memory_text() const;
  std::string time_text() const;
};

// A request beyond the budget, or a run stopped at it. One line, as scenario_error.
struct budget_error : std::runtime_error {
  explicit budget_error(const std::string& what) : std::runtime_error(one_line_message(what)) {}
};

// "4G", "512M", "1.5G", "100000000" (bytes; K, M, G, T are powers of 1024), "0" for no limit.
// Throws std::invalid_argument with a one-line reason.
std::uint64_t parse_memory(const std::string& text);
// "90", "90s", "5m", "2h" (seconds when bare), "0" for no limit. Throws std::invalid_argument.
double parse_duration(const std::string& text);

// "4.0 GiB", "812 MiB", "3.1e+21 bytes"; "2.5 s", "14 min", "3.2 h", "4.1e+12 years".
std::string bytes_text(double bytes);
std::string seconds_text(double seconds);

// The deadline of the running request: armed by the command line, checked by the run loops.
class Deadline {
 public:
  // After this, check_deadline() throws budget_error naming `where` and the limit.
  static void expire() { expired().store(true, std::memory_order_relaxed); }
  static bool passed() { return expired().load(std::memory_order_relaxed); }
  static void reset() { expired().store(false, std::memory_order_relaxed); }
  static void set_limit_text(std::string text) { limit_text() = std::move(text); }
  static const std::string& limit() { return limit_text(); }

 private:
  static std::atomic<bool>& expired() {
    static std::atomic<bool> flag{false};
    return flag;
  }
  static std::string& limit_text() {
    static std::string text;
    return text;
  }
};

// Once the deadline has passed, throws budget_error "WHERE: stopped after --timeout 1 h (raise it
// with --timeout)"; `where()` gives WHERE and is called only then.
std::string deadline_message(const std::string& where);
template <class Where>
void check_deadline(const Where& where) {
  if (Deadline::passed()) throw budget_error(deadline_message(where()));
}

}  // namespace entropic
