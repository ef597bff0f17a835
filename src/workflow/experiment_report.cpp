// The experiment's report: Markdown tables (means and spreads over seeds, the paired test of each
// strategy against the random control, per-class precision and recall, label savings, the
// difficulty bars' calibration), SVG charts beside it, and every figure in results.json.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "quarry/workflow/experiment.h"
#include "quarry/al/calibration_json.h"
#include "quarry/metrics/metrics_json.h"
#include "quarry/report/run_figures.h"
#include "quarry/core/stats.h"
#include "quarry/report/svg_chart.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

std::string fmt(double v, const char* f = "%.3f") {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
// "-" when no value is finite, with `why` in brackets when given.
std::string meanSd(const std::vector<double>& v, const char* f = "%.3f", const std::string& why = {}) {
  std::vector<double> finite;
  for (double x : v)
    if (std::isfinite(x)) finite.push_back(x);
  if (finite.empty()) return why.empty() ? "-" : "- (" + why + ")";
  const double sd = stats::stddev(finite);
  std::string sdFormat = f;  // the spread never carries the mean's sign
  if (auto plus = sdFormat.find('+'); plus != std::string::npos) sdFormat.erase(plus, 1);
  return fmt(stats::mean(finite), f) + (std::isfinite(sd) ? " ± " + fmt(sd, sdFormat.c_str()) : "");
}

// The calibration figures of several models (one per seed), side by side, to summarise.
struct CalibrationSeries {
  std::vector<double> rho, auc, ratio, aurc, easyShare, easyCorrect, easyLower;
  std::string rhoWhy, aucWhy, ratioWhy;  // the first model's reason where a figure is missing
  std::array<std::vector<double>, 3> bandError, bandShare;
  void add(const Calibration& c) {
    rho.push_back(c.spearman);
    auc.push_back(c.auroc);
    ratio.push_back(c.hardToEasyErrorRatio);
    aurc.push_back(c.aurc);
    easyShare.push_back(c.easyShare);
    easyCorrect.push_back(c.easyFullyCorrect);
    easyLower.push_back(c.easyWilsonLower);
    if (rhoWhy.empty()) rhoWhy = c.spearmanWhy;
    if (aucWhy.empty()) aucWhy = c.aurocWhy;
    if (ratioWhy.empty()) ratioWhy = c.ratioWhy;
    for (int b = 0; b < 3; ++b) {
      bandError[b].push_back(c.bands[b].meanError);
      bandShare[b].push_back(static_cast<double>(c.bands[b].images) / std::max(1, c.images));
    }
  }
};

using Key = std::pair<std::string, int>;  // (arm, round)

struct Index {
  std::vector<std::string> arms;                          // CAL1, strategies..., control
  std::map<Key, std::map<std::uint64_t, const ExperimentModel*>> bySeed;
  int rounds = 0;
  std::vector<ArmCurve> curves;  // mean learning curve of every arm with models
};

Index indexOf(const ExperimentResult& r, const ExperimentOptions& o) {
  Index ix;
  ix.arms.push_back("CAL1");
  for (Strategy s : o.strategies) ix.arms.push_back(toString(s));
  ix.arms.push_back("control");
  ix.rounds = o.rounds;
  std::vector<CurveSample> samples;
  for (const auto& m : r.models) {
    ix.bySeed[{m.arm, m.round}][m.seed] = &m;
    samples.push_back({m.arm, m.round, static_cast<double>(m.labelled), m.eval.map50});
  }
  ix.curves = learningCurves(samples);
  return ix;
}

template <typename F>
std::vector<double> collect(const Index& ix, const Key& k, F value) {
  std::vector<double> out;
  auto it = ix.bySeed.find(k);
  if (it == ix.bySeed.end()) return out;
  for (const auto& [seed, m] : it->second) out.push_back(value(*m));
  return out;
}

// The arm's mean learning curve, (labelled, mAP@0.5) from CAL1 (round 0) to its last round, with
// the spread over seeds of each point; empty for an arm without models.
std::vector<std::pair<double, double>> curve(const Index& ix, const std::string& arm, std::vector<double>* spread) {
  std::vector<std::pair<double, double>> pts;
  for (const ArmCurve& c : ix.curves)
    if (c.arm == arm)
      for (const CurvePoint& p : c.points) {
        pts.push_back({p.labelled, p.map50});
        if (spread) spread->push_back(p.spread);
      }
  return pts;
}

// Each seed's area under its learning curve (CAL1, then the arm's rounds), as a mean mAP@0.5;
// only seeds with every round.
std::map<std::uint64_t, double> aulcBySeed(const Index& ix, const std::string& arm) {
  std::map<std::uint64_t, double> out;
  auto cal1 = ix.bySeed.find({"CAL1", 0});
  if (cal1 == ix.bySeed.end()) return out;
  for (const auto& [seed, m0] : cal1->second) {
    std::vector<double> x{static_cast<double>(m0->labelled)}, y{m0->eval.map50};
    for (int round = 1; round <= ix.rounds; ++round) {
      auto it = ix.bySeed.find({arm, round});
      if (it == ix.bySeed.end() || !it->second.count(seed)) break;
      x.push_back(static_cast<double>(it->second.at(seed)->labelled));
      y.push_back(it->second.at(seed)->eval.map50);
    }
    if (static_cast<int>(x.size()) == ix.rounds + 1) out[seed] = stats::areaUnderCurve(x, y);
  }
  return out;
}

// Labelled images the curve needs to reach `target` (linear between rounds); NaN when it never does.
double labelsToReach(const std::vector<std::pair<double, double>>& c, double target) {
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].second < target) continue;
    if (i == 0) return c[0].first;
    const auto [x0, y0] = c[i - 1];
    const auto [x1, y1] = c[i];
    return x0 + (target - y0) / (y1 - y0) * (x1 - x0);
  }
  return std::nan("");
}

}  // namespace

