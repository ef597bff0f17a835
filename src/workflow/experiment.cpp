// The active-learning experiment: seeds x arms x rounds of select, reveal, train, evaluate, each
// arm in its own sandbox project so that arms never see each other's labels.
#include "quarry/workflow/experiment.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "quarry/core/log.h"
#include "quarry/store/duplicates.h"
#include "quarry/workflow/scoring.h"
#include "quarry/al/split.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

// The source's labelled images and their truth: what the oracle reveals on request.
struct Oracle {
  std::vector<ClassInfo> classes;
  std::vector<ImageRecord> images;               // labelled images, id order
  std::map<ImageId, std::vector<Box>> truth;     // manual and corrected boxes per image
  std::string root;                              // the source folder, to make paths absolute
};

Result<Oracle> readOracle(const Project& source) {
  Oracle o;
  auto classes = source.classes();
  if (!classes.ok()) return classes.status();
  o.classes = *classes;
  ImageQuery q;
  q.statuses = {ImageStatus::kLabeled, ImageStatus::kReviewed};
  auto ids = source.findImages(q);
  if (!ids.ok()) return ids.status();
  auto images = source.images(*ids);
  if (!images.ok()) return images.status();
  for (auto& im : *images) {
    im.path = source.resolve(im.path).string();  // sandboxes live elsewhere: absolute paths
    o.images.push_back(im);
  }
  auto boxes = source.boxesOfImages(*ids);
  if (!boxes.ok()) return boxes.status();
  for (const Box& b : *boxes)
    if (b.source != BoxSource::kAuto) o.truth[b.image].push_back(b);
  return o;
}

// A project holding the oracle's images with no labels, and the id maps both ways (a copied
// sandbox keeps the same ids, so the maps travel with it).
struct Sandbox {
  fs::path dir;
  std::unique_ptr<Project> project;
  std::map<ImageId, ImageId> toSandbox, toSource;
  std::map<ClassId, ClassId> classes;  // source id -> sandbox id
};

Result<Sandbox> createSandbox(const fs::path& dir, const Oracle& oracle) {
  Sandbox s;
  s.dir = dir;
  auto p = Project::create(dir);
  if (!p.ok()) return p.status();
  s.project = std::move(*p);
  for (const auto& c : oracle.classes) {
    auto id = s.project->addClass(c.name, c.color);
    if (!id.ok()) return id.status();
    s.classes[c.id] = *id;
  }
  Project::WriteBatch batch(*s.project);
  QUARRY_RETURN_IF_ERROR(batch.status());
  for (ImageRecord r : oracle.images) {
    const ImageId sourceId = r.id;
    r.id = 0;
    r.status = ImageStatus::kUnlabeled;
    auto id = s.project->addImage(r);
    if (!id.ok()) return id.status();
    s.toSandbox[sourceId] = *id;
    s.toSource[*id] = sourceId;
  }
  QUARRY_RETURN_IF_ERROR(batch.commit());
  return s;
}

Result<Sandbox> copySandbox(Sandbox& from, const fs::path& dir) {
  from.project.reset();  // closing checkpoints the WAL into the file we copy
  std::error_code ec;
  fs::copy(from.dir, dir, fs::copy_options::recursive, ec);
  if (ec) return Status::IoError(dir.string() + ": cannot copy the sandbox: " + ec.message());
  auto reopened = Project::open(from.dir);
  if (!reopened.ok()) return reopened.status();
  from.project = std::move(*reopened);
  Sandbox s;
  s.dir = dir;
  auto p = Project::open(dir);
  if (!p.ok()) return p.status();
  s.project = std::move(*p);
  s.toSandbox = from.toSandbox;
  s.toSource = from.toSource;
  s.classes = from.classes;
  return s;
}

