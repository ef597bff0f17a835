#include "gui/filter_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>
#include <type_traits>

#include "gui/difficulty_delegate.h"
#include "gui/qt_convert.h"
#include "quarry/store/query_text.h"

namespace quarry::gui {
namespace {

// Choosing several tags takes several clicks; a menu that closed after each would be tiresome.
class StayOpenMenu : public QMenu {
 public:
  using QMenu::QMenu;

 protected:
  void mouseReleaseEvent(QMouseEvent* event) override {
    QAction* action = activeAction();
    if (action && action->isCheckable() && action->isEnabled()) {
      action->trigger();
      return;
    }
    QMenu::mouseReleaseEvent(event);
  }
};

QIcon difficultyIcon(int level) {
  QPixmap pixmap(16, 16);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  paintDifficultyBars(&painter, QRectF(0, 0, 16, 22), level);  // taller rect: the bars fill 16 px
  return QIcon(pixmap);
}

// A single value a combo box holds in its item data, or every value into `extra`.
template <typename T, typename Key>
void selectOne(QComboBox* combo, const std::vector<T>& values, Key key, std::vector<T>* extra) {
  combo->setCurrentIndex(0);
  if (values.empty()) return;
  const int at = values.size() == 1 ? combo->findData(key(values.front())) : -1;
  if (at > 0) combo->setCurrentIndex(at);
  else *extra = values;
}

}  // namespace

FilterBar::FilterBar(QWidget* parent) : QWidget(parent) { buildWidgets(); }

void FilterBar::buildWidgets() {
  search_ = new QLineEdit(this);
  search_->setObjectName("searchEdit");
  search_->setPlaceholderText(tr("Search file names"));
  search_->setClearButtonEnabled(true);
  searchDelay_ = new QTimer(this);
  searchDelay_->setSingleShot(true);
  searchDelay_->setInterval(kSearchDelayMs);
  connect(search_, &QLineEdit::textChanged, this, [this] {
    if (!applying_) searchDelay_->start();
  });
  connect(searchDelay_, &QTimer::timeout, this, &FilterBar::userChanged);

  views_ = new QComboBox(this);
  views_->setObjectName("viewCombo");
  views_->setToolTip(tr("Saved views: named filters"));
  views_->addItem(tr("(no saved view)"));
  connect(views_, &QComboBox::activated, this, [this](int index) {
    if (index > 0) loadView(views_->itemText(index));
    removeView_->setEnabled(index > 0);
  });
  saveView_ = new QToolButton(this);
  saveView_->setObjectName("saveViewButton");
  saveView_->setText(tr("Save…"));
  saveView_->setToolTip(tr("Save the current filter as a named view"));
  connect(saveView_, &QToolButton::clicked, this, &FilterBar::askAndSaveView);
  removeView_ = new QToolButton(this);
  removeView_->setObjectName("removeViewButton");
  removeView_->setText(tr("Delete"));
  removeView_->setToolTip(tr("Delete the chosen saved view"));
  removeView_->setEnabled(false);
  connect(removeView_, &QToolButton::clicked, this, [this] {
    if (views_->currentIndex() > 0) removeViewAsking(views_->currentText());
  });

  tags_ = new QToolButton(this);
  tags_->setObjectName("tagFilter");
  tags_->setPopupMode(QToolButton::InstantPopup);
  tagMenu_ = new StayOpenMenu(tags_);
  tags_->setMenu(tagMenu_);
  tagMode_ = new QComboBox(this);
  tagMode_->setObjectName("tagMode");
  tagMode_->addItem(tr("any of"));
  tagMode_->addItem(tr("all of"));
  tagMode_->setToolTip(tr("Images with any of the chosen tags, or with all of them"));
  connect(tagMode_, &QComboBox::currentIndexChanged, this, [this] {
    if (!checkedTags().isEmpty()) userChanged();
  });

  // `clearExtra` forgets the view's terms for the same field: a value the user picks replaces them.
  auto combo = [this](const char* name, const QString& any, std::function<void()> clearExtra) {
    auto* box = new QComboBox(this);
    box->setObjectName(name);
    box->addItem(any);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(box, &QComboBox::currentIndexChanged, this, [this, clearExtra](int index) {
      if (applying_) return;
      if (index > 0 && clearExtra) {
        clearExtra();
        updateLabels();
      }
      userChanged();
    });
    return box;
  };
  class_ = combo("classFilter", tr("any class"), [this] {
    extra_.classes.clear();
    extra_.classGroups.clear();
  });
  status_ = combo("statusFilter", tr("any status"), [this] { extra_.statuses.clear(); });
  for (auto s : {ImageStatus::kUnlabeled, ImageStatus::kLabeled, ImageStatus::kReviewed})
    status_->addItem(QString::fromLatin1(toString(s)), static_cast<int>(s));
  source_ = combo("sourceFilter", tr("any box source"), [this] { extra_.sources.clear(); });
  for (auto s : {BoxSource::kManual, BoxSource::kAuto, BoxSource::kCorrected})
    source_->addItem(QString::fromLatin1(toString(s)), static_cast<int>(s));

  run_ = combo("runFilter", tr("no model run"), nullptr);
  run_->setToolTip(tr("The model run whose difficulty the list shows and filters on"));
  const char* names[3] = {"difficultyEasy", "difficultyMedium", "difficultyHard"};
  for (int level = 0; level < 3; ++level) {
    difficulty_[level] = new QCheckBox(QString::fromLatin1(toString(static_cast<Difficulty>(level))), this);
    difficulty_[level]->setObjectName(names[level]);
    difficulty_[level]->setIcon(difficultyIcon(level));
    difficulty_[level]->setEnabled(false);  // until a run is chosen
    connect(difficulty_[level], &QCheckBox::toggled, this, &FilterBar::userChanged);
  }
  connect(run_, &QComboBox::currentIndexChanged, this, [this](int index) {
    for (QCheckBox* box : difficulty_) box->setEnabled(index > 0);
  });
  extraLabel_ = new QLabel(this);
  extraLabel_->setObjectName("extraTerms");
  extraLabel_->setToolTip(tr("Terms of the saved view that the controls cannot show; they still filter"));
  extraLabel_->hide();
  auto* clear = new QToolButton(this);
  clear->setObjectName("clearFilter");
  clear->setText(tr("Clear"));
  clear->setToolTip(tr("Show every image"));
  connect(clear, &QToolButton::clicked, this, &FilterBar::clearFilter);

  auto row = [](std::initializer_list<QWidget*> widgets, bool stretch) {
    auto* layout = new QHBoxLayout;
    for (QWidget* w : widgets) layout->addWidget(w);
    if (stretch) layout->addStretch();
    return layout;
  };
  // Narrow enough (about 320 px) that the list beside the canvas leaves it most of the window:
  // the combo boxes shrink to a few characters (the open list shows the whole names), and the
  // controls take five short rows instead of three long ones.
  for (QComboBox* box : {views_, tagMode_, class_, status_, source_, run_}) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(6);
  }
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  auto* first = row({clear}, false);
  first->insertWidget(0, search_, 1);
  layout->addLayout(first);
  auto* second = row({saveView_, removeView_}, false);
  second->insertWidget(0, views_, 1);
  layout->addLayout(second);
  layout->addLayout(row({tags_, tagMode_, class_}, true));
  layout->addLayout(row({status_, source_, extraLabel_}, true));
  layout->addLayout(row({run_, difficulty_[0], difficulty_[1], difficulty_[2]}, true));
  updateLabels();
}

