// The selection step against the store: the run's scored pool in, a tag on the chosen images out.
#include <algorithm>
#include <set>

#include "quarry/core/log.h"
#include "quarry/al/select.h"

namespace quarry {

Result<std::vector<ImageId>> unlabeledPool(const Project& project, const ImageQuery& narrow, const std::string& valTag) {
  ImageQuery q = narrow;
  auto tags = project.tags();
  if (!tags.ok()) return tags.status();
  q.noTags.push_back(valTag);
  for (const auto& t : *tags)
    if (t.name.rfind("GT", 0) == 0) q.noTags.push_back(t.name);
  auto ids = project.findImages(q);
  if (!ids.ok()) return ids.status();
  ImageQuery labelled;
  labelled.sources = {BoxSource::kManual, BoxSource::kCorrected};
  auto human = project.findImages(labelled);
  if (!human.ok()) return human.status();
  const std::set<ImageId> skip(human->begin(), human->end());
  std::vector<ImageId> pool;
  for (ImageId id : *ids)
    if (!skip.count(id)) pool.push_back(id);
  std::sort(pool.begin(), pool.end());
  return pool;
}

Result<std::vector<Candidate>> loadCandidates(const Project& project, RunId run, const std::vector<ImageId>& images) {
  auto scores = project.scores(run);
  if (!scores.ok()) return scores.status();
  const std::set<ImageId> wanted(images.begin(), images.end());
  std::vector<Candidate> out;
  for (const ImageScore& s : *scores) {
    if (!wanted.count(s.image)) continue;
    auto u = parseComponentsJson(s.componentsJson, s.image);
    if (!u.ok()) return u.status();
    Candidate c;
    c.image = s.image;
    if (!u->detections.empty()) c.score = s.score;
    c.difficulty = s.difficulty;
    c.uncertainty = std::move(*u);
    out.push_back(std::move(c));
  }
  return out;
}

Result<SelectReport> selectNextGroundTruth(Project& project, const SelectRequest& r) {
  if (r.options.budget == 0) return Status::InvalidArgument("select: the budget must be at least 1");
  if (r.tag.empty() || r.tag == r.valTag)
    return Status::InvalidArgument("select: the tag of the chosen images must be set and differ from " + r.valTag);
  auto run = project.findRun(r.runName);
  if (!run.ok()) return run.status();
  if (!*run) return Status::NotFound("select: no model run named " + r.runName);

  auto pool = unlabeledPool(project, r.pool, r.valTag);
  if (!pool.ok()) return pool.status();
  auto candidates = loadCandidates(project, (*run)->id, *pool);
  if (!candidates.ok()) return candidates.status();
  if (candidates->empty())
    return Status::NotFound("select: run " + r.runName + " scored none of the " + std::to_string(pool->size()) +
                            " pool images; run `quarry score` first");
  SelectReport report;
  report.poolSize = candidates->size();
  report.chosen = selectImages(*candidates, r.options);
  std::set<ImageId> chosen(report.chosen.begin(), report.chosen.end());
  for (const auto& c : *candidates)
    if (chosen.count(c.image)) ++report.perDifficulty[static_cast<int>(c.difficulty)];
  auto tagged = project.tagImages(r.tag, report.chosen);
  if (!tagged.ok()) return tagged.status();
  coreLogger()->info("select: {} of {} pool images tagged {} by {}", report.chosen.size(), report.poolSize, r.tag,
                     toString(r.options.strategy));
  return report;
}

}  // namespace quarry
