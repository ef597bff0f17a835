#include "gui/class_panel.h"

#include <QColorDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QHash>
#include <QTreeWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/qt_convert.h"

namespace quarry::gui {
namespace {

constexpr int kGroupRole = Qt::UserRole + 1;  // a group row's group name

QToolButton* button(const QString& text, const QString& tip, const QString& name, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setObjectName(name);
  return b;
}

}  // namespace

ClassPanel::ClassPanel(QWidget* parent) : QWidget(parent), list_(new QTreeWidget(this)), message_(new QLabel(this)) {
  list_->setObjectName("classList");
  list_->setHeaderHidden(true);
  list_->setRootIsDecorated(false);  // until a class has a group
  list_->setIndentation(12);
  message_->setObjectName("classMessage");
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #c62828");
  message_->hide();
  auto* add = button("+", tr("Add a class"), "addClass", this);
  auto* rename = button(tr("Rename"), tr("Rename the class"), "renameClass", this);
  auto* color = button(tr("Colour"), tr("Change the class colour"), "recolorClass", this);
  auto* up = button("▲", tr("Move up in the export order"), "moveClassUp", this);
  auto* down = button("▼", tr("Move down in the export order"), "moveClassDown", this);
  auto* group = button(tr("Group"), tr("Put the class in a group (collapsible here, group:NAME in filters)"), "groupClass", this);
  auto* buttons = new QHBoxLayout;
  for (auto* b : {add, rename, color, group, up, down}) buttons->addWidget(b);
  buttons->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(list_);
  layout->addLayout(buttons);
  layout->addWidget(message_);
  connect(add, &QToolButton::clicked, this, &ClassPanel::askAdd);
  connect(rename, &QToolButton::clicked, this, &ClassPanel::askRename);
  connect(color, &QToolButton::clicked, this, &ClassPanel::askColor);
  connect(up, &QToolButton::clicked, this, [this] { moveCurrent(-1); });
  connect(down, &QToolButton::clicked, this, [this] { moveCurrent(+1); });
  connect(group, &QToolButton::clicked, this, &ClassPanel::askGroup);
  connect(list_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem*) {
    if (ClassId id = currentClass()) emit classPicked(id);
  });
  // A group folded stays folded when the panel is read again (a class added, renamed...).
  connect(list_, &QTreeWidget::itemCollapsed, this,
          [this](QTreeWidgetItem* item) { collapsed_.insert(item->data(0, kGroupRole).toString()); });
  connect(list_, &QTreeWidget::itemExpanded, this,
          [this](QTreeWidgetItem* item) { collapsed_.remove(item->data(0, kGroupRole).toString()); });
}

void ClassPanel::setProject(Project* project) {
  project_ = project;
  reload();
}

void ClassPanel::reload() {
  const ClassId keep = currentClass();
  classes_.clear();
  if (project_) {
    auto c = project_->classes();
    if (!check(c.status())) return;
    classes_ = *c;
  }
  list_->clear();
  items_.clear();
  // Classes in the frozen order; a class with a group goes under its group's row, which stands
  // where the group's first class would (groups never change the order, only the view).
  QHash<QString, QTreeWidgetItem*> groups;
  bool grouped = false;
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    QPixmap swatch(14, 14);
    swatch.fill(colorOf(classes_[i]));
    const QString key = i < 9 ? QString::number(i + 1) : QString(" ");
    QTreeWidgetItem* parent = nullptr;
    if (const QString g = qs(classes_[i].group); !g.isEmpty()) {
      grouped = true;
      parent = groups.value(g);
      if (!parent) {
        parent = new QTreeWidgetItem(list_, QStringList{g});
        parent->setFlags(Qt::ItemIsEnabled);  // a heading, not a class to pick
        parent->setData(0, kGroupRole, g);
        QFont bold = parent->font(0);
        bold.setBold(true);
        parent->setFont(0, bold);
        groups.insert(g, parent);
      }
    }
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(list_);
    item->setIcon(0, QIcon(swatch));
    item->setText(0, key + "  " + qs(classes_[i].name));
    item->setData(0, Qt::UserRole, QVariant::fromValue<qint64>(classes_[i].id));
    items_.push_back(item);
  }
  list_->setRootIsDecorated(grouped);
  for (auto it = groups.begin(); it != groups.end(); ++it) {
    it.value()->setText(0, QString("%1 (%2)").arg(it.key()).arg(it.value()->childCount()));
    it.value()->setExpanded(!collapsed_.contains(it.key()));
  }
  // The class that was current stays current, inside a folded group too: without auto-scroll,
  // since scrolling to it would unfold its group.
  list_->setAutoScroll(false);
  bool kept = false;
  for (std::size_t i = 0; i < classes_.size() && !kept; ++i)
    if (classes_[i].id == keep) {
      list_->setCurrentItem(items_[i]);
      kept = true;
    }
  if (!kept && !items_.empty()) list_->setCurrentItem(items_.front());
  list_->setAutoScroll(true);
}

int ClassPanel::currentPosition() const {
  auto* item = list_->currentItem();
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (items_[i] == item) return static_cast<int>(i);
  return -1;
}

ClassId ClassPanel::currentClass() const {
  const int at = currentPosition();
  return at < 0 ? 0 : classes_[static_cast<std::size_t>(at)].id;
}

