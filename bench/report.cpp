// quarry_bench_report: gathers the raw outputs of one `bench/run` into one report, every figure
// with its target and whether it is met, and the previous report's value beside it so a change
// can be compared with the last.
//
//   quarry_bench_report RAW_DIR OUT_BASE [--previous OLD.json] [--machine TEXT] [--commit SHA]
//   (unknown options are refused, --help lists them)
//
// RAW_DIR holds what bench/run wrote: store.json, detector.json, scoring.json (Google Benchmark
// JSON), gui.json (quarry_gui_bench --json; gui-default-malloc.json beside it, optional) and,
// when NEU-DET was there, neu_train.json and neu_eval.json (quarry train/eval --json). A missing file leaves its figures out and says so.
// Writes OUT_BASE.md and OUT_BASE.json.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

enum class Goal { kNone, kBelow, kAtLeast, kAtMost };

struct Figure {
  std::string group, name, unit;
  double value = NAN;
  Goal goal = Goal::kNone;
  double target = NAN;
  std::string note;  // how it was measured, or what it is compared with

  std::optional<bool> met() const {
    if (goal == Goal::kNone || std::isnan(value)) return std::nullopt;
    if (goal == Goal::kBelow) return value < target;
    if (goal == Goal::kAtLeast) return value >= target;
    return value <= target;
  }
  std::string targetText() const {
    if (goal == Goal::kNone) return "-";
    const char* op = goal == Goal::kBelow ? "< " : goal == Goal::kAtLeast ? ">= " : "<= ";
    std::ostringstream s;
    s << op << target << (unit.empty() ? "" : " " + unit);
    return s.str();
  }
};

std::optional<json> readJson(const fs::path& file, std::vector<std::string>* missing) {
  std::ifstream in(file);
  if (!in) {
    missing->push_back(file.filename().string() + " (not produced)");
    return std::nullopt;
  }
  try {
    return json::parse(in);
  } catch (const std::exception& e) {
    missing->push_back(file.filename().string() + " (unreadable: " + e.what() + ")");
    return std::nullopt;
  }
}

// A Google Benchmark result by name, without the option suffixes the library appends
// ("/min_time:2.000", "/iterations:1", "/real_time").
// The median of a benchmark's repetitions when it was repeated, else its one run.
const json* benchmark(const json& doc, const std::string& name) {
  const auto list = doc.find("benchmarks");
  if (list == doc.end() || !list->is_array()) return nullptr;
  const json* single = nullptr;
  for (const json& b : *list) {
    const std::string full = b.value("run_name", b.value("name", ""));
    std::string n = full;
    for (const char* suffix : {"/min_time:", "/iterations:", "/real_time", "/repeats:"}) n = n.substr(0, n.find(suffix));
    if (n != name) continue;
    if (b.value("run_type", "iteration") == "aggregate" && b.value("aggregate_name", "") == "median") return &b;
    if (!single && b.value("run_type", "iteration") == "iteration") single = &b;
  }
  return single;
}

// Real time in `unit` (s or ms), converted from the benchmark's own time unit.
double realTime(const json* b, const std::string& unit) {
  if (!b) return NAN;
  static const std::map<std::string, double> perSecond = {{"s", 1}, {"ms", 1e3}, {"us", 1e6}, {"ns", 1e9}};
  const double t = b->value("real_time", NAN);
  const auto from = perSecond.find(b->value("time_unit", "ns"));
  const auto to = perSecond.find(unit);
  if (from == perSecond.end() || to == perSecond.end()) return NAN;
  return t / from->second * to->second;
}

double counter(const json* b, const std::string& name) { return b ? b->value(name, NAN) : NAN; }

std::string number(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  const double a = std::fabs(v);
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
  return buf;
}