// The oracle at work: the truth of these (sandbox) images appears in the sandbox.
Status reveal(Sandbox& s, const Oracle& oracle, const std::vector<ImageId>& images) {
  Project::WriteBatch batch(*s.project);
  QUARRY_RETURN_IF_ERROR(batch.status());
  for (ImageId id : images) {
    auto it = oracle.truth.find(s.toSource.at(id));
    if (it != oracle.truth.end())
      for (Box b : it->second) {
        b.id = 0;
        b.image = id;
        b.cls = s.classes.at(b.cls);
        b.source = BoxSource::kManual;
        b.run.reset();
        b.score.reset();
        b.author = "oracle";
        auto added = s.project->addBox(b);
        if (!added.ok()) return added.status();
      }
    QUARRY_RETURN_IF_ERROR(s.project->setImageStatus(id, ImageStatus::kLabeled));
  }
  return batch.commit();
}

Status tagAndReveal(Sandbox& s, const Oracle& oracle, const std::string& tag, const std::vector<ImageId>& ids) {
  auto tagged = s.project->tagImages(tag, ids);
  if (!tagged.ok()) return tagged.status();
  return reveal(s, oracle, ids);
}

std::size_t labelledCount(const Project& p) {
  auto tags = p.tags();
  if (!tags.ok()) return 0;
  ImageQuery q;
  for (const auto& t : *tags)
    if (t.name.rfind("GT", 0) == 0) q.anyTags.push_back(t.name);
  auto n = p.countImages(q);
  return n.ok() ? static_cast<std::size_t>(*n) : 0;
}

class Runner {
 public:
  Runner(Project& source, const ExperimentOptions& o, DetectorBackend& detector, const ProgressFn& progress)
      : source_(source), o_(o), detector_(detector), progress_(progress) {}

  Result<ExperimentResult> run();

 private:
  Status runSeed(std::uint64_t seed, const Oracle& oracle, const fs::path& work);
  // Trains `runName` on every GT set of the sandbox and measures it on VAL.
  Status trainAndEvaluate(Sandbox& s, const std::string& runName, std::uint64_t seed, ExperimentModel* model);
  // How every arm scores with `runName`: the bars fitted on VAL, judged on TEST.
  ScoreOptions scoreOptions(const std::string& runName) const;

  Project& source_;
  const ExperimentOptions& o_;
  DetectorBackend& detector_;
  const ProgressFn& progress_;
  ExperimentResult result_;
  std::size_t modelsDone_ = 0, modelsTotal_ = 0;
  std::size_t done_ = 0;  // progress reported so far, in hundredths of a model
  std::string stage_;
};

ScoreOptions Runner::scoreOptions(const std::string& runName) const {
  ScoreOptions so;
  so.runName = runName;
  so.valTag = "VAL";
  so.pool.noTags = {"TEST"};  // TEST images are never candidates, even those without boxes
  so.testTag = "TEST";        // the bars are judged on images that did not fit them
  so.mc = o_.mc;
  so.combine = o_.combine;
  so.combination = o_.combination;
  return so;
}

Status Runner::trainAndEvaluate(Sandbox& s, const std::string& runName, std::uint64_t seed, ExperimentModel* m) {
  TrainOptions t = o_.train;
  t.runName = runName;
  t.trainTags.clear();  // every GT* tag
  t.valTag = "VAL";
  t.seed = seed * 1000 + static_cast<std::uint64_t>(m->round);
  coreLogger()->info("experiment: {}: training {} on {} images", stage_, runName, labelledCount(*s.project));
  auto trained = detector_.train(*s.project, t, [&](const TrainProgress& p) {
    // Only the training stage counts: loading reports images loaded against images to load, which
    // once read as the whole model done, and validation reports no steps of its own.
    const double f = p.stage == "train" && p.steps > 0 ? static_cast<double>(p.step) / static_cast<double>(p.steps) : 0;
    done_ = std::max(done_, modelsDone_ * 100 + static_cast<std::size_t>(f * 99));
    return reportProgress(progress_, done_, modelsTotal_ * 100,
                          stage_ + ": train " + runName);
  });
  if (!trained.ok()) return trained.status();
  EvaluateRunOptions eo;
  eo.runName = runName;
  eo.valTag = "TEST";  // at the thresholds fitted on VAL, on images that chose nothing
  eo.eval.scoreThreshold = t.scoreThreshold;
  auto eval = detector_.evaluateRun(*s.project, eo, {});
  if (!eval.ok()) return eval.status();
  m->seed = seed;
  m->labelled = labelledCount(*s.project);
  m->eval = std::move(*eval);
  m->trainSeconds = trained->trainSeconds;
  m->steps = trained->steps;
  ++modelsDone_;
  coreLogger()->info("experiment: {}: {} TEST mAP@0.5 {:.3f}, boost {:.2f}x", stage_, runName, m->eval.map50,
                     m->eval.efficiencyBoost);
  return Status::Ok();
}

