// Planning and applying "accept the auto boxes of the easy images".
#include "quarry/al/accept.h"

#include <algorithm>
#include <map>
#include <set>

namespace quarry {

Result<AcceptPlan> planAcceptEasy(const Project& project, ImageQuery filter, RunId run) {
  auto runs = project.runs();
  if (!runs.ok()) return runs.status();
  if (std::none_of(runs->begin(), runs->end(), [&](const ModelRun& r) { return r.id == run; }))
    return Status::NotFound("accept: no model run with id " + std::to_string(run));
  filter.scoreRun = run;
  filter.difficulties = {Difficulty::kEasy};
  filter.statuses = {ImageStatus::kUnlabeled, ImageStatus::kLabeled};
  filter.sources = {BoxSource::kAuto};
  filter.limit = -1;  // the whole filtered set, not a page of it
  auto ids = project.findImages(filter);
  if (!ids.ok()) return ids.status();
  auto boxes = project.boxesOfImages(*ids);
  if (!boxes.ok()) return boxes.status();
  // An image a person already drew on is theirs to review, not the model's to accept.
  std::set<ImageId> human;
  std::size_t autoBoxes = 0;
  std::map<ImageId, std::size_t> perImage;
  for (const Box& b : *boxes) {
    if (b.source == BoxSource::kAuto) ++perImage[b.image];
    else human.insert(b.image);
  }
  AcceptPlan plan;
  for (ImageId id : *ids)
    if (!human.count(id)) {
      plan.images.push_back(id);
      autoBoxes += perImage[id];
    }
  plan.autoBoxes = autoBoxes;
  return plan;
}

Status acceptImages(Project& project, const AcceptPlan& plan) {
  Project::WriteBatch batch(project);
  QUARRY_RETURN_IF_ERROR(batch.status());
  for (ImageId id : plan.images) QUARRY_RETURN_IF_ERROR(project.setImageStatus(id, ImageStatus::kReviewed));
  return batch.commit();
}

}  // namespace quarry
