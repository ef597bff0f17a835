// The image roots dialog: a table of roots and the three changes a user makes to them.
#include "gui/roots_dialog.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "gui/qt_convert.h"

namespace quarry::gui {

RootsDialog::RootsDialog(Project* project, QWidget* parent) : QDialog(parent), project_(project) {
  setWindowTitle(tr("Image roots"));
  auto* intro = new QLabel(tr("Images outside the project folder are stored relative to a named root ($NAME/...). "
                              "When a folder moves or is mounted elsewhere, change its root once. "
                              "\"On this machine\" is kept for you only (%1) and wins here.")
                               .arg(qs(localRootsFile().string())));
  intro->setWordWrap(true);
  table_ = new QTableWidget(0, 5);
  table_->setObjectName("rootsTable");
  table_->setHorizontalHeaderLabels({tr("Root"), tr("Images"), tr("Location"), tr("On this machine"), tr("Found here")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  message_ = new QLabel;
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* move = new QPushButton(tr("Move root..."));
  move->setToolTip(tr("The folder moved (for every machine): every image under the root follows"));
  auto* here = new QPushButton(tr("On this machine..."));
  here->setToolTip(tr("This machine mounts the folder elsewhere: only you, only here"));
  auto* reset = new QPushButton(tr("Use the default here"));
  auto* add = new QPushButton(tr("New root..."));
  add->setToolTip(tr("A root over a folder: images stored there by absolute path are stored relative to it"));
  auto* close = new QPushButton(tr("Close"));
  const auto pickFolder = [this](const QString& title) { return QFileDialog::getExistingDirectory(this, title); };
  connect(move, &QPushButton::clicked, this, [this, pickFolder] {
    const QString name = selectedRoot();
    if (name.isEmpty()) return;
    const QString folder = pickFolder(tr("Where $%1 is now").arg(name));
    if (!folder.isEmpty()) moveRoot(name, folder);
  });
  connect(here, &QPushButton::clicked, this, [this, pickFolder] {
    const QString name = selectedRoot();
    if (name.isEmpty()) return;
    const QString folder = pickFolder(tr("Where $%1 is on this machine").arg(name));
    if (!folder.isEmpty()) setHere(name, folder);
  });
  connect(reset, &QPushButton::clicked, this, [this] {
    if (const QString name = selectedRoot(); !name.isEmpty()) setHere(name, {});
  });
  connect(add, &QPushButton::clicked, this, [this, pickFolder] {
    const QString folder = pickFolder(tr("Folder of the new root"));
    if (folder.isEmpty()) return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New root"), tr("Name (used as $NAME in image paths)"),
                                               QLineEdit::Normal, QFileInfo(folder).fileName(), &ok);
    if (ok && !name.trimmed().isEmpty()) moveRoot(name.trimmed(), folder);
  });
  connect(close, &QPushButton::clicked, this, &QDialog::accept);
  auto* buttons = new QHBoxLayout;
  for (auto* b : {move, here, reset, add}) buttons->addWidget(b);
  buttons->addStretch();
  buttons->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(table_, 1);
  layout->addWidget(message_);
  layout->addLayout(buttons);
  resize(820, 360);
  reload();
}

QString RootsDialog::message() const { return message_->text(); }

QString RootsDialog::selectedRoot() const {
  const int row = table_->currentRow();
  if (row < 0) {
    message_->setText(tr("Choose a root in the table first."));
    return {};
  }
  return table_->item(row, 0)->data(Qt::UserRole).toString();
}

void RootsDialog::reload() {
  table_->setRowCount(0);
  if (!project_) return;
  auto roots = project_->imageRoots();
  if (!roots.ok()) {
    message_->setText(describe(roots.status()));
    return;
  }
  for (const ImageRoot& r : *roots) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    auto* name = new QTableWidgetItem("$" + qs(r.name));
    name->setData(Qt::UserRole, qs(r.name));
    table_->setItem(row, 0, name);
    table_->setItem(row, 1, new QTableWidgetItem(QString::number(r.images)));
    table_->setItem(row, 2, new QTableWidgetItem(qs(r.location.string())));
    table_->setItem(row, 3, new QTableWidgetItem(r.localLocation.empty() ? tr("(the location)") : qs(r.localLocation.string())));
    const bool found = QFileInfo(qs(r.effective().string())).isDir();
    table_->setItem(row, 4, new QTableWidgetItem(found ? tr("yes") : tr("NOT FOUND")));
  }
  if (roots->empty())
    message_->setText(tr("No roots yet: importing a folder outside the project makes one."));
}

bool RootsDialog::report(const Status& st, const QString& done) {
  message_->setText(st.ok() ? done : describe(st));
  reload();
  if (st.ok()) emit rootsChanged();
  return st.ok();
}

bool RootsDialog::moveRoot(const QString& name, const QString& folder) {
  if (!project_) return false;
  auto converted = project_->setImageRoot(ss(name), ss(folder));
  return report(converted.status(),
                converted.ok() ? tr("$%1 is %2 now (%n image(s) stored by absolute path there follow it).", nullptr,
                                    static_cast<int>(*converted))
                                     .arg(name, folder)
                               : QString());
}

bool RootsDialog::setHere(const QString& name, const QString& folder) {
  if (!project_) return false;
  const Status st = project_->setLocalImageRoot(ss(name), ss(folder));
  return report(st, folder.isEmpty() ? tr("$%1 is at its default location on this machine.").arg(name)
                                     : tr("$%1 is %2 on this machine.").arg(name, folder));
}

}  // namespace quarry::gui
