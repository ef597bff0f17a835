// The detector on generated data with the tiny preset: training lowers the loss and finds the
// easy defects, checkpoints refuse the wrong project, auto-labels respect human boxes.
// Each test trains for seconds, not minutes.
#include "quarry/detect/detector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/test_support.h"
#include "detect/net.h"
#include "detect/quick_train.h"
#include "quarry/demo/demo.h"
#include "quarry/formats/formats.h"
#include "quarry/al/split.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

using test::TempDir;

// A labelled demo project of 64 images (128 px): 48 tagged GT1, 16 tagged VAL1.
std::unique_ptr<Project> demoProject(const TempDir& tmp) {
  DemoOptions demo;
  demo.images = 64;
  demo.width = demo.height = 128;
  demo.seed = 5;
  EXPECT_TRUE(createDemoProject(tmp / "p", demo, true, nullptr).ok());
  auto p = std::move(Project::open(tmp / "p")).value();
  SplitOptions split;
  split.val = {16, 0};
  split.gt = {48, 0};
  EXPECT_TRUE(splitImages(*p, split).ok());
  return p;
}


// Regression: with 500 steps the easy AP was 0.40 on one machine and 0.13 on another, each run
// giving the same figure on its machine (their BLAS kernels round differently); 900 steps gave
// 0.49 on the second, well clear of the bar.
// Regression (issue 21): 60 GT images are 3 steps an epoch, so 40 epochs were 120 steps and the
// demo's model found nothing. The plan is the larger of the minimum and epochs x steps.
TEST(StepPlan, ASmallGroundTruthGetsTheMinimumNumberOfSteps) {
  TrainOptions o;
  o.epochs = 40;
  o.minSteps = 1000;
  StepPlan small = planSteps(o, 3);
  EXPECT_EQ(small.steps, 1000);
  EXPECT_EQ(small.epochs, 334);
  EXPECT_EQ(small.minSteps, 1000);
  EXPECT_EQ(small.validateEvery, 17) << "about one check per 50 steps, not one per 3-step epoch";
  StepPlan large = planSteps(o, 90);
  EXPECT_EQ(large.steps, 3600) << "epochs x steps per epoch when that is more";
  EXPECT_EQ(large.epochs, 40);
  EXPECT_EQ(large.validateEvery, 2);
  o.maxSteps = 200;  // an explicit cap wins over the minimum
  StepPlan capped = planSteps(o, 3);
  EXPECT_EQ(capped.steps, 200);
  EXPECT_EQ(capped.minSteps, 200);
  o.maxSteps = -1;
  o.validateEvery = 1;
  EXPECT_EQ(planSteps(o, 3).validateEvery, 1) << "an explicit spacing is kept";
}

