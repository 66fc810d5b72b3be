#include "entropic/io/json_node.hpp"

#include <algorithm>

#include "entropic/io/scenario_error.hpp"
#include "entropic/numeric/exact_text.hpp"

namespace entropic {

std::string Node::type_name() const {
  switch (value_->type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "a JSON object";
    case nlohmann::json::value_t::array: return "a JSON array";
    case nlohmann::json::value_t::string:
      return "the string \"" + echo_text(value_->get_ref<const std::string&>()) + "\"";
    case nlohmann::json::value_t::boolean: return value_->dump();
    case nlohmann::json::value_t::number_float: return "the JSON number " + echo_text(value_->dump());
    default: return "the number " + echo_text(value_->dump());
  }
}

void Node::fail(const std::string& what) const { throw scenario_error(path_, what); }

std::size_t Node::size(const std::string& what_it_should_be) const {
  if (!value_->is_array()) fail("expected " + what_it_should_be + ", got " + type_name());
  return value_->size();
}

Node Node::element(std::size_t i) const {
  return Node((*value_).at(i), path_ + "[" + std::to_string(i) + "]");
}

std::vector<Node> Node::elements(const std::string& what_it_should_be, std::size_t max_count,
                                 const std::string& limit) const {
  const std::size_t n = size(what_it_should_be);
  if (n > max_count)
    fail(std::to_string(n) + " entries: more than the limit of " + std::to_string(max_count) +
         (limit.empty() ? "" : " " + limit));
  std::vector<Node> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(element(i));
  return out;
}

std::string Node::string() const {
  if (!value_->is_string()) fail("expected a string, got " + type_name());
  return value_->get<std::string>();
}

bool Node::boolean() const {
  if (!value_->is_boolean()) fail("expected true or false, got " + type_name());
  return value_->get<bool>();
}

std::int64_t Node::integer(std::int64_t lo, std::int64_t hi) const {
  const auto range = " in " + std::to_string(lo) + ".." + std::to_string(hi);
  if (!value_->is_number_integer()) fail("expected a JSON integer" + range + ", got " + type_name());
  // JSON readers store a non-negative integer as unsigned: compare it before narrowing.
  if (value_->is_number_unsigned() && value_->get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
    fail("expected an integer" + range + ", got " + value_->dump());
  const std::int64_t v = value_->get<std::int64_t>();
  if (v < lo || v > hi) fail("expected an integer" + range + ", got " + std::to_string(v));
  return v;
}

std::uint64_t Node::unsigned_integer() const {
  // Parsed text stores non-negative integers as unsigned; a document built in code may not.
  if (value_->is_number_integer() && !value_->is_number_unsigned() && value_->get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(value_->get<std::int64_t>());
  if (!value_->is_number_unsigned())
    fail("expected a JSON integer in 0..18446744073709551615, got " + type_name());
  return value_->get<std::uint64_t>();
}

Fields::Fields(const Node& object) : object_(object) {
  if (!object.json().is_object()) object.fail("expected a JSON object, got " + object.type_name());
}

void Fields::declare(std::initializer_list<const char*> keys) {
  for (const char* k : keys) known_.emplace_back(k);
}

std::optional<Node> Fields::optional(const std::string& key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  const auto it = object_.json().find(key);
  if (it == object_.json().end()) return std::nullopt;
  return Node(*it, object_.path().empty() ? key : object_.path() + "." + key);
}

Node Fields::required(const std::string& key, const std::string& what) {
  auto node = optional(key);
  if (!node) throw scenario_error(object_.path().empty() ? key : object_.path() + "." + key,
                                  "missing (" + what + ")");
  return *node;
}

void Fields::finish() const {
  for (const auto& [key, value] : object_.json().items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string known;
    for (std::size_t i = 0; i < known_.size(); ++i) {
      if (i == 16) {  // a deep model has many blocks
        known += ", ... (" + std::to_string(known_.size()) + " fields)";
        break;
      }
      known += (known.empty() ? "" : ", ") + known_[i];
    }
    const std::string shown = echo_text(key);
    throw scenario_error(object_.path().empty() ? shown : object_.path() + "." + shown,
                         "unknown field (known here: " + known + ")");
  }
}

}  // namespace entropic
