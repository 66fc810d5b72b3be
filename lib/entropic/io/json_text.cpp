#include "entropic/io/json_text.hpp"

#include <set>
#include <string>
#include <vector>

#include "entropic/io/scenario_error.hpp"

namespace entropic {

namespace {

// The field path of the value being parsed, kept from the parser's events: an object frame knows
// its current key and the keys seen so far, an array frame the index of its next element.
class PathTracker {
 public:
  using event = nlohmann::json::parse_event_t;

  bool operator()(int /*depth*/, event e, const nlohmann::json& parsed) {
    switch (e) {
      case event::object_start:
      case event::array_start:
        frames_.emplace_back();
        frames_.back().array = e == event::array_start;
        break;
      case event::key: {
        Frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.seen.insert(f.key).second)
          throw scenario_error(path(), "duplicate key \"" + f.key + "\" (each field may appear once)");
        break;
      }
      case event::object_end:
      case event::array_end:
        frames_.pop_back();
        next_element();
        break;
      case event::value: next_element(); break;
    }
    return true;
  }

 private:
  struct Frame {
    bool array = false;
    int index = 0;
    std::string key;
    std::set<std::string> seen;
  };
  void next_element() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.array) p += "[" + std::to_string(f.index) + "]";
      else p += (p.empty() ? "" : ".") + f.key;
    }
    return p;
  }
  std::vector<Frame> frames_;
};

}  // namespace

nlohmann::json parse_json_text(std::string_view text) {
  try {
    return nlohmann::json::parse(text.begin(), text.end(), PathTracker{});
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what.erase(0, close + 2);
    throw scenario_error("", "not valid JSON: " + what);
  }
}

}  // namespace entropic