Status writeExperimentReport(const ExperimentResult& r, const ExperimentOptions& o, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  const Index ix = indexOf(r, o);
  std::string md;
  auto line = [&](const std::string& s) { md += s + "\n"; };
  std::string seeds;
  for (auto s : o.seeds) seeds += (seeds.empty() ? "" : ", ") + std::to_string(s);
  line("# Active-learning experiment: " + o.name);
  line("");
  line("Seeds " + seeds + "; VAL " + (o.valTag.empty() ? std::to_string(o.valCount) + " random images" : "= tag `" + o.valTag + "`") +
       "; GT1 " + std::to_string(o.gtCount) + " random images; " + std::to_string(o.rounds) + " round(s) of " +
       std::to_string(o.budget) + " images; preset `" + o.train.preset + "`, at most " + std::to_string(o.train.epochs) +
       " epochs" + (o.train.maxSteps > 0 ? " or " + std::to_string(o.train.maxSteps) + " steps of " + std::to_string(o.train.batchSize) + " images" : "") +
       (o.train.maxMinutes > 0 ? " or " + fmt(o.train.maxMinutes, "%.1f") + " min" : "") +
       " per model; Monte-Carlo dropout T = " + std::to_string(o.mc.passes) + ". Wall time " +
       fmt(r.seconds / 60, "%.1f") + " min.");
  line("");
  line(std::string("Every model is measured on its seed's TEST images (") +
       (o.testTag.empty() ? fmt(100 * o.testShare, "%.0f") + "% of VAL, drawn per seed" : "tag `" + o.testTag + "`") +
       "), which neither train nor choose anything: the rest of VAL picks the best epoch, fits the thresholds the "
       "figures are taken at and the difficulty bars. Arms of one seed share VAL, TEST, GT1 and "
       "CAL1; the control adds random images instead of chosen ones. Figures are mean ± sample standard deviation "
       "over seeds. The efficiency boost is the review-time model of `quarry eval` (drawing a box 10 s, verifying "
       "1.6 s, adjusting 4 s, deleting 1 s).");
  line("");
  line("## Models");
  line("");
  line("| model | round | labelled images | mAP@0.5 | mAP@[.5:.95] | efficiency boost | steps | train minutes |");
  line("|---|---|---|---|---|---|---|---|");
  for (const auto& arm : ix.arms)
    for (int round = arm == "CAL1" ? 0 : 1; round <= (arm == "CAL1" ? 0 : ix.rounds); ++round) {
      const Key k{arm, round};
      if (!ix.bySeed.count(k)) continue;
      line("| " + arm + " | " + std::to_string(round) + " | " +
           meanSd(collect(ix, k, [](const auto& m) { return static_cast<double>(m.labelled); }), "%.0f") + " | " +
           meanSd(collect(ix, k, [](const auto& m) { return m.eval.map50; })) + " | " +
           meanSd(collect(ix, k, [](const auto& m) { return m.eval.map50to95; })) + " | " +
           meanSd(collect(ix, k, [](const auto& m) { return m.eval.efficiencyBoost; }), "%.2f") + " | " +
           meanSd(collect(ix, k, [](const auto& m) { return static_cast<double>(m.steps); }), "%.0f") + " | " +
           meanSd(collect(ix, k, [](const auto& m) { return m.trainSeconds / 60; }), "%.1f") + " |");
    }
  line("");

  // Every model's own figure, so a reader can see the pairs behind the means.
  line("### mAP@0.5 per seed");
  line("");
  std::string header = "| seed |", rule = "|---|";
  std::vector<Key> keys;
  for (const auto& arm : ix.arms)
    for (int round = arm == "CAL1" ? 0 : 1; round <= (arm == "CAL1" ? 0 : ix.rounds); ++round)
      if (ix.bySeed.count({arm, round})) {
        keys.push_back({arm, round});
        header += " " + arm + (arm == "CAL1" ? "" : " r" + std::to_string(round)) + " |";
        rule += "---|";
      }
  line(header);
  line(rule);
  for (auto seed : o.seeds) {
    std::string row = "| " + std::to_string(seed) + " |";
    for (const auto& k : keys) {
      const auto& models = ix.bySeed.at(k);
      auto it = models.find(seed);
      row += " " + (it == models.end() ? std::string("-") : fmt(it->second->eval.map50)) + " |";
    }
    line(row);
  }
  line("");

  nlohmann::json paired = nlohmann::json::array();
  line("## Each strategy against the random control (paired by seed)");
  line("");
  line("| strategy | round | Δ mAP@0.5 | Δ mAP@[.5:.95] | Δ boost | seeds won | t | p (one-sided) | p (two-sided) |");
  line("|---|---|---|---|---|---|---|---|---|");
  for (Strategy s : o.strategies) {
    const std::string arm = toString(s);
    for (int round = 1; round <= ix.rounds; ++round) {
      std::vector<double> a, b, a95, b95, ab, bb;
      int won = 0;
      auto itA = ix.bySeed.find({arm, round});
      auto itB = ix.bySeed.find({"control", round});
      if (itA == ix.bySeed.end() || itB == ix.bySeed.end()) continue;
      for (const auto& [seed, m] : itA->second) {
        auto other = itB->second.find(seed);
        if (other == itB->second.end()) continue;
        a.push_back(m->eval.map50);
        b.push_back(other->second->eval.map50);
        a95.push_back(m->eval.map50to95);
        b95.push_back(other->second->eval.map50to95);
        ab.push_back(m->eval.efficiencyBoost);
        bb.push_back(other->second->eval.efficiencyBoost);
        if (a.back() > b.back()) ++won;
      }
      const auto t = stats::pairedTTest(a, b);
      std::vector<double> d95, db;
      for (std::size_t i = 0; i < a.size(); ++i) {
        d95.push_back(a95[i] - b95[i]);
        db.push_back(ab[i] - bb[i]);
      }
      line("| " + arm + " | " + std::to_string(round) + " | " + fmt(t.meanDifference, "%+.3f") +
           (std::isfinite(t.sdDifference) ? " ± " + fmt(t.sdDifference) : "") + " | " + meanSd(d95, "%+.3f") + " | " +
           meanSd(db, "%+.2f") + " | " + std::to_string(won) + "/" + std::to_string(a.size()) + " | " +
           fmt(t.t, "%.2f") + " | " + fmt(t.pOneSided, "%.4f") + " | " + fmt(t.pTwoSided, "%.4f") + " |");
      paired.push_back({{"strategy", arm}, {"round", round}, {"seeds", a.size()}, {"mean_diff_map50", jsonNumber(t.meanDifference)},
                        {"sd_diff_map50", jsonNumber(t.sdDifference)}, {"t", jsonNumber(t.t)},
                        {"p_one_sided", jsonNumber(t.pOneSided)}, {"p_two_sided", jsonNumber(t.pTwoSided)},
                        {"mean_diff_boost", jsonNumber(stats::mean(db))}, {"won", won}});
    }
  }
  line("");

  // The area under each arm's learning curve, per seed, and each strategy's paired difference to
  // the control over the whole curve.
  nlohmann::json aulc = nlohmann::json::array();
  const auto controlAulc = aulcBySeed(ix, "control");
  line("## Area under the learning curve (AULC)");
  line("");
  line("The trapezoid under mAP@0.5 against labelled images, from CAL1 to round " + std::to_string(ix.rounds) +
       ", divided by that range of labelled images: it reads as the curve's mean mAP@0.5. The difference to the "
       "control is paired by seed; the one-sided paired t-test decides, the exact sign test is beside it.");
  line("");
  line("| arm | AULC | Δ to control | seeds won | t | p (t, one-sided) | p (sign, one-sided) |");
  line("|---|---|---|---|---|---|---|");
  for (std::size_t a = 1; a < ix.arms.size(); ++a) {
    const std::string& arm = ix.arms[a];
    const auto mine = aulcBySeed(ix, arm);
    std::vector<double> values, x, y;
    for (const auto& [seed, v] : mine) {
      values.push_back(v);
      if (auto c = controlAulc.find(seed); c != controlAulc.end()) {
        x.push_back(v);
        y.push_back(c->second);
      }
    }
    nlohmann::json j{{"arm", arm}, {"mean", jsonNumber(stats::mean(values))}, {"sd", jsonNumber(stats::stddev(values))},
                     {"per_seed", values}};
    if (arm == "control") {
      line("| control | " + meanSd(values) + " | | | | | |");
    } else {
      const auto t = stats::pairedTTest(x, y);
      const auto sign = stats::signTest(x, y);
      line("| " + arm + " | " + meanSd(values) + " | " + fmt(t.meanDifference, "%+.3f") +
           (std::isfinite(t.sdDifference) ? " ± " + fmt(t.sdDifference) : "") + " | " + std::to_string(sign.wins) + "/" +
           std::to_string(x.size()) + " | " + fmt(t.t, "%.2f") + " | " + fmt(t.pOneSided, "%.4f") + " | " +
           fmt(sign.pOneSided, "%.4f") + " |");
      j["mean_diff"] = jsonNumber(t.meanDifference);
      j["sd_diff"] = jsonNumber(t.sdDifference);
      j["t"] = jsonNumber(t.t);
      j["p_one_sided"] = jsonNumber(t.pOneSided);
      j["sign_wins"] = sign.wins;
      j["sign_p_one_sided"] = jsonNumber(sign.pOneSided);
    }
    aulc.push_back(j);
  }
  line("");

  // Label savings: how many labelled images each strategy needs to reach the control's final mAP,
  // meaningful only where the control's own curve rises with data.
  const auto control = curve(ix, "control", nullptr);
  nlohmann::json savings = nlohmann::json::array();
  if (!control.empty()) {
    const double target = control.back().second, controlLabels = control.back().first;
    line("## Labels needed to reach the control's final mAP@0.5 (" + fmt(target) + " with " + fmt(controlLabels, "%.0f") +
         " labelled images)");
    line("");
    const bool rises = control.size() >= 2 && control.back().second > control.front().second;
    if (!rises) {
      line("No figure: the control's mean curve does not rise from CAL1 (" + fmt(control.front().second) + ") to its "
           "last round (" + fmt(target) + "), so more labels did not make its model better and \"labels needed to "
           "reach it\" would measure noise, not picks.");
      line("");
    } else {
      line("| strategy | labelled images needed | saving |");
      line("|---|---|---|");
      for (Strategy s : o.strategies) {
        const double need = labelsToReach(curve(ix, toString(s), nullptr), target);
        const double saving = std::isfinite(need) ? 1 - need / controlLabels : std::nan("");
        line(std::string("| ") + toString(s) + " | " + (std::isfinite(need) ? fmt(need, "%.0f") : "not reached") + " | " +
             (std::isfinite(saving) ? fmt(100 * saving, "%.0f%%") : "-") + " |");
        savings.push_back({{"strategy", toString(s)}, {"labels_needed", jsonNumber(need)}, {"saving", jsonNumber(saving)}});
      }
      line("");
      line("Linear interpolation between rounds of the mean curves.");
      line("");
    }
  }

  // Per-class precision and recall of CAL1 and every arm's last round.
  line("## Per-class precision / recall on TEST (mean over seeds)");
  line("");
  header = "| model |";
  rule = "|---|";
  for (const auto& c : r.classNames) {
    header += " " + c + " |";
    rule += "---|";
  }
  line(header);
  line(rule);
  std::vector<ChartSeries> recallBars;
  for (const auto& arm : ix.arms) {
    const Key k{arm, arm == "CAL1" ? 0 : ix.rounds};
    if (!ix.bySeed.count(k)) continue;
    std::string row = "| " + arm + (arm == "CAL1" ? "" : " (round " + std::to_string(ix.rounds) + ")") + " |";
    ChartSeries bars;
    bars.name = arm;
    if (arm == "control") bars.color = "#7f7f7f";  // as in the learning curve
    for (std::size_t c = 0; c < r.classNames.size(); ++c) {
      auto p = collect(ix, k, [&](const auto& m) { return c < m.eval.perClass.size() ? m.eval.perClass[c].precision : NAN; });
      auto rc = collect(ix, k, [&](const auto& m) { return c < m.eval.perClass.size() ? m.eval.perClass[c].recall : NAN; });
      row += " " + fmt(meanIgnoringNan(p), "%.2f") + " / " + fmt(meanIgnoringNan(rc), "%.2f") + " |";
      bars.points.push_back({static_cast<double>(c), meanIgnoringNan(rc)});
    }
    line(row);
    recallBars.push_back(bars);
  }
  line("");

  // Difficulty bars: how CAL1's scores on VAL relate to its true auto-label errors.
  CalibrationSeries cal1;
  for (const auto& m : r.models)
    if (m.arm == "CAL1" && m.calibration) cal1.add(*m.calibration);
  if (!cal1.rho.empty()) {
    line("## Difficulty bars of CAL1 on TEST");
    line("");
    line("The bars are fitted on VAL (easy: the largest low-score set with at least 90% of its VAL images fully "
         "correct) and judged here on TEST. True error of an image = 1 - F1 of its auto-labels at IoU 0.5. "
         "Spearman (score vs error) " + meanSd(cal1.rho, "%.3f", cal1.rhoWhy) + ", AUROC (any error) " +
         meanSd(cal1.auc, "%.3f", cal1.aucWhy) + ", AURC " + meanSd(cal1.aurc, "%.3f") + ", hard / easy mean error " +
         meanSd(cal1.ratio, "%.2f", cal1.ratioWhy) + "; easy holds " + meanSd(cal1.easyShare, "%.2f") +
         " of the images, of which " + meanSd(cal1.easyCorrect, "%.2f", "no easy images") +
         " are fully correct (95% Wilson lower bound " + meanSd(cal1.easyLower, "%.2f", "no easy images") + ").");
    line("");
    line("| bar | share of VAL | mean error |");
    line("|---|---|---|");
    for (int b = 0; b < 3; ++b)
      line(std::string("| ") + toString(static_cast<Difficulty>(b)) + " | " + meanSd(cal1.bandShare[b], "%.2f") + " | " +
           meanSd(cal1.bandError[b], "%.3f", "no images") + " |");
    line("");
    BarChart errors;
    errors.title = "CAL1 on TEST: true auto-label error per difficulty bar";
    errors.yLabel = "mean error (1 - F1)";
    errors.categories = {"easy", "medium", "hard"};
    ChartSeries s{"mean over seeds", "#2ca02c", {}, {}};
    for (int b = 0; b < 3; ++b) {
      s.points.push_back({static_cast<double>(b), meanIgnoringNan(cal1.bandError[b])});
      s.spread.push_back(cal1.bandError[b].size() > 1 ? stats::stddev(cal1.bandError[b]) : 0.0);
    }
    errors.series.push_back(s);
    QUARRY_RETURN_IF_ERROR(writeSvg(errors, dir / "difficulty_error.svg"));
    line("![error per difficulty bar](difficulty_error.svg)");
    line("");
  }

  // The bars of every scoring model, round by round: they should improve as the model does.
  bool anyScored = false;
  for (const auto& m : r.models) anyScored = anyScored || (m.arm != "CAL1" && m.calibration.has_value());
  if (anyScored) {
    line("## Difficulty bars of each scoring model on TEST");
    line("");
    line("Round r of an arm was chosen by the scores of its model r - 1 (CAL1 for round 1); those scores' bars, "
         "judged on TEST. \"learned\" counts the seeds whose scores came from the combination learned on VAL.");
    line("");
    line("| arm | round | Spearman | AUROC | AURC | hard / easy error | easy share | easy fully correct | learned |");
    line("|---|---|---|---|---|---|---|---|---|");
    for (std::size_t a = 1; a + 1 < ix.arms.size(); ++a)
      for (int round = 1; round <= ix.rounds; ++round) {
        CalibrationSeries c;
        int learned = 0;
        for (const auto& m : r.models)
          if (m.arm == ix.arms[a] && m.round == round && m.calibration) {
            c.add(*m.calibration);
            learned += m.combination == "learned" ? 1 : 0;
          }
        if (c.rho.empty()) continue;
        line("| " + ix.arms[a] + " | " + std::to_string(round) + " | " + meanSd(c.rho, "%.3f") + " | " +
             meanSd(c.auc, "%.3f") + " | " + meanSd(c.aurc, "%.3f") + " | " + meanSd(c.ratio, "%.2f", "no easy images") +
             " | " + meanSd(c.easyShare, "%.2f") + " | " + meanSd(c.easyCorrect, "%.2f", "no easy images") + " | " +
             std::to_string(learned) + "/" + std::to_string(c.rho.size()) + " |");
      }
    line("");
  }

  LineChart lc;
  lc.title = "Learning curve on TEST (mean ± sd over seeds)";
  lc.xLabel = "labelled images";
  lc.yLabel = "mAP@0.5";
  for (std::size_t a = 1; a < ix.arms.size(); ++a) {
    ChartSeries s;
    s.name = ix.arms[a];
    s.points = curve(ix, ix.arms[a], &s.spread);
    if (ix.arms[a] == "control") s.color = "#7f7f7f";
    lc.series.push_back(s);
  }
  QUARRY_RETURN_IF_ERROR(writeSvg(lc, dir / "learning_curve.svg"));
  BarChart rb;
  rb.title = "Per-class recall on TEST (last round)";
  rb.yLabel = "recall";
  rb.categories = r.classNames;
  rb.series = recallBars;
  QUARRY_RETURN_IF_ERROR(writeSvg(rb, dir / "per_class_recall.svg"));
  line("## Charts");
  line("");
  line("![learning curve](learning_curve.svg)");
  line("");
  line("![per-class recall](per_class_recall.svg)");
  line("");

  nlohmann::json models = nlohmann::json::array();
  for (const auto& m : r.models) {
    nlohmann::json j{{"seed", m.seed}, {"arm", m.arm}, {"round", m.round}, {"labelled", m.labelled},
                     {"steps", m.steps}, {"train_seconds", m.trainSeconds}, {"test", evalResultJson(m.eval, r.classNames)}};
    j["chosen_per_difficulty"] = {m.chosenPerDifficulty[0], m.chosenPerDifficulty[1], m.chosenPerDifficulty[2]};
    if (m.calibration)
      j["calibration"] = calibrationJson(*m.calibration);
    if (!m.combination.empty()) j["combination"] = m.combination;
    models.push_back(j);
  }
  nlohmann::json all{{"name", o.name}, {"seconds", r.seconds}, {"classes", r.classNames}, {"models", models},
                     {"paired", paired}, {"aulc", aulc}, {"savings", savings}};
  std::ofstream json(dir / "results.json"), report(dir / "report.md");
  json << all.dump(1) << "\n";
  report << md;
  if (!json || !report) return Status::IoError((dir / "report.md").string() + ": cannot write the report");
  return Status::Ok();
}

}  // namespace quarry::detect
