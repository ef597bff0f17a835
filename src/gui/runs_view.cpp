// The Runs view: the run list, the figures table and the charts, all from quarry/run_figures.h.
#include "gui/runs_view.h"

#include "quarry/metrics/measured_effort.h"
#include "quarry/store/provenance.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStringList>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <cmath>

#include "gui/qt_convert.h"
#include "quarry/al/uncertainty.h"
#include "quarry/core/figure.h"

namespace quarry::gui {
namespace {

const QColor kFirst("#1f77b4"), kSecond("#d62728");
// The loss lines get hues of their own (and dashes), so no line can pass for the mAP line.
const QColor kFirstLoss("#ff7f0e"), kSecondLoss("#7f7f7f");

QString figure(double v, int decimals = 3, bool sign = false) {
  if (!std::isfinite(v)) return QStringLiteral("-");
  return (sign && v > 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', decimals);
}

QString figureWhy(double v, int decimals, const std::string& why) { return qs(figureText(v, decimals, why)); }

// The score the P/R figures counted from, and the difficulty calibration, as one line.
QString runDetails(const RunFigures& r) {
  QString out;
  if (r.evaluated)
    out += QObject::tr("&nbsp;&nbsp;precision and recall at score ≥ %1").arg(figure(r.scoreThreshold, 2));
  if (const auto& p = r.operatingPoint) {
    QStringList listed;
    for (const auto& [name, t] : p->perClass) listed << QStringLiteral("%1 %2").arg(qs(name)).arg(t, 0, 'f', 2);
    out += QObject::tr("; auto-labels at the thresholds fitted on %1 to minimise review time (%2; others %3): "
                       "boost %4x held out, %5x at %6")
               .arg(qs(p->valTag), listed.join(", "), figure(p->global, 2), figure(p->heldOutBoost, 2),
                    figure(p->boostAtDefault, 2), figure(r.scoreThreshold, 2));
  }
  if (r.scored && r.calibrationImages > 0) {
    out += QObject::tr("; difficulty on %1 VAL images: Spearman %2, AUROC %3, AURC %4, hard/easy error %5x; "
                       "easy %6 of the images, %7 of them fully correct; mean error "
                       "easy %8 (%9), medium %10 (%11), hard %12 (%13)")
               .arg(r.calibrationImages)
               .arg(figureWhy(r.spearman, 2, r.spearmanWhy), figureWhy(r.auroc, 2, r.aurocWhy), figure(r.aurc, 3),
                    figureWhy(r.hardToEasyErrorRatio, 2, r.ratioWhy),
                    r.bandImages[0] > 0 ? figure(100 * r.easyShare, 0) + "%" : QStringLiteral("none"),
                    r.bandImages[0] > 0 ? figure(100 * r.easyFullyCorrect, 0) + "%" : QStringLiteral("-"))
               .arg(figure(r.bandError[0], 2)).arg(r.bandImages[0])
               .arg(figure(r.bandError[1], 2)).arg(r.bandImages[1])
               .arg(figure(r.bandError[2], 2)).arg(r.bandImages[2]);
  } else if (r.scored) {
    out += QObject::tr("; difficulty thresholds from %1 (no VAL calibration)").arg(qs(r.thresholdSource));
  }
  if (r.scored && !r.combinationWhy.empty()) out += QObject::tr("; combination %1").arg(qs(r.combinationWhy));
  if (r.scored && !r.easyWhy.empty()) out += QObject::tr("; %1").arg(qs(r.easyWhy));
  return out.isEmpty() ? out : out + "<br>";
}

QTableWidgetItem* cell(const QString& text, bool number = true) {
  auto* item = new QTableWidgetItem(text);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  item->setFlags(item->flags() & ~Qt::ItemIsEditable);
  return item;
}

// Hands `chart` to `view`, deleting the chart it showed before.
void showChart(QChartView* view, QChart* chart) {
  QChart* old = view->chart();
  chart->legend()->setAlignment(Qt::AlignBottom);
  view->setChart(chart);
  delete old;
}

QValueAxis* axis(QChart* chart, Qt::Alignment where, const QString& title) {
  auto* a = new QValueAxis;
  a->setTitleText(title);
  chart->addAxis(a, where);
  return a;
}

}  // namespace

RunsView::RunsView(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Model runs"));
  setObjectName("runsView");
  runs_ = new QTableWidget(0, 7);
  runs_->setObjectName("runsTable");
  runs_->setHorizontalHeaderLabels({tr("Run"), tr("Trained on"), tr("Train images"), tr("mAP@0.5"), tr("mAP@[.5:.95]"),
                                    tr("Boost"), tr("Created")});
  runs_->setSelectionBehavior(QAbstractItemView::SelectRows);
  runs_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  runs_->verticalHeader()->hide();
  runs_->horizontalHeader()->setStretchLastSection(true);
  runs_->setToolTip(tr("Choose one run, or two (Ctrl+click) to compare them"));
  connect(runs_, &QTableWidget::itemSelectionChanged, this, &RunsView::showSelection);

  summary_ = new QLabel;
  summary_->setObjectName("runsSummary");
  summary_->setWordWrap(true);
  figures_ = new QTableWidget;
  figures_->setObjectName("figuresTable");
  figures_->verticalHeader()->hide();
  auto makeChart = [](const char* name) {
    auto* v = new QChartView(new QChart);
    v->setObjectName(name);
    v->setRenderHint(QPainter::Antialiasing);
    return v;
  };
  curve_ = makeChart("curveChart");
  classes_ = makeChart("classChart");
  difficulty_ = makeChart("difficultyChart");
  experiment_ = makeChart("experimentChart");
  reports_ = new QComboBox;
  reports_->setObjectName("experimentReports");
  connect(reports_, &QComboBox::currentIndexChanged, this, [this] { showExperiment(reports_->currentData().toString()); });
  auto* experimentPage = new QWidget;
  auto* el = new QVBoxLayout(experimentPage);
  el->addWidget(reports_);
  el->addWidget(experiment_, 1);

  tabs_ = new QTabWidget;
  tabs_->addTab(figures_, tr("Per class"));
  tabs_->addTab(curve_, tr("Training curve"));
  tabs_->addTab(classes_, tr("Precision / recall"));
  tabs_->addTab(difficulty_, tr("Difficulty scores"));
  tabs_->addTab(experimentPage, tr("Experiments"));
  auto* right = new QWidget;
  auto* rl = new QVBoxLayout(right);
  rl->setContentsMargins(0, 0, 0, 0);
  rl->addWidget(summary_);
  rl->addWidget(tabs_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(runs_);
  split->addWidget(right);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);
  resize(1000, 720);
}

void RunsView::setProject(Project* project) {
  project_ = project;
  reload();
}

void RunsView::reload() {
  const QStringList before = selectedRuns();
  all_.clear();
  runs_->setRowCount(0);
  if (project_) {
    auto runs = project_->runs();
    if (!runs.ok()) {
      emit failed(describe(runs.status()));
      return;
    }
    all_ = *runs;
  }
  const QSignalBlocker block(runs_);
  runs_->setRowCount(static_cast<int>(all_.size()));
  for (int row = 0; row < static_cast<int>(all_.size()); ++row) {
    const ModelRun& run = all_[static_cast<std::size_t>(row)];
    auto f = runFigures(run);
    if (!f.ok()) emit failed(describe(f.status()));
    const RunFigures r = f.ok() ? *f : RunFigures{};
    runs_->setItem(row, 0, cell(qs(run.name), false));
    runs_->setItem(row, 1, cell(qs(run.trainedOn.empty() ? "every GT*" : run.trainedOn), false));
    runs_->setItem(row, 2, cell(r.trainImages > 0 ? QString::number(r.trainImages) : "-"));
    runs_->setItem(row, 3, cell(figure(r.map50)));
    runs_->setItem(row, 4, cell(figure(r.map50to95)));
    runs_->setItem(row, 5, cell(std::isfinite(r.efficiencyBoost) ? figure(r.efficiencyBoost, 2) + "x" : "-"));
    runs_->setItem(row, 6, cell(QDateTime::fromMSecsSinceEpoch(run.createdAt).toString("yyyy-MM-dd hh:mm"), false));
  }
  runs_->resizeColumnsToContents();
  fillExperiments();
  if (!selectRuns(before) && !all_.empty()) selectRuns({qs(all_.back().name)});
  showSelection();
}

bool RunsView::selectRuns(const QStringList& names) {
  if (names.isEmpty()) return false;
  QList<int> rows;
  for (const QString& name : names.mid(0, 2)) {
    int found = -1;
    for (int row = 0; row < runs_->rowCount(); ++row)
      if (runs_->item(row, 0)->text() == name) found = row;
    if (found < 0) return false;
    rows << found;
  }
  {
    const QSignalBlocker block(runs_);
    runs_->clearSelection();
    for (int row : rows)
      for (int col = 0; col < runs_->columnCount(); ++col) runs_->item(row, col)->setSelected(true);
  }
  showSelection();
  return true;
}

QStringList RunsView::selectedRuns() const {
  QStringList out;
  for (int row = 0; row < runs_->rowCount(); ++row)
    if (runs_->item(row, 0) && runs_->item(row, 0)->isSelected()) out << runs_->item(row, 0)->text();
  return out.mid(0, 2);
}

QString RunsView::provenanceLine(const std::string& name) const {
  if (!project_) return {};
  for (const ModelRun& run : all_) {
    if (run.name != name) continue;
    auto p = runProvenance(*project_, run.id);
    if (!p.ok()) return tr("Labels it was trained on: %1<br>").arg(qs(p.status().message()));
    if (!p->recorded) return tr("Labels it was trained on: not recorded (an older or imported run).<br>");
    const auto since = [this](const LabelChanges& c) {
      if (!c.added && !c.removed && !c.changed && !c.imagesGone) return tr("none changed since");
      return tr("since then %1 added, %2 removed, %3 changed on %4 images").arg(c.added).arg(c.removed).arg(c.changed).arg(c.imagesChanged);
    };
    return tr("Labels (digest %1): trained on %2 images with %3 boxes, %4; validated on %5 images with %6 boxes, %7.<br>")
        .arg(qs(p->digest))
        .arg(p->trainImages)
        .arg(p->trainBoxes)
        .arg(since(p->trainSince))
        .arg(p->valImages)
        .arg(p->valBoxes)
        .arg(since(p->valSince));
  }
  return {};
}

void RunsView::showSelection() {
  std::vector<RunFigures> chosen;
  for (const QString& name : selectedRuns())
    for (const ModelRun& run : all_)
      if (qs(run.name) == name) {
        auto f = runFigures(run);
        if (f.ok()) chosen.push_back(*f);
      }
  QString text;
  if (chosen.empty()) {
    text = all_.empty() ? tr("No model runs yet: train one from the Model panel.") : tr("Choose a run.");
  } else {
    for (const RunFigures& r : chosen)
      text += tr("<b>%1</b> (%2, trained on %3, %4 images): mAP@0.5 %5, mAP@[.5:.95] %6, efficiency boost %7x on %8 VAL images<br>")
                  .arg(qs(r.name), qs((r.preset.empty() ? "?" : r.preset) + (r.tiling.empty() ? "" : ", tiles " + r.tiling)),
                       qs(r.trainedOn.empty() ? "every GT*" : r.trainedOn))
                  .arg(r.trainImages)
                  .arg(figure(r.map50), figure(r.map50to95), figure(r.efficiencyBoost, 2))
                  .arg(r.valImages)
              + runDetails(r) + provenanceLine(r.name);
    if (chosen.size() == 2) {
      const RunDifference d = compareRuns(chosen[0], chosen[1]);
      text += tr("%1 minus %2: mAP@0.5 %3, mAP@[.5:.95] %4, boost %5")
                  .arg(qs(chosen[1].name), qs(chosen[0].name), figure(d.map50, 3, true), figure(d.map50to95, 3, true),
                       figure(d.efficiencyBoost, 2, true));
    }
  }
  // The seconds per action behind the boosts: this team's measured ones where enough were timed.
  if (project_)
    if (auto times = project_->actionTimes(); times.ok()) {
      QStringList perAction;
      for (const ActionSummary& t : *times)
        if (t.actions > 0)
          perAction << tr("%1 %2 s/box, %3 s/image (%4 boxes)")
                           .arg(toString(t.action))
                           .arg(t.secondsPerBox(), 0, 'f', 1)
                           .arg(t.seconds / static_cast<double>(std::max<std::int64_t>(1, t.images)), 0, 'f', 1)
                           .arg(t.boxes);
      text += tr("<br>Labelling time measured in this window: %1.<br>Seconds per action for new boosts: %2")
                  .arg(perAction.isEmpty() ? tr("none yet") : perAction.join("; "), qs(measuredEffort(*times).describe()));
    }
  summary_->setText(text);
  fillFigures(chosen);
  fillCurve(chosen);
  fillClasses(chosen);
  fillDifficulty(chosen);
}

void RunsView::fillFigures(const std::vector<RunFigures>& runs) {
  figures_->clear();
  QStringList header{tr("Class"), tr("GT")};
  for (const auto& r : runs) header << qs(r.name) + " P" << qs(r.name) + " R" << qs(r.name) + " AP50";
  if (runs.size() == 2) header << tr("Δ P") << tr("Δ R") << tr("Δ AP50");
  figures_->setColumnCount(static_cast<int>(header.size()));
  figures_->setHorizontalHeaderLabels(header);
  if (runs.empty()) {
    figures_->setRowCount(0);
    return;
  }
  const RunDifference d = runs.size() == 2 ? compareRuns(runs[0], runs[1]) : compareRuns(runs[0], runs[0]);
  figures_->setRowCount(static_cast<int>(d.perClass.size()));
  for (int row = 0; row < static_cast<int>(d.perClass.size()); ++row) {
    const std::string& name = d.perClass[static_cast<std::size_t>(row)].name;
    figures_->setItem(row, 0, cell(qs(name), false));
    int col = 2, gt = 0;
    for (const auto& r : runs) {
      const ClassFigures* c = nullptr;
      for (const auto& x : r.perClass)
        if (x.name == name) c = &x;
      figures_->setItem(row, col++, cell(c ? figure(c->precision, 2) : "-"));
      figures_->setItem(row, col++, cell(c ? figure(c->recall, 2) : "-"));
      figures_->setItem(row, col++, cell(c ? figure(c->ap50, 3) : "-"));
      if (c) gt = c->groundTruth;
    }
    figures_->setItem(row, 1, cell(QString::number(gt)));
    if (runs.size() == 2) {
      const ClassDifference& c = d.perClass[static_cast<std::size_t>(row)];
      for (double v : {c.precision, c.recall, c.ap50}) {
        auto* item = cell(figure(v, v == c.ap50 ? 3 : 2, true));
        if (std::isfinite(v) && v != 0) item->setForeground(v > 0 ? QColor("#207020") : QColor("#b03030"));
        figures_->setItem(row, col++, item);
      }
    }
  }
  figures_->resizeColumnsToContents();
}

void RunsView::fillCurve(const std::vector<RunFigures>& runs) {
  auto* chart = new QChart;
  chart->setTitle(tr("Training: loss and VAL mAP@0.5 per epoch"));
  auto* x = axis(chart, Qt::AlignBottom, tr("epoch"));
  auto* loss = axis(chart, Qt::AlignLeft, tr("loss"));
  auto* map = axis(chart, Qt::AlignRight, tr("VAL mAP@0.5"));
  map->setRange(0, 1);
  double maxEpoch = 1, maxLoss = 0.1;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const QColor colour = i == 0 ? kFirst : kSecond;
    auto* l = new QLineSeries;
    l->setName(tr("%1 loss (dashed)").arg(qs(runs[i].name)));
    QPen dashed(i == 0 ? kFirstLoss : kSecondLoss);
    dashed.setStyle(Qt::DashLine);
    dashed.setWidthF(1.5);
    l->setPen(dashed);
    auto* m = new QLineSeries;
    m->setName(tr("%1 VAL mAP@0.5").arg(qs(runs[i].name)));
    QPen solid(colour);
    solid.setWidthF(2.5);
    m->setPen(solid);
    for (const auto& e : runs[i].curve) {
      if (std::isfinite(e.loss)) {
        l->append(e.epoch, e.loss);
        maxLoss = std::max(maxLoss, e.loss);
      }
      if (std::isfinite(e.valMap50)) m->append(e.epoch, e.valMap50);
      maxEpoch = std::max(maxEpoch, static_cast<double>(e.epoch));
    }
    chart->addSeries(l);
    chart->addSeries(m);
    l->attachAxis(x);
    l->attachAxis(loss);
    m->attachAxis(x);
    m->attachAxis(map);
  }
  x->setRange(0, maxEpoch);
  loss->setRange(0, maxLoss * 1.05);
  showChart(curve_, chart);
}

void RunsView::fillClasses(const std::vector<RunFigures>& runs) {
  auto* chart = new QChart;
  chart->setTitle(tr("Per-class precision and recall on VAL"));
  auto* series = new QBarSeries;
  QStringList names;
  if (!runs.empty())
    for (const auto& c : compareRuns(runs[0], runs.size() == 2 ? runs[1] : runs[0]).perClass) names << qs(c.name);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto* p = new QBarSet(tr("%1 precision").arg(qs(runs[i].name)));
    auto* r = new QBarSet(tr("%1 recall").arg(qs(runs[i].name)));
    p->setColor((i == 0 ? kFirst : kSecond).lighter(150));
    r->setColor(i == 0 ? kFirst : kSecond);
    for (const QString& name : names) {
      double pv = 0, rv = 0;  // a class without a figure shows no bar
      for (const auto& c : runs[i].perClass)
        if (qs(c.name) == name) {
          pv = std::isfinite(c.precision) ? c.precision : 0;
          rv = std::isfinite(c.recall) ? c.recall : 0;
        }
      *p << pv;
      *r << rv;
    }
    series->append(p);
    series->append(r);
  }
  chart->addSeries(series);
  auto* categories = new QBarCategoryAxis;
  categories->append(names);
  chart->addAxis(categories, Qt::AlignBottom);
  series->attachAxis(categories);
  auto* y = axis(chart, Qt::AlignLeft, tr("precision / recall"));
  y->setRange(0, 1);
  series->attachAxis(y);
  showChart(classes_, chart);
}

