// Charts for reports, written as standalone SVG files (viewable in any browser, embeddable in
// Markdown) so the core needs no plotting library. Pure functions; call them from any thread.
//
//   LineChart c;  c.title = "Learning curve";  c.xLabel = "labelled images";  c.yLabel = "mAP@0.5";
//   c.series.push_back({"hybrid", "#d62728", {{180, .41}, {430, .52}}, {0.01, 0.02}});
//   writeSvg(c, "reports/learning_curve.svg");
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "quarry/core/status.h"

namespace quarry {

struct ChartSeries {
  std::string name;                              // the legend's entry
  std::string color;                             // "#rrggbb"; empty: picked from a palette
  std::vector<std::pair<double, double>> points; // (x, y) in data units, drawn in this order
  std::vector<double> spread;                    // optional: +- error bar per point (same length)
};

struct LineChart {
  std::string title, xLabel, yLabel;
  std::vector<ChartSeries> series;
  // Optional horizontal reference lines (e.g. thresholds): (y, label).
  std::vector<std::pair<double, std::string>> hLines;
  int width = 640, height = 400;  // pixels
};

// Grouped bars: one group per category, one bar per series (series[i].points[j].second is the
// value of series i in category j; x is ignored).
struct BarChart {
  std::string title, yLabel;
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
  // Optional vertical reference lines at category positions (e.g. thresholds in a histogram),
  // in category-index units (0 = centre of the first category): (x, label).
  std::vector<std::pair<double, std::string>> vLines;
  int width = 640, height = 400;
};

// Renders to an SVG document. Axes get "nice" ticks covering the data (and 0 for bars); NaN
// points are skipped (a line breaks there). Text is XML-escaped.
std::string renderSvg(const LineChart& chart);
std::string renderSvg(const BarChart& chart);

// Writes the rendered chart; kIoError naming the file when it cannot be written.
Status writeSvg(const LineChart& chart, const std::filesystem::path& file);
Status writeSvg(const BarChart& chart, const std::filesystem::path& file);

}  // namespace quarry
