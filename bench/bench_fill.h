// Filling a project with many synthetic records, shared by the store and GUI benchmarks.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "quarry/store/project.h"

namespace quarry::bench {

// A benchmark on a half-filled project measures nothing: any failed write stops it, saying why.
inline void must(const Status& st) {
  if (st.ok()) return;
  std::fprintf(stderr, "benchmark fill failed: %s\n", st.message().c_str());
  std::exit(1);
}
template <typename T>
void must(const Result<T>& r) {
  must(r.status());
}

// Adds `images` image records named images/img_NNNNNN.jpg (1920x1080) with `boxes` boxes
// spread evenly over six classes; commits every `chunk` images (0: every write on its own).
inline void fillRecords(Project& p, int images, int boxes, int chunk) {
  std::vector<ClassId> classes;
  for (const char* n : {"crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"})
    classes.push_back(*p.ensureClass(n));
  std::mt19937_64 rng(1);
  std::unique_ptr<Project::WriteBatch> batch;
  if (chunk > 0) batch = std::make_unique<Project::WriteBatch>(p);
  int boxesLeft = boxes;
  char name[64];
  for (int i = 0; i < images; ++i) {
    ImageRecord r;
    std::snprintf(name, sizeof name, "images/img_%06d.jpg", i);
    r.path = name;
    r.width = 1920;
    r.height = 1080;
    r.hash = std::to_string(rng());
    const ImageId id = *p.addImage(r);
    const int n = boxesLeft / (images - i);  // image i gets its share of what is left
    boxesLeft -= n;
    for (int k = 0; k < n; ++k) {
      Box b;
      b.image = id;
      b.cls = classes[rng() % classes.size()];
      b.x = static_cast<double>(rng() % 1800);
      b.y = static_cast<double>(rng() % 1000);
      b.w = 10 + static_cast<double>(rng() % 100);
      b.h = 10 + static_cast<double>(rng() % 70);
      must(p.addBox(b));
    }
    if (batch && (i + 1) % chunk == 0) must(batch->commit());
  }
  if (batch) must(batch->commit());
}

// Tags VAL1 (20%), GT1 (20%), GT2 (10%) at random, and scores everything outside VAL1 and
// GT1 with a model run "CAL1" (difficulty uniform over easy, medium, hard).
inline RunId tagAndScore(Project& p) {
  auto ids = *p.findImages({});
  std::mt19937_64 rng(7);
  std::vector<ImageId> val, gt1, gt2;
  std::vector<ImageScore> scores;
  ModelRun run;
  run.name = "CAL1";
  const RunId runId = *p.addRun(run);
  for (ImageId id : ids) {
    const auto r = rng() % 10;
    if (r < 2) val.push_back(id);
    else if (r < 4) gt1.push_back(id);
    else if (r < 5) gt2.push_back(id);
    if (r >= 4) {
      ImageScore s;
      s.run = runId;
      s.image = id;
      s.score = static_cast<double>(rng() % 1000) / 1000.0;
      s.difficulty = static_cast<Difficulty>(rng() % 3);
      scores.push_back(s);
    }
  }
  must(p.tagImages("VAL1", val));
  must(p.tagImages("GT1", gt1));
  must(p.tagImages("GT2", gt2));
  must(p.putScores(scores));
  return runId;
}

}  // namespace quarry::bench
