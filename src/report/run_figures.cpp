// Model runs' stored JSON to figures, runs compared, score histograms, experiment curves.
#include "quarry/report/run_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "quarry/core/stats.h"

namespace quarry {
namespace {

using nlohmann::json;

// A number where the JSON has one; null (NaN or infinity when written) and absent read as NaN.
double number(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : kNoFigure;
}

int integer(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int>() : 0;
}

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const ClassFigures* findClass(const RunFigures& r, const std::string& name) {
  for (const auto& c : r.perClass)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

std::vector<std::pair<ClassId, double>> RunOperatingPoint::byId(const std::vector<ClassId>& ids,
                                                                const std::vector<std::string>& names) const {
  std::vector<std::pair<ClassId, double>> out;
  for (std::size_t i = 0; i < ids.size() && i < names.size(); ++i) {
    double t = global;
    for (const auto& [name, value] : perClass)
      if (name == names[i]) t = value;
    out.emplace_back(ids[i], t);
  }
  return out;
}

std::vector<std::pair<ClassId, double>> RunOperatingPoint::byId(const std::vector<ClassInfo>& classes) const {
  std::vector<ClassId> ids;
  std::vector<std::string> names;
  for (const auto& c : classes) {
    ids.push_back(c.id);
    names.push_back(c.name);
  }
  return byId(ids, names);
}

std::string RunOperatingPoint::describe(const std::vector<ClassInfo>& classes) const {
  const auto thresholds = byId(classes);
  std::string out;
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    const std::string& name = classes[i].name;
    const bool fell = std::find(fallback.begin(), fallback.end(), name) != fallback.end();
    char value[32];
    std::snprintf(value, sizeof value, "%.2f", thresholds[i].second);
    out += (i ? ", " : "") + name + " " + value + (fell ? " (global: few boxes)" : "");
  }
  return out;
}

double RunOperatingPoint::lowest() const {
  double low = global;
  for (const auto& [name, value] : perClass) low = std::min(low, value);
  return low;
}

std::optional<RunOperatingPoint> runOperatingPoint(const std::string& metricsJson) {
  const json metrics = json::parse(metricsJson, nullptr, false);
  if (!metrics.is_object()) return std::nullopt;
  auto it = metrics.find("operating_point");
  if (it == metrics.end() || !it->is_object()) return std::nullopt;
  const json& o = *it;
  RunOperatingPoint p;
  p.valTag = text(o, "val_tag");
  if (!std::isfinite(number(o, "global"))) return std::nullopt;
  p.global = number(o, "global");
  if (auto pc = o.find("per_class"); pc != o.end() && pc->is_object())
    for (const auto& [name, value] : pc->items())
      if (value.is_number()) p.perClass.emplace_back(name, value.get<double>());
  if (auto fb = o.find("fallback"); fb != o.end() && fb->is_array())
    for (const auto& v : *fb)
      if (v.is_string()) p.fallback.push_back(v.get<std::string>());
  p.heldOutBoost = number(o, "held_out_boost");
  p.boostAtDefault = number(o, "boost_at_default");
  p.seed = o.value("seed", std::uint64_t{1});
  return p;
}

Result<RunFigures> runFigures(const ModelRun& run) {
  const json params = json::parse(run.paramsJson, nullptr, false);
  const json metrics = json::parse(run.metricsJson, nullptr, false);
  if (params.is_discarded() || metrics.is_discarded() || !metrics.is_object())
    return Status::BadInput("run " + run.name + ": its stored parameters or metrics are not JSON");
  RunFigures r;
  r.name = run.name;
  r.trainedOn = run.trainedOn;
  if (params.is_object()) {
    r.preset = text(params, "preset");
    r.tiling = text(params, "tiling");
    r.scoreThreshold = number(params, "score_threshold");
  }
  r.trainImages = integer(metrics, "train_images");
  r.trainSeconds = std::isfinite(number(metrics, "train_seconds")) ? number(metrics, "train_seconds") : 0;
  if (auto curve = metrics.find("curve"); curve != metrics.end() && curve->is_array())
    for (const auto& e : *curve)
      if (e.is_object())
        r.curve.push_back({integer(e, "epoch"), number(e, "loss"), number(e, "val_map50"),
                           std::isfinite(number(e, "seconds")) ? number(e, "seconds") : 0});
  if (auto val = metrics.find("val"); val != metrics.end() && val->is_object()) {
    r.evaluated = true;
    r.valImages = integer(*val, "images");
    r.map50 = number(*val, "map50");
    r.map50to95 = number(*val, "map50_95");
    r.efficiencyBoost = number(*val, "efficiency_boost");
    if (auto classes = val->find("per_class"); classes != val->end() && classes->is_array())
      for (const auto& c : *classes) {
        if (!c.is_object()) continue;
        ClassFigures f;
        f.name = text(c, "class");
        f.groundTruth = integer(c, "ground_truth");
        f.truePositives = integer(c, "true_positives");
        f.falsePositives = integer(c, "false_positives");
        f.falseNegatives = integer(c, "false_negatives");
        f.precision = number(c, "precision");
        f.recall = number(c, "recall");
        f.ap50 = number(c, "ap50");
        f.ap50to95 = number(c, "ap50_95");
        r.perClass.push_back(f);
      }
  }
  r.operatingPoint = runOperatingPoint(run.metricsJson);
  if (auto scoring = metrics.find("scoring"); scoring != metrics.end() && scoring->is_object()) {
    r.scored = true;
    if (auto t = scoring->find("thresholds"); t != scoring->end() && t->is_object()) {
      r.mediumThreshold = number(*t, "medium");
      r.hardThreshold = number(*t, "hard");
      r.thresholdSource = text(*t, "source");
      r.easyRule = text(*t, "easy_rule");
    }
    r.easyWhy = text(*scoring, "easy");
    if (auto c = scoring->find("combination"); c != scoring->end() && c->is_object()) r.combinationWhy = text(*c, "why");
    if (auto c = scoring->find("calibration"); c != scoring->end() && c->is_object()) {
      r.calibrationImages = integer(*c, "images");
      r.spearman = number(*c, "spearman");
      r.auroc = number(*c, "auroc");
      r.aurc = number(*c, "aurc");
      r.easyShare = number(*c, "easy_share");
      r.hardToEasyErrorRatio = number(*c, "hard_to_easy_error_ratio");
      r.spearmanWhy = text(*c, "spearman_reason");
      r.aurocWhy = text(*c, "auroc_reason");
      r.ratioWhy = text(*c, "hard_to_easy_error_ratio_reason");
      r.easyFullyCorrect = number(*c, "easy_fully_correct");
      r.easyWilsonLower = number(*c, "easy_fully_correct_wilson_lower");
      if (auto bands = c->find("bands"); bands != c->end() && bands->is_object()) {
        const char* names[3] = {"easy", "medium", "hard"};
        for (int b = 0; b < 3; ++b)
          if (auto band = bands->find(names[b]); band != bands->end() && band->is_object()) {
            r.bandError[b] = number(*band, "mean_error");
            r.bandImages[b] = integer(*band, "images");
          }
      }
    }
  }
  return r;
}

RunDifference compareRuns(const RunFigures& a, const RunFigures& b) {
  RunDifference d;
  d.map50 = b.map50 - a.map50;
  d.map50to95 = b.map50to95 - a.map50to95;
  d.efficiencyBoost = b.efficiencyBoost - a.efficiencyBoost;
  std::vector<std::string> names;
  for (const auto& c : a.perClass) names.push_back(c.name);
  for (const auto& c : b.perClass)
    if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
  for (const auto& name : names) {
    ClassDifference c;
    c.name = name;
    const ClassFigures* x = findClass(a, name);
    const ClassFigures* y = findClass(b, name);
    if (x && y) {  // a class only one run knows has no difference
      c.precision = y->precision - x->precision;
      c.recall = y->recall - x->recall;
      c.ap50 = y->ap50 - x->ap50;
    }
    d.perClass.push_back(c);
  }
  return d;
}

Histogram histogram(const std::vector<double>& values, int bins) {
  Histogram h;
  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty() || bins < 1) return h;
  const auto [lo, hi] = std::minmax_element(finite.begin(), finite.end());
  h.lo = *lo;
  h.hi = *hi > *lo ? *hi : *lo + 1;  // one value: one bin of width 1
  h.counts.assign(static_cast<std::size_t>(bins), 0);
  for (double v : finite) {
    auto bin = static_cast<std::size_t>((v - h.lo) / (h.hi - h.lo) * bins);
    ++h.counts[std::min(bin, h.counts.size() - 1)];  // the largest value closes the last bin
  }
  return h;
}

Result<std::vector<ArmCurve>> readExperimentCurves(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Status::NotFound(file.string() + ": no experiment results");
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("models") || !j["models"].is_array())
    return Status::BadInput(file.string() + ": not the results.json of a quarry experiment");
  std::vector<CurveSample> samples;
  // Reports measure on "test" (the part of VAL that chose nothing); older ones measured on "val".
  for (const auto& m : j["models"])
    if (m.is_object())
      for (const char* part : {"test", "val"})
        if (m.contains(part)) {
          samples.push_back({text(m, "arm"), integer(m, "round"), static_cast<double>(integer(m, "labelled")),
                             number(m[part], "map50")});
          break;
        }
  return learningCurves(samples);
}

std::vector<ArmCurve> learningCurves(const std::vector<CurveSample>& samples) {
  std::map<std::pair<std::string, int>, std::vector<const CurveSample*>> byRound;
  std::vector<std::string> arms;
  for (const auto& s : samples) {
    byRound[{s.arm, s.round}].push_back(&s);
    if (s.arm != "CAL1" && std::find(arms.begin(), arms.end(), s.arm) == arms.end()) arms.push_back(s.arm);
  }
  auto point = [](const std::vector<const CurveSample*>& seeds) {
    std::vector<double> n, map;
    for (const CurveSample* s : seeds) {
      n.push_back(s->labelled);
      map.push_back(s->map50);
    }
    const double sd = stats::stddev(map);
    return CurvePoint{stats::mean(n), stats::mean(map), std::isfinite(sd) ? sd : 0.0};
  };
  std::vector<ArmCurve> out;
  for (const auto& arm : arms) {
    ArmCurve c;
    c.arm = arm;
    if (auto it = byRound.find({"CAL1", 0}); it != byRound.end()) c.points.push_back(point(it->second));
    for (int round = 1;; ++round) {
      auto it = byRound.find({arm, round});
      if (it == byRound.end()) break;
      c.points.push_back(point(it->second));
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace quarry
