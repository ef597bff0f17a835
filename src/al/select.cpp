// Query strategies: rank a scored pool and take the budget.
#include "quarry/al/select.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "quarry/core/random.h"

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
    {Strategy::kDiverse, "diverse"}, {Strategy::kBalanced, "balanced"},
    {Strategy::kPower, "power"},
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

// Uniform in (0, 1) from a seeded per-image key, so draws do not depend on the pool's order.
double unitDraw(ImageId id, std::uint64_t seed) {
  return (static_cast<double>(tieKey(id, seed) >> 11) + 0.5) * 0x1.0p-53;
}

// The images without detections, at most `cap`, in a seeded random order.
std::vector<ImageId> someFailed(const std::vector<Candidate>& pool, std::size_t cap, std::uint64_t seed) {
  std::vector<std::pair<std::uint64_t, ImageId>> failed;
  for (const auto& c : pool)
    if (!c.score) failed.push_back({tieKey(c.image, seed ^ 0x5bd1e995u), c.image});
  std::sort(failed.begin(), failed.end());
  std::vector<ImageId> out;
  for (std::size_t i = 0; i < failed.size() && out.size() < cap; ++i) out.push_back(failed[i].second);
  return out;
}

std::size_t failedCap(const SelectOptions& o) {
  return static_cast<std::size_t>(std::floor(std::clamp(o.failedShare, 0.0, 1.0) * static_cast<double>(o.budget)));
}

// Fills what the quotas could not: more images without detections first, then any image left
// in `order` (the pool ranked by the hybrid score).
void topUp(const std::vector<Candidate>& pool, const std::vector<std::size_t>& order, const SelectOptions& o,
           std::vector<ImageId>* out) {
  if (out->size() >= o.budget) return;
  std::set<ImageId> have(out->begin(), out->end());
  for (ImageId id : someFailed(pool, pool.size(), o.seed))
    if (out->size() < o.budget && have.insert(id).second) out->push_back(id);
  for (std::size_t i : order)
    if (out->size() < o.budget && have.insert(pool[i].image).second) out->push_back(pool[i].image);
}

std::vector<ImageId> selectBalanced(const std::vector<Candidate>& pool, const SelectOptions& o) {
  std::vector<ImageId> out = someFailed(pool, failedCap(o), o.seed);
  // Strata of the scored images by rank, most uncertain first: the top third ("hard"), the middle
  // and the bottom third ("easy"). Ranks, not the difficulty thresholds, so the mix does not move
  // with how the bars were fitted, and every pool has all three.
  const std::vector<std::size_t> order = ranked(pool, Strategy::kHybrid, o.seed);
  std::vector<std::size_t> scored;
  for (std::size_t i : order)
    if (pool[i].score) scored.push_back(i);
  std::array<std::vector<std::size_t>, 3> bands;
  for (std::size_t r = 0; r < scored.size(); ++r)
    bands[2 - std::min<std::size_t>(2, 3 * r / std::max<std::size_t>(1, scored.size()))].push_back(scored[r]);
  const std::size_t rest = o.budget - std::min(o.budget, out.size());
  const double shares[3] = {std::max(0.0, o.easyShare), std::max(0.0, o.mediumShare), std::max(0.0, o.hardShare)};
  const double total = shares[0] + shares[1] + shares[2];
  std::array<std::size_t, 3> quota{};
  std::size_t given = 0;
  for (int b = 2; b >= 0; --b) {  // hard first, so rounding favours the harder bands
    quota[b] = total > 0 ? static_cast<std::size_t>(std::floor(rest * shares[b] / total)) : 0;
    given += quota[b];
  }
  for (int b = 2; given < rest && b >= 0; --b, ++given) ++quota[b];
  // A band smaller than its quota passes the rest on: hard -> medium -> easy, then upwards.
  for (int pass = 0; pass < 2; ++pass)
    for (int k = 0; k < 3; ++k) {
      const int b = pass == 0 ? 2 - k : k, next = pass == 0 ? b - 1 : b + 1;
      if (next < 0 || next > 2) continue;
      const std::size_t have = bands[b].size();
      if (quota[b] > have) {
        quota[next] += quota[b] - have;
        quota[b] = have;
      }
    }
  for (int b = 2; b >= 0; --b) {
    if (quota[b] == 0) continue;
    std::vector<std::size_t> shortlist = bands[b];
    const auto n = static_cast<std::size_t>(std::ceil(static_cast<double>(quota[b]) * std::max(1.0, o.shortlistFactor)));
    shortlist.resize(std::min(shortlist.size(), n));
    SelectOptions within = o;
    within.budget = quota[b];
    for (ImageId id : kCenter(pool, shortlist, within)) out.push_back(id);
  }
  topUp(pool, order, o, &out);
  return out;
}

std::vector<ImageId> selectPower(const std::vector<Candidate>& pool, const SelectOptions& o) {
  std::vector<ImageId> out = someFailed(pool, failedCap(o), o.seed);
  // Rank percentiles of the hybrid score among the scored images: scale-free, so the same beta
  // means the same thing whatever the scores' units.
  const std::vector<std::size_t> all = ranked(pool, Strategy::kHybrid, o.seed);
  std::vector<std::size_t> order;
  for (std::size_t i : all)
    if (pool[i].score) order.push_back(i);
  const double n = static_cast<double>(order.size());
  std::vector<std::pair<double, ImageId>> keys;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const double percentile = (n - static_cast<double>(r)) / n;  // 1 for the most uncertain
    // Gumbel-top-k: the k largest of beta log w + Gumbel noise are a draw without replacement
    // with probabilities proportional to w^beta.
    const double gumbel = -std::log(-std::log(unitDraw(pool[order[r]].image, o.seed)));
    keys.push_back({o.powerBeta * std::log(percentile) + gumbel, pool[order[r]].image});
  }
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [key, id] : keys) {
    if (out.size() >= o.budget) break;
    out.push_back(id);
  }
  topUp(pool, all, o, &out);
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
  if (o.strategy == Strategy::kBalanced) return selectBalanced(pool, o);
  if (o.strategy == Strategy::kPower) return selectPower(pool, o);
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