void storeFigures(const json& d, std::vector<Figure>* out) {
  const json* insert = benchmark(d, "BM_Insert100kImages250kBoxes");
  const json* unbatched = benchmark(d, "BM_Insert2kImagesUnbatched");
  out->push_back({"store", "insert 100,000 images + 250,000 boxes", "s", realTime(insert, "s"), Goal::kBelow, 10,
                  "chunked write batches of 1,000 images"});
  const double batchedRate = counter(insert, "images_per_s"), unbatchedRate = counter(unbatched, "images_per_s");
  out->push_back({"store", "batched / one transaction per write (insert speed)", "x", batchedRate / unbatchedRate,
                  Goal::kNone, NAN,
                  number(batchedRate) + " vs " + number(unbatchedRate) + " images/s, side by side"});
  out->push_back({"store", "query tag + difficulty + class (100k images)", "ms",
                  realTime(benchmark(d, "BM_QueryTagDifficultyClass"), "ms"), Goal::kBelow, 20, ""});
  out->push_back({"store", "query tag + difficulty (100k images)", "ms",
                  realTime(benchmark(d, "BM_QueryTagDifficulty"), "ms"), Goal::kNone, NAN, ""});
  out->push_back({"formats", "COCO export of the 100k-image store", "s", realTime(benchmark(d, "BM_CocoExport100k"), "s"),
                  Goal::kBelow, 5, "JSON only, images not copied"});
  const json* one = benchmark(d, "BM_Import100kFiles/1");
  const json* two = benchmark(d, "BM_Import100kFiles/2");
  if (one || two) {
    out->push_back({"formats", "import of 100,000 image files, probed and hashed on 2 threads", "s", realTime(two, "s"),
                    Goal::kNone, NAN, number(counter(two, "images_per_s")) + " images/s"});
    out->push_back({"formats", "import on 2 threads / on 1 (speed)", "x",
                    counter(two, "images_per_s") / counter(one, "images_per_s"), Goal::kNone, NAN,
                    number(counter(one, "images_per_s")) + " images/s on 1, side by side"});
  }
}

void guiFigures(const json& d, std::vector<Figure>* out) {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"list_first_paint", "image list first paint (100k images)"},
      {"tag_difficulty_filter", "tag + difficulty filter"},
      {"list_scroll_jump_worst", "scroll jump to the deepest page (own budget)"},
      {"image_switch_median_prefetched", "image switch, median, prefetched"},
      {"image_switch_median_back_to_back", "image switch, median, back to back"},
      {"resident_memory", "resident memory with 100k images"},  // reports before the plugin split
      {"resident_memory_before_any_model_job", "resident memory with 100k images, before any model job"},
      {"resident_memory_detector_loaded_no_job", "resident memory with the detector plugin loaded, no job yet"},
      {"resident_memory_after_one_training_job", "resident memory after one training job (detector loaded)"}};
  for (const auto& [key, label] : names) {
    if (!d.contains(key)) continue;
    const json& f = d[key];
    out->push_back({"gui", label, f.value("unit", ""), f.value("value", NAN), Goal::kBelow, f.value("target", NAN),
                    key == "image_switch_median_prefetched" || key == "image_switch_median_back_to_back"
                        ? "1920x1080 JPEGs"
                        : ""});
  }
}

void detectorFigures(const json& d, std::vector<Figure>* out) {
  for (const std::string preset : {"small", "small_s8h2", "small_s4", "tiny"}) {
    out->push_back({"detector", "training, " + preset + " preset", "images/s",
                    counter(benchmark(d, "BM_TrainStep/" + preset), "images_per_s"), Goal::kNone, NAN,
                    "one step: forward, loss, backward, AdamW; batch 16"});
    out->push_back({"detector", "inference, " + preset + " preset", "images/s",
                    counter(benchmark(d, "BM_Inference/" + preset), "images_per_s"), Goal::kNone, NAN, "batch 16"});
  }
  // The default against the stride-4 small preset it replaced, measured side by side (issue 12).
  const double train = counter(benchmark(d, "BM_TrainStep/small"), "images_per_s");
  const double trainOld = counter(benchmark(d, "BM_TrainStep/small_s4"), "images_per_s");
  const double infer = counter(benchmark(d, "BM_Inference/small"), "images_per_s");
  const double inferOld = counter(benchmark(d, "BM_Inference/small_s4"), "images_per_s");
  out->push_back({"detector", "training small / small-s4", "x", train / trainOld, Goal::kAtLeast, 1.8,
                  "same input size, one run"});
  out->push_back({"detector", "inference small / small-s4", "x", infer / inferOld, Goal::kAtLeast, 1.5,
                  "same input size, one run"});
  // And against the two-convolution stride-8 head that was the default in between.
  const double trainMid = counter(benchmark(d, "BM_TrainStep/small_s8h2"), "images_per_s");
  out->push_back({"detector", "training small / small-s8h2", "x", train / trainMid, Goal::kNone, NAN,
                  "the one-convolution head against two, one run"});
}

