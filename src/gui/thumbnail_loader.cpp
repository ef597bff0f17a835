#include "gui/thumbnail_loader.h"

#include <QImageReader>

namespace quarry::gui {
namespace {

// Runs on a worker thread: only the file is touched.
QImage loadScaled(const QString& file, int size) {
  QImageReader reader(file);
  reader.setAutoTransform(true);
  const QSize full = reader.size();
  // Asking the reader for the small size lets JPEG decode at a fraction of the full size.
  if (full.isValid() && (full.width() > size || full.height() > size))
    reader.setScaledSize(full.scaled(size, size, Qt::KeepAspectRatio));
  QImage image = reader.read();
  if (image.isNull()) return {};
  // The EXIF rotation is applied after scaling, and some readers ignore the scaled size.
  if (image.width() > size || image.height() > size)
    image = image.scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
  return image;
}

}  // namespace

ThumbnailLoader::ThumbnailLoader(int size, QObject* parent) : QObject(parent), size_(size) {
  // Two workers keep the list responsive on small machines without starving the canvas's
  // own decoding, which uses the global pool.
  pool_.setMaxThreadCount(2);
  cache_.setMaxCost(kCacheKiB);
}

ThumbnailLoader::~ThumbnailLoader() {
  queue_.clear();
  pool_.waitForDone();
}

QPixmap ThumbnailLoader::thumbnail(qint64 imageId, const QString& file) {
  if (const QPixmap* cached = cache_.object(imageId)) return *cached;
  if (wanted_.contains(imageId) || unreadable_.contains(imageId)) return {};
  wanted_.insert(imageId);
  queue_.prepend({imageId, file});
  while (queue_.size() > kMaxQueued) wanted_.remove(queue_.takeLast().first);
  startMore();
  return {};
}

void ThumbnailLoader::clear() {
  ++generation_;
  cache_.clear();
  queue_.clear();
  wanted_.clear();
  unreadable_.clear();
}

void ThumbnailLoader::startMore() {
  // The pool never holds more than it can run, so the queue here decides what comes next.
  while (running_ < pool_.maxThreadCount() && !queue_.isEmpty()) {
    const auto [id, file] = queue_.takeFirst();
    ++running_;
    const int generation = generation_;
    const int size = size_;
    pool_.start([this, id = id, file = file, generation, size] {
      const QImage image = loadScaled(file, size);
      // Delivered on the GUI thread; the destructor waits for this job, so `this` is alive.
      QMetaObject::invokeMethod(
          this, [this, id, generation, image] { finished(id, generation, image); }, Qt::QueuedConnection);
    });
  }
}

void ThumbnailLoader::finished(qint64 imageId, int generation, const QImage& image) {
  --running_;
  if (generation == generation_) {
    wanted_.remove(imageId);
    if (image.isNull()) {
      unreadable_.insert(imageId);
    } else {
      auto* pixmap = new QPixmap(QPixmap::fromImage(image));
      const int costKiB = 1 + pixmap->width() * pixmap->height() * 4 / 1024;
      cache_.insert(imageId, pixmap, costKiB);
      emit thumbnailReady(imageId);
    }
  }
  startMore();
}

}  // namespace quarry::gui