void RunsView::fillDifficulty(const std::vector<RunFigures>& runs) {
  auto* chart = new QChart;
  if (runs.empty() || !project_) {
    showChart(difficulty_, chart);
    return;
  }
  const RunFigures& r = runs.back();  // the run compared against, or the only one
  // Images without detections are hard by rule and stored at the top score; a bar of their own
  // would squash the others, so the title counts them instead.
  std::vector<double> scores;
  std::size_t nothingFound = 0;
  for (const ModelRun& run : all_)
    if (run.name == r.name) {
      auto s = project_->scores(run.id);
      if (!s.ok()) emit failed(describe(s.status()));
      else
        for (const ImageScore& x : *s) {
          if (x.detections > 0) scores.push_back(x.score);
          else ++nothingFound;
        }
    }
  if (scores.empty() && nothingFound == 0) {
    chart->setTitle(tr("%1 has not scored any image yet (Model panel: Score uncertainty)").arg(qs(r.name)));
    showChart(difficulty_, chart);
    return;
  }
  chart->setTitle(tr("%1: difficulty scores of %2 images; medium from %3, hard from %4 (%5); "
                     "%6 more with no detection (hard)")
                      .arg(qs(r.name))
                      .arg(scores.size())
                      .arg(r.easyRule == "none" ? tr("the lowest score (nothing is easy)") : figure(r.mediumThreshold, 2),
                           figure(r.hardThreshold, 2), qs(r.thresholdSource))
                      .arg(nothingFound));
  const Histogram h = histogram(scores, 30);
  // One stacked set per bar colour, so the thresholds show as where green turns yellow and red.
  auto* easy = new QBarSet(tr("easy"));
  auto* medium = new QBarSet(tr("medium"));
  auto* hard = new QBarSet(tr("hard"));
  easy->setColor(QColor("#2ca02c"));
  medium->setColor(QColor("#e0b000"));
  hard->setColor(QColor("#d62728"));
  QStringList labels;
  DifficultyThresholds bands;
  bands.medium = r.mediumThreshold;
  bands.hard = r.hardThreshold;
  for (std::size_t b = 0; b < h.counts.size(); ++b) {
    const double centre = h.lo + (static_cast<double>(b) + 0.5) * h.binWidth();
    const int n = h.counts[b];
    const Difficulty band = difficultyOf(centre, bands);  // the bars' own rule, as the list draws them
    *easy << (band == Difficulty::kEasy ? n : 0);
    *medium << (band == Difficulty::kMedium ? n : 0);
    *hard << (band == Difficulty::kHard ? n : 0);
    labels << QString::number(centre, 'f', 2);
  }
  auto* series = new QStackedBarSeries;
  series->setBarWidth(1.0);
  series->append(easy);
  series->append(medium);
  series->append(hard);
  chart->addSeries(series);
  auto* categories = new QBarCategoryAxis;
  categories->append(labels);
  categories->setLabelsAngle(-90);
  chart->addAxis(categories, Qt::AlignBottom);
  series->attachAxis(categories);
  auto* y = axis(chart, Qt::AlignLeft, tr("images"));
  series->attachAxis(y);
  showChart(difficulty_, chart);
}

