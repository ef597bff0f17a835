#include "gui/image_list_model.h"

#include <QColor>
#include <QPixmap>
#include <algorithm>
#include <climits>
#include <filesystem>

#include "gui/qt_convert.h"
#include "gui/thumbnail_loader.h"

namespace quarry::gui {
namespace {

constexpr int kMaxPages = 30;  // 6,000 rows: several screens either way of the visible one

ImageSort sortOf(int column) {
  switch (column) {
    case ImageListModel::kStatus: return ImageSort::kStatus;
    case ImageListModel::kBoxes: return ImageSort::kBoxCount;
    case ImageListModel::kTags: return ImageSort::kTags;
    case ImageListModel::kDifficulty: return ImageSort::kDifficulty;
    default: return ImageSort::kName;
  }
}

}  // namespace

ImageListModel::ImageListModel(Project* project, QObject* parent)
    : QAbstractTableModel(parent), project_(project), thumbnails_(new ThumbnailLoader(ThumbnailLoader::kDefaultSize, this)) {
  connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &ImageListModel::thumbnailArrived);
  rowCount_ = count();
}

ImageListModel::~ImageListModel() = default;

void ImageListModel::setRequest(const ImageListRequest& request) {
  beginResetModel();
  request_ = request;
  runName_.clear();
  if (request_.difficultyRun)
    if (auto runs = project_->runs(); runs.ok())
      for (const ModelRun& r : *runs)
        if (r.id == *request_.difficultyRun) runName_ = qs(r.name);
  dropPages();
  rowCount_ = count();
  endResetModel();
}

void ImageListModel::refresh() {
  const int oldCount = rowCount_;
  const int newCount = count();
  // The rows that stay keep their indexes (and the view its scroll position and selection);
  // only the difference is announced as rows appended or removed at the end.
  dropPages();
  if (newCount > oldCount) {
    beginInsertRows({}, oldCount, newCount - 1);
    rowCount_ = newCount;
    endInsertRows();
  } else if (newCount < oldCount) {
    beginRemoveRows({}, newCount, oldCount - 1);
    rowCount_ = newCount;
    endRemoveRows();
  }
  if (rowCount_ > 0) emit dataChanged(index(0, 0), index(rowCount_ - 1, kColumnCount - 1));
}

ImageId ImageListModel::imageAt(int row) const {
  const ImageListRow* r = rowAt(row);
  return r ? r->id : 0;
}

int ImageListModel::rowOf(ImageId id) const {
  auto pos = project_->listPosition(request_, id);
  if (!pos.ok()) {
    reportFailure(pos.status());
    return -1;
  }
  return *pos >= 0 && *pos < rowCount_ ? static_cast<int>(*pos) : -1;
}

int ImageListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rowCount_; }

int ImageListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumnCount; }

QVariant ImageListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const ImageListRow* row = rowAt(index.row());
  if (!row) return {};
  switch (role) {
    case kImageIdRole: return QVariant::fromValue<qint64>(row->id);
    case kPathRole: return qs(row->path);
    case kDifficultyRole: return row->difficulty ? QVariant(static_cast<int>(*row->difficulty)) : QVariant();
    case kMissingRole: return missing_.contains(row->id);
    default: break;
  }
  const int column = index.column();
  if (column == kStatus && missing_.contains(row->id)) {
    if (role == Qt::DisplayRole) return tr("missing");
    if (role == Qt::ForegroundRole) return QColor(Qt::red);
    if (role == Qt::ToolTipRole) {
      return tr("%1 is not on disk (moved or deleted?); its boxes are kept, jobs skip it. Status: %2")
          .arg(qs(project_->resolve(row->path).string()), QString::fromLatin1(toString(row->status)));
    }
  }
  if (role == Qt::DisplayRole) {
    switch (column) {
      case kName: return qs(std::filesystem::path(row->path).filename().string());
      case kStatus: return QString::fromLatin1(toString(row->status));
      case kBoxes: return row->boxCount;
      case kTags: return qs(row->tags);
      default: return {};  // the delegate draws the difficulty
    }
  }
  if (role == Qt::ToolTipRole) {
    if (column == kName) return qs(row->path);
    if (column == kDifficulty && row->difficulty)
      return tr("%1: score %2 under run %3 (higher is harder)")
          .arg(QString::fromLatin1(toString(*row->difficulty)))
          .arg(row->score ? QString::number(*row->score, 'f', 3) : tr("-"))
          .arg(runName_);
    if (column == kDifficulty) return runName_.isEmpty() ? tr("no model run chosen") : tr("not scored by run %1").arg(runName_);
    return {};
  }
  if (role == Qt::TextAlignmentRole && column == kBoxes)
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
  if (role == Qt::DecorationRole && column == kName) {
    const QPixmap thumbnail = thumbnails_->thumbnail(row->id, qs(project_->resolve(row->path).string()));
    return thumbnail.isNull() ? QVariant() : QVariant(thumbnail);
  }
  return {};
}

