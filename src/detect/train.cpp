// Training: from the project's GT images to a checkpoint and a model run.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>

#include "detect/internal.h"
#include "detect/tiles.h"
#include "quarry/core/log.h"
#include "quarry/metrics/metrics_json.h"
#include "quarry/store/duplicates.h"
#include "quarry/store/provenance.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::vector<ImageId> idsOf(const std::vector<LabeledImage>& images) {
  std::vector<ImageId> out;
  for (const auto& im : images) out.push_back(im.id);
  return out;
}

// Warm-up, then cosine decay to 5% of the peak. With a time budget the decay follows whichever
// runs out first, steps or minutes, so a time-limited run still ends at a low learning rate.
double learningRate(const TrainOptions& o, long step, long total, double elapsedSeconds) {
  if (step < o.warmupSteps) return o.learningRate * static_cast<double>(step + 1) / o.warmupSteps;
  double t = static_cast<double>(step - o.warmupSteps) / std::max<long>(1, total - o.warmupSteps);
  if (o.maxMinutes > 0) t = std::max(t, elapsedSeconds / (o.maxMinutes * 60));
  return o.learningRate * (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t))));
}

}  // namespace

StepPlan planSteps(const TrainOptions& o, long stepsPerEpoch) {
  StepPlan plan;
  const long perEpoch = std::max<long>(1, stepsPerEpoch);
  plan.steps = std::max(o.minSteps, perEpoch * static_cast<long>(o.epochs));
  if (o.maxSteps > 0) plan.steps = std::min(plan.steps, o.maxSteps);
  plan.minSteps = std::min(std::max<long>(0, o.minSteps), plan.steps);
  plan.epochs = static_cast<int>(std::min<long>((plan.steps + perEpoch - 1) / perEpoch, 1L << 30));
  if (o.validateEvery > 0) {
    plan.validateEvery = o.validateEvery;
  } else {
    const long spacing = std::clamp<long>(plan.steps / 20, 1, 100);
    plan.validateEvery = static_cast<int>(std::max<long>(1, (spacing + perEpoch - 1) / perEpoch));
  }
  return plan;
}

namespace {

// The weights' exponential moving average: parameters and floating-point buffers (batch-norm
// statistics) follow the raw network; integer buffers are copied.
class WeightAverage {
 public:
  WeightAverage(Net& raw, Net& average, double decay, double rampSteps)
      : raw_(raw), average_(average), decay_(decay), ramp_(std::max(1.0, rampSteps)) {
    torch::NoGradGuard noGrad;
    copyAll(1.0);
  }
  void update(long step) {
    torch::NoGradGuard noGrad;
    const double d = decay_ * (1 - std::exp(-static_cast<double>(step) / ramp_));
    copyAll(1 - d);
  }

