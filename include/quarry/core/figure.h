// A figure that cannot always be computed (a rank correlation of constant scores, a ratio over
// an empty band): it is written as "-" with the reason, never as nan or inf, in the CLI, the
// window and the reports; in JSON it is null with a "<key>_reason" field beside it.
// Pure functions, any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace quarry {

// `value` with `decimals` digits and `suffix` ("x", "%"), or "- (why)" when it is not finite
// ("-" alone when `why` is empty).
std::string figureText(double value, int decimals, std::string_view why, std::string_view suffix = {});

// Sets j[key] to the value, or to null and j[key + "_reason"] to `why` when it is not finite.
void setFigure(nlohmann::json& j, const std::string& key, double value, std::string_view why);

}  // namespace quarry
