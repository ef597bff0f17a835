// An EvalResult as JSON, the one shape the CLI prints (--json), model runs store in their
// metrics, and reports read. NaN and infinity become null, as JSON has neither.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quarry/metrics/metrics.h"

namespace quarry {

// A number, or null when it is NaN or infinite.
nlohmann::json jsonNumber(double value);

// `classNames` in the order of the classes evaluated; per-image rows are left out unless asked.
nlohmann::json evalResultJson(const EvalResult& result, const std::vector<std::string>& classNames,
                              bool perImage = false);

}  // namespace quarry