void scoringFigures(const json& d, std::vector<Figure>* out) {
  constexpr int kPasses = 20, kBatch = 16;
  for (const std::string preset : {"small", "tiny"}) {
    const double backbone = realTime(benchmark(d, "BM_Backbone/" + preset), "ms");
    const double head = realTime(benchmark(d, "BM_HeadPass/" + preset), "ms");
    const double batched = realTime(benchmark(d, "BM_MonteCarlo/" + preset + "_batched"), "ms");
    const double naive = realTime(benchmark(d, "BM_MonteCarlo/" + preset + "_naive"), "ms");
    const double model = backbone + kPasses * head;
    out->push_back({"scoring", "Monte-Carlo naive / batched, " + preset + ", T = 20", "x", naive / batched,
                    Goal::kAtLeast, 5, number(naive) + " ms vs " + number(batched) + " ms per batch of 16"});
    out->push_back({"scoring", "batched / cost model, " + preset, "x", batched / model, Goal::kAtMost, 1.5,
                    "model: backbone " + number(backbone) + " ms + 20 x head " + number(head) + " ms"});
    out->push_back({"scoring", "batched scoring throughput, " + preset, "images/s", kBatch / (batched / 1e3),
                    Goal::kNone, NAN, "network only"});
  }
}

void neuFigures(const json& train, const json& eval, std::vector<Figure>* out) {
  const double minutes = train.value("minutes", NAN);
  const std::string budget = "after " + number(minutes) + " min of training (" + train.value("preset", "small") + ")";
  out->push_back({"neu-det", "VAL mAP@0.5", "", eval.value("map50", NAN), Goal::kAtLeast, 0.65, budget});
  out->push_back({"neu-det", "VAL mAP@[.5:.95]", "", eval.value("map50_95", NAN), Goal::kAtLeast, 0.30, budget});
  double crazing = NAN;
  for (const json& c : eval.value("per_class", json::array()))
    if (c.value("class", "") == "crazing" && c["ap50"].is_number()) crazing = c["ap50"].get<double>();
  out->push_back({"neu-det", "crazing AP@0.5", "", crazing, Goal::kAtLeast, 0.40, budget});
  const bool fitted = eval.contains("operating_point");
  out->push_back({"neu-det", "efficiency boost at the fitted thresholds", "x",
                  fitted ? eval.value("efficiency_boost", NAN) : NAN, Goal::kAtLeast, 2.5,
                  "held out: each half of val at the thresholds fitted on the other half"});
  const double atDefault = fitted ? eval["at_default"].value("efficiency_boost", NAN) : eval.value("efficiency_boost", NAN);
  out->push_back({"neu-det", "efficiency boost at score 0.25", "x", atDefault, Goal::kNone, NAN,
                  "review the proposals vs draw every box"});
  out->push_back({"neu-det", "training throughput over the run", "images/s", train.value("images_per_second", NAN),
                  Goal::kNone, NAN, "augmentation and VAL checks included"});
}