// Issue 12: --preset auto picks the input size from the project's image and box sizes, and says why.
TEST(PresetAuto, ChoosesTheInputFromTheImageAndBoxSizesAndSaysWhy) {
  auto project = [](const fs::path& dir, int side, double box) {
    auto p = test::newProject(dir);
    const ClassId cls = *p->addClass("defect");
    for (int i = 0; i < 12; ++i) {
      ImageRecord r;
      r.path = "img" + std::to_string(i) + ".png";
      r.width = r.height = side;
      const ImageId id = *p->addImage(r);
      Box b;
      b.image = id;
      b.cls = cls;
      b.x = b.y = 5;
      b.w = b.h = box;
      EXPECT_TRUE(p->addBox(b).ok());
    }
    return p;
  };
  TempDir tmp;
  auto steel = project(tmp / "steel", 200, 40);
  auto small = choosePreset(*steel, {});
  ASSERT_TRUE(small.ok()) << small.status().message();
  EXPECT_EQ(small->preset, "small");
  EXPECT_NE(small->why.find("median image side 200 px"), std::string::npos) << small->why;
  EXPECT_EQ(small->why.find("tiles keep it larger"), std::string::npos) << small->why;
  auto pcb = project(tmp / "pcb", 2048, 16);
  auto large = choosePreset(*pcb, {});
  ASSERT_TRUE(large.ok()) << large.status().message();
  EXPECT_EQ(large->preset, "medium");
  EXPECT_NE(large->why.find("tiles keep it larger"), std::string::npos) << large->why;
  auto none = choosePreset(*test::newProject(tmp / "empty"), {});
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);

  // Tiles: only where letterboxing would shrink the boxes away, and never for images that fit.
  std::string why;
  auto steelTiles = chooseTiling(*steel, {}, 224, "auto", &why);
  ASSERT_TRUE(steelTiles.ok()) << steelTiles.status().message();
  EXPECT_FALSE(steelTiles->enabled) << why;
  EXPECT_NE(why.find("fits"), std::string::npos) << why;
  auto pcbTiles = chooseTiling(*pcb, {}, 320, "auto", &why);
  ASSERT_TRUE(pcbTiles.ok()) << pcbTiles.status().message();
  ASSERT_TRUE(pcbTiles->enabled) << why;
  EXPECT_DOUBLE_EQ(pcbTiles->scale, 1.0) << "16 px boxes keep their pixels";
  EXPECT_EQ(pcbTiles->tile, 320);
  EXPECT_EQ(pcbTiles->overlap, 80) << "a quarter tile, since the boxes are smaller";
  EXPECT_NE(why.find("2.5 px"), std::string::npos) << why;  // 16 x 320 / 2048
  auto bigBoxes = project(tmp / "big", 2048, 600);
  auto bigTiles = chooseTiling(*bigBoxes, {}, 320, "auto", &why);
  ASSERT_TRUE(bigTiles.ok());
  EXPECT_FALSE(bigTiles->enabled) << "600 px boxes keep 94 px letterboxed: " << why;
  auto forced = chooseTiling(*bigBoxes, {}, 320, "on", &why);
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->enabled) << why;
  EXPECT_LT(forced->scale, 1.0) << "tiles sized to the large boxes, not to every pixel";
  EXPECT_GE(forced->scale, 2 * 320.0 / 2048 - 1e-9) << "at least twice the letterbox's resolution";
  EXPECT_LE(forced->overlap, forced->tile / 2);
  EXPECT_FALSE(chooseTiling(*pcb, {}, 320, "off", &why)->enabled);
  EXPECT_EQ(chooseTiling(*pcb, {}, 320, "sometimes").status().code(), StatusCode::kInvalidArgument);
}

// Issue 12: large images with small defects train on crops and infer by tiles; the choice is
// stored with the checkpoint, inference can turn it off, and a checkpoint from before tiles
// letterboxes.
TEST(Detector, ATiledRunStoresItsTilingAndDetectsInTheWholeImagesPixels) {
  TempDir tmp;
  DemoOptions demo;
  demo.images = 24;
  demo.width = demo.height = 512;
  demo.defectScale = 0.5;  // defects as on a 128 px image: 4x smaller than the demo's
  demo.seed = 9;
  ASSERT_TRUE(createDemoProject(tmp / "p", demo, true, nullptr).ok());
  auto p = std::move(Project::open(tmp / "p")).value();
  SplitOptions split;
  split.val = {6, 0};
  split.gt = {18, 0};
  ASSERT_TRUE(splitImages(*p, split).ok());
  TrainOptions o = test::quickTraining("TILED", 30);
  o.tiles = "on";
  auto trained = train(*p, o);
  ASSERT_TRUE(trained.ok()) << trained.status().message();
  ASSERT_TRUE(trained->tiling.enabled) << trained->tilingWhy;
  EXPECT_EQ(trained->tiling.tile, static_cast<int>(128 / trained->tiling.scale + 0.5));
  EXPECT_NE(p->findRun("TILED")->value().paramsJson.find("\"tiling\":\"on: "), std::string::npos);

  auto d = Detector::load(*p, "TILED");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE((*d)->tiling().enabled);
  const auto image = *p->image(p->findImages({})->front());
  auto found = (*d)->detect({p->resolve(image.path).string()}, 0.0);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 1u);
  ASSERT_FALSE(found->front().empty());
  bool beyondOneTile = false;
  for (const Prediction& pr : found->front()) {
    EXPECT_TRUE(pr.x >= 0 && pr.y >= 0 && pr.x + pr.w <= 512 + 1e-6 && pr.y + pr.h <= 512 + 1e-6);
    if (pr.x > trained->tiling.tile) beyondOneTile = true;
  }
  EXPECT_TRUE(beyondOneTile) << "tiles past the first one are mapped to their place in the image";
  auto off = Detector::load(*p, "TILED", "cpu", "off");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE((*off)->tiling().enabled);
  EXPECT_FALSE(Detector::load(*p, "TILED", "cpu", "on").ok()) << "a run infers as trained, or off";

  const fs::path json = p->dir() / "models" / "TILED" / "model.json";
  auto j = nlohmann::json::parse(test::readText(json));
  j.erase("tiling");
  test::writeText(json, j.dump(2));
  auto old = Detector::load(*p, "TILED");
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_FALSE((*old)->tiling().enabled) << "a checkpoint from before tiles letterboxes";
}

