#include "quarry/demo/demo.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iomanip>
#include <locale>
#include <random>
#include <sstream>
#include <system_error>
#include <utility>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fs = std::filesystem;

namespace quarry {
namespace {

using Rng = std::mt19937_64;
constexpr double kPi = 3.14159265358979323846;

// The standard's distributions are implementation-defined, so libstdc++ and libc++ would
// draw different data sets from the same seed; the engine's raw output is fixed by the
// standard, so everything random is derived from it directly.
double uniform(Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

int uniformInt(Rng& rng, int lo, int hi) {  // inclusive; the modulo bias is negligible here
  return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}

double normal(Rng& rng) {
  // Box-Muller; 1 - u keeps the logarithm away from zero.
  const double u = 1.0 - uniform(rng, 0.0, 1.0);
  const double v = uniform(rng, 0.0, 1.0);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * kPi * v);
}

double signedMagnitude(Rng& rng, double lo, double hi) {
  const double m = uniform(rng, lo, hi);
  return (rng() & 1) ? m : -m;
}

// Drawing with a 4-bit fractional shift keeps sub-pixel positions, so anti-aliased shapes
// don't snap to the integer grid and look blocky.
constexpr int kShift = 4;
cv::Point fixedPoint(cv::Point2d p) { return {cvRound(p.x * 16.0), cvRound(p.y * 16.0)}; }
cv::Size fixedSize(double a, double b) { return {cvRound(a * 16.0), cvRound(b * 16.0)}; }

// Per-pixel fields are filled one value at a time so the order of draws is fixed.
cv::Mat1f noiseField(Rng& rng, int rows, int cols, double sigma) {
  cv::Mat1f m(rows, cols);
  for (float& v : m) v = static_cast<float>(normal(rng) * sigma);
  return m;
}

cv::Mat1f makeBackground(Rng& rng, int w, int h) {
  const float base = static_cast<float>(uniform(rng, 110.0, 150.0));

  // Uneven lighting and surface tone: a coarse random grid upsampled smoothly.
  cv::Mat1f shade;
  cv::resize(noiseField(rng, 4, 4, 6.0), shade, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);

  // Rolling leaves streaks along the strip: each row a little brighter or darker, a few
  // rows markedly so, softened vertically and fading in and out along the row.
  cv::Mat1f rows = noiseField(rng, h, 1, 1.6);
  const int strong = uniformInt(rng, 2, 6);
  for (int i = 0; i < strong; ++i) rows(uniformInt(rng, 0, h - 1)) += static_cast<float>(normal(rng) * 9.0);
  cv::GaussianBlur(rows, rows, cv::Size(1, 7), 0.0, 1.3);
  cv::Mat1f fade;
  cv::resize(noiseField(rng, 1, 5, 0.35), fade, cv::Size(w, 1), 0, 0, cv::INTER_CUBIC);
  fade += 1.0f;
  cv::Mat1f streaks = rows * fade;  // outer product: rows (h x 1) times fade (1 x w)

  // Grain is stretched along the rolling direction too.
  cv::Mat1f grain = noiseField(rng, h, w, 7.0);
  cv::GaussianBlur(grain, grain, cv::Size(9, 1), 2.0, 0.0);

  return shade + streaks + grain + base;
}

struct Defect {
  cv::Mat1f mask;  // 0..1 weight of the defect's tone at each pixel, zero outside
  float delta = 0.0f;
  cv::Rect box;
};

// Below this weight a blurred mask is cut off, and the rest rescaled so the edge stays
// continuous. The box is then exactly the support of what gets blended, not a guess.
constexpr float kMaskFloor = 0.25f;

// Blurs only around the drawn pixels (the rest of the mask is zero and stays zero), then
// fixes the box from what is left. An empty box means the shape fell outside the image.
void finishMask(Defect& d, const cv::Mat1b& drawn, double sigma) {
  const cv::Rect drawnBox = cv::boundingRect(drawn);
  drawn.convertTo(d.mask, CV_32F, 1.0 / 255.0);
  if (drawnBox.empty()) return;
  const int margin = static_cast<int>(std::ceil(4.0 * sigma)) + 2;
  const cv::Rect roi =
      (drawnBox + cv::Point(-margin, -margin) + cv::Size(2 * margin, 2 * margin)) & cv::Rect(0, 0, drawn.cols, drawn.rows);
  cv::Mat1f part = d.mask(roi);
  cv::GaussianBlur(part, part, cv::Size(0, 0), sigma);
  part -= kMaskFloor;
  part *= 1.0f / (1.0f - kMaskFloor);
  cv::max(part, 0.0f, part);
  d.box = cv::boundingRect(part > 0.0f) + roi.tl();
}

// A class of the data set: its name, the shape drawn and, for the split classes, the sign of its tone.
struct ClassShape {
  const char* name;
  int shape;  // drawDefect's case
  int sign;   // +1 bright, -1 dark, 0 as the shape draws it
};
std::vector<ClassShape> classShapes(const DemoOptions& o) {
  if (!o.splitPolarity)
    return {{"scratch", 0, 0}, {"inclusion", 1, 0}, {"patch", 2, 0}, {"pit", 3, 0}, {"crack", 4, 0}, {"stain", 5, 0}};
  return {{"scratch_bright", 0, 1}, {"scratch_dark", 0, -1}, {"inclusion", 1, 0}, {"patch_light", 2, 1},
          {"patch_dark", 2, -1},    {"pit", 3, 0},           {"crack", 4, 0},     {"stain", 5, 0}};
}

// `s` scales sizes with the image, so a 512 px image gets defects of the same relative size.
Defect drawDefect(Rng& rng, int cls, cv::Size size, double s) {
  cv::Mat1b m = cv::Mat1b::zeros(size);
  const cv::Point2d c(uniform(rng, 0.0, size.width), uniform(rng, 0.0, size.height));
  Defect d;
  double sigma = 0.6;
  switch (cls) {
    case 0: {  // scratch: long, thin, slightly bowed, bright or dark
      const double len = uniform(rng, 0.3, 0.8) * 256.0 * s;
      const double a = uniform(rng, 0.0, kPi);
      const cv::Point2d dir(std::cos(a), std::sin(a)), perp(-dir.y, dir.x);
      const cv::Point2d mid = c + perp * (normal(rng) * len * 0.03);
      const int thick = uniformInt(rng, 1, 2);
      cv::line(m, fixedPoint(c - dir * (len / 2)), fixedPoint(mid), 255, thick, cv::LINE_AA, kShift);
      cv::line(m, fixedPoint(mid), fixedPoint(c + dir * (len / 2)), 255, thick, cv::LINE_AA, kShift);
      d.delta = static_cast<float>(signedMagnitude(rng, 35.0, 60.0));
      break;
    }
    case 1: {  // inclusion: small dark blob drawn out along the rolling direction
      const cv::Size axes = fixedSize(uniform(rng, 5.0, 12.0) * s, uniform(rng, 1.5, 3.5) * s);
      cv::ellipse(m, fixedPoint(c), axes, normal(rng) * 12.0, 0, 360, 255, cv::FILLED, cv::LINE_AA, kShift);
      d.delta = static_cast<float>(-uniform(rng, 40.0, 70.0));
      sigma = 1.0;
      break;
    }
    case 2: {  // patch: a large irregular region, lighter or darker, with soft edges
      const int lobes = uniformInt(rng, 2, 4);
      for (int i = 0; i < lobes; ++i) {
        const double r = uniform(rng, 0.10, 0.20) * 256.0 * s;
        const cv::Point2d p = c + cv::Point2d(normal(rng), normal(rng)) * (r * 0.6);
        cv::ellipse(m, fixedPoint(p), fixedSize(r, r * uniform(rng, 0.5, 1.0)), uniform(rng, 0.0, 180.0), 0, 360,
                    255, cv::FILLED, cv::LINE_AA, kShift);
      }
      d.delta = static_cast<float>(signedMagnitude(rng, 18.0, 35.0));
      sigma = 6.0 * s;
      break;
    }
    case 3: {  // pit: a few small dark dots close together
      const int dots = uniformInt(rng, 3, 7);
      const double spread = uniform(rng, 4.0, 12.0) * s;
      for (int i = 0; i < dots; ++i) {
        const cv::Point2d p = c + cv::Point2d(normal(rng), normal(rng)) * (spread * 0.5);
        const double r = uniform(rng, 1.0, 2.2) * s;
        cv::circle(m, fixedPoint(p), cvRound(r * 16.0), 255, cv::FILLED, cv::LINE_AA, kShift);
      }
      d.delta = static_cast<float>(-uniform(rng, 50.0, 80.0));
      sigma = 0.7;
      break;
    }
    case 4: {  // crack: a thin dark random walk that keeps roughly to one heading
      const double heading = uniform(rng, 0.0, 2.0 * kPi);
      double a = heading;
      cv::Point2d p = c;
      const int steps = uniformInt(rng, 10, 24);
      for (int i = 0; i < steps; ++i) {
        a += normal(rng) * 0.5 + (heading - a) * 0.3;  // jagged, but no loops
        const cv::Point2d q = p + cv::Point2d(std::cos(a), std::sin(a)) * (uniform(rng, 2.5, 5.0) * s);
        cv::line(m, fixedPoint(p), fixedPoint(q), 255, 1, cv::LINE_AA, kShift);
        p = q;
      }
      d.delta = static_cast<float>(-uniform(rng, 45.0, 70.0));
      sigma = 0.5;
      break;
    }
    default: {  // stain: a faint, very soft blob, hard to see on purpose
      const double r = uniform(rng, 10.0, 30.0) * s;
      cv::ellipse(m, fixedPoint(c), fixedSize(r, r * uniform(rng, 0.5, 1.0)), uniform(rng, 0.0, 180.0), 0, 360, 255,
                  cv::FILLED, cv::LINE_AA, kShift);
      d.delta = static_cast<float>(signedMagnitude(rng, 6.0, 12.0));
      sigma = 0.3 * r;
      break;
    }
  }
  finishMask(d, m, sigma);
  return d;
}

// Box IoU alone misses a small defect drawn inside a large one (a stain on a patch): the boxes
// barely overlap by IoU, yet the small one would be invisible and its label unfair.
bool overlapsHeavily(const Defect& d, const std::vector<Defect>& placed) {
  const cv::Mat1b support = d.mask > 0.0f;
  const int own = cv::countNonZero(support);
  for (const Defect& p : placed) {
    const cv::Rect both = p.box & d.box;
    if (both.empty()) continue;
    if (both.area() > 0.3 * (p.box.area() + d.box.area() - both.area())) return true;  // IoU > 0.3
    const cv::Mat1b other = p.mask(both) > 0.0f;
    const int shared = cv::countNonZero(support(both) & other);
    if (shared * 2 > std::min(own, cv::countNonZero(p.mask > 0.0f))) return true;
  }
  return false;
}

std::string labelLine(int cls, const cv::Rect& r, cv::Size size) {
  // The classic locale, because a GUI may have set a locale whose decimal point is a comma.
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << cls << std::fixed << std::setprecision(6) << ' ' << (r.x + r.width / 2.0) / size.width << ' '
      << (r.y + r.height / 2.0) / size.height << ' ' << double(r.width) / size.width << ' '
      << double(r.height) / size.height << '\n';
  return out.str();
}

Status writeText(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot open '" + file.string() + "' for writing");
  out << text;
  out.close();
  if (!out) return Status::IoError("failed writing '" + file.string() + "'");
  return Status::Ok();
}

Status writePng(const fs::path& file, const cv::Mat& img) {
  try {
    if (cv::imwrite(file.string(), img, {cv::IMWRITE_PNG_COMPRESSION, 3})) return Status::Ok();
    return Status::IoError("cannot write image '" + file.string() + "'");
  } catch (const cv::Exception& e) {
    return Status::IoError("cannot write image '" + file.string() + "': " + e.what());
  }
}

Status makeDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec))
    return Status::IoError("cannot create folder '" + dir.string() + "'" + (ec ? ": " + ec.message() : ""));
  return Status::Ok();
}

