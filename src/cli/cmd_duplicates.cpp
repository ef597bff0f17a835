// quarry hash [--all] [--threads N] and quarry duplicates [--distance N] [--where QUERY]
#include <cstdio>
#include <map>
#include <memory>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "quarry/core/perceptual_hash.h"
#include "quarry/store/duplicates.h"

namespace quarry::cli {
namespace {

struct HashArgs {
  bool all = false;
  unsigned threads = 0;
};

struct DuplicateArgs {
  int distance = kDefaultDuplicateDistance;
};

void runHash(Context& ctx, const HashArgs& a) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  ProgressLine progress(!ctx.quiet && !ctx.json);
  auto report = computePerceptualHashes(**project, a.all, a.threads, progress.callback());
  progress.finish();
  if (!report.ok()) { ctx.exitCode = fail(report.status()); return; }
  for (const auto& p : report->problems) std::fprintf(stderr, "quarry: warning: %s\n", p.c_str());
  if (ctx.json) printJson({{"hashed", report->hashed}, {"failed", report->failed}});
  else std::printf("hashed %zu images (%zu could not be read)\n", report->hashed, report->failed);
  if (report->failed > 0) ctx.exitCode = kExitFailure;
}

void runDuplicates(Context& ctx, const DuplicateArgs& a) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto missing = (*project)->imagesWithoutPerceptualHash();
  if (!missing.ok()) { ctx.exitCode = fail(missing.status()); return; }
  if (!missing->empty())
    std::fprintf(stderr, "quarry: warning: %zu images have no perceptual hash yet and are not compared (quarry hash)\n",
                 missing->size());
  auto groups = nearDuplicateGroups(**project, a.distance);
  if (!groups.ok()) { ctx.exitCode = fail(groups.status()); return; }
  auto hashes = (*project)->perceptualHashes();
  if (!hashes.ok()) { ctx.exitCode = fail(hashes.status()); return; }
  const std::map<ImageId, std::uint64_t> hashOf(hashes->begin(), hashes->end());
  nlohmann::json out = nlohmann::json::array();
  std::size_t images = 0;
  for (const auto& g : *groups) {
    auto records = (*project)->images(g);
    if (!records.ok()) { ctx.exitCode = fail(records.status()); return; }
    images += g.size();
    nlohmann::json members = nlohmann::json::array();
    for (const ImageRecord& r : *records) {
      auto imageTags = (*project)->imageTags(r.id);
      members.push_back({{"id", r.id},
                         {"path", r.path},
                         {"bits_from_first", hashDistance(hashOf.at(r.id), hashOf.at(g.front()))},
                         {"tags", imageTags.ok() ? *imageTags : std::vector<std::string>{}}});
    }
    out.push_back(members);
  }
  if (ctx.json) {
    printJson({{"distance", a.distance}, {"groups", out}, {"images_in_groups", images}, {"not_hashed", missing->size()}});
    return;
  }
  if (out.empty()) {
    std::printf("no near-duplicates at distance %d among %zu hashed images\n", a.distance, hashes->size());
    return;
  }
  std::printf("%zu groups of near-duplicates (%zu images) at distance %d:\n", out.size(), images, a.distance);
  for (const auto& members : out) {
    std::printf("\n");
    for (const auto& m : members) {
      std::string tagText;
      for (const auto& t : m["tags"]) tagText += (tagText.empty() ? "" : ",") + t.get<std::string>();
      std::printf("  %-60s %2d bits  %s\n", m["path"].get<std::string>().c_str(), m["bits_from_first"].get<int>(),
                  tagText.c_str());
    }
  }
}

}  // namespace

void addDuplicateCommands(CLI::App& app, Context& ctx) {
  auto hash = std::make_shared<HashArgs>();
  auto* h = app.add_subcommand("hash", "compute the perceptual hash of images imported without one (for duplicates)");
  h->add_flag("--all", hash->all, "every image again, not only those without a hash");
  h->add_option("--threads", hash->threads, "files read and decoded at once (0: every core)")->capture_default_str();
  h->callback([&ctx, hash] { runHash(ctx, *hash); });
  auto dup = std::make_shared<DuplicateArgs>();
  auto* d = app.add_subcommand("duplicates", "groups of near-duplicate images (perceptual hashes a few bits apart)");
  d->add_option("--distance", dup->distance, "at most this many differing bits of 64")
      ->capture_default_str()
      ->check(CLI::Range(0, 32));
  d->callback([&ctx, dup] { runDuplicates(ctx, *dup); });
}

}  // namespace quarry::cli
