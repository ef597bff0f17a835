// Query strategies: rank a scored pool and take the budget.
#include "quarry/select.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "quarry/split.h"

namespace quarry {
namespace {

struct Named {
  Strategy strategy;
  const char* name;
};
constexpr Named kStrategies[] = {
    {Strategy::kRandom, "random"},   {Strategy::kLeastConfidence, "least_confidence"},
    {Strategy::kMargin, "margin"},   {Strategy::kEntropy, "entropy"},
    {Strategy::kBald, "bald"},       {Strategy::kBoxVariance, "box_variance"},
    {Strategy::kHybrid, "hybrid"},   {Strategy::kWorkflow, "workflow"},
    {Strategy::kDiverse, "diverse"},
};

// The value an uncertainty strategy ranks an image by; +inf for an image without detections.
double rankValue(const Candidate& c, Strategy s) {
  const double failed = std::numeric_limits<double>::infinity();
  if (!c.score) return failed;
  auto maxOf = [&](Component comp) {
    if (c.uncertainty.detections.empty()) return failed;
    double best = -std::numeric_limits<double>::infinity();
    for (const auto& d : c.uncertainty.detections) best = std::max(best, d[comp]);
    return best;
  };
  switch (s) {
    case Strategy::kLeastConfidence: return maxOf(Component::kLeastConfidence);
    case Strategy::kMargin: return maxOf(Component::kMargin);
    case Strategy::kEntropy: return maxOf(Component::kEntropy);
    case Strategy::kBald: return maxOf(Component::kBald);
    case Strategy::kBoxVariance: return maxOf(Component::kBoxVariance);
    default: return c.score ? *c.score : std::numeric_limits<double>::infinity();
  }
}

// A seeded draw per image (SplitMix64 of id and seed) that orders ties.
std::uint64_t tieKey(ImageId id, std::uint64_t seed) {
  std::uint64_t z = static_cast<std::uint64_t>(id) + 0x9e3779b97f4a7c15ull * (seed + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Indexes of the pool, most uncertain first by strategy `s`. Ties (above all the images without
// detections, which all rank +inf) go in a seeded random order: ids follow file names, and file
// names often follow classes, so breaking ties by id would pick one class first.
std::vector<std::size_t> ranked(const std::vector<Candidate>& pool, Strategy s, std::uint64_t seed) {
  std::vector<double> value(pool.size());
  std::vector<std::uint64_t> tie(pool.size());
  for (std::size_t i = 0; i < pool.size(); ++i) {
    value[i] = rankValue(pool[i], s);
    tie[i] = tieKey(pool[i].image, seed);
  }
  std::vector<std::size_t> order(pool.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (value[a] != value[b]) return value[a] > value[b];
    if (tie[a] != tie[b]) return tie[a] < tie[b];
    return pool[a].image < pool[b].image;
  });
  return order;
}

ClassId dominantClass(const Candidate& c) {
  const auto& dets = c.uncertainty.detections;
  if (dets.empty()) return -1;  // the "nothing found" group takes its turn like a class
  return std::max_element(dets.begin(), dets.end(), [](const auto& a, const auto& b) { return a.score < b.score; })->cls;
}

std::vector<double> unitEmbedding(const Candidate& c) {
  std::vector<double> v(c.uncertainty.embedding.begin(), c.uncertainty.embedding.end());
  double norm = 0;
  for (double x : v) norm += x * x;
  norm = std::sqrt(norm);
  if (norm > 0)
    for (double& x : v) x /= norm;
  return v;
}

double distance(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return 0;
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(d);
}

// Greedy k-center on the shortlist: start from the most uncertain image, then repeatedly take the
// image farthest from everything taken, letting classes take turns when asked.
std::vector<ImageId> kCenter(const std::vector<Candidate>& pool, const std::vector<std::size_t>& shortlist,
                             const SelectOptions& o) {
  std::vector<std::vector<double>> emb;
  std::vector<ClassId> group;
  for (std::size_t i : shortlist) {
    emb.push_back(unitEmbedding(pool[i]));
    group.push_back(dominantClass(pool[i]));
  }
  const std::size_t n = shortlist.size();
  std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
  std::vector<bool> taken(n, false);
  std::map<ClassId, std::size_t> perGroup;
  for (ClassId g : group) perGroup[g] = 0;
  std::vector<ImageId> out;
  while (out.size() < o.budget && out.size() < n) {
    std::optional<ClassId> turn;
    if (o.classBalance) {
      std::size_t fewest = std::numeric_limits<std::size_t>::max();
      for (std::size_t k = 0; k < n; ++k)
        if (!taken[k] && perGroup[group[k]] < fewest) {
          fewest = perGroup[group[k]];
          turn = group[k];
        }
    }
    std::size_t pick = n;
    for (std::size_t k = 0; k < n; ++k) {
      if (taken[k] || (turn && group[k] != *turn)) continue;
      if (pick == n || nearest[k] > nearest[pick]) pick = k;  // shortlist order breaks ties
    }
    if (pick == n) break;
    taken[pick] = true;
    ++perGroup[group[pick]];
    out.push_back(pool[shortlist[pick]].image);
    for (std::size_t k = 0; k < n; ++k) nearest[k] = std::min(nearest[k], distance(emb[k], emb[pick]));
  }
  return out;
}

}  // namespace

const char* toString(Strategy s) {
  for (const auto& n : kStrategies)
    if (n.strategy == s) return n.name;
  return "?";
}

std::optional<Strategy> parseStrategy(const std::string& name) {
  for (const auto& n : kStrategies)
    if (name == n.name) return n.strategy;
  return std::nullopt;
}

std::vector<Strategy> allStrategies() {
  std::vector<Strategy> out;
  for (const auto& n : kStrategies) out.push_back(n.strategy);
  return out;
}

std::vector<ImageId> selectImages(const std::vector<Candidate>& pool, const SelectOptions& o) {
  std::vector<ImageId> out;
  if (o.budget == 0 || pool.empty()) return out;
  if (o.strategy == Strategy::kRandom) {
    std::vector<ImageId> ids;
    for (const auto& c : pool) ids.push_back(c.image);
    std::sort(ids.begin(), ids.end());  // the draw must not depend on the pool's order
    seededShuffle(ids, o.seed);
    ids.resize(std::min(ids.size(), o.budget));
    return ids;
  }
  if (o.strategy == Strategy::kDiverse) {
    auto order = ranked(pool, Strategy::kHybrid, o.seed);
    const auto shortlist = static_cast<std::size_t>(std::ceil(static_cast<double>(o.budget) * std::max(1.0, o.shortlistFactor)));
    order.resize(std::min(order.size(), shortlist));
    return kCenter(pool, order, o);
  }
  for (std::size_t i : ranked(pool, o.strategy, o.seed)) {
    if (out.size() == o.budget) break;
    if (o.strategy == Strategy::kWorkflow && pool[i].difficulty == Difficulty::kEasy) continue;
    out.push_back(pool[i].image);
  }
  return out;
}

}  // namespace quarry
