// ImageListModel: the image list as a virtual table over the store. Rows are fetched a page
// at a time (Project::listImages) and cached; nothing holds all rows, so 100,000 images open
// and scroll like 100. Sorting and filtering run in SQLite. GUI thread only (it uses the GUI
// thread's Project connection); thumbnails load on a worker pool. An image whose file was moved
// or deleted after import shows "missing" as its status (in red), so nobody edits it blind.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QImage>
#include <QSet>
#include <QVector>

#include "quarry/store/image_list.h"
#include "quarry/store/project.h"

namespace quarry::gui {

class ThumbnailLoader;

class ImageListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kName = 0, kStatus, kBoxes, kTags, kDifficulty, kColumnCount };
  enum Role {
    kImageIdRole = Qt::UserRole + 1,  // qint64
    kDifficultyRole,                  // int 0/1/2, or invalid QVariant when unscored
    kPathRole,                        // QString, the stored path
    kMissingRole,                     // bool: the file is not on disk (checked when its page loads)
  };

  // `project` must outlive the model.
  explicit ImageListModel(Project* project, QObject* parent = nullptr);
  ~ImageListModel() override;

  // New filter, sort or difficulty run: counts again and drops the cache (a model reset).
  void setRequest(const ImageListRequest& request);
  const ImageListRequest& request() const { return request_; }
  // Re-reads after the store changed (an edit, a tag): keeps the row count when it can
  // and only drops the cache, so views keep their scroll position.
  void refresh();

  ImageId imageAt(int row) const;        // 0 when out of range
  int rowOf(ImageId id) const;           // -1 when not in the filtered list
  int pageSize() const { return kPageSize; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 signals:
  // A store error while counting or fetching rows; the rows it concerns show empty. Emitted
  // from the event loop, never from inside data().
  void queryFailed(const QString& message);

 private:
  static constexpr int kPageSize = 200;
  // The row from the page cache, fetching its page when missing; null on a store error.
  const ImageListRow* rowAt(int row) const;
  QVector<ImageListRow> fetchPage(int page) const;  // empty on error (reported)
  int count();                                      // rows matching the filter; 0 on error
  void dropPages();
  void reportFailure(const Status& status) const;   // queryFailed, from the event loop
  void thumbnailArrived(qint64 imageId);

  Project* project_;
  ImageListRequest request_;
  QString runName_;  // of request_.difficultyRun, for the Difficulty column's tooltip
  int rowCount_ = 0;
  mutable QHash<int, QVector<ImageListRow>> pages_;  // page index -> rows
  mutable QVector<int> pageOrder_;                    // least recently used first
  mutable QSet<qint64> missing_;                      // ids on cached pages whose file is gone
  ThumbnailLoader* thumbnails_;
};

}  // namespace quarry::gui