// Issue 12: inference folds every batch norm into its convolution; the outputs must not change.
TEST(Network, FoldingBatchNormIntoTheConvolutionsKeepsTheOutputs) {
  // The stride-4 network, stride 8 with context, and stride 8 with the cost knobs turned down.
  for (int variant : {0, 1, 2}) {
    Preset p = *findPreset("tiny");
    p.outputStride = variant == 0 ? 4 : 8;
    p.context = variant == 1;
    if (variant == 2) {
      p.blocks = {0, 1, 0, 1};
      p.smooth = false;
      p.headConvs = 1;
    }
    torch::manual_seed(7);
    Net net(p, 6);
    // Some steps in training mode move the running statistics away from 0 and 1.
    net->train();
    for (int i = 0; i < 3; ++i) net->forward(torch::randn({4, 1, p.inputSize, p.inputSize}) * 2 + 0.5);
    net->eval();
    torch::NoGradGuard noGrad;
    const auto x = torch::randn({2, 1, p.inputSize, p.inputSize});
    const HeadOutput before = net->forward(x);
    net->fuseBatchNorm();
    const HeadOutput after = net->forward(x);
    EXPECT_EQ(after.stride, p.outputStride);
    const double heat = (before.heatmap - after.heatmap).abs().max().item<double>();
    const double box = ((before.ltrb - after.ltrb).abs() / before.ltrb.abs().clamp_min(1)).max().item<double>();
    EXPECT_LT(heat, 1e-3) << "stride " << p.outputStride;
    EXPECT_LT(box, 1e-3) << "stride " << p.outputStride;
    int batchNorms = 0;
    for (const auto& m : net->modules()) batchNorms += dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get()) != nullptr;
    EXPECT_EQ(batchNorms, 0) << "every batch norm was folded";
  }
}

TEST(Detector, TrainingLowersTheLossAndFindsTheEasyDefects) {
  TempDir tmp;
  auto p = demoProject(tmp);
  std::vector<double> losses;
  auto trained = train(*p, test::quickTraining("T1", 900), [&](const TrainProgress& tp) {
    if (tp.stage == "train") losses.push_back(tp.loss);
    return true;
  });
  ASSERT_TRUE(trained.ok()) << trained.status().message();
  ASSERT_GT(losses.size(), 400u);
  EXPECT_LT(losses.back(), 0.6 * losses.front());
  EXPECT_TRUE(fs::exists(p->dir() / "models" / "T1" / "model.pt"));
  // Scratches and patches are large and high-contrast: a model that learned anything finds
  // them on VAL; a broken one (random weights, wrong decoding) scores about 0.
  EvaluateRunOptions eo;
  eo.runName = "T1";
  eo.eval.iou = 0.3;
  auto r = evaluateRun(*p, eo);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto classes = *p->classes();
  double easyAp = 0;
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i].name == "patch" || classes[i].name == "scratch") easyAp += r->perClass[i].ap50 / 2;
  std::printf("easy AP50 at IoU 0.3: %.3f, loss %.3f -> %.3f\n", easyAp, losses.front(), losses.back());
  EXPECT_GT(easyAp, 0.25);
  auto run = *p->findRun("T1");
  ASSERT_TRUE(run);
  EXPECT_NE(run->metricsJson.find("\"curve\""), std::string::npos);
  EXPECT_NE(run->paramsJson.find("\"tiny\""), std::string::npos);
}

