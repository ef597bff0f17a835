// ImageCache: decoded images for the canvas, with the neighbours of the current image
// decoded ahead on a worker pool, so D/A switches show a ready image. GUI thread API; the
// decoding itself runs on QThreadPool and touches only file paths, never the Project.
#pragma once

#include <QFuture>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QStringList>

namespace quarry::gui {

class ImageCache : public QObject {
  Q_OBJECT

 public:
  explicit ImageCache(int capacity = 6, QObject* parent = nullptr);
  ~ImageCache() override;

  // The decoded image, from the cache, a prefetch in flight (waited for), or decoded now.
  // A null image means the file is missing or unreadable; `error` then says why.
  QImage get(const QString& file, QString* error = nullptr);
  // Starts decoding these files in the background (already cached ones are skipped). The list
  // replaces the previous one: prefetches of files no longer listed are let go (a decode in
  // flight finishes and is freed), so images that are never shown do not pile up in memory.
  // At most `capacity` files are prefetched; the first ones win.
  void prefetch(const QStringList& files);
  // Forgets every decoded image and every prefetch.
  void clear();

  int cachedCount() const { return images_.size(); }
  int pendingCount() const { return pending_.size(); }

 private:
  void remember(const QString& file, const QImage& image);
  int capacity_;
  QHash<QString, QImage> images_;
  QStringList order_;  // least recently used first
  QHash<QString, QFuture<QImage>> pending_;
};

}  // namespace quarry::gui
