// Near-duplicate calibration: how far apart the perceptual hashes of unrelated images are, and
// how close edited copies of one image stay, per Hamming distance, on real folders of images.
// The default distance (store/duplicates.h) is the largest that groups (almost) no unrelated pair
// while it still finds the usual copies.
//   quarry_duplicates_bench DIR [DIR...] [--max N] [--json]
// Each DIR is read recursively (JPEG, PNG, BMP, TIFF); every pair of images counts as unrelated
// unless their bytes are equal. The copies: JPEG re-encoded at quality 75, resized to 70%,
// brightened by 15 levels, cropped by 4% at each edge, blurred (Gaussian, sigma 1).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "quarry/core/image_probe.h"
#include "quarry/core/perceptual_hash.h"

namespace fs = std::filesystem;
using namespace quarry;

namespace {

constexpr int kMaxDistance = 20;

bool isImage(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".bmp" || e == ".tif" || e == ".tiff";
}

struct Edit {
  const char* name;
  const char* ext;
  cv::Mat (*apply)(const cv::Mat&);
};

const Edit kEdits[] = {
    {"jpeg_q75", ".jpg", [](const cv::Mat& m) { return m.clone(); }},
    {"resize_70", ".png",
     [](const cv::Mat& m) {
       cv::Mat r;
       cv::resize(m, r, cv::Size(), 0.7, 0.7, cv::INTER_AREA);
       return r;
     }},
    {"brighter_15", ".png",
     [](const cv::Mat& m) {
       cv::Mat r;
       m.convertTo(r, -1, 1.0, 15.0);
       return r;
     }},
    {"crop_4pct", ".png",
     [](const cv::Mat& m) {
       const int dx = m.cols * 4 / 100, dy = m.rows * 4 / 100;
       return m(cv::Rect(dx, dy, m.cols - 2 * dx, m.rows - 2 * dy)).clone();
     }},
    {"blur_1", ".png",
     [](const cv::Mat& m) {
       cv::Mat r;
       cv::GaussianBlur(m, r, cv::Size(0, 0), 1.0);
       return r;
     }},
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> dirs;
  std::size_t maxImages = 0;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") json = true;
    else if (a == "--max" && i + 1 < argc) maxImages = std::stoul(argv[++i]);
    else dirs.push_back(a);
  }
  if (dirs.empty()) {
    std::fprintf(stderr, "usage: quarry_duplicates_bench DIR [DIR...] [--max N] [--json]\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (const auto& d : dirs)
    for (const auto& e : fs::recursive_directory_iterator(d))
      if (e.is_regular_file() && isImage(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (maxImages && files.size() > maxImages) files.resize(maxImages);

  const fs::path work = fs::temp_directory_path() / ("quarry_dup_bench_" + std::to_string(::getpid()));
  fs::create_directories(work);
  std::vector<std::uint64_t> hashes;
  std::vector<std::string> contents;
  std::map<std::string, std::vector<int>> editDistances;  // per edit: distance of each copy
  std::vector<fs::path> kept;
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto info = probeImage(files[i]);
    if (!info.ok()) {
      std::fprintf(stderr, "skipped: %s\n", info.status().message().c_str());
      continue;
    }
    const cv::Mat original = cv::imread(files[i].string(), cv::IMREAD_COLOR);
    hashes.push_back(*info->phash);
    contents.push_back(info->hash);
    kept.push_back(files[i]);
    for (const Edit& e : kEdits) {
      const fs::path copy = work / (std::string(e.name) + e.ext);
      std::vector<int> params;
      if (std::string(e.ext) == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, 75};
      cv::imwrite(copy.string(), e.apply(original), params);
      auto h = perceptualHashOfFile(copy);
      if (h.ok()) editDistances[e.name].push_back(hashDistance(*h, hashes.back()));
    }
  }
  fs::remove_all(work);

  // Unrelated pairs: every pair whose bytes differ.
  std::vector<std::uint64_t> pairsAt(65, 0);
  std::vector<int> nearest(hashes.size(), 65);
  std::uint64_t pairs = 0;
  std::vector<std::tuple<int, std::size_t, std::size_t>> closest;
  for (std::size_t i = 0; i < hashes.size(); ++i)
    for (std::size_t j = i + 1; j < hashes.size(); ++j) {
      if (contents[i] == contents[j]) continue;
      const int d = hashDistance(hashes[i], hashes[j]);
      ++pairsAt[static_cast<std::size_t>(d)];
      ++pairs;
      nearest[i] = std::min(nearest[i], d);
      nearest[j] = std::min(nearest[j], d);
      if (d <= 12) closest.emplace_back(d, i, j);
    }
  std::sort(closest.begin(), closest.end());

  if (json) std::printf("{\n  \"images\": %zu,\n  \"unrelated_pairs\": %llu,\n  \"by_distance\": [\n", hashes.size(),
                        static_cast<unsigned long long>(pairs));
  else {
    std::printf("%zu images, %llu unrelated pairs\n\n", hashes.size(), static_cast<unsigned long long>(pairs));
    std::printf("| distance | unrelated pairs within | rate | images with an unrelated twin |");
    for (const Edit& e : kEdits) std::printf(" %s found |", e.name);
    std::printf("\n|---|---|---|---|");
    for (std::size_t k = 0; k < std::size(kEdits); ++k) std::printf("---|");
    std::printf("\n");
  }
  std::uint64_t within = 0;
  for (int d = 0; d <= kMaxDistance; ++d) {
    within += pairsAt[static_cast<std::size_t>(d)];
    const auto withTwin = std::count_if(nearest.begin(), nearest.end(), [d](int n) { return n <= d; });
    const double rate = pairs ? static_cast<double>(within) / static_cast<double>(pairs) : 0;
    const double twinShare = hashes.empty() ? 0 : static_cast<double>(withTwin) / static_cast<double>(hashes.size());
    if (json) {
      std::printf("    {\"distance\": %d, \"unrelated_pairs_within\": %llu, \"rate\": %.3g, \"images_with_unrelated_twin\": %.4f",
                  d, static_cast<unsigned long long>(within), rate, twinShare);
      for (const Edit& e : kEdits) {
        const auto& v = editDistances[e.name];
        const double found = v.empty() ? 0 : static_cast<double>(std::count_if(v.begin(), v.end(), [d](int x) { return x <= d; })) / static_cast<double>(v.size());
        std::printf(", \"%s\": %.4f", e.name, found);
      }
      std::printf("}%s\n", d < kMaxDistance ? "," : "");
    } else {
      std::printf("| %d | %llu | %.2g | %.2f%% |", d, static_cast<unsigned long long>(within), rate, 100 * twinShare);
      for (const Edit& e : kEdits) {
        const auto& v = editDistances[e.name];
        const double found = v.empty() ? 0 : static_cast<double>(std::count_if(v.begin(), v.end(), [d](int x) { return x <= d; })) / static_cast<double>(v.size());
        std::printf(" %.1f%% |", 100 * found);
      }
      std::printf("\n");
    }
  }
  if (json) {
    std::printf("  ],\n  \"closest_unrelated\": [");
    for (std::size_t k = 0; k < std::min<std::size_t>(25, closest.size()); ++k) {
      const auto& [d, i, j] = closest[k];
      std::printf("%s\n    {\"distance\": %d, \"a\": \"%s\", \"b\": \"%s\"}", k ? "," : "", d, kept[i].c_str(), kept[j].c_str());
    }
    std::printf("\n  ]\n}\n");
  } else {
    std::printf("\nclosest unrelated pairs:\n");
    for (std::size_t k = 0; k < std::min<std::size_t>(25, closest.size()); ++k) {
      const auto& [d, i, j] = closest[k];
      std::printf("  %d bits: %s  %s\n", d, kept[i].c_str(), kept[j].c_str());
    }
  }
  return 0;
}