void FilterBar::setProject(Project* project) {
  project_ = project;
  apply(QString());  // a new project starts unfiltered
  applying_ = true;
  run_->setCurrentIndex(0);
  views_->setCurrentIndex(0);
  reloadLists();
  // A new project opens on its newest run, so the difficulty column shows something.
  run_->setCurrentIndex(run_->count() - 1);
  applying_ = false;
  updateLabels();
  emit filterChanged();
}

void FilterBar::reload() {
  const ImageQuery before = query();
  const std::optional<RunId> runBefore = run();
  applying_ = true;
  reloadLists();
  applying_ = false;
  updateLabels();
  if (!sameFilter(before, query()) || runBefore != run()) emit filterChanged();
}

void FilterBar::reloadLists() {
  const std::optional<RunId> runBefore = run();
  // A class name (a string) or a group (a one-name list): both are found again by their data.
  const QVariant classChoice = class_->currentData();
  reloadTags();
  class_->clear();
  class_->addItem(tr("any class"));
  run_->clear();
  run_->addItem(tr("no model run"));
  if (project_) {
    if (auto classes = project_->classes(); classes.ok()) {
      for (const auto& c : *classes) class_->addItem(qs(c.name), qs(c.name));
      // Then each class group (its item's data is a list, so no class name can pass for one).
      QStringList groups;
      for (const auto& c : *classes)
        if (!c.group.empty() && !groups.contains(qs(c.group))) groups << qs(c.group);
      for (const QString& g : groups) class_->addItem(tr("group: %1").arg(g), QStringList{g});
    } else {
      emit failed(qs(classes.status().message()));
    }
    if (auto runs = project_->runs(); runs.ok()) {
      for (const auto& r : *runs) run_->addItem(qs(r.name), QVariant::fromValue<qint64>(r.id));
    } else {
      emit failed(qs(runs.status().message()));
    }
  }
  class_->setCurrentIndex(classChoice.isValid() ? std::max(0, class_->findData(classChoice)) : 0);
  run_->setCurrentIndex(runBefore ? std::max(0, run_->findData(QVariant::fromValue<qint64>(*runBefore))) : 0);
  reloadViews(views_->currentIndex() > 0 ? views_->currentText() : QString());
}