Status Runner::runSeed(std::uint64_t seed, const Oracle& oracle, const fs::path& work) {
  const fs::path seedDir = work / ("seed-" + std::to_string(seed));
  auto base = createSandbox(seedDir / "base", oracle);
  if (!base.ok()) return base.status();

  // VAL: the given tag's images, or a random draw; TEST: testTag's images, or a random share of
  // VAL; GT1: a random draw from the rest.
  std::vector<ImageId> val, test, rest;
  auto sourceTagged = [&](const std::string& tag) -> Result<std::set<ImageId>> {
    ImageQuery q;
    q.anyTags = {tag};
    auto ids = source_.findImages(q);
    if (!ids.ok()) return ids.status();
    return std::set<ImageId>(ids->begin(), ids->end());
  };
  std::set<ImageId> valSource, testSource;
  if (!o_.valTag.empty()) {
    auto ids = sourceTagged(o_.valTag);
    if (!ids.ok()) return ids.status();
    valSource = std::move(*ids);
  }
  if (!o_.testTag.empty()) {
    auto ids = sourceTagged(o_.testTag);
    if (!ids.ok()) return ids.status();
    testSource = std::move(*ids);
  }
  std::vector<ImageId> all, unassigned;
  for (const auto& im : oracle.images) {
    const ImageId id = base->toSandbox.at(im.id);
    if (testSource.count(im.id)) test.push_back(id);
    else if (valSource.count(im.id)) val.push_back(id);
    else unassigned.push_back(id);
  }
  seededShuffle(unassigned, seed);
  if (o_.valTag.empty()) {
    val.assign(unassigned.begin(), unassigned.begin() + static_cast<std::ptrdiff_t>(o_.valCount));
    rest.assign(unassigned.begin() + static_cast<std::ptrdiff_t>(o_.valCount), unassigned.end());
  } else {
    rest = unassigned;
  }
  if (o_.testTag.empty()) {
    seededShuffle(val, seed * 31 + 7);
    const auto n = static_cast<std::ptrdiff_t>(std::lround(o_.testShare * static_cast<double>(val.size())));
    test.assign(val.begin(), val.begin() + n);
    val.erase(val.begin(), val.begin() + n);
  }
  // Images with a near-duplicate in VAL or TEST never train (they would flatter every figure):
  // they leave the pool, tagged HELD_OUT so that no round picks them either.
  std::vector<ImageId> heldOut;
  if (o_.train.duplicateDistance >= 0) {
    std::vector<ImageId> measured = val;
    measured.insert(measured.end(), test.begin(), test.end());
    auto pairs = nearDuplicatePairs(*base->project, measured, rest, o_.train.duplicateDistance);
    if (!pairs.ok()) return pairs.status();
    std::set<ImageId> twins;
    for (const auto& p : *pairs) twins.insert(p.train);
    if (!twins.empty()) {
      coreLogger()->warn("experiment: seed {}: {} images with a near-duplicate in VAL or TEST are held out: {}", seed,
                         twins.size(), describeLeaks(*pairs, 5));
      rest.erase(std::remove_if(rest.begin(), rest.end(), [&](ImageId id) { return twins.count(id) > 0; }), rest.end());
      heldOut.assign(twins.begin(), twins.end());
    }
  }
  if (rest.size() < o_.gtCount)
    return Status::InvalidArgument("too few images for GT1 after VAL, TEST and the near-duplicates held out");
  std::vector<ImageId> gt1(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(o_.gtCount));
  if (!heldOut.empty()) {
    auto tagged = base->project->tagImages("HELD_OUT", heldOut);
    if (!tagged.ok()) return tagged.status();
  }
  QUARRY_RETURN_IF_ERROR(tagAndReveal(*base, oracle, "VAL", val));
  QUARRY_RETURN_IF_ERROR(tagAndReveal(*base, oracle, "TEST", test));
  QUARRY_RETURN_IF_ERROR(tagAndReveal(*base, oracle, "GT1", gt1));

  const std::string seedName = "seed " + std::to_string(seed);
  stage_ = seedName + " CAL1";
  ExperimentModel cal1;
  cal1.arm = "CAL1";
  QUARRY_RETURN_IF_ERROR(trainAndEvaluate(*base, "CAL1", seed, &cal1));
  // Scored once here, so every uncertainty arm starts from the same CAL1 scores.
  if (!o_.strategies.empty()) {
    ScoreReport sr;
    auto progress = [&](std::size_t d, std::size_t t, std::string_view) {
      return reportProgress(progress_, modelsDone_ * 100, modelsTotal_ * 100,
                            seedName + ": score " + std::to_string(d) + "/" + std::to_string(t));
    };
    QUARRY_RETURN_IF_ERROR(scoreImages(*base->project, scoreOptions("CAL1"), detector_, &sr, progress));
    cal1.calibration = sr.testCalibration;
    cal1.combination = sr.combination;
  }
  result_.models.push_back(cal1);

  std::vector<std::string> arms;
  for (Strategy s : o_.strategies) arms.push_back(toString(s));
  arms.push_back("control");
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const std::string& arm = arms[a];
    auto sandbox = copySandbox(*base, seedDir / arm);
    if (!sandbox.ok()) return sandbox.status();
    std::string previous = "CAL1";
    for (int round = 1; round <= o_.rounds; ++round) {
      stage_ = seedName + " " + arm + " round " + std::to_string(round);
      ExperimentModel m;
      m.arm = arm;
      m.round = round;
      const std::string tag = "GT" + std::to_string(round + 1);
      std::vector<ImageId> chosen;
      if (arm == "control") {
        ImageQuery notTest;
        notTest.noTags = {"TEST", "HELD_OUT"};
        auto pool = unlabeledPool(*sandbox->project, notTest, "VAL");
        if (!pool.ok()) return pool.status();
        std::vector<Candidate> candidates;
        for (ImageId id : *pool) candidates.push_back(Candidate{id, std::nullopt, Difficulty::kEasy, {}});
        SelectOptions so;
        so.strategy = Strategy::kRandom;
        so.budget = o_.budget;
        so.seed = seed * 7919 + static_cast<std::uint64_t>(round);
        chosen = selectImages(candidates, so);
      } else {
        if (round > 1) {
          ScoreReport sr;
          QUARRY_RETURN_IF_ERROR(scoreImages(*sandbox->project, scoreOptions(previous), detector_, &sr));
          m.calibration = sr.testCalibration;
          m.combination = sr.combination;
        } else {
          m.calibration = cal1.calibration;
          m.combination = cal1.combination;
        }
        SelectRequest r;
        r.runName = previous;
        r.tag = tag;
        r.valTag = "VAL";
        r.pool.noTags = {"TEST"};
        r.options.strategy = *parseStrategy(arm);
        r.options.budget = o_.budget;
        r.options.seed = seed;
        auto picked = selectNextGroundTruth(*sandbox->project, r);
        if (!picked.ok()) return picked.status();
        chosen = picked->chosen;
        m.chosenPerDifficulty = picked->perDifficulty;
      }
      QUARRY_RETURN_IF_ERROR(tagAndReveal(*sandbox, oracle, tag, chosen));
      previous = "CAL" + std::to_string(round + 1);
      QUARRY_RETURN_IF_ERROR(trainAndEvaluate(*sandbox, previous, seed, &m));
      result_.models.push_back(m);
    }
  }
  return Status::Ok();
}