std::map<std::string, double> previousValues(const fs::path& file) {
  std::map<std::string, double> out;
  std::ifstream in(file);
  if (!in) return out;
  try {
    for (const json& f : json::parse(in).value("figures", json::array()))
      if (f["value"].is_number()) out[f.value("group", "") + "/" + f.value("name", "")] = f["value"].get<double>();
  } catch (const std::exception&) {
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Gathers the raw outputs of one bench/run into OUT_BASE.md and OUT_BASE.json."};
  fs::path raw, outBase, previousFile;
  std::string machine, commit;
  app.add_option("RAW_DIR", raw, "what bench/run wrote")->required()->check(CLI::ExistingDirectory);
  app.add_option("OUT_BASE", outBase, "the report's path without .md / .json")->required();
  app.add_option("--previous", previousFile, "the last report's .json, for the previous values");
  app.add_option("--machine", machine, "the machine, in words");
  app.add_option("--commit", commit, "the commit measured");
  CLI11_PARSE(app, argc, argv);

  std::vector<Figure> figures;
  std::vector<std::string> missing;
  if (auto d = readJson(raw / "store.json", &missing)) storeFigures(*d, &figures);
  if (auto d = readJson(raw / "gui.json", &missing)) guiFigures(*d, &figures);
  if (fs::exists(raw / "gui-default-malloc.json"))
    if (auto d = readJson(raw / "gui-default-malloc.json", &missing); d && d->contains("resident_memory_before_any_model_job"))
      figures.push_back({"gui", "resident memory before any model job, glibc's default malloc", "MB",
                         (*d)["resident_memory_before_any_model_job"].value("value", NAN), Goal::kNone, NAN,
                         "the same session without the window's memory policy, for comparison"});
  if (auto d = readJson(raw / "detector.json", &missing)) detectorFigures(*d, &figures);
  if (auto d = readJson(raw / "scoring.json", &missing)) scoringFigures(*d, &figures);
  if (fs::exists(raw / "neu_train.json") || fs::exists(raw / "neu_eval.json")) {
    auto t = readJson(raw / "neu_train.json", &missing);
    auto e = readJson(raw / "neu_eval.json", &missing);
    if (t && e) neuFigures(*t, *e, &figures);
  } else {
    missing.push_back("NEU-DET accuracy (not run: ../shared/datasets/neu-det was not found, or SKIP_NEU was set)");
  }
  const auto previous = previousValues(previousFile);

  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  json j = {{"date", date}, {"machine", machine}, {"commit", commit}, {"figures", json::array()},
            {"left_out", missing}, {"previous", previousFile.empty() ? "" : previousFile.filename().string()}};
  int met = 0, notMet = 0;
  std::ostringstream md;
  md << "# Benchmark report, " << date << "\n\n";
  md << "Machine: " << (machine.empty() ? "unknown" : machine) << ". Commit: " << (commit.empty() ? "unknown" : commit)
     << ". Every figure below comes from this one run of `bench/run`; ratios compare things measured side by side in it.";
  if (!previousFile.empty()) md << " \"Previous\" is `" << previousFile.filename().string() << "`.";
  md << "\n\n| group | figure | value | target | met | ratio to target | previous | how |\n";
  md << "|---|---|---|---|---|---|---|---|\n";
  for (const Figure& f : figures) {
    const auto m = f.met();
    if (m) (*m ? met : notMet)++;
    const auto prev = previous.find(f.group + "/" + f.name);
    const double ratio = f.goal == Goal::kNone ? NAN : f.value / f.target;
    md << "| " << f.group << " | " << f.name << " | " << number(f.value) << (f.unit.empty() ? "" : " " + f.unit)
       << " | " << f.targetText() << " | " << (m ? (*m ? "met" : "**NOT met**") : "-") << " | " << number(ratio)
       << " | " << (prev == previous.end() ? "-" : number(prev->second)) << " | " << f.note << " |\n";
    json fj = {{"group", f.group}, {"name", f.name}, {"unit", f.unit}, {"note", f.note}};
    fj["value"] = std::isnan(f.value) ? json(nullptr) : json(f.value);
    fj["target"] = f.goal == Goal::kNone ? json(nullptr) : json(f.targetText());
    fj["met"] = m ? json(*m) : json(nullptr);
    if (prev != previous.end()) fj["previous"] = prev->second;
    j["figures"].push_back(fj);
  }
  md << "\n" << met << " targets met, " << notMet << " not met.\n";
  if (!missing.empty()) {
    md << "\nLeft out of this run:\n";
    for (const auto& m : missing) md << "- " << m << "\n";
  }
  j["targets_met"] = met;
  j["targets_not_met"] = notMet;

  std::ofstream(outBase.string() + ".md") << md.str();
  std::ofstream(outBase.string() + ".json") << j.dump(2) << "\n";
  std::cout << md.str();
  return 0;
}
