#include "quarry/al/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <random>

#include "quarry/core/numbers.h"
#include "quarry/core/random.h"

namespace quarry {
namespace {

std::size_t resolve(const SplitAmount& a, std::size_t pool) {
  if (a.count >= 0) return static_cast<std::size_t>(a.count);
  return static_cast<std::size_t>(std::llround(a.fraction * static_cast<double>(pool)));
}


// Orders the pool for a stratified draw: images grouped by the rarest class they show (the
// class that is hardest to keep represented), each group shuffled, then interleaved so that
// any prefix holds every group in proportion.
Result<std::vector<ImageId>> stratifiedOrder(const Project& project, std::vector<ImageId> pool, std::uint64_t seed) {
  auto boxes = project.boxesOfImages(pool);
  if (!boxes.ok()) return boxes.status();
  std::map<ImageId, std::vector<ClassId>> classesOf;
  std::map<ClassId, std::size_t> imagesPerClass;
  for (const Box& b : *boxes) {
    auto& v = classesOf[b.image];
    if (std::find(v.begin(), v.end(), b.cls) == v.end()) {
      v.push_back(b.cls);
      ++imagesPerClass[b.cls];
    }
  }
  std::map<ClassId, std::vector<ImageId>> groups;  // key -1: images without boxes
  for (ImageId id : pool) {
    ClassId key = -1;
    for (ClassId c : classesOf[id])
      if (key == -1 || imagesPerClass[c] < imagesPerClass[key] || (imagesPerClass[c] == imagesPerClass[key] && c < key))
        key = c;
    groups[key].push_back(id);
  }
  // Interleave by each group's fractional position, a stable proportional merge.
  std::vector<std::pair<double, ImageId>> keyed;
  std::uint64_t salt = 0;
  for (auto& [key, ids] : groups) {
    seededShuffle(ids, seed + 0x9e3779b97f4a7c15ULL * ++salt);
    for (std::size_t i = 0; i < ids.size(); ++i)
      keyed.push_back({(static_cast<double>(i) + 0.5) / static_cast<double>(ids.size()), ids[i]});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<ImageId> out;
  for (auto& [k, id] : keyed) out.push_back(id);
  return out;
}

// Puts every near-duplicate group on one side: VAL when a member is (or was already) in VAL,
// else GT when one is in GT. Members drawn for the other side leave it, the rest of the group
// joins, and GT is filled up again from the draw's order with images of no VAL group. A split
// without groups is left exactly as drawn. Returns how many images moved.
Result<std::size_t> keepDuplicatesTogether(const Project& project, const SplitOptions& options,
                                           const std::vector<ImageId>& order, std::size_t nGt, SplitResult* result) {
  auto groups = nearDuplicateGroups(project, options.duplicateDistance);
  if (!groups.ok()) return groups.status();
  if (groups->empty()) return std::size_t{0};
  const std::set<ImageId> pool(order.begin(), order.end());
  std::set<ImageId> val(result->val.begin(), result->val.end()), gt(result->gt.begin(), result->gt.end());
  ImageQuery q;
  q.anyTags = {options.valTag};
  auto inVal = project.findImages(q);
  if (!inVal.ok()) return inVal.status();
  q.anyTags = {options.gtTag};
  auto inGt = project.findImages(q);
  if (!inGt.ok()) return inGt.status();
  const std::set<ImageId> taggedVal(inVal->begin(), inVal->end()), taggedGt(inGt->begin(), inGt->end());
  std::map<ImageId, int> sideOf;  // 1 VAL, 2 GT, for members of decided groups
  std::size_t moved = 0;
  for (const auto& g : *groups) {
    const auto any = [&](const std::set<ImageId>& s) {
      return std::any_of(g.begin(), g.end(), [&](ImageId id) { return s.count(id) > 0; });
    };
    const int side = any(taggedVal) || any(val) ? 1 : any(taggedGt) || any(gt) ? 2 : 0;
    if (side == 0) continue;
    for (ImageId id : g) {
      sideOf[id] = side;
      if (!pool.count(id)) continue;  // already tagged, or outside the pool: not the split's to move
      std::set<ImageId>& mine = side == 1 ? val : gt;
      std::set<ImageId>& other = side == 1 ? gt : val;
      const bool left = other.erase(id) > 0;
      const bool joined = mine.insert(id).second;
      if (left || joined) ++moved;
    }
  }
  // GT gave images to VAL groups: refill it in the draw's order.
  for (ImageId id : order) {
    if (gt.size() >= nGt) break;
    if (val.count(id) || gt.count(id)) continue;
    if (auto s = sideOf.find(id); s != sideOf.end() && s->second == 1) continue;
    gt.insert(id);
  }
  result->val.assign(val.begin(), val.end());
  result->gt.assign(gt.begin(), gt.end());
  return moved;
}

}  // namespace

SplitAmount SplitAmount::parse(const std::string& text, bool* ok) {
  SplitAmount a;
  *ok = false;
  if (text.find('.') != std::string::npos) {
    const auto f = parseDouble(text);
    *ok = f && *f >= 0 && *f <= 1;
    if (*ok) a.fraction = *f;
  } else {
    const auto n = parseInteger(text);
    *ok = n && *n >= 0;
    if (*ok) a.count = *n;
  }
  return a;
}

Result<std::vector<TagInUse>> splitTagsInUse(const Project& project, const SplitOptions& options) {
  std::vector<TagInUse> out;
  const bool wantsVal = options.val.count != 0 && !(options.val.count < 0 && options.val.fraction <= 0);
  const bool wantsGt = options.gt.count != 0 && !(options.gt.count < 0 && options.gt.fraction <= 0);
  for (const auto& [tag, wanted] : {std::pair{options.valTag, wantsVal}, std::pair{options.gtTag, wantsGt}}) {
    if (!wanted) continue;
    ImageQuery q;
    q.anyTags = {tag};
    auto n = project.countImages(q);
    if (!n.ok()) return n.status();
    if (*n > 0) out.push_back({tag, static_cast<std::size_t>(*n)});
  }
  return out;
}

Result<SplitResult> splitImages(Project& project, const SplitOptions& options) {
  if (options.valTag == options.gtTag) return Status::InvalidArgument("the VAL and GT tags must differ");
  ImageQuery q = options.pool;
  q.noTags.push_back(options.valTag);
  q.noTags.push_back(options.gtTag);
  auto pool = project.findImages(q);
  if (!pool.ok()) return pool.status();
  SplitResult result;
  result.poolSize = pool->size();
  const std::size_t nVal = resolve(options.val, pool->size());
  const std::size_t nGt = options.gt.count >= 0 ? static_cast<std::size_t>(options.gt.count)
                                                 : resolve(options.gt, pool->size());
  if (nVal + nGt > pool->size())
    return Status::InvalidArgument("asked for " + std::to_string(nVal) + " VAL + " + std::to_string(nGt) +
                                   " GT images but the pool has only " + std::to_string(pool->size()));
  if (!options.extend) {
    auto inUse = splitTagsInUse(project, options);
    if (!inUse.ok()) return inUse.status();
    for (const TagInUse& t : *inUse)
      if ((t.tag == options.valTag && nVal > 0) || (t.tag == options.gtTag && nGt > 0))
        return Status::InvalidArgument("tag " + t.tag + " already holds " + std::to_string(t.images) +
                                       " images: add to it with --extend, or split into new tags "
                                       "(--val-tag, --gt-tag)");
  }
  std::vector<ImageId> order = *pool;
  if (options.stratify) {
    auto s = stratifiedOrder(project, order, options.seed);
    if (!s.ok()) return s.status();
    order = std::move(s).value();
    // VAL takes every k-th image of the proportional order so GT stays proportional too.
    std::vector<ImageId> rest;
    const double step = nVal ? static_cast<double>(order.size()) / static_cast<double>(nVal) : 0;
    std::size_t next = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (result.val.size() < nVal && i == static_cast<std::size_t>(std::floor(step * static_cast<double>(next)))) {
        result.val.push_back(order[i]);
        ++next;
      } else {
        rest.push_back(order[i]);
      }
    }
    result.gt.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(nGt));
  } else {
    seededShuffle(order, options.seed);
    result.val.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(nVal));
    result.gt.assign(order.begin() + static_cast<std::ptrdiff_t>(nVal),
                     order.begin() + static_cast<std::ptrdiff_t>(nVal + nGt));
  }
  if (options.duplicateDistance >= 0) {
    auto moved = keepDuplicatesTogether(project, options, order, nGt, &result);
    if (!moved.ok()) return moved.status();
    result.movedForDuplicates = *moved;
  }
  std::sort(result.val.begin(), result.val.end());
  std::sort(result.gt.begin(), result.gt.end());
  Project::WriteBatch batch(project);
  QUARRY_RETURN_IF_ERROR(batch.status());
  auto a = project.tagImages(options.valTag, result.val);
  if (!a.ok()) return a.status();
  auto b = project.tagImages(options.gtTag, result.gt);
  if (!b.ok()) return b.status();
  QUARRY_RETURN_IF_ERROR(batch.commit());
  return result;
}

}  // namespace quarry