TEST(Detector, EarlyStoppingWaitsForTheMinimumSteps) {
  TempDir tmp;
  auto p = demoProject(tmp);
  TrainOptions o = test::quickTraining("T1", -1);
  o.epochs = 1;          // 48 GT images in batches of 8: 6 steps
  o.minSteps = 60;       // raised to 10 epochs
  o.patience = 1;        // would stop at the first check that is not better
  o.validateEvery = 1;
  auto trained = train(*p, o);
  ASSERT_TRUE(trained.ok()) << trained.status().message();
  EXPECT_EQ(trained->plannedSteps, 60);
  EXPECT_EQ(trained->plannedEpochs, 10);
  EXPECT_EQ(trained->steps, 60);
  EXPECT_EQ(trained->curve.size(), 10u);
}

TEST(Detector, RefusesToTrainOnImagesTaggedVal) {
  TempDir tmp;
  auto p = demoProject(tmp);
  ImageQuery val;
  val.anyTags = {"VAL1"};
  auto ids = *p->findImages(val);
  EXPECT_TRUE(p->tagImages("GT1", {ids[0]}).ok());
  auto trained = train(*p, test::quickTraining("Leak", 5));
  ASSERT_FALSE(trained.ok());
  EXPECT_EQ(trained.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(trained.status().message().find((*p->image(ids[0])).path), std::string::npos)
      << trained.status().message();
  EXPECT_FALSE(*p->findRun("Leak"));
}

// Issue 16: a VAL image whose near-duplicate (here a brightened copy) trains is refused by name;
// allowed, the training runs.
TEST(Detector, RefusesAValImageWithANearDuplicateAmongTheTrainingImages) {
  TempDir tmp;
  auto p = demoProject(tmp);
  ASSERT_TRUE(p->tagImages("GT1", {}).ok());
  ImageQuery val;
  val.anyTags = {"VAL1"};
  const ImageRecord original = *p->image(p->findImages(val)->front());
  cv::Mat copy = cv::imread(p->resolve(original.path).string(), cv::IMREAD_UNCHANGED);
  copy.convertTo(copy, -1, 1.0, 10);
  cv::imwrite((tmp / "copy.png").string(), copy);
  ImportOptions options;
  options.tags = {"GT1"};
  ASSERT_TRUE(importImageFiles(*p, {tmp / "copy.png"}, options, nullptr).ok());
  auto refused = train(*p, test::quickTraining("Twin", 5));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("VAL image " + original.path + " is a near-duplicate of training image"),
            std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(*p->findRun("Twin"));
  TrainOptions allowed = test::quickTraining("Twin", 5);
  allowed.allowNearDuplicates = true;
  EXPECT_TRUE(train(*p, allowed).ok());
}

TEST(Detector, ACancelledTrainingLeavesNoRunAndNoCheckpoint) {
  TempDir tmp;
  auto p = demoProject(tmp);
  int calls = 0;
  auto trained = train(*p, test::quickTraining("C1", 50), [&](const TrainProgress& tp) { return tp.stage != "train" || ++calls < 5; });
  ASSERT_FALSE(trained.ok());
  EXPECT_TRUE(trained.status().cancelled());
  EXPECT_FALSE(*p->findRun("C1"));
  EXPECT_FALSE(fs::exists(p->dir() / "models" / "C1"));
}

TEST(Detector, AFailedTrainingLeavesNoRunAndNoCheckpoint) {
  TempDir tmp;
  auto p = demoProject(tmp);
  // The checkpoint cannot be renamed into place: model.pt is a folder that is not empty.
  fs::create_directories(p->dir() / "models" / "F1" / "model.pt" / "blocker");
  auto trained = train(*p, test::quickTraining("F1", 5));
  ASSERT_FALSE(trained.ok());
  EXPECT_FALSE(*p->findRun("F1"));
  EXPECT_FALSE(fs::exists(p->dir() / "models" / "F1")) << "a failed run leaves nothing, as a cancelled one does";
}

TEST(Detector, ARunNameMustStayAFolderUnderModels) {
  TempDir tmp;
  auto p = demoProject(tmp);
  for (const char* name : {"..", "../escape", "a/b", ".hidden", "with space"}) {
    auto trained = train(*p, test::quickTraining(name, 5));
    ASSERT_FALSE(trained.ok()) << name;
    EXPECT_EQ(trained.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(trained.status().message().find("folder under models/"), std::string::npos) << trained.status().message();
  }
  EXPECT_TRUE(fs::exists(p->dir() / Project::kStoreFile)) << "nothing outside models/ was touched";
  EXPECT_FALSE(fs::exists(tmp / "escape"));
  ModelRun bad;
  bad.name = "../x";
  EXPECT_EQ(p->addRun(bad).status().code(), StatusCode::kInvalidArgument) << "the store refuses it too";
}

TEST(Detector, AColourPresetTrainsAndDetectsOnGreyImagesToo) {
  TempDir tmp;
  auto p = demoProject(tmp);
  test::writeText(tmp / "colour.json",
                  R"({"name": "tiny-colour", "input_size": 128, "channels": 3, "widths": [16, 24, 32, 48],
                      "neck_width": 24, "head_width": 24, "dropout": 0.1})");
  TrainOptions o = test::quickTraining("RGB", 12);
  o.preset = (tmp / "colour.json").string();
  auto trained = train(*p, o);
  ASSERT_TRUE(trained.ok()) << trained.status().message();
  auto d = Detector::load(*p, "RGB");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ((*d)->preset().channels, 3);
  const auto image = *p->image(p->findImages({})->front());
  auto found = (*d)->detect({p->resolve(image.path).string()}, 0.0);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->size(), 1u);
}