 private:
  void copyAll(double share) {
    auto dst = average_->parameters();
    auto src = raw_->parameters();
    for (std::size_t i = 0; i < dst.size(); ++i) dst[i].mul_(1 - share).add_(src[i].detach(), share);
    auto bufDst = average_->buffers();
    auto bufSrc = raw_->buffers();
    for (std::size_t i = 0; i < bufDst.size(); ++i) {
      if (bufDst[i].is_floating_point()) bufDst[i].mul_(1 - share).add_(bufSrc[i], share);
      else bufDst[i].copy_(bufSrc[i]);
    }
  }
  Net& raw_;
  Net& average_;
  double decay_, ramp_;
};

void shuffle(std::vector<std::size_t>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

nlohmann::json paramsJson(const TrainOptions& o, const Preset& p, const std::vector<std::string>& tags) {
  return {{"preset", p.name}, {"input_size", p.inputSize}, {"channels", p.channels}, {"widths", p.widths},
          {"train_tags", tags}, {"val_tag", o.valTag}, {"epochs", o.epochs}, {"min_steps", o.minSteps},
          {"batch_size", o.batchSize},
          {"learning_rate", o.learningRate}, {"weight_decay", o.weightDecay}, {"warmup_steps", o.warmupSteps},
          {"patience", o.patience}, {"validate_every", o.validateEvery}, {"max_steps", o.maxSteps}, {"max_minutes", o.maxMinutes}, {"seed", o.seed},
          {"aleatoric", o.aleatoric}, {"score_threshold", o.scoreThreshold}, {"device", o.device},
          {"output_stride", p.outputStride}, {"context", p.context}, {"ema_decay", o.emaDecay}};
}

// The preset (auto or named) and the tiling for the training images, each with its reason.
Result<TrainPlan> chooseModel(const Project& project, const TrainOptions& o, const ImageQuery& query) {
  TrainPlan plan;
  plan.presetChoice = {o.preset, ""};
  if (o.preset == "auto") {
    auto chosen = choosePreset(project, query);
    if (!chosen.ok()) return chosen.status();
    plan.presetChoice = *chosen;
  }
  auto preset = findPreset(plan.presetChoice.preset);
  if (!preset.ok()) return preset.status();
  plan.preset = *preset;
  auto tiling = chooseTiling(project, query, preset->inputSize, o.tiles, &plan.tilingWhy);
  if (!tiling.ok()) return tiling.status();
  plan.tiling = *tiling;
  return plan;
}

Result<TrainResult> trainImpl(Project& project, const TrainOptions& o, const TrainProgressFn& progress) {
  if (o.epochs < 1 || o.batchSize < 2) return Status::InvalidArgument("epochs must be >= 1 and the batch size >= 2");
  auto device = pickDevice(o.device);
  if (!device.ok()) return device.status();
  useThreads(o.threads);
  torch::manual_seed(o.seed);

  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  if (classes->empty()) return Status::InvalidArgument("the project has no classes to learn");
  std::vector<ClassId> classIds;
  std::vector<std::string> classNames;
  for (const auto& c : *classes) {
    classIds.push_back(c.id);
    classNames.push_back(c.name);
  }
  auto query = trainingQuery(project, o.trainTags, o.valTag);
  if (!query.ok()) return query.status();
  if (o.duplicateDistance >= 0 && !o.valTag.empty()) {
    auto leaks = nearDuplicateLeaks(project, o.valTag, query->anyTags, o.duplicateDistance);
    if (!leaks.ok()) return leaks.status();
    if (!leaks->empty()) {
      const std::string what = std::to_string(leaks->size()) + " " + o.valTag +
                               " images have a near-duplicate among the training images, so VAL would flatter the "
                               "model: " + describeLeaks(*leaks);
      if (!o.allowNearDuplicates)
        return Status::InvalidArgument(what + " (untag one of each pair, or train anyway with --allow-near-duplicates)");
      coreLogger()->warn("train {}: {}", o.runName, what);
    }
  }
  auto chosen = chooseModel(project, o, *query);
  if (!chosen.ok()) return chosen.status();
  const PresetChoice& choice = chosen->presetChoice;
  const Preset& preset = chosen->preset;
  const Tiling& tiling = chosen->tiling;
  const std::string& tilingWhy = chosen->tilingWhy;
  if (!choice.why.empty()) coreLogger()->info("train {}: preset auto: {}", o.runName, choice.why);
  coreLogger()->info("train {}: {}", o.runName, tilingWhy);

  TrainProgress tp;
  tp.epochs = o.epochs;
  tp.stage = "load";
  auto loadProgress = [&](std::size_t done, std::size_t total, std::string_view) {
    tp.step = static_cast<long>(done);
    tp.steps = static_cast<long>(total);
    return !progress || progress(tp);
  };
  LoadReport loadReport;
  auto trainImages = loadLabeledImages(project, *query, preset.channels, &loadReport, loadProgress);
  if (!trainImages.ok()) return trainImages.status();
  if (trainImages->size() < 2) return Status::InvalidArgument("fewer than 2 training images in " + o.runName + "'s tags");
  std::vector<LabeledImage> valImages;
  {
    ImageQuery vq;
    vq.anyTags = {o.valTag};
    auto n = project.countImages(vq);
    if (!n.ok()) return n.status();
    if (*n > 0) {
      auto v = loadLabeledImages(project, vq, preset.channels, &loadReport, loadProgress);
      if (!v.ok()) return v.status();
      valImages = std::move(v).value();
    }
  }
  const auto valIds = idsOf(valImages);
  const auto valTruth = truthOf(valImages, classIds);
  // The labels as training read them, recorded with the run once it exists (issue 16).
  auto labelState = captureLabelState(project, idsOf(*trainImages), valIds);
  if (!labelState.ok()) return labelState.status();

  Net net(preset, static_cast<int>(classIds.size()));
  net->to(*device);
  // What validates, is saved and infers: the weights' average, or the raw net without one.
  Net model = net;
  std::optional<WeightAverage> average;
  if (o.emaDecay > 0) {
    model = Net(preset, static_cast<int>(classIds.size()));
    model->to(*device);
    average.emplace(net, model, o.emaDecay, o.emaRampSteps);
  }
  torch::optim::AdamW optimizer(net->parameters(),
                                torch::optim::AdamWOptions(o.learningRate).weight_decay(o.weightDecay));
  const std::size_t n = trainImages->size();
  const std::size_t batch = std::min<std::size_t>(static_cast<std::size_t>(o.batchSize), n);
  const long stepsPerEpoch = static_cast<long>(n / batch);  // the last partial batch is dropped
  const StepPlan plan = planSteps(o, stepsPerEpoch);
  const long totalSteps = plan.steps;

  const fs::path dir = project.dir() / "models" / o.runName;
  CheckpointMeta meta{preset, tiling, classNames, o.aleatoric, o.runName, 0};
  TrainResult result;
  std::mt19937_64 rng(o.seed);
  AugmentOptions augment;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const auto start = Clock::now();
  long step = 0;
  double runningLoss = 0;
  int sinceBest = 0;
  bool saved = false, stop = false;
  std::size_t samplesSeen = 0;
  double trainSeconds = 0;
  tp.steps = totalSteps;

  result.plannedSteps = totalSteps;
  result.plannedEpochs = plan.epochs;
  result.stepsPerEpoch = stepsPerEpoch;
  tp.epochs = plan.epochs;
  for (int epoch = 1; epoch <= plan.epochs && !stop; ++epoch) {
    tp.epoch = epoch;
    tp.stage = "train";
    net->train();
    shuffle(order, rng);
    double epochLoss = 0;
    long epochSteps = 0;
    const auto epochStart = Clock::now();
    for (long s = 0; s < stepsPerEpoch; ++s) {
      std::vector<Sample> samples;
      for (std::size_t k = 0; k < batch; ++k)
        samples.push_back(makeTiledTrainingSample((*trainImages)[order[static_cast<std::size_t>(s) * batch + k]],
                                                  preset.inputSize, tiling, augment, rng));
      auto input = toInput(samples, preset.channels).to(*device);
      Targets targets = makeTargets(samples, static_cast<int>(classIds.size()), preset.inputSize, preset.outputStride);
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learningRate(o, step, totalSteps, secondsSince(start)));
      optimizer.zero_grad();
      LossParts loss = detectionLoss(net->forward(input), targets, o.aleatoric);
      loss.total.backward();
      torch::nn::utils::clip_grad_norm_(net->parameters(), 10.0);
      optimizer.step();
      if (average) average->update(step + 1);
      const double value = loss.total.item<double>();
      if (!std::isfinite(value)) return Status::Error(StatusCode::kInternal, "training diverged (loss is not finite)");
      runningLoss = step == 0 ? value : 0.9 * runningLoss + 0.1 * value;
      epochLoss += value;
      ++epochSteps;
      ++step;
      samplesSeen += batch;
      const double elapsed = secondsSince(start);
      tp.step = step;
      tp.loss = runningLoss;
      tp.etaSeconds = elapsed / static_cast<double>(step) * static_cast<double>(totalSteps - step);
      if (o.maxMinutes > 0) tp.etaSeconds = std::min(tp.etaSeconds, std::max(0.0, o.maxMinutes * 60 - elapsed));
      if (progress && !progress(tp)) {
        return Status::Cancelled();
      }
      if (step >= totalSteps || (o.maxMinutes > 0 && elapsed > o.maxMinutes * 60)) {
        stop = true;
        break;
      }
    }
    trainSeconds += secondsSince(epochStart);
    EpochRecord record{epoch, epochLoss / std::max<long>(1, epochSteps), std::nan(""), secondsSince(start)};
    const bool lastEpoch = stop || epoch == plan.epochs;
    const bool validate = !valImages.empty() && (lastEpoch || epoch % plan.validateEvery == 0);
    bool better = valImages.empty();  // without VAL the latest weights are the best we know
    if (validate) {
      tp.stage = "validate";
      if (progress && !progress(tp)) {
        return Status::Cancelled();
      }
      auto dets = predictImages(model, preset, tiling, valImages, classIds, 0.01f, o.batchSize, *device);
      net->train();  // predictImages leaves the network in eval mode
      EvalOptions eo;
      eo.scoreThreshold = o.scoreThreshold;
      const EvalResult r = evaluate(valIds, classIds, valTruth, dets, eo);
      record.valMap50 = r.map50;
      tp.valMap50 = r.map50;
      better = std::isnan(result.bestMap50) || r.map50 > result.bestMap50;
    }
    result.curve.push_back(record);
    coreLogger()->info("train {}: epoch {} loss {:.4f} val mAP50 {:.4f}", o.runName, epoch, record.loss, record.valMap50);
    if (better) {
      result.bestMap50 = record.valMap50;
      result.bestEpoch = epoch;
      meta.bestEpoch = epoch;
      QUARRY_RETURN_IF_ERROR(saveCheckpoint(model, meta, dir, average ? &net : nullptr));
      saved = true;
      sinceBest = 0;
    } else if (validate && step >= plan.minSteps && ++sinceBest >= o.patience) {
      coreLogger()->info("train {}: early stop after {} epochs without a better VAL mAP", o.runName, sinceBest);
      stop = true;
    }
  }
  if (!saved) QUARRY_RETURN_IF_ERROR(saveCheckpoint(model, meta, dir, average ? &net : nullptr));
  QUARRY_RETURN_IF_ERROR(loadCheckpointWeights(net, dir));  // the best model, averaged or not

  nlohmann::json curve = nlohmann::json::array();
  for (const auto& r : result.curve)
    curve.push_back({{"epoch", r.epoch}, {"loss", r.loss},
                     {"val_map50", jsonNumber(r.valMap50)},
                     {"seconds", r.seconds}});
  nlohmann::json metrics = {{"curve", curve}, {"best_epoch", result.bestEpoch}};
  if (!valImages.empty()) {
    auto dets = predictImages(net, preset, tiling, valImages, classIds, 0.01f, o.batchSize, *device);
    EvalOptions eo;
    eo.scoreThreshold = o.scoreThreshold;
    // The thresholds minimise the project's measured seconds per action where enough were recorded.
    const MeasuredEffort measured = projectEffort(project);
    if (measured.any()) eo.effort = measured.model;
    metrics["effort"] = measured.describe();
    const EvalResult atDefault = evaluate(valIds, classIds, valTruth, dets, eo);
    metrics["val"] = evalResultJson(atDefault, classNames);
    metrics["operating_point"] =
        operatingPointJson(o.valTag, valIds, classIds, classNames, valTruth, dets, eo, atDefault, o.seed);
    // Read back as every later reader reads it, from the stored form.
    result.operatingPoint = runOperatingPoint(nlohmann::json{{"operating_point", metrics["operating_point"]}}.dump());
  }
  result.steps = step;
  result.presetChoice = choice;
  result.tiling = tiling;
  result.tilingWhy = tilingWhy;
  result.trainSeconds = trainSeconds;
  result.imagesPerSecond = trainSeconds > 0 ? static_cast<double>(samplesSeen) / trainSeconds : 0;
  metrics["train_images"] = n;
  metrics["planned_steps"] = totalSteps;
  metrics["steps"] = step;
  metrics["train_seconds"] = result.trainSeconds;
  metrics["train_images_per_second"] = result.imagesPerSecond;

  std::vector<std::string> tags;
  for (const auto& t : query->anyTags) tags.push_back(t);
  ModelRun run;
  run.name = o.runName;
  for (const auto& t : tags) run.trainedOn += (run.trainedOn.empty() ? "" : ",") + t;
  nlohmann::json params = paramsJson(o, preset, tags);
  if (!choice.why.empty()) params["preset_choice"] = choice.why;
  params["tiles"] = o.tiles;
  params["tiling"] = tiling.describe();
  params["tiling_choice"] = tilingWhy;
  params["labels_digest"] = labelState->digest;
  run.paramsJson = params.dump();
  run.metricsJson = metrics.dump();
  run.checkpoint = (fs::path("models") / o.runName).generic_string();
  auto id = project.addRun(run);
  if (!id.ok()) return id.status();
  QUARRY_RETURN_IF_ERROR(recordLabelState(project, *id, *labelState));
  result.run = *id;
  result.checkpoint = run.checkpoint;
  return result;
}

}  // namespace