QVariant ImageListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kName: return tr("Name");
    case kStatus: return tr("Status");
    case kBoxes: return tr("Boxes");
    case kTags: return tr("Tags");
    case kDifficulty: return tr("Difficulty");
    default: return {};
  }
}

void ImageListModel::sort(int column, Qt::SortOrder order) {
  ImageListRequest request = request_;
  request.sort = sortOf(column);
  request.descending = order == Qt::DescendingOrder;
  setRequest(request);
}

const ImageListRow* ImageListModel::rowAt(int row) const {
  if (row < 0 || row >= rowCount_) return nullptr;
  const int page = row / kPageSize;
  auto it = pages_.find(page);
  if (it == pages_.end()) {
    it = pages_.insert(page, fetchPage(page));
    pageOrder_.append(page);
    while (pageOrder_.size() > kMaxPages) pages_.remove(pageOrder_.takeFirst());
  } else if (pageOrder_.last() != page) {
    pageOrder_.removeOne(page);
    pageOrder_.append(page);
  }
  const QVector<ImageListRow>& rows = *pages_.constFind(page);
  const int at = row % kPageSize;
  // A failed or short page (the store changed since the count) shows empty rows.
  return at < rows.size() ? &rows[at] : nullptr;
}

QVector<ImageListRow> ImageListModel::fetchPage(int page) const {
  ImageListRequest request = request_;
  request.offset = static_cast<std::int64_t>(page) * kPageSize;
  request.limit = kPageSize;
  auto rows = project_->listImages(request);
  if (!rows.ok()) {
    reportFailure(rows.status());
    return {};  // cached as empty, so a broken store is asked once per page, not per paint
  }
  // One stat per row of a page of 200 (well under a millisecond), and only when the page loads.
  for (const ImageListRow& row : *rows) {
    std::error_code ec;
    if (std::filesystem::exists(project_->resolve(row.path), ec)) {
      missing_.remove(row.id);  // back again (restored, or its folder remounted)
    } else {
      missing_.insert(row.id);
    }
  }
  return QVector<ImageListRow>(std::make_move_iterator(rows->begin()), std::make_move_iterator(rows->end()));
}

int ImageListModel::count() {
  auto n = project_->countImages(request_.filter);
  if (!n.ok()) {
    reportFailure(n.status());
    return 0;
  }
  return static_cast<int>(std::min<std::int64_t>(*n, INT_MAX));
}

void ImageListModel::dropPages() {
  pages_.clear();
  pageOrder_.clear();
  missing_.clear();
}

void ImageListModel::reportFailure(const Status& status) const {
  // Queued: data() runs inside paint events, where a slot that opens a dialog must not run.
  auto* self = const_cast<ImageListModel*>(this);
  const QString message = qs(status.message());
  QMetaObject::invokeMethod(self, [self, message] { emit self->queryFailed(message); }, Qt::QueuedConnection);
}

void ImageListModel::thumbnailArrived(qint64 imageId) {
  // Only cached pages can be on screen; a row elsewhere asks again when it is shown.
  for (auto it = pages_.cbegin(); it != pages_.cend(); ++it) {
    const QVector<ImageListRow>& rows = it.value();
    for (int i = 0; i < rows.size(); ++i) {
      if (rows[i].id != imageId) continue;
      const int row = it.key() * kPageSize + i;
      if (row < rowCount_) {
        const QModelIndex cell = index(row, kName);
        emit dataChanged(cell, cell, {Qt::DecorationRole});
      }
      return;
    }
  }
}

}  // namespace quarry::gui
