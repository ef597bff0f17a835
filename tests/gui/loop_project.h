// Shared by the GUI tests of the active-learning loop: a small generated demo project split into
// VAL1 and GT1 with their truth, and an unlabelled pool (the rest, boxes removed).
#pragma once

#include <QString>
#include <vector>

#include "quarry/demo.h"
#include "quarry/project.h"
#include "quarry/split.h"

namespace quarry::test {

// 40 images of 96 px: 10 VAL1, 16 GT1, 14 in the pool. Returns the pool's ids (empty on failure).
inline std::vector<ImageId> makeLoopProject(const QString& dir) {
  DemoOptions options;
  options.images = 40;
  options.width = options.height = 96;
  options.seed = 8;
  if (!createDemoProject(dir.toStdString(), options, true, nullptr).ok()) return {};
  auto opened = Project::open(dir.toStdString());
  if (!opened.ok()) return {};
  Project& p = **opened;
  SplitOptions split;
  split.val = {10, 0};
  split.gt = {16, 0};
  if (!splitImages(p, split).ok()) return {};
  ImageQuery rest;
  rest.noTags = {"VAL1", "GT1"};
  auto pool = p.findImages(rest);
  if (!pool.ok()) return {};
  for (const Box& b : *p.boxesOfImages(*pool))
    if (!p.removeBox(b.id).ok()) return {};
  for (ImageId id : *pool)
    if (!p.setImageStatus(id, ImageStatus::kUnlabeled).ok()) return {};
  return *pool;
}

}  // namespace quarry::test
