// Reading a parsed JSON document with the path of every value at hand, so that any complaint names
// the field: "optimizer.batches[2][1]: ...". Node is a value and its path; Fields reads an object
// field by field and rejects the fields nobody asked for. Whatever of the input a message shows (a
// string, a number, an unknown key) is shown through echo_text (exact_text.hpp): on one line, its
// control characters escaped, at most 60 characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace entropic {

class Node {
 public:
  Node(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

  const nlohmann::json& json() const { return *value_; }
  const std::string& path() const { return path_; }
  // "a JSON string", "a JSON array", ... for messages.
  std::string type_name() const;
  // Throws scenario_error(path, what).
  [[noreturn]] void fail(const std::string& what) const;

  bool is_array() const { return value_->is_array(); }
  // The number of elements of an array; fails unless an array.
  std::size_t size(const std::string& what_it_should_be) const;
  // Element i of an array (i < size()), with the path path[i].
  Node element(std::size_t i) const;
  // The elements of an array, with paths path[0], path[1], ...; fails unless an array, and when
  // it has more than max_count elements ("... more than the limit of N <limit>").
  std::vector<Node> elements(const std::string& what_it_should_be,
                             std::size_t max_count = static_cast<std::size_t>(-1),
                             const std::string& limit = "") const;

  std::string string() const;
  bool boolean() const;
  // A JSON integer in [lo, hi] (a count or an index: never a string, never a JSON float).
  std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
  std::uint64_t unsigned_integer() const;

 private:
  const nlohmann::json* value_;
  std::string path_;
};

class Fields {
 public:
  // Fails unless `object` is a JSON object.
  explicit Fields(const Node& object);

  // Names fields that may appear, before they are read, so that finish() can run first.
  void declare(std::initializer_list<const char*> keys);
  std::optional<Node> optional(const std::string& key);
  // Fails with "path.key: missing (<what>)".
  Node required(const std::string& key, const std::string& what);
  // Fails on the first field that was never asked for, listing the fields known here.
  void finish() const;

 private:
  Node object_;
  std::vector<std::string> known_;
};

}  // namespace entropic
