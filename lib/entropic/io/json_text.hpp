// Strict JSON text for scenario files: nlohmann's parser, and in addition a key that appears twice
// in one object is an error (RFC 8259 leaves it undefined; nlohmann keeps the last silently), and
// so are a document nested deeper than kMaxJsonDepth and one of more than kMaxJsonValues values
// (each value costs memory long before the scenario's own limits can be checked). Every error,
// nlohmann's own included (a number beyond the range of a double: `"steps": 1e400`), is a
// scenario_error of one line that names the field being read, or where in the text, and what.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace entropic {

// Objects and arrays inside each other; a scenario file needs 4 (optimizer.batches[i][j]).
inline constexpr int kMaxJsonDepth = 32;
// Values in one document (numbers, strings, objects, arrays ...): 2^22.
inline constexpr std::size_t kMaxJsonValues = std::size_t{1} << 22;

nlohmann::json parse_json_text(std::string_view text);

}  // namespace entropic
