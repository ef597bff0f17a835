// The snapshots dialog: a table of the project's snapshots and what a user does with them.
#include "gui/snapshots_dialog.h"

#include <QApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>
#include <atomic>

#include "gui/qt_convert.h"
#include "quarry/store/snapshots.h"

namespace quarry::gui {
namespace {

QString diffText(const SnapshotDiff& d) {
  if (d.empty()) return QObject::tr("No differences between %1 and %2.").arg(qs(d.from), qs(d.to));
  QStringList lines;
  lines << QObject::tr("From %1 to %2:").arg(qs(d.from), qs(d.to));
  if (d.imagesAdded || d.imagesRemoved)
    lines << QObject::tr("images: %1 added, %2 removed").arg(d.imagesAdded).arg(d.imagesRemoved);
  if (d.statusChanged) lines << QObject::tr("status changed on %1 images").arg(d.statusChanged);
  if (!d.classes.empty()) {
    const ClassChange t = d.totalBoxes();
    lines << QObject::tr("boxes: %1 added, %2 removed, %3 changed, on %4 images")
                 .arg(t.added)
                 .arg(t.removed)
                 .arg(t.changed)
                 .arg(d.imagesWithBoxChanges);
    for (const auto& [name, c] : d.classes)
      lines << QString("    %1: +%2 -%3 ~%4").arg(qs(name)).arg(c.added).arg(c.removed).arg(c.changed);
  }
  for (const auto& [name, t] : d.tags) lines << QObject::tr("tag %1: +%2 -%3 images").arg(qs(name)).arg(t.added).arg(t.removed);
  return lines.join('\n');
}

}  // namespace

SnapshotsDialog::SnapshotsDialog(const QString& projectDir, QWidget* parent) : QDialog(parent), dir_(projectDir) {
  setWindowTitle(tr("Snapshots"));
  auto* intro = new QLabel(tr("A snapshot is a copy of every box, tag, class and run of the project at one moment. "
                              "Restoring one saves the current state as a snapshot first, so nothing is lost."));
  intro->setWordWrap(true);
  table_ = new QTableWidget(0, 6);
  table_->setObjectName("snapshotsTable");
  table_->setHorizontalHeaderLabels({tr("Name"), tr("Made"), tr("Size"), tr("Images"), tr("Boxes"), tr("Note")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(5, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  message_ = new QLabel;
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* make = new QPushButton(tr("Create..."));
  auto* compare = new QPushButton(tr("Compare with current"));
  auto* restoreButton = new QPushButton(tr("Restore..."));
  auto* into = new QPushButton(tr("Restore into new folder..."));
  auto* remove = new QPushButton(tr("Delete"));
  auto* close = new QPushButton(tr("Close"));
  connect(make, &QPushButton::clicked, this, [this] {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New snapshot"), tr("Name (empty: the time):"),
                                               QLineEdit::Normal, {}, &ok);
    if (!ok) return;
    const QString note = QInputDialog::getText(this, tr("New snapshot"), tr("Note (optional):"), QLineEdit::Normal, {}, &ok);
    if (ok) createSnapshot(name, note);
  });
  connect(compare, &QPushButton::clicked, this, [this] {
    if (const QString name = selected(); !name.isEmpty()) compareWithCurrent(name);
  });
  connect(restoreButton, &QPushButton::clicked, this, [this] {
    if (const QString name = selected(); !name.isEmpty()) restore(name);
  });
  connect(into, &QPushButton::clicked, this, [this] {
    const QString name = selected();
    if (name.isEmpty()) return;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("An empty folder for the new project"));
    if (!folder.isEmpty()) restoreInto(name, folder);
  });
  connect(remove, &QPushButton::clicked, this, [this] {
    const QString name = selected();
    if (!name.isEmpty() && ask(tr("Delete snapshot %1? Its file is removed.").arg(name))) deleteSnapshot(name);
  });
  connect(close, &QPushButton::clicked, this, &QDialog::accept);
  auto* buttons = new QHBoxLayout;
  for (QPushButton* b : {make, compare, restoreButton, into, remove}) buttons->addWidget(b);
  buttons->addStretch();
  buttons->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(table_, 1);
  layout->addWidget(message_);
  layout->addLayout(buttons);
  resize(820, 420);
  reload();
}

QString SnapshotsDialog::message() const { return message_->text(); }

void SnapshotsDialog::reload() {
  const QString keep = selected();
  table_->setRowCount(0);
  auto all = listSnapshots(ss(dir_));
  if (!all.ok()) {
    (void)report(all.status(), {});
    return;
  }
  const QLocale locale;
  for (const SnapshotInfo& s : *all) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    const QStringList cells = {qs(s.name),
                               QDateTime::fromMSecsSinceEpoch(s.createdAt).toString("yyyy-MM-dd HH:mm:ss"),
                               locale.formattedDataSize(static_cast<qint64>(s.bytes)),
                               QString::number(s.images),
                               QString::number(s.boxes),
                               qs(s.note)};
    for (int c = 0; c < cells.size(); ++c) table_->setItem(row, c, new QTableWidgetItem(cells[c]));
    if (qs(s.name) == keep) table_->selectRow(row);
  }
}

QString SnapshotsDialog::selected() const {
  const auto rows = table_->selectionModel() ? table_->selectionModel()->selectedRows() : QModelIndexList{};
  if (rows.isEmpty()) return {};
  return table_->item(rows.first().row(), 0)->text();
}

bool SnapshotsDialog::report(const Status& st, const QString& done) {
  message_->setText(st.ok() ? done : qs(st.message()));
  message_->setStyleSheet(st.ok() ? QString() : QString("color: #b00020"));
  return st.ok();
}

bool SnapshotsDialog::ask(const QString& question) {
  return confirm_ ? confirm_(question) : QMessageBox::question(this, windowTitle(), question) == QMessageBox::Yes;
}

Status SnapshotsDialog::runWithProgress(const QString& title, const std::function<Status(const ProgressFn&)>& job) {
  QProgressDialog progress(title, tr("Cancel"), 0, 0, this);
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(300);  // a small project's snapshot does not flash a dialog
  std::atomic<bool> cancelled{false};
  std::atomic<int> permille{0};
  connect(&progress, &QProgressDialog::canceled, this, [&] { cancelled = true; });
  const ProgressFn fn = [&](std::size_t done, std::size_t total, std::string_view) {
    if (total > 0) permille = static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total));
    return !cancelled.load();
  };
  QFutureWatcher<Status> watcher;
  QEventLoop loop;
  connect(&watcher, &QFutureWatcher<Status>::finished, &loop, &QEventLoop::quit);
  QTimer tick;
  connect(&tick, &QTimer::timeout, this, [&] {
    progress.setMaximum(1000);
    progress.setValue(permille.load());
  });
  tick.start(100);
  watcher.setFuture(QtConcurrent::run([&job, &fn] { return job(fn); }));
  if (!watcher.isFinished()) loop.exec();
  return watcher.result();
}