Result<TrainPlan> planTraining(const Project& project, const TrainOptions& o) {
  if (o.epochs < 1 || o.batchSize < 2) return Status::InvalidArgument("epochs must be >= 1 and the batch size >= 2");
  auto query = trainingQuery(project, o.trainTags, o.valTag);
  if (!query.ok()) return query.status();
  auto plan = chooseModel(project, o, *query);
  if (!plan.ok()) return plan.status();
  auto n = project.countImages(*query);
  if (!n.ok()) return n.status();
  plan->trainImages = *n;
  const std::size_t batch = std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(o.batchSize), *n));
  plan->stepsPerEpoch = static_cast<long>(*n / batch);
  plan->steps = planSteps(o, plan->stepsPerEpoch);
  return plan;
}

Result<TrainResult> train(Project& project, const TrainOptions& options, const TrainProgressFn& progress) {
  // The name becomes models/<name>/, which any failure below (a cancel included) removes: it
  // must be a plain folder name, and not one of a run that exists (its folder is that run's).
  QUARRY_RETURN_IF_ERROR(validRunName(options.runName));
  auto existing = project.findRun(options.runName);
  if (!existing.ok()) return existing.status();
  if (*existing)
    return Status::Error(StatusCode::kAlreadyExists, "model run '" + options.runName + "' already exists");
  JobRuntime runtime;
  Result<TrainResult> result = Status::Error(StatusCode::kInternal, "training did not run");
  try {
    result = trainImpl(project, options, progress);
  } catch (const c10::Error& e) {
    result = Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  } catch (const cv::Exception& e) {
    result = Status::Error(StatusCode::kInternal, std::string("OpenCV: ") + e.what());
  } catch (const std::exception& e) {
    result = Status::Error(StatusCode::kInternal, e.what());
  }
  if (!result.ok()) {
    // A cancelled or failed run (diverged, a checkpoint that cannot be written, an exception)
    // leaves nothing: no half-written models/<name>/ for the next run of that name.
    std::error_code ec;
    fs::remove_all(project.dir() / "models" / options.runName, ec);
  }
  return result;
}

}  // namespace quarry::detect