bool FilterBar::setRun(const QString& name) {
  const int at = run_->findText(name);
  if (at <= 0) return false;
  if (at != run_->currentIndex()) run_->setCurrentIndex(at);
  return true;
}

void FilterBar::reloadTags() {
  const QStringList checked = checkedTags();
  tagMenu_->clear();
  if (!project_) return;
  auto tags = project_->tags();
  if (!tags.ok()) {
    emit failed(qs(tags.status().message()));
    return;
  }
  for (const auto& t : *tags) {
    QAction* action = tagMenu_->addAction(tr("%1  (%2)").arg(qs(t.name)).arg(t.imageCount));
    action->setData(qs(t.name));
    action->setCheckable(true);
    action->setChecked(checked.contains(qs(t.name)));
    connect(action, &QAction::toggled, this, [this] {
      if (applying_) return;
      updateLabels();
      userChanged();
    });
  }
  if (tags->empty()) tagMenu_->addAction(tr("(no tags yet)"))->setEnabled(false);
}

void FilterBar::reloadViews(const QString& select) {
  views_->clear();
  views_->addItem(tr("(no saved view)"));
  if (project_) {
    if (auto views = project_->views(); views.ok()) {
      for (const auto& [name, query] : *views) views_->addItem(qs(name), qs(query));
    } else {
      emit failed(qs(views.status().message()));
    }
  }
  views_->setCurrentIndex(select.isEmpty() ? 0 : std::max(0, views_->findText(select)));
  removeView_->setEnabled(views_->currentIndex() > 0);
}