bool SnapshotsDialog::createSnapshot(const QString& name, const QString& note) {
  SnapshotInfo made;
  const Status st = runWithProgress(tr("Making a snapshot..."), [&](const ProgressFn& fn) -> Status {
    auto r = quarry::createSnapshot(ss(dir_), ss(name.trimmed()), ss(note), fn);
    if (!r.ok()) return r.status();
    made = *r;
    return Status::Ok();
  });
  reload();
  return report(st, tr("Snapshot %1 made: %2 images, %3 boxes.").arg(qs(made.name)).arg(made.images).arg(made.boxes));
}

QString SnapshotsDialog::compareWithCurrent(const QString& name) {
  auto d = diffSnapshots(ss(dir_), ss(name), kCurrentState);
  if (!d.ok()) {
    (void)report(d.status(), {});
    return {};
  }
  const QString text = diffText(*d);
  (void)report(Status::Ok(), text);
  return text;
}

bool SnapshotsDialog::restore(const QString& name) {
  auto d = diffSnapshots(ss(dir_), kCurrentState, ss(name));
  if (!d.ok()) return report(d.status(), {});
  const ClassChange t = d->totalBoxes();
  const QString question =
      tr("Restore snapshot %1? It changes the boxes of %2 images (%3 come back, %4 go, %5 change) and the status "
         "of %6. The current state is saved as a snapshot first.")
          .arg(name)
          .arg(d->imagesWithBoxChanges)
          .arg(t.added)
          .arg(t.removed)
          .arg(t.changed)
          .arg(d->statusChanged);
  if (!ask(question)) return false;
  SnapshotInfo safety;
  const Status st = runWithProgress(tr("Restoring %1...").arg(name), [&](const ProgressFn& fn) -> Status {
    auto r = restoreSnapshot(ss(dir_), ss(name), fn);
    if (!r.ok()) return r.status();
    safety = *r;
    return Status::Ok();
  });
  reload();
  if (!report(st, tr("Restored %1. The state before it is snapshot %2.").arg(name, qs(safety.name)))) return false;
  emit restored(qs(safety.name));
  return true;
}

bool SnapshotsDialog::restoreInto(const QString& name, const QString& folder) {
  const Status st = runWithProgress(tr("Making a project from %1...").arg(name), [&](const ProgressFn&) {
    return restoreSnapshotInto(ss(dir_), ss(name), ss(folder));
  });
  return report(st, tr("Snapshot %1 is now the project in %2 (Project > Open to work on it).").arg(name, folder));
}

bool SnapshotsDialog::deleteSnapshot(const QString& name) {
  const Status st = quarry::deleteSnapshot(ss(dir_), ss(name));
  reload();
  return report(st, tr("Deleted snapshot %1.").arg(name));
}

}  // namespace quarry::gui
