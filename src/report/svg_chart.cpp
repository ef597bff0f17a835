// Line and grouped-bar charts as standalone SVG: axes with nice ticks, legend, error bars.
#include "quarry/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

namespace quarry {
namespace {

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
constexpr double kLeft = 64, kRight = 150, kTop = 40, kBottom = 56;  // margins in pixels; the legend sits right

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Tick labels: as few digits as the step needs.
std::string tickLabel(double v, double step) {
  char buf[32];
  const int digits = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(digits, 0, 6), std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return buf;
}

std::string color(const ChartSeries& s, std::size_t index) {
  return s.color.empty() ? kPalette[index % (sizeof kPalette / sizeof kPalette[0])] : s.color;
}

// An axis range widened to a 1-2-5 step so that about five ticks cover it.
struct Axis {
  double lo = 0, hi = 1, step = 0.2;
};
Axis niceAxis(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi - lo < 1e-12) {
    const double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step, step};
}

class Canvas {
 public:
  Canvas(int width, int height, const std::string& title) : w_(width), h_(height) {
    svg_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
           std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
           "\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n";
    svg_ += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    text(width / 2.0, 22, title, "middle", 14);
  }
  double plotLeft() const { return kLeft; }
  double plotRight() const { return w_ - kRight; }
  double plotTop() const { return kTop; }
  double plotBottom() const { return h_ - kBottom; }

  void text(double x, double y, const std::string& s, const char* anchor = "start", int size = 12,
            const char* extra = "") {
    svg_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
            std::to_string(size) + "\"" + extra + ">" + escape(s) + "</text>\n";
  }
  void line(double x0, double y0, double x1, double y1, const std::string& stroke, double width = 1,
            const char* extra = "") {
    svg_ += "<line x1=\"" + num(x0) + "\" y1=\"" + num(y0) + "\" x2=\"" + num(x1) + "\" y2=\"" + num(y1) +
            "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"" + extra + "/>\n";
  }
  void rect(double x, double y, double w, double h, const std::string& fill) {
    svg_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
            "\" fill=\"" + fill + "\"/>\n";
  }
  void raw(const std::string& s) { svg_ += s; }

  // The y axis with its grid lines, tick labels and title.
  void yAxis(const Axis& a, const std::string& label) {
    for (double v = a.lo; v <= a.hi + a.step * 1e-6; v += a.step) {
      const double y = yOf(a, v);
      line(plotLeft(), y, plotRight(), y, "#e0e0e0");
      text(plotLeft() - 6, y + 4, tickLabel(v, a.step), "end");
    }
    line(plotLeft(), plotTop(), plotLeft(), plotBottom(), "#333");
    const double cy = (plotTop() + plotBottom()) / 2;
    text(16, cy, label, "middle", 12, (" transform=\"rotate(-90 16 " + num(cy) + ")\"").c_str());
  }
  double yOf(const Axis& a, double v) const {
    return plotBottom() - (v - a.lo) / (a.hi - a.lo) * (plotBottom() - plotTop());
  }
  void legend(const std::vector<ChartSeries>& series) {
    for (std::size_t i = 0; i < series.size(); ++i) {
      const double y = plotTop() + 8 + 20.0 * static_cast<double>(i);
      rect(plotRight() + 14, y - 9, 14, 10, color(series[i], i));
      text(plotRight() + 34, y, series[i].name);
    }
  }
  std::string finish() { return svg_ + "</svg>\n"; }

 private:
  int w_, h_;
  std::string svg_;
};

Status writeText(const std::string& text, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::IoError(file.string() + ": cannot write the chart");
  return Status::Ok();
}

}  // namespace