void RunsView::fillExperiments() {
  const QString before = reports_->currentText();
  const QSignalBlocker block(reports_);
  reports_->clear();
  if (project_) {
    const QDir dir(qs((project_->dir() / "reports").string()));
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
      if (QFileInfo::exists(dir.filePath(name + "/results.json")))
        reports_->addItem(name, dir.filePath(name + "/results.json"));
  }
  if (reports_->count() == 0) reports_->addItem(tr("no experiment reports (quarry experiment writes them)"), QString());
  const int at = reports_->findText(before);
  reports_->setCurrentIndex(at >= 0 ? at : 0);
  showExperiment(reports_->currentData().toString());
}

void RunsView::showExperiment(const QString& resultsJson) {
  auto* chart = new QChart;
  if (resultsJson.isEmpty()) {
    showChart(experiment_, chart);
    return;
  }
  auto curves = readExperimentCurves(ss(resultsJson));
  if (!curves.ok()) {
    chart->setTitle(describe(curves.status()));
    showChart(experiment_, chart);
    return;
  }
  chart->setTitle(tr("Learning curves on VAL (mean over seeds)"));
  auto* x = axis(chart, Qt::AlignBottom, tr("labelled images"));
  auto* y = axis(chart, Qt::AlignLeft, tr("mAP@0.5"));
  double lo = 1e18, hi = 0, top = 0.05;
  const QColor palette[] = {QColor("#1f77b4"), QColor("#d62728"), QColor("#2ca02c"), QColor("#9467bd")};
  int colour = 0;
  for (const ArmCurve& c : *curves) {
    auto* line = new QLineSeries;
    line->setName(qs(c.arm));
    auto* dots = new QScatterSeries;
    dots->setMarkerSize(7);
    const QColor col = c.arm == "control" ? QColor("#7f7f7f") : palette[colour++ % 4];
    line->setColor(col);
    dots->setColor(col);
    for (const CurvePoint& p : c.points) {
      if (!std::isfinite(p.map50)) continue;
      line->append(p.labelled, p.map50);
      dots->append(p.labelled, p.map50);
      lo = std::min(lo, p.labelled);
      hi = std::max(hi, p.labelled);
      top = std::max(top, p.map50 + p.spread);
    }
    chart->addSeries(line);
    chart->addSeries(dots);
    for (auto* s : {static_cast<QXYSeries*>(line), static_cast<QXYSeries*>(dots)}) {
      s->attachAxis(x);
      s->attachAxis(y);
    }
    chart->legend()->markers(dots).first()->setVisible(false);
  }
  if (hi > lo) x->setRange(lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05);
  y->setRange(0, std::min(1.0, top * 1.1));
  showChart(experiment_, chart);
}

}  // namespace quarry::gui
