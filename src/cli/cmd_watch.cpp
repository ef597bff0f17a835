// quarry watch FOLDER --run NAME: stream-based selective sampling. Each image a line writes into
// FOLDER is imported once it is complete, auto-labelled and scored with the run, and routed: easy
// images keep the run's boxes (and with --accept-easy a tag saying the model accepted them),
// medium, hard and failed ones wait as candidates, and the most uncertain of the day's candidates
// join the annotators' queue as the daily budget allows. A status line on stderr; Ctrl+C stops
// after the images in hand. Restartable: the stream's state is in the project (store/stream.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "quarry/al/stream_routing.h"
#include "quarry/detect/backend.h"
#include "quarry/formats/arrivals.h"
#include "quarry/formats/formats.h"
#include "quarry/store/stream.h"
#include "quarry/workflow/scoring.h"

namespace quarry::cli {
namespace {

namespace fs = std::filesystem;

struct WatchArgs {
  std::string folder, run;
  std::string incomingTag = "INCOMING", candidateTag = "CANDIDATE", queueTag = "QUEUE", acceptedTag = "MODEL_ACCEPTED";
  bool acceptEasy = false, recursive = false, once = false;
  std::string budget = "200/day";
  std::string glob;
  double poll = 2, settle = 2;
};

// A temporary tag that narrows auto-labelling to the batch in hand (AutoLabelOptions takes a
// query); removed after each batch, and at start after a crash.
constexpr const char* kBatchTag = "WATCH_BATCH";

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// When the camera last wrote `file`, in milliseconds since the epoch (now when it cannot be read).
// C++17 has no file_clock::to_sys: the two clocks' distance now shifts it.
std::int64_t writtenAt(const fs::path& file) {
  std::error_code ec;
  const auto t = fs::last_write_time(file, ec);
  if (ec) return nowMs();
  const auto age = fs::file_time_type::clock::now() - t;
  return nowMs() - std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
}

// Local midnight of the day holding `ms`, in milliseconds since the epoch.
std::int64_t dayStart(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  return static_cast<std::int64_t>(std::mktime(&tm)) * 1000;
}

std::optional<std::size_t> parseBudget(std::string text) {
  if (auto slash = text.find("/day"); slash != std::string::npos && slash + 4 == text.size()) text.resize(slash);
  try {
    std::size_t used = 0;
    const long long n = std::stoll(text, &used);
    if (used != text.size() || n < 0) return std::nullopt;
    return static_cast<std::size_t>(n);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

struct Counters {
  std::size_t seen = 0, imported = 0, easy = 0, candidates = 0, failed = 0, queued = 0, skipped = 0;
  // Seconds from the camera's last write to the routing tag, of the latest images (bounded, so a
  // day-long watch keeps a flat memory).
  std::deque<double> latencies;
  void addLatency(double s) {
    latencies.push_back(s);
    if (latencies.size() > 10000) latencies.pop_front();
  }
  double medianLatency() const {
    if (latencies.empty()) return 0;
    std::vector<double> v(latencies.begin(), latencies.end());
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  }
};

class Watch {
 public:
  Watch(Context& ctx, const WatchArgs& args, Project& project, std::size_t budget)
      : ctx_(ctx), a_(args), project_(project), budget_(budget),
        arrivals_(std::chrono::milliseconds(static_cast<long long>(args.settle * 1000))) {}

  int run() {
    if (auto left = project_.findImages(batchQuery()); left.ok() && !left->empty())  // a crash's leftovers
      (void)project_.untagImages(kBatchTag, *left);
    const auto start = std::chrono::steady_clock::now();
    bool first = true;
    for (;;) {
      if (cancelRequested()) break;
      const auto listing = listFolder(a_.folder, a_.recursive, a_.glob);
      // The first look only starts the files' clocks; with --once the settle time is waited out.
      auto complete = arrivals_.look(listing, std::chrono::steady_clock::now());
      if (a_.once && first) {
        std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long long>(a_.settle * 1000)));
        complete = arrivals_.look(listFolder(a_.folder, a_.recursive, a_.glob), std::chrono::steady_clock::now());
      }
      first = false;
      if (Status st = importArrived(complete); !st.ok()) return fail(st);
      if (Status st = routeUnrouted(); !st.ok()) return fail(st);
      if (Status st = fillQueue(); !st.ok()) return fail(st);
      status(start);
      if (a_.once || cancelRequested()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long long>(a_.poll * 1000)));
    }
    if (!ctx_.quiet) std::fprintf(stderr, "\n");
    if (ctx_.json)
      printJson({{"seen", c_.seen}, {"imported", c_.imported}, {"easy", c_.easy}, {"candidates", c_.candidates},
                 {"failed", c_.failed}, {"queued", c_.queued}, {"skipped", c_.skipped},
                 {"median_latency_s", c_.medianLatency()},
                 {"images_per_s", imagesPerSecond(start)}});
    else
      std::printf("watched %s with run %s: %zu imported, %zu easy, %zu candidates, %zu failed, %zu queued, %zu skipped\n",
                  a_.folder.c_str(), a_.run.c_str(), c_.imported, c_.easy, c_.candidates, c_.failed, c_.queued,
                  c_.skipped);
    return cancelRequested() ? kExitCancelled : kExitOk;
  }

