// The campaign runner (campaign.hpp): units, shards, worker processes and progress.
#include "campaign.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "output.hpp"

namespace entropic::cli {

Shard Shard::parse(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [&](const std::string& digits) {
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw usage_error("--shard '" + text + "': expected K/N with integers 1 <= K <= N <= 100000");
    return std::stoi(digits);
  };
  if (slash == std::string::npos)
    throw usage_error("--shard '" + text + "': expected K/N with integers 1 <= K <= N <= 100000");
  Shard s{number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (s.k < 1 || s.n < 1 || s.k > s.n || s.n > 100000)
    throw usage_error("--shard '" + text + "': expected K/N with integers 1 <= K <= N <= 100000");
  return s;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Unit {
  int claim = 0;  // index into the campaign's claims
  int part = 0;   // index into the claim's parts
};

std::vector<Unit> units_of(const std::vector<Claim>& claims, const Shard& shard) {
  std::vector<Unit> all, mine;
  for (int c = 0; c < static_cast<int>(claims.size()); ++c)
    for (int p = 0; p < static_cast<int>(claims[c].parts().size()); ++p) all.push_back({c, p});
  for (std::size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % shard.n) == shard.k - 1) mine.push_back(all[i]);
  return mine;
}

// Progress on standard error. On a terminal one line rewritten in place (at most 5 times a second);
// forced into a log, a line per finished part and at most one every 10 s in between.
class Progress {
 public:
  Progress(ProgressMode mode, int units, int cases)
      : tty_(isatty(STDERR_FILENO) == 1),
        on_(mode == ProgressMode::forced || (mode == ProgressMode::automatic && tty_)),
        units_(units),
        cases_(std::max(cases, 1)),
        start_(Clock::now()) {}

  // Unit `u` (claim.part) has `done` cases done.
  void cases(int u, const std::string& what, int done) {
    if (!on_) return;
    current_[u] = {what, done};
    show(what + ": " + std::to_string(done) + "/" + std::to_string(cases_) + " cases", false);
  }
  void finished(int u, const std::string& what) {
    if (!on_) return;
    current_.erase(u);
    ++finished_;
    show(what + " done", !tty_);
  }
  void close() {
    if (on_ && tty_ && shown_) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  void show(const std::string& what, bool always) {
    const auto now = Clock::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (!always && since < (tty_ ? 0.2 : 10.0)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    // Work done in units of cases: finished units count whole (a part stops early once every
    // prediction is falsified, so this overestimates what is left, never underestimates it much).
    double done = finished_ * static_cast<double>(cases_);
    for (const auto& [u, c] : current_) done += c.second;
    const double total = static_cast<double>(units_) * cases_;
    char line[512];
    if (done > 0 && done < total)
      std::snprintf(line, sizeof line, "[%d/%d parts] %s; %.0f s elapsed, about %.0f s left", finished_, units_,
                    what.c_str(), elapsed, elapsed * (total - done) / done);
    else
      std::snprintf(line, sizeof line, "[%d/%d parts] %s; %.0f s elapsed", finished_, units_, what.c_str(), elapsed);
    if (tty_)
      std::fprintf(stderr, "\r\033[K%.*s", 160, line);
    else
      std::fprintf(stderr, "%s\n", line);
    std::fflush(stderr);
    shown_ = true;
  }

  bool tty_, on_;
  int units_, cases_, finished_ = 0;
  Clock::time_point start_, last_{};
  std::map<int, std::pair<std::string, int>> current_;
  bool shown_ = false;
};

std::string unit_name(const std::vector<Claim>& claims, const Unit& u) {
  return claims[u.claim].id() + "." + claims[u.claim].parts()[u.part]->id();
}

// ---- worker processes ------------------------------------------------------------------------------
//
// Parent to worker: one unit index per line; a blank line ends the worker. Worker to parent, one
// message per line: "P <unit> <cases done>" (progress), "R <unit> <JSON array of results>" (done),
// "E <unit> <JSON string: the error>" (the unit raised: the campaign stops with that error).

bool write_all(int fd, const std::string& text) {
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void worker_main(const std::vector<Claim>& claims, const std::vector<Unit>& units,
                              const CampaignOptions& opts, int in, int out) {
  std::string buffer;
  char chunk[256];
  for (;;) {
    const auto nl = buffer.find('\n');
    if (nl == std::string::npos) {
      const ssize_t n = ::read(in, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) _exit(0);
      buffer.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    const std::string line = buffer.substr(0, nl);
    buffer.erase(0, nl + 1);
    if (line.empty()) _exit(0);
    const int u = std::stoi(line);
    const Unit& unit = units.at(static_cast<std::size_t>(u));
    RunOptions run = opts.run;
    run.on_case = [&](const std::string&, int done) {
      write_all(out, "P " + std::to_string(u) + " " + std::to_string(done) + "\n");
    };
    std::string message;
    try {
      static const std::vector<ReplayKey> none;
      const auto results = claims[unit.claim].parts()[unit.part]->run(run, run.replay_past_failures ? opts.past_failures : none);
      nlohmann::json j = nlohmann::json::array();
      for (const PartResult& r : results) j.push_back(to_json(r));
      message = "R " + std::to_string(u) + " " + j.dump() + "\n";
    } catch (const std::exception& e) {
      message = "E " + std::to_string(u) + " " + nlohmann::json(e.what()).dump() + "\n";
    }
    if (!write_all(out, message)) _exit(3);
  }
}

struct Worker {
  pid_t pid = -1;
  int to = -1, from = -1;
  std::string buffer;
  std::optional<int> busy;  // the unit it runs
};

void stop_workers(std::vector<Worker>& workers, bool kill_them) {
  for (Worker& w : workers) {
    if (w.to >= 0) {
      if (!kill_them) write_all(w.to, "\n");
      ::close(w.to);
      w.to = -1;
    }
    if (kill_them && w.pid > 0) ::kill(w.pid, SIGTERM);
  }
  for (Worker& w : workers) {
    if (w.from >= 0) ::close(w.from);
    w.from = -1;
    if (w.pid > 0) {
      int status = 0;
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
      w.pid = -1;
    }
  }
}

// Runs `units` on `jobs` worker processes; results[i] are unit i's results.
std::vector<std::vector<PartResult>> run_on_workers(const std::vector<Claim>& claims, const std::vector<Unit>& units,
                                                    const CampaignOptions& opts, Progress& progress) {
  std::vector<std::vector<PartResult>> results(units.size());
  std::vector<bool> have(units.size(), false);
  const int jobs = std::min<int>(opts.jobs, static_cast<int>(units.size()));
  std::vector<Worker> workers(jobs);
  std::fflush(stdout);
  std::fflush(stderr);
  for (Worker& w : workers) {
    int down[2], up[2];
    if (::pipe(down) != 0 || ::pipe(up) != 0) {
      stop_workers(workers, true);
      throw std::runtime_error(std::string("--jobs: cannot create a pipe: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
      stop_workers(workers, true);
      throw std::runtime_error(std::string("--jobs: cannot start a worker process: ") + std::strerror(errno));
    }
    if (pid == 0) {
      ::close(down[1]);
      ::close(up[0]);
      for (Worker& other : workers) {  // the earlier workers' pipe ends belong to the parent
        if (other.to >= 0) ::close(other.to);
        if (other.from >= 0) ::close(other.from);
      }
      worker_main(claims, units, opts, down[0], up[1]);
    }
    ::close(down[0]);
    ::close(up[1]);
    w.pid = pid;
    w.to = down[1];
    w.from = up[0];
  }
  // A worker that has died makes a write fail with EPIPE, which is handled, not a signal.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  std::size_t next = 0, received = 0;
  auto give_work = [&](Worker& w) {
    if (next < units.size()) {
      w.busy = static_cast<int>(next);
      write_all(w.to, std::to_string(next++) + "\n");
    } else {
      w.busy.reset();
    }
  };
  auto fail = [&](const std::string& why) {
    stop_workers(workers, true);
    ::sigaction(SIGPIPE, &previous, nullptr);
    throw std::runtime_error(why);
  };
  for (Worker& w : workers) give_work(w);
  while (received < units.size()) {
    std::vector<pollfd> fds;
    for (Worker& w : workers) fds.push_back({w.from, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      fail(std::string("--jobs: poll: ") + std::strerror(errno));
    }
    for (std::size_t i = 0; i < workers.size(); ++i) {
      Worker& w = workers[i];
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char chunk[65536];
      const ssize_t n = ::read(w.from, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (w.busy) fail("--jobs: the worker running " + unit_name(claims, units[*w.busy]) + " stopped without a result");
        continue;
      }
      w.buffer.append(chunk, static_cast<std::size_t>(n));
      for (auto nl = w.buffer.find('\n'); nl != std::string::npos; nl = w.buffer.find('\n')) {
        const std::string line = w.buffer.substr(0, nl);
        w.buffer.erase(0, nl + 1);
        const auto space = line.find(' ', 2);
        const int u = std::stoi(line.substr(2, space - 2));
        const std::string rest = line.substr(space + 1);
        const std::string name = unit_name(claims, units[static_cast<std::size_t>(u)]);
        if (line[0] == 'P') {
          progress.cases(u, name, std::stoi(rest));
        } else if (line[0] == 'E') {
          fail(nlohmann::json::parse(rest).get<std::string>());
        } else {
          for (const nlohmann::json& r : nlohmann::json::parse(rest))
            results[static_cast<std::size_t>(u)].push_back(part_from_json(r, r.value("id", "").find('/') != std::string::npos));
          have[static_cast<std::size_t>(u)] = true;
          ++received;
          progress.finished(u, name);
          give_work(w);
        }
      }
    }
  }
  stop_workers(workers, false);
  ::sigaction(SIGPIPE, &previous, nullptr);
  return results;
}

}  // namespace

RunSummary run_campaign(const std::vector<Claim>& claims, const CampaignOptions& opts) {
  const std::vector<Unit> units = units_of(claims, opts.shard);
  Progress progress(opts.progress, static_cast<int>(units.size()), opts.run.cases);
  RunSummary summary;
  summary.options = opts.run;
  summary.options.on_case = nullptr;
  if (opts.sharded) summary.shard = opts.shard.text();
  for (const Claim& c : claims) summary.selection.push_back(c.id());
  summary.profile = opts.profile;
  const gen::SizeProfileScope sizes(opts.profile);  // the workers fork with it
  const auto start = Clock::now();
  std::vector<std::vector<PartResult>> results;
  if (opts.jobs > 1 && units.size() > 1) {
    results = run_on_workers(claims, units, opts, progress);
  } else {
    static const std::vector<ReplayKey> none;
    for (std::size_t u = 0; u < units.size(); ++u) {
      const std::string name = unit_name(claims, units[u]);
      RunOptions run = opts.run;
      run.on_case = [&](const std::string&, int done) { progress.cases(static_cast<int>(u), name, done); };
      results.push_back(claims[units[u].claim].parts()[units[u].part]->run(
          run, run.replay_past_failures ? opts.past_failures : none));
      progress.finished(static_cast<int>(u), name);
    }
  }
  progress.close();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // The claims in order, each with its parts in order (what Claim::run gives).
  for (std::size_t u = 0; u < units.size(); ++u) {
    const Claim& c = claims[units[u].claim];
    if (summary.results.empty() || u == 0 || units[u - 1].claim != units[u].claim) {
      ClaimResult r;
      r.id = c.id();
      r.title = c.title();
      r.kind = c.kind();
      r.provenance = c.provenance();
      r.expected = c.expected();
      summary.results.push_back(std::move(r));
    }
    for (PartResult& p : results[u]) (p.mutant ? summary.results.back().mutants : summary.results.back().parts).push_back(std::move(p));
  }
  return summary;
}

RunSummary merge_shards(const std::vector<RunSummary>& shards, const std::vector<std::string>& origins) {
  if (shards.empty()) throw usage_error("merge: no reports given");
  const RunSummary& first = shards.front();
  auto same = [&](std::size_t i, bool equal, const std::string& what) {
    if (!equal)
      throw usage_error("merge: " + origins[i] + " and " + origins[0] + " are not one campaign: their " + what + " differ");
  };
  int n = 0;
  std::set<int> seen;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const RunSummary& s = shards[i];
    if (s.shard.empty())
      throw usage_error("merge: " + origins[i] + " is not a shard (it has no 'shard' field: run verify --shard K/N)");
    const Shard sh = Shard::parse(s.shard);
    if (i == 0) n = sh.n;
    if (sh.n != n)
      throw usage_error("merge: " + origins[i] + " is shard " + s.shard + ", " + origins[0] + " one of " + std::to_string(n));
    if (!seen.insert(sh.k).second) throw usage_error("merge: shard " + s.shard + " is given twice (" + origins[i] + ")");
    same(i, s.options.seed == first.options.seed, "seeds");
    same(i, s.options.cases == first.options.cases, "case counts");
    same(i, s.options.max_size == first.options.max_size, "largest sizes");
    same(i, s.profile == first.profile, "size profiles");
    same(i, s.options.replay_past_failures == first.options.replay_past_failures, "past-failure settings");
    same(i, s.selection == first.selection, "selected claims");
    same(i, s.version == first.version && s.commit == first.commit, "entropic versions");
  }
  if (static_cast<int>(seen.size()) != n) {
    std::string missing;
    for (int k = 1; k <= n; ++k)
      if (!seen.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    throw usage_error("merge: shards missing: " + missing);
  }
  RunSummary merged;
  merged.options = first.options;
  merged.version = first.version;
  merged.commit = first.commit;
  merged.selection = first.selection;
  merged.profile = first.profile;
  // Wall time of a campaign whose shards ran side by side: the longest shard.
  for (const RunSummary& s : shards) merged.seconds = std::max(merged.seconds, s.seconds);
  for (const std::string& id : first.selection) {
    const auto claim = ClaimRegistry::instance().find(id);
    if (!claim) throw usage_error("merge: claim " + id + " is not in this catalog (merge with the entropic that ran it)");
    std::optional<ClaimResult> r;
    // Parts in the claim's order; a prediction's results come from the one shard that ran its part.
    for (const auto& part : claim->parts()) {
      for (const PredictionInfo& prediction : part->predictions()) {
        int found = 0;
        for (const RunSummary& s : shards)
          for (const ClaimResult& c : s.results) {
            if (c.id != id) continue;
            if (!r) {
              r = c;
              r->parts.clear();
              r->mutants.clear();
            }
            for (const PartResult& p : prediction.mutant ? c.mutants : c.parts)
              if (p.id == prediction.id) {
                (prediction.mutant ? r->mutants : r->parts).push_back(p);
                ++found;
              }
          }
        if (found != 1)
          throw usage_error("merge: " + id + "." + prediction.id + " is in " + std::to_string(found) +
                            " of the shards, not exactly one");
      }
    }
    if (r) merged.results.push_back(std::move(*r));
  }
  std::size_t given = 0, placed = 0;
  for (const RunSummary& s : shards)
    for (const ClaimResult& c : s.results) given += c.parts.size() + c.mutants.size();
  for (const ClaimResult& c : merged.results) placed += c.parts.size() + c.mutants.size();
  if (given != placed)
    throw usage_error("merge: the shards hold " + std::to_string(given - placed) +
                      " results of claims or parts that the selection or this catalog does not have");
  return merged;
}

}  // namespace entropic::cli
