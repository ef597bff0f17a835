// ThumbnailLoader: small previews for the image list, decoded on a worker pool and kept in a
// bounded cache.
//
// GUI thread API. The workers see only an absolute file path (the caller resolves it with
// Project::resolve on the GUI thread), never the Project. Requests are de-duplicated; when more
// are waiting than kMaxQueued the oldest are dropped, since a list scrolled past them no longer
// shows those rows (asking again later loads them again). A file that cannot be read gets no
// thumbnail and is not tried again until clear().
#pragma once

#include <QCache>
#include <QList>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QThreadPool>
#include <utility>

namespace quarry::gui {

class ThumbnailLoader : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultSize = 48;  // pixels, the longer side
  static constexpr int kMaxQueued = 256;   // waiting requests; older ones are dropped
  static constexpr int kCacheKiB = 32 * 1024;

  explicit ThumbnailLoader(int size = kDefaultSize, QObject* parent = nullptr);
  // Waits for the decodes in flight (each is one small file).
  ~ThumbnailLoader() override;

  int size() const { return size_; }
  // The thumbnail when it is cached, else a null pixmap; then, unless this image is already
  // queued, loading or known to be unreadable, queues a load of `file` that ends in
  // thumbnailReady(imageId).
  QPixmap thumbnail(qint64 imageId, const QString& file);
  // Forgets every thumbnail and waiting request (a new project); loads in flight are dropped
  // when they finish.
  void clear();

 signals:
  void thumbnailReady(qint64 imageId);

 private:
  void startMore();
  void finished(qint64 imageId, int generation, const QImage& image);

  int size_;
  int generation_ = 0;                     // bumped by clear(); older results are stale
  QThreadPool pool_;
  QCache<qint64, QPixmap> cache_;
  QList<std::pair<qint64, QString>> queue_;  // newest first
  QSet<qint64> wanted_;                    // queued or loading
  QSet<qint64> unreadable_;
  int running_ = 0;
};

}  // namespace quarry::gui
