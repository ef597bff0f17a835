// Store benchmarks (issue targets): inserting 100,000 image records with 250,000 boxes
// (< 10 s), a tag + difficulty + class query over that store (< 20 ms), and a COCO export of
// it (< 5 s). Side by side in the same run, the same inserts one transaction per write, to
// show what chunked batches buy.
//
// Run: build/bench/quarry_store_bench [--benchmark_format=json]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "quarry/formats.h"
#include "quarry/project.h"

namespace fs = std::filesystem;
using namespace quarry;

namespace {

constexpr int kImages = 100'000;
constexpr int kBoxes = 250'000;

fs::path scratchDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("quarry_bench_" + name);
  fs::remove_all(dir);
  return dir;
}

// Fills a project with `images` records and `boxes` boxes spread over six classes; every
// `chunk` images commit (0: no batch, each write its own transaction).
void fill(Project& p, int images, int boxes, int chunk) {
  std::vector<ClassId> classes;
  for (const char* n : {"crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"})
    classes.push_back(*p.addClass(n));
  std::mt19937_64 rng(1);
  std::unique_ptr<Project::WriteBatch> batch;
  if (chunk > 0) batch = std::make_unique<Project::WriteBatch>(p);
  int boxesLeft = boxes;
  for (int i = 0; i < images; ++i) {
    ImageRecord r;
    r.path = "images/img_" + std::to_string(i) + ".jpg";
    r.width = 1920;
    r.height = 1080;
    r.hash = std::to_string(rng());
    const ImageId id = *p.addImage(r);
    // Spread the boxes evenly: image i gets its share of what is left.
    const int n = boxesLeft / (images - i);
    boxesLeft -= n;
    for (int k = 0; k < n; ++k) {
      Box b;
      b.image = id;
      b.cls = classes[rng() % classes.size()];
      b.x = static_cast<double>(rng() % 1800);
      b.y = static_cast<double>(rng() % 1000);
      b.w = 10 + static_cast<double>(rng() % 100);
      b.h = 10 + static_cast<double>(rng() % 70);
      p.addBox(b);
    }
    if (batch && (i + 1) % chunk == 0) batch->commit();
  }
  if (batch) batch->commit();
}

void BM_Insert100kImages250kBoxes(benchmark::State& state) {
  for (auto _ : state) {
    const fs::path dir = scratchDir("insert");
    auto p = Project::create(dir);
    fill(**p, kImages, kBoxes, 1000);
    state.counters["images_per_s"] = benchmark::Counter(kImages, benchmark::Counter::kIsRate);
  }
}
BENCHMARK(BM_Insert100kImages250kBoxes)->Unit(benchmark::kSecond)->Iterations(1);

// The same mix, 2,000 images, one transaction per write: the baseline batches are compared to.
void BM_Insert2kImagesUnbatched(benchmark::State& state) {
  for (auto _ : state) {
    const fs::path dir = scratchDir("unbatched");
    auto p = Project::create(dir);
    fill(**p, 2000, 5000, 0);
    state.counters["images_per_s"] = benchmark::Counter(2000, benchmark::Counter::kIsRate);
  }
}
BENCHMARK(BM_Insert2kImagesUnbatched)->Unit(benchmark::kSecond)->Iterations(1);

// A 100k-image store with tags (VAL1 20%, GT1 20%, GT2 10%) and one model run's scores.
Project& bigStore() {
  static std::unique_ptr<Project> project = [] {
    const fs::path dir = scratchDir("query");
    auto p = std::move(Project::create(dir)).value();
    fill(*p, kImages, kBoxes, 1000);
    auto ids = *p->findImages({});
    std::mt19937_64 rng(7);
    std::vector<ImageId> val, gt1, gt2;
    std::vector<ImageScore> scores;
    ModelRun run;
    run.name = "CAL1";
    const RunId runId = *p->addRun(run);
    for (ImageId id : ids) {
      const auto r = rng() % 10;
      if (r < 2) val.push_back(id);
      else if (r < 4) gt1.push_back(id);
      else if (r < 5) gt2.push_back(id);
      if (r >= 4) {  // everything outside VAL1 and GT1 was scored by CAL1
        ImageScore s;
        s.run = runId;
        s.image = id;
        s.score = static_cast<double>(rng() % 1000) / 1000.0;
        s.difficulty = static_cast<Difficulty>(rng() % 3);
        scores.push_back(s);
      }
    }
    p->tagImages("VAL1", val);
    p->tagImages("GT1", gt1);
    p->tagImages("GT2", gt2);
    p->putScores(scores);
    return p;
  }();
  return *project;
}

void BM_QueryTagDifficultyClass(benchmark::State& state) {
  Project& p = bigStore();
  ImageQuery q;
  q.anyTags = {"GT2"};
  q.scoreRun = p.findRun("CAL1")->value().id;
  q.difficulties = {Difficulty::kMedium, Difficulty::kHard};
  q.classes = {"pitted_surface"};
  std::size_t found = 0;
  for (auto _ : state) {
    auto ids = p.findImages(q);
    found = ids->size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["images_found"] = static_cast<double>(found);
}
BENCHMARK(BM_QueryTagDifficultyClass)->Unit(benchmark::kMillisecond);

// The list's most common filter without a class: every image with a tag and a difficulty.
void BM_QueryTagDifficulty(benchmark::State& state) {
  Project& p = bigStore();
  ImageQuery q;
  q.anyTags = {"GT2"};
  q.scoreRun = p.findRun("CAL1")->value().id;
  q.difficulties = {Difficulty::kHard};
  std::size_t found = 0;
  for (auto _ : state) {
    found = p.findImages(q)->size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["images_found"] = static_cast<double>(found);
}
BENCHMARK(BM_QueryTagDifficulty)->Unit(benchmark::kMillisecond);

void BM_CocoExport100k(benchmark::State& state) {
  Project& p = bigStore();
  for (auto _ : state) {
    const fs::path out = scratchDir("coco");
    ExportOptions options;
    options.imageCopy = ImageCopy::kNone;
    ExportReport report;
    Status st = exportDataset(p, Format::kCoco, out, options, &report);
    if (!st.ok()) state.SkipWithError(st.message().c_str());
    state.counters["boxes"] = static_cast<double>(report.boxes);
  }
}
BENCHMARK(BM_CocoExport100k)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
