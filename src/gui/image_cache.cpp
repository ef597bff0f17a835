#include "gui/image_cache.h"

#include <QImageReader>
#include <QtConcurrent/QtConcurrent>

namespace quarry::gui {
namespace {

QImage decode(const QString& file, QString* error) {
  QImageReader reader(file);
  reader.setAutoTransform(true);
  QImage image = reader.read();
  if (image.isNull() && error) *error = file + ": " + reader.errorString();
  // Grey images are drawn as they are; everything else as ARGB32 so painting is fast.
  if (!image.isNull() && image.format() != QImage::Format_Grayscale8)
    image = image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
  return image;
}

}  // namespace

ImageCache::ImageCache(int capacity, QObject* parent) : QObject(parent), capacity_(capacity) {}

ImageCache::~ImageCache() {
  for (auto& f : pending_) f.waitForFinished();
}

QImage ImageCache::get(const QString& file, QString* error) {
  if (images_.contains(file)) {
    order_.removeAll(file);
    order_.append(file);
    return images_.value(file);
  }
  QImage image;
  if (pending_.contains(file)) {
    image = pending_.take(file).result();
  }
  if (image.isNull()) image = decode(file, error);
  if (!image.isNull()) remember(file, image);
  return image;
}

void ImageCache::prefetch(const QStringList& files) {
  QStringList wanted;
  for (const QString& file : files)
    if (!file.isEmpty() && !images_.contains(file) && !wanted.contains(file) && wanted.size() < capacity_)
      wanted.append(file);
  // A dropped QFuture lets its task run to the end and frees the image with the last reference.
  for (auto it = pending_.begin(); it != pending_.end();)
    it = wanted.contains(it.key()) ? std::next(it) : pending_.erase(it);
  for (const QString& file : wanted)
    if (!pending_.contains(file)) pending_.insert(file, QtConcurrent::run([file] { return decode(file, nullptr); }));
}

void ImageCache::clear() {
  images_.clear();
  order_.clear();
  pending_.clear();
}

void ImageCache::remember(const QString& file, const QImage& image) {
  images_.insert(file, image);
  order_.removeAll(file);
  order_.append(file);
  while (order_.size() > capacity_) images_.remove(order_.takeFirst());
}

}  // namespace quarry::gui
