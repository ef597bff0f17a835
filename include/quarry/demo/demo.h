// The synthetic defect generator: grey "steel surface" images with drawn defects and their
// true boxes, so the demo, the tests and the experiments run on any machine without data.
//
// Deterministic: the same options (seed included) give byte-identical files on every run.
// Classes differ in difficulty on purpose: scratches and patches are easy to see, pits and
// cracks are small or thin, and stains are faint.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "quarry/core/progress.h"
#include "quarry/core/status.h"

namespace quarry {

struct DemoOptions {
  int images = 200;          // how many images to generate
  std::uint64_t seed = 1;    // same seed, same data set
  int width = 256;           // pixels
  int height = 256;
  int maxDefects = 4;        // per image; some images have none
  // Defect sizes as on an image of defectScale x 256 px; 0: they grow with the image (as at
  // min(width, height) / 256), so a large image has large defects. 1 on a 2,048 px image gives
  // the small defects of a high-resolution inspection camera.
  double defectScale = 0;
  // A harder set, for checking that a rule was not tuned to one data set: every defect's tone
  // difference times `contrast` (0.5: faint defects, in (0, 4]), and with `splitPolarity`
  // scratches and patches become two classes each, bright and dark, which differ only in tone
  // (8 classes). The defaults draw the same images as before these options existed.
  double contrast = 1.0;
  bool splitPolarity = false;
};

// The class names, in YOLO index order: scratch, inclusion, patch, pit, crack, stain; with
// splitPolarity scratch_bright, scratch_dark, inclusion, patch_light, patch_dark, pit, crack, stain.
std::vector<std::string> demoClassNames(const DemoOptions& options = DemoOptions{});

// Writes a YOLO data set into `dir`: images/img_00000.png ..., labels/img_00000.txt ...
// (normalised `class cx cy w h`), and classes.txt. Existing files of the same names are
// overwritten. Progress is reported per image and can cancel (kCancelled).
Status generateDemoDataset(const std::filesystem::path& dir, const DemoOptions& options,
                           const ProgressFn& progress = {});

}  // namespace quarry

// Forward declarations keep this header light for callers that only generate images.
namespace quarry {
class Project;
struct ImportReport;

// Creates a project in `dir` (which must not hold one yet) from a freshly generated data set
// written to `dir`/dataset: with `labeled` the true boxes are imported as manual labels,
// otherwise the images come in unlabeled and the truth stays in dataset/labels/.
Status createDemoProject(const std::filesystem::path& dir, const DemoOptions& options, bool labeled,
                         ImportReport* report, const ProgressFn& progress = {});
}  // namespace quarry
