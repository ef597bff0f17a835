#include "gui/class_panel.h"

#include <QColorDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/qt_convert.h"

namespace quarry::gui {
namespace {

QToolButton* button(const QString& text, const QString& tip, const QString& name, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setObjectName(name);
  return b;
}

}  // namespace

ClassPanel::ClassPanel(QWidget* parent) : QWidget(parent), list_(new QListWidget(this)), message_(new QLabel(this)) {
  list_->setObjectName("classList");
  message_->setObjectName("classMessage");
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #c62828");
  message_->hide();
  auto* add = button("+", tr("Add a class"), "addClass", this);
  auto* rename = button(tr("Rename"), tr("Rename the class"), "renameClass", this);
  auto* color = button(tr("Colour"), tr("Change the class colour"), "recolorClass", this);
  auto* up = button("▲", tr("Move up in the export order"), "moveClassUp", this);
  auto* down = button("▼", tr("Move down in the export order"), "moveClassDown", this);
  auto* buttons = new QHBoxLayout;
  for (auto* b : {add, rename, color, up, down}) buttons->addWidget(b);
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
  connect(list_, &QListWidget::itemClicked, this, [this](QListWidgetItem*) {
    if (ClassId id = currentClass()) emit classPicked(id);
  });
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
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    QPixmap swatch(14, 14);
    swatch.fill(colorOf(classes_[i]));
    const QString key = i < 9 ? QString::number(i + 1) : QString(" ");
    auto* item = new QListWidgetItem(QIcon(swatch), key + "  " + qs(classes_[i].name), list_);
    item->setData(Qt::UserRole, QVariant::fromValue<qint64>(classes_[i].id));
    if (classes_[i].id == keep) list_->setCurrentItem(item);
  }
  if (!list_->currentItem() && list_->count()) list_->setCurrentRow(0);
}

ClassId ClassPanel::currentClass() const {
  auto* item = list_->currentItem();
  return item ? item->data(Qt::UserRole).toLongLong() : 0;
}

bool ClassPanel::setCurrentClass(ClassId id) {
  for (int row = 0; row < list_->count(); ++row)
    if (list_->item(row)->data(Qt::UserRole).toLongLong() == id) {
      list_->setCurrentRow(row);
      return true;
    }
  return false;
}

bool ClassPanel::pick(int index) {
  if (index < 0 || index >= list_->count()) return false;
  list_->setCurrentRow(index);
  emit classPicked(currentClass());
  return true;
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
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->data(Qt::UserRole).toLongLong() == *id) list_->setCurrentRow(i);
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
  const int row = list_->currentRow();
  if (!project_ || row < 0) return false;
  const int target = row + delta;
  if (target < 0 || target >= list_->count()) return false;
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
  const QString old = qs(classes_[static_cast<std::size_t>(list_->currentRow())].name);
  const QString name = QInputDialog::getText(this, tr("Rename class"), tr("Name:"), QLineEdit::Normal, old, &ok);
  if (ok && !name.trimmed().isEmpty() && name != old) renameCurrent(name);
}

void ClassPanel::askColor() {
  if (!currentClass()) return;
  const QColor start = colorOf(classes_[static_cast<std::size_t>(list_->currentRow())]);
  const QColor color = QColorDialog::getColor(start, this, tr("Class colour"));
  if (color.isValid()) recolorCurrent(color);
}

}  // namespace quarry::gui