ImageQuery FilterBar::query() const {
  ImageQuery q = extra_;
  for (const QString& tag : checkedTags()) (tagMode_->currentIndex() == 1 ? q.allTags : q.anyTags).push_back(ss(tag));
  q.scoreRun = run();
  if (q.scoreRun) {
    for (int level = 0; level < 3; ++level)
      if (difficulty_[level]->isChecked()) q.difficulties.push_back(static_cast<Difficulty>(level));
  }
  if (class_->currentIndex() > 0) {
    const QVariant data = class_->currentData();
    if (data.typeId() == QMetaType::QStringList) q.classGroups.push_back(ss(data.toStringList().value(0)));
    else q.classes.push_back(ss(data.toString()));
  }
  if (status_->currentIndex() > 0) q.statuses.push_back(static_cast<ImageStatus>(status_->currentData().toInt()));
  if (source_->currentIndex() > 0) q.sources.push_back(static_cast<BoxSource>(source_->currentData().toInt()));
  const QString search = search_->text().trimmed();
  if (!search.isEmpty()) q.nameContains = ss(search);
  return q;
}

std::optional<RunId> FilterBar::run() const {
  if (run_->currentIndex() <= 0) return std::nullopt;
  return run_->currentData().value<qint64>();
}

QString FilterBar::queryText() const { return qs(toQueryText(query(), run() ? ss(run_->currentText()) : std::string())); }

bool FilterBar::applyQueryText(const QString& text) {
  if (!apply(text)) return false;
  views_->setCurrentIndex(0);
  removeView_->setEnabled(false);
  emit filterChanged();
  return true;
}

bool FilterBar::apply(const QString& text) {
  ParsedQuery parsed;
  std::string error;
  if (!parseImageQuery(ss(text), &parsed, &error)) {
    emit failed(qs(error));
    return false;
  }
  const ImageQuery& q = parsed.query;
  applying_ = true;
  extra_ = {};
  extra_.noTags = q.noTags;
  // The menu shows one tag list (any before all); the other stays extra, and so does a list
  // naming a tag the menu lacks, whole, so that the view keeps its meaning.
  const bool useAll = q.anyTags.empty() && !q.allTags.empty();
  const std::vector<std::string>& shown = useAll ? q.allTags : q.anyTags;
  if (!useAll) extra_.allTags = q.allTags;
  tagMode_->setCurrentIndex(useAll ? 1 : 0);
  std::size_t found = 0;
  for (QAction* action : tagMenu_->actions()) {
    const bool on = action->isCheckable() && std::count(shown.begin(), shown.end(), ss(action->data().toString())) > 0;
    action->setChecked(on);
    found += on ? 1 : 0;
  }
  if (found != shown.size()) {
    for (QAction* action : tagMenu_->actions()) action->setChecked(false);
    (useAll ? extra_.allTags : extra_.anyTags) = shown;
  }
  for (int level = 0; level < 3; ++level) {
    const auto d = static_cast<Difficulty>(level);
    difficulty_[level]->setChecked(std::count(q.difficulties.begin(), q.difficulties.end(), d) > 0);
  }
  if (!parsed.runName.empty()) {
    const int at = run_->findText(qs(parsed.runName));
    if (at > 0) run_->setCurrentIndex(at);
    else emit failed(tr("The model run '%1' no longer exists").arg(qs(parsed.runName)));
  }
  // One group and no class shows in the class menu; anything else stays an extra term.
  const int groupAt =
      q.classes.empty() && q.classGroups.size() == 1 ? class_->findData(QStringList{qs(q.classGroups[0])}) : -1;
  if (groupAt > 0) {
    class_->setCurrentIndex(groupAt);
  } else {
    selectOne(class_, q.classes, [](const std::string& c) { return qs(c); }, &extra_.classes);
    extra_.classGroups = q.classGroups;
  }
  selectOne(status_, q.statuses, [](ImageStatus s) { return static_cast<int>(s); }, &extra_.statuses);
  selectOne(source_, q.sources, [](BoxSource s) { return static_cast<int>(s); }, &extra_.sources);
  search_->setText(qs(q.nameContains));
  searchDelay_->stop();
  applying_ = false;
  updateLabels();
  return true;
}