bool ClassPanel::setCurrentClass(ClassId id) {
  for (std::size_t i = 0; i < classes_.size(); ++i)
    if (classes_[i].id == id) {
      if (QTreeWidgetItem* parent = items_[i]->parent()) parent->setExpanded(true);
      list_->setCurrentItem(items_[i]);
      return true;
    }
  return false;
}

bool ClassPanel::pick(int index) {
  if (index < 0 || index >= static_cast<int>(items_.size())) return false;
  setCurrentClass(classes_[static_cast<std::size_t>(index)].id);
  emit classPicked(currentClass());
  return true;
}

bool ClassPanel::setGroupOfCurrent(const QString& group) {
  if (!project_ || !currentClass()) return false;
  if (!check(project_->setClassGroup(currentClass(), ss(group.trimmed())))) return false;
  clearMessage();
  reload();
  emit classesChanged();
  return true;
}

QStringList ClassPanel::groups() const {
  QStringList out;
  for (int i = 0; i < list_->topLevelItemCount(); ++i)
    if (QTreeWidgetItem* top = list_->topLevelItem(i); top->childCount() > 0) out << top->text(0);
  return out;
}

void ClassPanel::askGroup() {
  const int at = currentPosition();
  if (at < 0) return;
  bool ok = false;
  const QString old = qs(classes_[static_cast<std::size_t>(at)].group);
  const QString group = QInputDialog::getText(this, tr("Class group"), tr("Group of \"%1\" (empty: none):")
                                              .arg(qs(classes_[static_cast<std::size_t>(at)].name)),
                                              QLineEdit::Normal, old, &ok);
  if (ok && group.trimmed() != old) setGroupOfCurrent(group);
}

bool ClassPanel::check(const Status& st) {
  if (st.ok()) return true;
  message_->setText(describe(st));
  message_->show();
  emit failed(describe(st));
  return false;
}

void ClassPanel::clearMessage() {
  message_->clear();
  message_->hide();
}

QString ClassPanel::message() const { return message_->isHidden() ? QString() : message_->text(); }

bool ClassPanel::addClass(const QString& name) {
  if (!project_) return false;
  auto id = project_->addClass(ss(name.trimmed()));
  if (!check(id.status())) return false;
  clearMessage();
  reload();
  setCurrentClass(*id);
  emit classesChanged();
  return true;
}

bool ClassPanel::renameCurrent(const QString& name) {
  if (!project_ || !currentClass()) return false;
  if (!check(project_->renameClass(currentClass(), ss(name.trimmed())))) return false;
  clearMessage();
  reload();
  emit classesChanged();
  return true;
}

bool ClassPanel::recolorCurrent(const QColor& color) {
  if (!project_ || !currentClass() || !color.isValid()) return false;
  if (!check(project_->setClassColor(currentClass(), ss(color.name())))) return false;
  reload();
  emit classesChanged();
  return true;
}

bool ClassPanel::moveCurrent(int delta) {
  const int row = currentPosition();
  if (!project_ || row < 0) return false;
  const int target = row + delta;
  if (target < 0 || target >= static_cast<int>(classes_.size())) return false;
  const QString name = qs(classes_[static_cast<std::size_t>(row)].name);
  QStringList trained;
  if (auto runs = project_->runs(); runs.ok())
    for (const ModelRun& r : *runs) trained << qs(r.name);
  QString question = tr("Move \"%1\" from position %2 to %3 of the class order? This changes the order every "
                        "export writes (YOLO class indexes, COCO category ids) and which digit key picks which class.")
                         .arg(name)
                         .arg(row + 1)
                         .arg(target + 1);
  if (!trained.isEmpty())
    question += tr(" The %n model run(s) trained on the current order (%1) will no longer load.", nullptr,
                   static_cast<int>(trained.size()))
                    .arg(trained.join(", "));
  const bool yes = confirm_ ? confirm_(question)
                            : QMessageBox::question(this, tr("Reorder classes"), question) == QMessageBox::Yes;
  if (!yes) return false;
  if (!check(project_->moveClass(currentClass(), target))) return false;
  clearMessage();
  reload();
  emit classesChanged();
  return true;
}

void ClassPanel::askAdd() {
  bool ok = false;
  const QString name = QInputDialog::getText(this, tr("Add class"), tr("Name:"), QLineEdit::Normal, {}, &ok);
  if (ok && !name.trimmed().isEmpty()) addClass(name);
}

void ClassPanel::askRename() {
  if (!currentClass()) return;
  bool ok = false;
  const QString old = qs(classes_[static_cast<std::size_t>(currentPosition())].name);
  const QString name = QInputDialog::getText(this, tr("Rename class"), tr("Name:"), QLineEdit::Normal, old, &ok);
  if (ok && !name.trimmed().isEmpty() && name != old) renameCurrent(name);
}

void ClassPanel::askColor() {
  if (!currentClass()) return;
  const QColor start = colorOf(classes_[static_cast<std::size_t>(currentPosition())]);
  const QColor color = QColorDialog::getColor(start, this, tr("Class colour"));
  if (color.isValid()) recolorCurrent(color);
}

}  // namespace quarry::gui
