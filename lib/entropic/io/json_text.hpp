// Strict JSON text for scenario files: nlohmann's parser, and in addition a key that appears twice
// in one object is an error (RFC 8259 leaves it undefined; nlohmann keeps the last silently). Errors
// are scenario_error with one line: where in the text, and what.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace entropic {

nlohmann::json parse_json_text(std::string_view text);

}  // namespace entropic
