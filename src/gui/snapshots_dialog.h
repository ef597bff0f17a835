// SnapshotsDialog (Project > Snapshots): the project's snapshots with date, size, images, boxes
// and note; make one, compare one with the current state, restore one (after a confirmation;
// the current state is saved as a snapshot first) or restore it into a new project folder, and
// delete one. Making and restoring run on a worker thread behind a progress dialog with Cancel.
//
// GUI thread only. The store functions use connections of their own; after a restore the
// window reopens the project (restored()), which also clears undo histories that name boxes
// the restore took away.
#pragma once

#include <QDialog>
#include <functional>

#include "quarry/core/progress.h"
#include "quarry/core/status.h"

class QLabel;
class QTableWidget;

namespace quarry::gui {

class SnapshotsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SnapshotsDialog(const QString& projectDir, QWidget* parent = nullptr);

  // What the buttons do once they have their answers (tests call these directly).
  bool createSnapshot(const QString& name, const QString& note);
  QString compareWithCurrent(const QString& name);  // the diff as text; empty on an error
  bool restore(const QString& name);                 // asks `confirm` first
  bool restoreInto(const QString& name, const QString& folder);
  bool deleteSnapshot(const QString& name);

  void setConfirm(std::function<bool(const QString&)> confirm) { confirm_ = std::move(confirm); }
  QTableWidget* table() const { return table_; }
  QString message() const;

 signals:
  void restored(const QString& safetySnapshot);

 private:
  void reload();
  QString selected() const;
  bool report(const Status& st, const QString& done);
  // Runs `job` on a worker thread with a progress dialog (Cancel stops it) and waits for it.
  Status runWithProgress(const QString& title, const std::function<Status(const ProgressFn&)>& job);
  bool ask(const QString& question);

  QString dir_;
  QTableWidget* table_;
  QLabel* message_;
  std::function<bool(const QString&)> confirm_;
};

}  // namespace quarry::gui
