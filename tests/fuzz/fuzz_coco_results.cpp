// libFuzzer target: the COCO results reader (`quarry eval --predictions`), with the input as the
// results file. It promises never to throw and to return finite boxes of known classes.
#include <cmath>

#include "fuzz_support.h"
#include "quarry/metrics/metrics.h"

using namespace quarry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = fuzz::scratch() / "results.json";
  fuzz::write(file, data, size);
  const std::vector<ClassId> classes = {11, 12, 13};
  const std::set<ImageId> known = {1, 2, 3};
  auto detections = readCocoResults(file, classes, &known);
  if (!detections.ok()) {
    if (detections.status().message().find(file.string()) != 0) std::abort();  // names the file first
    return 0;
  }
  for (const Detection& d : *detections) {
    if (!std::isfinite(d.x) || !std::isfinite(d.y) || !std::isfinite(d.w) || !std::isfinite(d.h)) std::abort();
    if (!std::isfinite(d.score) || d.w < 0 || d.h < 0 || !known.count(d.image)) std::abort();
    if (std::find(classes.begin(), classes.end(), d.cls) == classes.end()) std::abort();
  }
  return 0;
}