// The network of the default preset: stride-8 outputs and global context at stride 32, with the
// weights' moving average saved as the model and the raw weights beside it.
TEST(Detector, AStrideEightContextModelWithAnAverageSavesBothAndDetects) {
  TempDir tmp;
  auto p = demoProject(tmp);
  test::writeText(tmp / "s8.json",
                  R"({"name": "tiny-s8", "input_size": 128, "channels": 1, "widths": [16, 24, 32, 48],
                      "neck_width": 24, "head_width": 24, "dropout": 0.1, "output_stride": 8, "context": true})");
  TrainOptions o = test::quickTraining("S8", 40);
  o.preset = (tmp / "s8.json").string();
  o.emaDecay = 0.9;
  o.emaRampSteps = 5;
  auto trained = train(*p, o);
  ASSERT_TRUE(trained.ok()) << trained.status().message();
  EXPECT_TRUE(fs::exists(p->dir() / "models" / "S8" / "model.pt"));
  EXPECT_TRUE(fs::exists(p->dir() / "models" / "S8" / "raw.pt"));
  auto d = Detector::load(*p, "S8");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ((*d)->preset().outputStride, 8);
  EXPECT_TRUE((*d)->preset().context);
  const auto image = *p->image(p->findImages({})->front());
  auto found = (*d)->detect({p->resolve(image.path).string()}, 0.0);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_FALSE(found->front().empty());
  for (const Prediction& pr : found->front()) EXPECT_TRUE(pr.w >= 0 && pr.x >= 0 && pr.x + pr.w <= image.width + 1e-6);
}

// Issue 12's cost knobs: a preset file out of their range is refused, naming the file.
TEST(Preset, ACostKnobOutOfRangeIsRefusedNamingTheFile) {
  TempDir tmp;
  const fs::path file = tmp.path() / "odd.json";
  const std::string base =
      R"({"input_size": 128, "widths": [16, 24, 32, 48], "neck_width": 24, "head_width": 24, "output_stride": 8)";
  test::writeText(file, base + R"(, "blocks": [0, 1, 2, 1], "head_convs": 1, "smooth": false})");
  auto ok = findPreset(file.string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->blocks, (std::vector<int>{0, 1, 2, 1}));
  EXPECT_EQ(ok->headConvs, 1);
  EXPECT_FALSE(ok->smooth);
  for (const char* knobs : {R"(, "head_convs": 3})", R"(, "blocks": [1, 1, 1]})", R"(, "blocks": [1, 3, 1, 1]})"}) {
    test::writeText(file, base + knobs);
    auto bad = findPreset(file.string());
    ASSERT_FALSE(bad.ok()) << knobs;
    EXPECT_NE(bad.status().message().find("odd.json"), std::string::npos) << bad.status().message();
  }
}