 private:
  static ImageQuery batchQuery() {
    ImageQuery q;
    q.anyTags = {kBatchTag};
    return q;
  }

  Status importArrived(const std::vector<fs::path>& files) {
    if (files.empty()) return Status::Ok();
    c_.seen += files.size();
    ImportOptions options;
    options.tags = {a_.incomingTag};
    ImportReport report;
    QUARRY_RETURN_IF_ERROR(importImageFiles(project_, files, options, &report));
    for (const auto& issue : report.issues) {
      std::fprintf(stderr, "\nquarry: watch: %s (skipped)\n", issue.toString().c_str());
      ++c_.skipped;
    }
    for (const auto& d : report.sameContent)
      std::fprintf(stderr, "\nquarry: watch: %s: the same content as %s, already in the project\n", d.file.c_str(),
                   d.existing.c_str());
    std::vector<Arrival> arrived;
    for (const fs::path& f : files) {
      auto rec = project_.findImageByPath(project_.storedPath(f));
      if (!rec.ok()) return rec.status();
      if (*rec) arrived.push_back({(*rec)->id, f.string(), writtenAt(f)});
    }
    c_.imported += report.imagesAdded;
    return recordArrivals(project_, arrived);
  }

  // Auto-labels and scores every arrived image not yet routed (after a crash too), then tags it.
  Status routeUnrouted() {
    auto unrouted = unroutedStreamImages(project_);
    if (!unrouted.ok()) return unrouted.status();
    if (unrouted->empty()) return Status::Ok();
    std::vector<ImageId> todo;
    for (const StreamImage& s : *unrouted) todo.push_back(s.image);
    detect::DetectorBackend& backend = detect::linkedDetector();
    auto tagged = project_.tagImages(kBatchTag, todo);
    if (!tagged.ok()) return tagged.status();
    detect::AutoLabelOptions al;
    al.runName = a_.run;
    al.images = batchQuery();
    al.useDefaultQuery = false;
    detect::AutoLabelReport alReport;
    Status labelled = backend.autoLabel(project_, al, &alReport, {});
    (void)project_.untagImages(kBatchTag, todo);
    QUARRY_RETURN_IF_ERROR(labelled);
    auto scores = detect::scoreArrivals(project_, a_.run, todo, backend);
    if (!scores.ok()) return scores.status();
    std::vector<RouteRecord> routes;
    std::vector<ImageId> easy, waiting;
    std::set<ImageId> scored;
    for (const ImageScore& s : *scores) {
      scored.insert(s.image);
      const StreamRoute r = routeOf(s.difficulty, s.detections);
      routes.push_back({s.image, r, s.score});
      (r == StreamRoute::kEasy ? easy : waiting).push_back(s.image);
      ++(r == StreamRoute::kEasy ? c_.easy : r == StreamRoute::kFailed ? c_.failed : c_.candidates);
    }
    // An image whose file could not be read again is failed: a person must look at it.
    for (ImageId id : todo)
      if (!scored.count(id)) {
        routes.push_back({id, StreamRoute::kFailed, 0});
        waiting.push_back(id);
        ++c_.failed;
      }
    if (a_.acceptEasy && !easy.empty()) {
      auto t = project_.tagImages(a_.acceptedTag, easy);
      if (!t.ok()) return t.status();
    }
    if (!waiting.empty()) {
      auto t = project_.tagImages(a_.candidateTag, waiting);
      if (!t.ok()) return t.status();
    }
    const std::int64_t now = nowMs();
    QUARRY_RETURN_IF_ERROR(recordRoutes(project_, a_.run, routes, now));
    for (const StreamImage& s : *unrouted) c_.addLatency(static_cast<double>(now - s.arrivedAt) / 1000.0);
    return Status::Ok();
  }

