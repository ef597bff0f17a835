// What the canvas shows of one scored detection: where it is, how uncertain the model is about
// it (the combined score and each component, as `quarry score` stored them), and how far its
// Monte-Carlo boxes spread. Read from an ImageScore's components JSON; call from any thread.
#pragma once

#include <string>
#include <vector>

#include "quarry/al/uncertainty.h"

namespace quarry {

struct BoxUncertainty {
  DetectionUncertainty detection;  // box, class, score and raw components
  double combined = 0;             // the run's combined score of this detection (z-score units)
  // How far the sides of the Monte-Carlo boxes spread, in pixels (box variance x box size).
  double spreadPixels() const;
};

// The scored detections of one image; kBadInput naming the image when the JSON is not the
// shape `quarry score` writes.
Result<std::vector<BoxUncertainty>> boxUncertainties(const ImageScore& score);

// A few lines for a tooltip: the combined score and every component with its value.
std::string describe(const BoxUncertainty& box);

}  // namespace quarry
