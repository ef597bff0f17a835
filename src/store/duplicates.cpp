#include "quarry/store/duplicates.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <unordered_map>

#include "quarry/core/perceptual_hash.h"

namespace quarry {
namespace {

// Union-find over positions.
struct Groups {
  std::vector<std::size_t> parent;
  explicit Groups(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// Calls `close(i, j)` for every pair of positions whose hashes are at most `distance` apart (some
// pairs more than once). Pigeonhole: split the 64 bits into distance + 1 blocks; two hashes that
// close agree exactly on at least one block, so only images sharing a block value are compared.
template <typename Close>
void forClosePairs(const std::vector<std::uint64_t>& h, int distance, Close close) {
  const std::size_t n = h.size();
  if (distance < 0 || n < 2) return;
  if (distance >= 16 || n < 64) {  // few blocks of few bits would match everything: compare all
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        if (hashDistance(h[i], h[j]) <= distance) close(i, j);
    return;
  }
  const int blocks = distance + 1;
  for (int b = 0; b < blocks; ++b) {
    const int from = 64 * b / blocks, to = 64 * (b + 1) / blocks;
    const std::uint64_t mask = (to - from == 64 ? ~0ull : ((1ull << (to - from)) - 1)) << from;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> buckets;
    for (std::size_t i = 0; i < n; ++i) buckets[h[i] & mask].push_back(i);
    for (const auto& [key, members] : buckets)
      for (std::size_t x = 0; x < members.size(); ++x)
        for (std::size_t y = x + 1; y < members.size(); ++y)
          if (hashDistance(h[members[x]], h[members[y]]) <= distance) close(members[x], members[y]);
  }
}

Result<std::vector<ImageId>> taggedImages(const Project& project, const std::vector<std::string>& tags) {
  ImageQuery q;
  q.anyTags = tags;
  return project.findImages(q);
}

}  // namespace

std::vector<std::vector<ImageId>> groupNearDuplicates(const std::vector<std::pair<ImageId, std::uint64_t>>& hashes,
                                                      int distance) {
  std::vector<std::uint64_t> h;
  h.reserve(hashes.size());
  for (const auto& [id, hash] : hashes) h.push_back(hash);
  Groups g(hashes.size());
  forClosePairs(h, distance, [&](std::size_t i, std::size_t j) { g.join(i, j); });
  std::map<std::size_t, std::vector<ImageId>> byRoot;
  for (std::size_t i = 0; i < hashes.size(); ++i) byRoot[g.find(i)].push_back(hashes[i].first);
  std::vector<std::vector<ImageId>> out;
  for (auto& [root, ids] : byRoot)
    if (ids.size() >= 2) {
      std::sort(ids.begin(), ids.end());
      out.push_back(std::move(ids));
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  return out;
}

Result<std::vector<std::vector<ImageId>>> nearDuplicateGroups(const Project& project, int distance) {
  auto hashes = project.perceptualHashes();
  if (!hashes.ok()) return hashes.status();
  return groupNearDuplicates(*hashes, distance);
}

Result<std::vector<DuplicatePair>> nearDuplicateLeaks(const Project& project, const std::string& valTag,
                                                      const std::vector<std::string>& trainTagsIn, int distance) {
  std::vector<std::string> trainTags = trainTagsIn;
  if (trainTags.empty()) {
    auto tags = project.tags();
    if (!tags.ok()) return tags.status();
    for (const TagInfo& t : *tags)
      if (t.name.rfind("GT", 0) == 0 && t.name != valTag) trainTags.push_back(t.name);
  }
  if (valTag.empty() || trainTags.empty()) return std::vector<DuplicatePair>{};
  auto val = taggedImages(project, {valTag});
  if (!val.ok()) return val.status();
  auto train = taggedImages(project, trainTags);
  if (!train.ok()) return train.status();
  return nearDuplicatePairs(project, *val, *train, distance);
}

Result<std::vector<DuplicatePair>> nearDuplicatePairs(const Project& project, const std::vector<ImageId>& val,
                                                      const std::vector<ImageId>& train, int distance) {
  std::vector<DuplicatePair> out;
  const std::set<ImageId> valSet(val.begin(), val.end()), trainSet(train.begin(), train.end());
  auto hashes = project.perceptualHashes();
  if (!hashes.ok()) return hashes.status();
  std::vector<std::pair<ImageId, std::uint64_t>> relevant;
  for (const auto& e : *hashes)
    if (valSet.count(e.first) || trainSet.count(e.first)) relevant.push_back(e);
  std::vector<std::uint64_t> h;
  for (const auto& e : relevant) h.push_back(e.second);
  std::set<std::pair<ImageId, ImageId>> seen;
  forClosePairs(h, distance, [&](std::size_t i, std::size_t j) {
    for (auto [a, b] : {std::pair{i, j}, std::pair{j, i}}) {
      const ImageId v = relevant[a].first, t = relevant[b].first;
      // An image in both sets is the tag overlap training already refuses, not a twin.
      if (v == t || !valSet.count(v) || !trainSet.count(t) || trainSet.count(v)) continue;
      if (seen.insert({v, t}).second) out.push_back({v, t, hashDistance(relevant[a].second, relevant[b].second), {}, {}});
    }
  });
  std::sort(out.begin(), out.end(), [](const DuplicatePair& a, const DuplicatePair& b) {
    return a.distance != b.distance ? a.distance < b.distance : std::pair(a.val, a.train) < std::pair(b.val, b.train);
  });
  std::vector<ImageId> ids;
  for (const auto& p : out) {
    ids.push_back(p.val);
    ids.push_back(p.train);
  }
  auto records = project.images(ids);
  if (!records.ok()) return records.status();
  std::map<ImageId, std::string> pathOf;
  for (const ImageRecord& r : *records) pathOf[r.id] = r.path;
  for (auto& p : out) {
    p.valPath = pathOf[p.val];
    p.trainPath = pathOf[p.train];
  }
  return out;
}

std::string describeLeaks(const std::vector<DuplicatePair>& pairs, std::size_t shown) {
  std::string s;
  for (std::size_t i = 0; i < std::min(shown, pairs.size()); ++i) {
    const DuplicatePair& p = pairs[i];
    s += (i ? "; " : "") + std::string("VAL image ") + p.valPath + " is a near-duplicate of training image " +
         p.trainPath + " (" + std::to_string(p.distance) + " bits apart)";
  }
  if (pairs.size() > shown) s += "; and " + std::to_string(pairs.size() - shown) + " more pairs";
  return s;
}

Result<HashReport> computePerceptualHashes(Project& project, bool all, unsigned threadsIn, const ProgressFn& progress) {
  std::vector<ImageId> ids;
  if (all) {
    auto every = project.findImages({});
    if (!every.ok()) return every.status();
    ids = std::move(every).value();
  } else {
    auto missing = project.imagesWithoutPerceptualHash();
    if (!missing.ok()) return missing.status();
    ids = std::move(missing).value();
  }
  HashReport report;
  const unsigned threads = threadsIn > 0 ? threadsIn : std::max(1u, std::thread::hardware_concurrency());
  constexpr std::size_t kChunk = 256;
  for (std::size_t begin = 0; begin < ids.size(); begin += kChunk) {
    if (!reportProgress(progress, begin, ids.size(), "hash")) return Status::Cancelled();
    const std::size_t end = std::min(ids.size(), begin + kChunk);
    auto records = project.images(std::vector<ImageId>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                                       ids.begin() + static_cast<std::ptrdiff_t>(end)));
    if (!records.ok()) return records.status();
    std::vector<std::filesystem::path> files;
    for (const ImageRecord& r : *records) files.push_back(project.resolve(r.path));
    std::vector<std::optional<Result<std::uint64_t>>> hashed(files.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i; (i = next.fetch_add(1)) < files.size();) hashed[i] = perceptualHashOfFile(files[i]);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::min<std::size_t>(threads, files.size()); ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    std::vector<std::pair<ImageId, std::uint64_t>> done;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (hashed[i]->ok()) {
        done.emplace_back((*records)[i].id, **hashed[i]);
      } else {
        ++report.failed;
        if (report.problems.size() < 20) report.problems.push_back(hashed[i]->status().message());
      }
    }
    QUARRY_RETURN_IF_ERROR(project.setPerceptualHashes(done));
    report.hashed += done.size();
  }
  (void)reportProgress(progress, ids.size(), ids.size(), "hash");
  return report;
}

}  // namespace quarry