Result<ExperimentResult> Runner::run() {
  const auto start = std::chrono::steady_clock::now();
  if (o_.seeds.empty()) return Status::InvalidArgument("experiment: no seeds");
  auto oracle = readOracle(source_);
  if (!oracle.ok()) return oracle.status();
  if (o_.testTag.empty() && !(o_.testShare > 0 && o_.testShare < 1))
    return Status::InvalidArgument("experiment: the test share of VAL must be between 0 and 1 (or give a test tag)");
  // The labelled images of a tag that the options name; an empty tag is an error too.
  auto labelledOf = [&](const std::string& tag) -> Result<std::size_t> {
    ImageQuery q;
    q.anyTags = {tag};
    q.statuses = {ImageStatus::kLabeled, ImageStatus::kReviewed};
    auto n = source_.countImages(q);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::InvalidArgument("experiment: no labelled images tagged " + tag);
    return static_cast<std::size_t>(*n);
  };
  std::size_t valSize = o_.valCount, testSize = 0;
  if (!o_.testTag.empty()) {
    auto n = labelledOf(o_.testTag);
    if (!n.ok()) return n.status();
    testSize = *n;
  }
  if (!o_.valTag.empty()) {
    auto n = labelledOf(o_.valTag);
    if (!n.ok()) return n.status();
    valSize = *n;
  }
  const std::size_t needed = valSize + testSize + o_.gtCount + static_cast<std::size_t>(o_.rounds) * o_.budget;
  if (oracle->images.size() < needed)
    return Status::InvalidArgument("experiment: needs " + std::to_string(needed) + " labelled images (VAL " +
                                   std::to_string(valSize) + (testSize ? " + TEST " + std::to_string(testSize) : "") + " + GT1 " + std::to_string(o_.gtCount) + " + " +
                                   std::to_string(o_.rounds) + " rounds of " + std::to_string(o_.budget) +
                                   "), the project has " + std::to_string(oracle->images.size()));
  for (const auto& c : oracle->classes) result_.classNames.push_back(c.name);
  const std::size_t arms = o_.strategies.size() + 1;
  modelsTotal_ = o_.seeds.size() * (1 + arms * static_cast<std::size_t>(o_.rounds));

  const fs::path dir = source_.dir() / "reports" / o_.name;
  const fs::path work = dir / "work";
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  if (ec) return Status::IoError(work.string() + ": cannot create: " + ec.message());
  Status st;
  for (std::uint64_t seed : o_.seeds) {
    st = runSeed(seed, *oracle, work);
    if (!st.ok()) break;
  }
  if (!o_.keepWork || !st.ok()) fs::remove_all(work, ec);
  if (!st.ok()) return st;
  result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result_.report = dir / "report.md";
  QUARRY_RETURN_IF_ERROR(writeExperimentReport(result_, o_, dir));
  reportProgress(progress_, modelsTotal_ * 100, modelsTotal_ * 100, "experiment");
  return result_;
}

}  // namespace

Result<ExperimentResult> runExperiment(Project& source, const ExperimentOptions& options, DetectorBackend& detector,
                                       const ProgressFn& progress) {
  Runner runner(source, options, detector, progress);
  return runner.run();
}

}  // namespace quarry::detect