// A checkpoint written before the output stride, context and cost knobs were stored is the stride-4 network
// without context, and loads as such; a stride this version does not know is refused by name.
TEST(Detector, AnOlderCheckpointLoadsAndAnUnknownStrideIsRefused) {
  TempDir tmp;
  auto p = demoProject(tmp);
  TrainOptions o = test::quickTraining("OLD", 5);
  o.emaDecay = 0;
  ASSERT_TRUE(train(*p, o).ok());
  const fs::path json = p->dir() / "models" / "OLD" / "model.json";
  nlohmann::json j = nlohmann::json::parse(test::readText(json));
  for (const char* key : {"output_stride", "context", "blocks", "smooth", "head_convs"})
    ASSERT_EQ(j["preset"].erase(key), 1u) << key;
  std::string text = j.dump(1);
  test::writeText(json, text);
  auto old = Detector::load(*p, "OLD");
  ASSERT_TRUE(old.ok()) << old.status().message() << "\n" << text;
  EXPECT_EQ((*old)->preset().outputStride, 4);
  EXPECT_EQ((*old)->preset().blocks, (std::vector<int>{1, 1, 1, 1})) << "the network before the cost knobs";
  EXPECT_TRUE((*old)->preset().smooth);
  EXPECT_EQ((*old)->preset().headConvs, 2);
  const auto at = text.find("\"dropout\": 0.1");
  test::writeText(json, text.insert(at + std::string("\"dropout\": 0.1").size(), ", \"output_stride\": 16"));
  auto odd = Detector::load(*p, "OLD");
  ASSERT_FALSE(odd.ok());
  EXPECT_NE(odd.status().message().find("output_stride 16"), std::string::npos) << odd.status().message();
}

class TrainedDetector : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp = new TempDir;
    project = demoProject(*tmp).release();
    ASSERT_TRUE(train(*project, test::quickTraining("T2", 60)).ok());
  }
  static void TearDownTestSuite() {
    delete project;
    delete tmp;
  }
  static TempDir* tmp;
  static Project* project;
};
TempDir* TrainedDetector::tmp = nullptr;
Project* TrainedDetector::project = nullptr;

// Issue 12: the run keeps the per-class thresholds fitted on VAL; eval on VAL is then held out,
// and auto-labels keep each class's detections from its own threshold.
TEST_F(TrainedDetector, ARunStoresThresholdsFittedOnValAndAutoLabelsUseThem) {
  auto run = *project->findRun("T2");
  ASSERT_TRUE(run);
  const auto point = runOperatingPoint(run->metricsJson);
  ASSERT_TRUE(point) << run->metricsJson.substr(0, 400);
  EXPECT_EQ(point->valTag, "VAL1");
  const auto classes = *project->classes();
  std::vector<ClassId> ids;
  std::vector<std::string> names;
  for (const auto& c : classes) {
    ids.push_back(c.id);
    names.push_back(c.name);
  }
  const auto thresholds = point->byId(ids, names);
  ASSERT_EQ(thresholds.size(), classes.size());

  EvaluateRunOptions eo;
  eo.runName = "T2";
  EvaluateRunReport report;
  auto r = evaluateRun(*project, eo, {}, &report);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(report.atOperatingPoint);
  EXPECT_TRUE(report.heldOut) << "fitted on VAL1 and measured on VAL1: each half at the other's thresholds";
  EXPECT_DOUBLE_EQ(r->map50, report.atDefault.map50) << "AP does not depend on a threshold";

  AutoLabelOptions a;
  a.runName = "T2";
  a.useDefaultQuery = false;
  a.images.anyTags = {"VAL1"};
  AutoLabelReport labelled;
  ASSERT_TRUE(autoLabel(*project, a, &labelled).ok());
  EXPECT_NE(labelled.thresholds.find("fitted on VAL1"), std::string::npos) << labelled.thresholds;
  ImageQuery val;
  val.anyTags = {"VAL1"};
  for (const Box& b : *project->boxesOfImages(*project->findImages(val))) {
    if (b.source != BoxSource::kAuto) continue;
    for (const auto& [id, t] : thresholds) {
      if (id == b.cls) {
        EXPECT_GE(b.score, t - 1e-6);
      }
    }
  }
}