  // The day's most uncertain waiting candidates join the queue, as the paced budget allows.
  Status fillQueue() {
    const std::int64_t now = nowMs(), midnight = dayStart(now);
    auto queued = queuedSince(project_, midnight);
    if (!queued.ok()) return queued.status();
    const std::size_t allowed = queueAllowance(budget_, now - midnight, *queued);
    if (allowed == 0) return Status::Ok();
    auto waiting = waitingCandidates(project_, midnight);
    if (!waiting.ok()) return waiting.status();
    std::vector<ImageId> chosen;
    for (const StreamImage& s : *waiting) {
      if (chosen.size() >= allowed) break;
      chosen.push_back(s.image);
    }
    if (chosen.empty()) return Status::Ok();
    auto t = project_.tagImages(a_.queueTag, chosen);
    if (!t.ok()) return t.status();
    c_.queued += chosen.size();
    return recordQueued(project_, chosen, now);
  }

  double imagesPerSecond(std::chrono::steady_clock::time_point start) const {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return seconds > 0 ? static_cast<double>(c_.imported) / seconds : 0.0;
  }

  void status(std::chrono::steady_clock::time_point start) {
    if (ctx_.quiet || ctx_.json) return;
    std::fprintf(stderr,
                 "\r[watch] seen %zu, imported %zu, easy %zu, queued %zu, candidates %zu, failed %zu, skipped %zu; "
                 "%.2f images/s; median latency %.1f s  ",
                 c_.seen, c_.imported, c_.easy, c_.queued, c_.candidates, c_.failed, c_.skipped,
                 imagesPerSecond(start), c_.medianLatency());
    std::fflush(stderr);
  }

  Context& ctx_;
  const WatchArgs& a_;
  Project& project_;
  std::size_t budget_;
  ArrivalTracker arrivals_;
  Counters c_;
};

void runWatch(Context& ctx, const WatchArgs& args) {
  const auto budget = parseBudget(args.budget);
  if (!budget) {
    ctx.exitCode = fail(Status::InvalidArgument("--budget '" + args.budget + "': give images per day, e.g. 200/day"));
    return;
  }
  std::error_code ec;
  if (!fs::is_directory(args.folder, ec)) {
    ctx.exitCode = fail(Status::NotFound(args.folder + ": no such folder to watch"));
    return;
  }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto run = (*project)->findRun(args.run);
  if (!run.ok()) { ctx.exitCode = fail(run.status()); return; }
  if (!*run) { ctx.exitCode = fail(Status::NotFound("no model run '" + args.run + "' (quarry runs list)")); return; }
  if (auto stored = detect::storedScoring(**run); !stored.ok()) { ctx.exitCode = fail(stored.status()); return; }
  Watch watch(ctx, args, **project, *budget);
  ctx.exitCode = watch.run();
}

}  // namespace

void addWatchCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<WatchArgs>();
  auto* w = app.add_subcommand("watch", "stream-based sampling: import, auto-label, score and route each image a line "
                                        "writes into FOLDER, queueing the most uncertain as a daily budget allows");
  w->add_option("folder", a->folder, "the folder the camera writes into")->required();
  w->add_option("--run", a->run, "the model run that labels and scores (it must have scored a pool: quarry score)")
      ->required();
  w->add_option("--tag-incoming", a->incomingTag, "tag of every image the stream brought")->capture_default_str();
  w->add_option("--candidate-tag", a->candidateTag, "tag of medium, hard and failed images waiting for the queue")
      ->capture_default_str();
  w->add_option("--queue-tag", a->queueTag, "tag of the images the annotators should label next")->capture_default_str();
  w->add_flag("--accept-easy", a->acceptEasy, "tag easy images as accepted by the model (they stay unreviewed)");
  w->add_option("--accepted-tag", a->acceptedTag, "that tag")->capture_default_str();
  w->add_option("--budget", a->budget, "images per day that may join the queue, paced over the day")
      ->capture_default_str();
  w->add_option("--poll", a->poll, "seconds between looks at the folder")->capture_default_str()->check(CLI::PositiveNumber);
  w->add_option("--settle", a->settle, "seconds a file must stay unchanged to count as complete")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  w->add_flag("--recursive", a->recursive, "also the folder's sub-folders");
  w->add_option("--glob", a->glob, "only files whose path below FOLDER matches (fnmatch, e.g. 'cam1/*.png')");
  w->add_flag("--once", a->once, "handle what is complete now and stop (for scripts and tests)");
  w->callback([&ctx, a] { runWatch(ctx, *a); });
}

}  // namespace quarry::cli