std::string stem(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "img_%05d", i);
  return buf;
}

Status generate(const fs::path& dir, const DemoOptions& o, const ProgressFn& progress) {
  QUARRY_RETURN_IF_ERROR(makeDir(dir / "images"));
  QUARRY_RETURN_IF_ERROR(makeDir(dir / "labels"));
  std::string names;
  for (const auto& n : demoClassNames(o)) names += n + "\n";
  QUARRY_RETURN_IF_ERROR(writeText(dir / "classes.txt", names));

  Rng rng(o.seed);
  const cv::Size size(o.width, o.height);
  const double s = o.defectScale > 0 ? o.defectScale : std::min(o.width, o.height) / 256.0;
  const std::vector<ClassShape> shapes = classShapes(o);
  const int classes = static_cast<int>(shapes.size());
  constexpr int kTries = 8;
  for (int i = 0; i < o.images; ++i) {
    cv::Mat1f img = makeBackground(rng, o.width, o.height);
    // About one image in ten is clean, so a detector also learns to say "nothing here".
    const bool clean = o.maxDefects == 0 || uniform(rng, 0.0, 1.0) < 0.1;
    const int wanted = clean ? 0 : uniformInt(rng, 1, o.maxDefects);
    std::vector<Defect> placed;
    std::string labels;
    for (int k = 0; k < wanted; ++k) {
      const int cls = uniformInt(rng, 0, classes - 1);
      for (int t = 0; t < kTries; ++t) {
        Defect d = drawDefect(rng, shapes[static_cast<std::size_t>(cls)].shape, size, s);
        if (d.box.width < 3 || d.box.height < 3) continue;
        // After the draw, so the random stream (and the default data set) stays as it was.
        if (const int sign = shapes[static_cast<std::size_t>(cls)].sign; sign != 0) d.delta = sign * std::fabs(d.delta);
        d.delta *= static_cast<float>(o.contrast);
        if (overlapsHeavily(d, placed)) continue;
        cv::scaleAdd(d.mask, d.delta, img, img);
        labels += labelLine(cls, d.box, size);
        placed.push_back(std::move(d));
        break;
      }
    }
    // Sensor noise goes on last so it lies over the defects as well.
    img += noiseField(rng, o.height, o.width, 1.5);
    cv::Mat1b out;
    img.convertTo(out, CV_8U);
    const std::string name = stem(i);
    QUARRY_RETURN_IF_ERROR(writePng(dir / "images" / (name + ".png"), out));
    QUARRY_RETURN_IF_ERROR(writeText(dir / "labels" / (name + ".txt"), labels));
    if (!reportProgress(progress, static_cast<std::size_t>(i) + 1, static_cast<std::size_t>(o.images), "generate"))
      return Status::Cancelled();
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> demoClassNames(const DemoOptions& options) {
  std::vector<std::string> names;
  for (const ClassShape& c : classShapes(options)) names.push_back(c.name);
  return names;
}

Status generateDemoDataset(const fs::path& dir, const DemoOptions& options, const ProgressFn& progress) {
  if (options.images < 0)
    return Status::InvalidArgument("image count must not be negative (got " + std::to_string(options.images) + ")");
  if (options.width < 32 || options.height < 32)
    return Status::InvalidArgument("demo images must be at least 32x32 pixels (got " + std::to_string(options.width) +
                                   "x" + std::to_string(options.height) + ")");
  if (!(options.defectScale >= 0) || options.defectScale > 64)
    return Status::InvalidArgument("the defect scale must be in [0, 64] (got " + std::to_string(options.defectScale) + ")");
  if (!(options.contrast > 0) || options.contrast > 4)
    return Status::InvalidArgument("the defect contrast must be in (0, 4] (got " + std::to_string(options.contrast) + ")");
  if (options.maxDefects < 0)
    return Status::InvalidArgument("defects per image must not be negative (got " +
                                   std::to_string(options.maxDefects) + ")");
  // OpenCV or the allocator can still throw (e.g. an absurd image size); the API must not.
  try {
    return generate(dir, options, progress);
  } catch (const std::exception& e) {
    return Status::Error(StatusCode::kInternal, std::string("generating the demo data set failed: ") + e.what());
  }
}

}  // namespace quarry
