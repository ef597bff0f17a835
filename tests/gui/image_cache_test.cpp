// The window's image cache: it keeps the last few decoded images, prefetches the neighbours of
// the one shown, and lets go of prefetches nobody will look at, so memory stays bounded however
// long an annotator pages through a project.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/image_cache.h"
#include "gui/memory_policy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using quarry::gui::ImageCache;

class ImageCacheTest : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void aNewPrefetchLetsGoOfFilesNoLongerWanted();
  void prefetchesAreCappedAtTheCapacity();
  void clearForgetsPrefetchesToo();
  void aPrefetchedImageIsServedAndCached();
  void aMissingFileSaysWhichFile();
  void anImageBufferIsMappedEvenAfterLargerOnesWereFreed();

 private:
  QString file(int i) const { return tmp->path() + QString("/img%1.png").arg(i); }
  std::unique_ptr<QTemporaryDir> tmp;
};

void ImageCacheTest::init() {
  tmp = std::make_unique<QTemporaryDir>();
  for (int i = 0; i < 10; ++i) {
    QImage image(32, 24, QImage::Format_RGB32);
    image.fill(QColor(i * 20, 40, 80));
    QVERIFY(image.save(file(i)));
  }
}

void ImageCacheTest::aNewPrefetchLetsGoOfFilesNoLongerWanted() {
  ImageCache cache(4);
  cache.prefetch({file(0), file(1)});
  QCOMPARE(cache.pendingCount(), 2);
  cache.prefetch({file(1), file(2)});  // the annotator moved one image on
  QCOMPARE(cache.pendingCount(), 2);
  cache.prefetch({file(5)});
  QCOMPARE(cache.pendingCount(), 1);
}

void ImageCacheTest::prefetchesAreCappedAtTheCapacity() {
  ImageCache cache(3);
  QStringList all;
  for (int i = 0; i < 10; ++i) all << file(i);
  cache.prefetch(all);
  QCOMPARE(cache.pendingCount(), 3);
}

void ImageCacheTest::clearForgetsPrefetchesToo() {
  ImageCache cache(4);
  cache.get(file(0));
  cache.prefetch({file(1), file(2)});
  cache.clear();
  QCOMPARE(cache.cachedCount(), 0);
  QCOMPARE(cache.pendingCount(), 0);
}

void ImageCacheTest::aPrefetchedImageIsServedAndCached() {
  ImageCache cache(2);
  cache.prefetch({file(3)});
  const QImage image = cache.get(file(3));
  QCOMPARE(image.size(), QSize(32, 24));
  QCOMPARE(cache.pendingCount(), 0);
  QCOMPARE(cache.cachedCount(), 1);
  cache.prefetch({file(3)});  // cached already: nothing to decode
  QCOMPARE(cache.pendingCount(), 0);
  cache.get(file(4));
  cache.get(file(5));
  QCOMPARE(cache.cachedCount(), 2);  // the least recently used went
}

void ImageCacheTest::aMissingFileSaysWhichFile() {
  ImageCache cache(2);
  QString error;
  QVERIFY(cache.get(tmp->path() + "/gone.png", &error).isNull());
  QVERIFY2(error.contains("gone.png"), qPrintable(error));
}

// glibc by default raises its mapping threshold to the size of each mapped block freed, so after
// one large free an image-sized buffer would come from (and stay in) the heap. With the window's
// policy it is mapped, and returned to the system when the image goes.
void ImageCacheTest::anImageBufferIsMappedEvenAfterLargerOnesWereFreed() {
#if defined(__GLIBC__)
  QVERIFY(quarry::gui::returnLargeBuffersPromptly());
  {
    QImage large(2560, 1600, QImage::Format_ARGB32_Premultiplied);  // 16 MiB, mapped
    large.fill(Qt::gray);
  }
  const size_t mappedBefore = mallinfo2().hblkhd;
  QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);  // about 8 MiB
  image.fill(Qt::gray);
  QVERIFY2(mallinfo2().hblkhd >= mappedBefore + image.sizeInBytes(), "the image's buffer came from the heap");
  image = QImage();
  QCOMPARE(mallinfo2().hblkhd, mappedBefore);
#else
  QSKIP("the policy is glibc's");
#endif
}

QTEST_MAIN(ImageCacheTest)
#include "image_cache_test.moc"