TEST_F(TrainedDetector, ACheckpointForOtherClassesIsRefusedWithBothLists) {
  ASSERT_TRUE(Detector::load(*project, "T2").ok());
  ASSERT_TRUE(project->addClass("weld").ok());
  auto d = Detector::load(*project, "T2");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kIncompatible);
  EXPECT_NE(d.status().message().find("weld"), std::string::npos) << d.status().message();
}

TEST_F(TrainedDetector, ACorruptCheckpointIsAClearError) {
  TempDir other;
  auto p = demoProject(other);
  ASSERT_TRUE(train(*p, test::quickTraining("T3", 3)).ok());
  const fs::path pt = p->dir() / "models" / "T3" / "model.pt";
  const auto size = fs::file_size(pt);
  fs::resize_file(pt, size / 3);
  auto d = Detector::load(*p, "T3");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kBadInput);
  EXPECT_NE(d.status().message().find("model.pt"), std::string::npos) << d.status().message();
}

TEST(AutoLabel, ReplacesOnlyItsOwnAutoBoxesAndLeavesHumanBoxesAlone) {
  TempDir tmp;
  DemoOptions demo;
  demo.images = 40;
  demo.width = demo.height = 128;
  ASSERT_TRUE(createDemoProject(tmp / "p", demo, true, nullptr).ok());
  auto p = std::move(Project::open(tmp / "p")).value();
  SplitOptions split;
  split.val = {8, 0};
  split.gt = {24, 0};
  ASSERT_TRUE(splitImages(*p, split).ok());
  ASSERT_TRUE(train(*p, test::quickTraining("A1", 40)).ok());
  // The pool: images neither GT nor VAL lose their boxes, so they look unlabeled.
  ImageQuery pool;
  pool.noTags = {"GT1", "VAL1"};
  const auto poolIds = *p->findImages(pool);
  for (ImageId id : poolIds)
    for (const Box& b : *p->boxes(id)) ASSERT_TRUE(p->removeBox(b.id).ok());
  const auto manualBefore = p->stats()->perSource[0];
  // What the default picks: every image without a manual or corrected box (the pool, plus any
  // GT or VAL image the generator left without defects).
  ImageQuery labelled;
  labelled.sources = {BoxSource::kManual, BoxSource::kCorrected};
  const std::size_t unlabelled = static_cast<std::size_t>(p->stats()->images - *p->countImages(labelled));

  AutoLabelOptions o;
  o.runName = "A1";
  o.scoreThreshold = 0.05;
  AutoLabelReport first, second;
  ASSERT_TRUE(autoLabel(*p, o, &first).ok());
  EXPECT_EQ(first.images, unlabelled);  // labelled images were skipped
  const auto autoAfterFirst = p->stats()->perSource[1];
  EXPECT_EQ(static_cast<std::size_t>(autoAfterFirst), first.boxes);
  ASSERT_TRUE(autoLabel(*p, o, &second).ok());
  EXPECT_EQ(p->stats()->perSource[1], autoAfterFirst);  // replaced, not added
  EXPECT_EQ(p->stats()->perSource[0], manualBefore);
  for (ImageId id : poolIds)
    for (const Box& b : *p->boxes(id)) {
      EXPECT_EQ(b.source, BoxSource::kAuto);
      ASSERT_TRUE(b.score);
      EXPECT_GE(*b.score, 0.05);
    }
}

}  // namespace
}  // namespace quarry::detect