std::string renderSvg(const LineChart& chart) {
  Canvas c(chart.width, chart.height, chart.title);
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const auto& s : chart.series)
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const auto [x, y] = s.points[i];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      const double e = i < s.spread.size() && std::isfinite(s.spread[i]) ? s.spread[i] : 0;
      xlo = std::min(xlo, x), xhi = std::max(xhi, x);
      ylo = std::min(ylo, y - e), yhi = std::max(yhi, y + e);
    }
  for (const auto& [y, label] : chart.hLines)
    if (std::isfinite(y)) ylo = std::min(ylo, y), yhi = std::max(yhi, y);
  const Axis xa = niceAxis(xlo, xhi), ya = niceAxis(ylo, yhi);
  auto xOf = [&](double x) {
    return c.plotLeft() + (x - xa.lo) / (xa.hi - xa.lo) * (c.plotRight() - c.plotLeft());
  };
  c.yAxis(ya, chart.yLabel);
  for (double v = xa.lo; v <= xa.hi + xa.step * 1e-6; v += xa.step) {
    const double x = xOf(v);
    c.line(x, c.plotBottom(), x, c.plotBottom() + 4, "#333");
    c.text(x, c.plotBottom() + 18, tickLabel(v, xa.step), "middle");
  }
  c.line(c.plotLeft(), c.plotBottom(), c.plotRight(), c.plotBottom(), "#333");
  c.text((c.plotLeft() + c.plotRight()) / 2, c.plotBottom() + 40, chart.xLabel, "middle");
  for (const auto& [y, label] : chart.hLines) {
    if (!std::isfinite(y)) continue;
    c.line(c.plotLeft(), c.yOf(ya, y), c.plotRight(), c.yOf(ya, y), "#999", 1,
           " stroke-dasharray=\"4 3\"");
    c.text(c.plotRight() - 4, c.yOf(ya, y) - 4, label, "end", 10);
  }
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const auto& s = chart.series[k];
    const std::string col = color(s, k);
    std::string path;
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const auto [x, y] = s.points[i];
      if (!std::isfinite(x) || !std::isfinite(y)) {
        path += " ";  // a gap: the next point starts a new segment
        continue;
      }
      const bool start = path.empty() || path.back() == ' ';
      path += (start ? "M" : " L") + num(xOf(x)) + " " + num(c.yOf(ya, y));
      const double e = i < s.spread.size() && std::isfinite(s.spread[i]) ? s.spread[i] : 0;
      if (e > 0) {
        c.line(xOf(x), c.yOf(ya, y - e), xOf(x), c.yOf(ya, y + e), col);
        c.line(xOf(x) - 4, c.yOf(ya, y - e), xOf(x) + 4, c.yOf(ya, y - e), col);
        c.line(xOf(x) - 4, c.yOf(ya, y + e), xOf(x) + 4, c.yOf(ya, y + e), col);
      }
      c.raw("<circle cx=\"" + num(xOf(x)) + "\" cy=\"" + num(c.yOf(ya, y)) + "\" r=\"3\" fill=\"" + col + "\"/>\n");
    }
    if (!path.empty())
      c.raw("<path d=\"" + path + "\" fill=\"none\" stroke=\"" + col + "\" stroke-width=\"2\"/>\n");
  }
  c.legend(chart.series);
  return c.finish();
}

std::string renderSvg(const BarChart& chart) {
  Canvas c(chart.width, chart.height, chart.title);
  double ylo = 0, yhi = 0;  // bars start at 0, so 0 is always on the axis
  for (const auto& s : chart.series)
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const double y = s.points[i].second;
      if (!std::isfinite(y)) continue;
      const double e = i < s.spread.size() && std::isfinite(s.spread[i]) ? s.spread[i] : 0;
      ylo = std::min(ylo, y - e), yhi = std::max(yhi, y + e);
    }
  if (yhi - ylo < 1e-12) yhi = ylo + 1;  // all bars zero: an axis from 0 up, not around it
  const Axis ya = niceAxis(ylo, yhi);
  c.yAxis(ya, chart.yLabel);
  const std::size_t groups = std::max<std::size_t>(1, chart.categories.size());
  const double groupWidth = (c.plotRight() - c.plotLeft()) / static_cast<double>(groups);
  const double barWidth = groupWidth * 0.8 / static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  auto centre = [&](double category) { return c.plotLeft() + (category + 0.5) * groupWidth; };
  for (std::size_t g = 0; g < chart.categories.size(); ++g)
    c.text(centre(static_cast<double>(g)), c.plotBottom() + 18, chart.categories[g], "middle", 11);
  const double zero = c.yOf(ya, 0);
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const auto& s = chart.series[k];
    const std::string col = color(s, k);
    for (std::size_t j = 0; j < s.points.size() && j < groups; ++j) {
      const double v = s.points[j].second;
      if (!std::isfinite(v)) continue;
      const double x = c.plotLeft() + static_cast<double>(j) * groupWidth + groupWidth * 0.1 +
                       static_cast<double>(k) * barWidth;
      const double y = c.yOf(ya, v);
      c.rect(x, std::min(y, zero), barWidth * 0.92, std::fabs(zero - y), col);
      const double e = j < s.spread.size() && std::isfinite(s.spread[j]) ? s.spread[j] : 0;
      if (e > 0) {
        const double mid = x + barWidth * 0.46;
        c.line(mid, c.yOf(ya, v - e), mid, c.yOf(ya, v + e), "#333");
        c.line(mid - 3, c.yOf(ya, v + e), mid + 3, c.yOf(ya, v + e), "#333");
        c.line(mid - 3, c.yOf(ya, v - e), mid + 3, c.yOf(ya, v - e), "#333");
      }
    }
  }
  c.line(c.plotLeft(), zero, c.plotRight(), zero, "#333");
  for (const auto& [at, label] : chart.vLines) {
    if (!std::isfinite(at)) continue;
    const double x = centre(at);
    c.line(x, c.plotTop(), x, c.plotBottom(), "#555", 1, " stroke-dasharray=\"4 3\"");
    c.text(x + 3, c.plotTop() + 10, label, "start", 10);
  }
  c.legend(chart.series);
  return c.finish();
}

Status writeSvg(const LineChart& chart, const std::filesystem::path& file) { return writeText(renderSvg(chart), file); }
Status writeSvg(const BarChart& chart, const std::filesystem::path& file) { return writeText(renderSvg(chart), file); }

}  // namespace quarry
