// A scoring's calibration (how well the difficulty bars predict each image's error) as JSON, the
// one shape `quarry score --json`, the run's stored scoring summary and the experiment's
// results.json share.
#pragma once

#include <nlohmann/json.hpp>

#include "quarry/al/uncertainty.h"

namespace quarry {

// A figure that cannot be computed is null with a "<key>_reason" beside it.
nlohmann::json calibrationJson(const Calibration& calibration);

}  // namespace quarry