bool FilterBar::saveView(const QString& name) {
  if (!project_) return false;
  const QString text = queryText();
  // Names with spaces or commas cannot be written in the query syntax; refuse rather than
  // save a view that would filter differently when loaded.
  ParsedQuery parsed;
  std::string error;
  if (!parseImageQuery(ss(text), &parsed, &error) || !sameFilter(parsed.query, query())) {
    emit failed(tr("This filter cannot be saved as a view: a search, tag or class with spaces or commas "
                   "does not fit the query syntax"));
    return false;
  }
  if (Status st = project_->saveView(ss(name.trimmed()), ss(text)); !st.ok()) {
    emit failed(qs(st.message()));
    return false;
  }
  reloadViews(name.trimmed());
  return true;
}

bool FilterBar::loadView(const QString& name) {
  if (!project_) return false;
  auto views = project_->views();
  if (!views.ok()) {
    emit failed(qs(views.status().message()));
    return false;
  }
  for (const auto& [viewName, query] : *views) {
    if (qs(viewName) != name) continue;
    if (!apply(qs(query))) return false;
    // The view stays chosen in the combo until the user changes a filter.
    views_->setCurrentIndex(std::max(0, views_->findText(name)));
    removeView_->setEnabled(views_->currentIndex() > 0);
    emit filterChanged();
    return true;
  }
  emit failed(tr("There is no saved view named '%1'").arg(name));
  return false;
}

bool FilterBar::removeView(const QString& name) {
  if (!project_) return false;
  if (Status st = project_->removeView(ss(name)); !st.ok()) {
    emit failed(qs(st.message()));
    return false;
  }
  reloadViews(QString());
  return true;
}

void FilterBar::clearFilter() {
  applyQueryText(QString());
}

void FilterBar::userChanged() {
  if (applying_) return;
  views_->setCurrentIndex(0);
  removeView_->setEnabled(false);
  emit filterChanged();
}

void FilterBar::updateLabels() {
  const QStringList tags = checkedTags();
  tags_->setText(tags.isEmpty() ? tr("Tags") : tr("Tags: %1").arg(tags.join(", ")));
  const QString extra = qs(toQueryText(extra_, std::string()));
  extraLabel_->setText("+ " + extra);
  extraLabel_->setVisible(!extra.isEmpty());
}

void FilterBar::askAndSaveView() {
  bool ok = false;
  const QString current = views_->currentIndex() > 0 ? views_->currentText() : QString();
  const QString name = QInputDialog::getText(this, tr("Save view"), tr("Name of the view:"), QLineEdit::Normal, current, &ok);
  if (ok && !name.trimmed().isEmpty()) saveViewAsking(name);
}

bool FilterBar::ask(const QString& title, const QString& question) {
  return confirm_ ? confirm_(question) : QMessageBox::question(this, title, question) == QMessageBox::Yes;
}

bool FilterBar::saveViewAsking(const QString& name) {
  if (!project_) return false;
  const QString trimmed = name.trimmed();
  auto views = project_->views();
  if (!views.ok()) {
    emit failed(qs(views.status().message()));
    return false;
  }
  for (const auto& [viewName, query] : *views)
    if (qs(viewName) == trimmed &&
        !ask(tr("Replace view"), tr("A view named \"%1\" exists (%2). Replace it with the current filter (%3)?")
                                     .arg(trimmed, qs(query), queryText())))
      return false;
  return saveView(trimmed);
}

bool FilterBar::removeViewAsking(const QString& name) {
  if (!ask(tr("Delete view"), tr("Delete the saved view \"%1\"? The images and their tags stay as they are.").arg(name)))
    return false;
  return removeView(name);
}

QStringList FilterBar::checkedTags() const {
  QStringList out;
  for (QAction* action : tagMenu_->actions())
    if (action->isCheckable() && action->isChecked()) out << action->data().toString();
  return out;
}

}  // namespace quarry::gui
