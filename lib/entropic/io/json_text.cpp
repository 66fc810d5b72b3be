#include "entropic/io/json_text.hpp"

#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "entropic/io/scenario_error.hpp"
#include "entropic/numeric/exact_text.hpp"

namespace entropic {

namespace {

// The field path of the value being parsed, kept from the parser's events: an object frame knows
// its current key (and whether that key's value is complete) and the keys seen so far, an array
// frame the index of its next element. The parser copies its callback, so the frames live in a
// State that the copies share, and that is still there to name the field when the parser throws.
class PathTracker {
 public:
  using event = nlohmann::json::parse_event_t;

  struct Frame {
    bool array = false;
    int index = 0;
    std::string key;        // as shown in messages (echo_text)
    bool key_done = true;   // the value of `key` has been parsed
    std::set<std::string> seen;
  };
  struct State {
    std::vector<Frame> frames;
    std::size_t values = 0;
  };

  explicit PathTracker(std::shared_ptr<State> state) : state_(std::move(state)) {}

  bool operator()(int /*depth*/, event e, const nlohmann::json& parsed) {
    std::vector<Frame>& frames = state_->frames;
    switch (e) {
      case event::object_start:
      case event::array_start:
        count_value();
        if (frames.size() >= static_cast<std::size_t>(kMaxJsonDepth))
          throw scenario_error(path(*state_), "nested deeper than " + std::to_string(kMaxJsonDepth) +
                                                  " levels (a scenario file nests at most 4)");
        frames.emplace_back();
        frames.back().array = e == event::array_start;
        break;
      case event::key: {
        Frame& f = frames.back();
        const std::string& key = parsed.get_ref<const std::string&>();
        f.key = echo_text(key);
        f.key_done = false;
        if (!f.seen.insert(key).second)
          throw scenario_error(path(*state_),
                               "duplicate key \"" + f.key + "\" (each field may appear once)");
        break;
      }
      case event::object_end:
      case event::array_end:
        frames.pop_back();
        next_element();
        break;
      case event::value:
        count_value();
        next_element();
        break;
    }
    return true;
  }

  // Where the parser is: the keys and indices down to the value being read.
  static std::string path(const State& state) {
    std::string p;
    for (const Frame& f : state.frames) {
      if (f.array) p += "[" + std::to_string(f.index) + "]";
      else if (!f.key_done) p += (p.empty() ? "" : ".") + f.key;
    }
    return p;
  }

 private:
  void count_value() {
    if (++state_->values > kMaxJsonValues)
      throw scenario_error(path(*state_), "more than " + std::to_string(kMaxJsonValues) +
                                              " JSON values (the limit of a scenario file)");
  }
  void next_element() {
    if (state_->frames.empty()) return;
    Frame& f = state_->frames.back();
    if (f.array) ++f.index;
    else f.key_done = true;
  }
  std::shared_ptr<State> state_;
};

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, and the token it
// quotes ("last read: '...'", the only part taken from the input) shortened as every echoed value is.
std::string parser_message(const std::string& raw) {
  std::string what = raw;
  if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
    what.erase(0, close + 2);
  const std::string marker = "; last read: '";
  if (const auto at = what.find(marker); at != std::string::npos) {
    const auto start = at + marker.size();
    const auto end = what.rfind('\'');
    if (end != std::string::npos && end >= start)
      what = what.substr(0, start) + echo_text(what.substr(start, end - start)) + what.substr(end);
  }
  return what;  // nlohmann's own words; scenario_error keeps the line short
}

}  // namespace

nlohmann::json parse_json_text(std::string_view text) {
  const auto state = std::make_shared<PathTracker::State>();
  try {
    return nlohmann::json::parse(text.begin(), text.end(), PathTracker(state));
  } catch (const scenario_error&) {
    throw;
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    throw scenario_error(PathTracker::path(*state), "not valid JSON: " + parser_message(e.what()));
  } catch (const nlohmann::json::out_of_range& e) {
    // 406: a number beyond the range of a double, "number overflow parsing '1e400'".
    std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    if (e.id == 406 && open != std::string::npos && close > open)
      throw scenario_error(PathTracker::path(*state),
                           "the JSON number " + echo_text(what.substr(open + 1, close - open - 1)) +
                               " is out of range (beyond the largest double)");
    throw scenario_error(PathTracker::path(*state), "not valid JSON: " + parser_message(what));
  } catch (const std::bad_alloc&) {
    throw scenario_error(PathTracker::path(*state), "not enough memory to read the JSON text");
  } catch (const std::exception& e) {
    throw scenario_error(PathTracker::path(*state), "not valid JSON: " + parser_message(e.what()));
  }
}

}  // namespace entropic
