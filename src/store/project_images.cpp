// Project: image records.
#include "store/project_impl.h"

namespace quarry {
namespace {

ImageRecord readImage(SQLite::Statement& q) {
  ImageRecord r;
  r.id = q.getColumn(0).getInt64();
  r.path = q.getColumn(1).getString();
  r.width = q.getColumn(2).getInt();
  r.height = q.getColumn(3).getInt();
  r.hash = q.getColumn(4).getString();
  r.status = static_cast<ImageStatus>(q.getColumn(5).getInt());
  if (!q.getColumn(6).isNull()) r.phash = static_cast<std::uint64_t>(q.getColumn(6).getInt64());
  return r;
}

constexpr const char* kImageColumns = "SELECT id, path, width, height, hash, status, phash FROM images ";

Result<std::optional<ImageRecord>> findOne(Project::Impl& impl, const char* where, const std::string& key) {
  std::optional<ImageRecord> out;
  Status st = guarded("finding an image", [&] {
    CachedStatement q(impl, std::string(kImageColumns) + where);
    q->bind(1, key);
    if (q->executeStep()) out = readImage(*q);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Result<ImageId> Project::addImage(const ImageRecord& image) {
  if (image.path.empty()) return Status::InvalidArgument("an image needs a path");
  if (image.width <= 0 || image.height <= 0)
    return Status::InvalidArgument(image.path + ": image size must be positive");
  ImageId id = 0;
  Status st = inTransaction(*impl_, "adding an image", [&] {
    {
      CachedStatement dup(*impl_, "SELECT id FROM images WHERE path = ?");
      dup->bind(1, image.path);
      if (dup->executeStep())
        return Status::Error(StatusCode::kAlreadyExists, image.path + ": already in the project");
    }
    CachedStatement q(*impl_,
                      "INSERT INTO images(path, width, height, hash, status, added_at, phash) VALUES (?,?,?,?,?,?,?)");
    q->bind(1, image.path);
    q->bind(2, image.width);
    q->bind(3, image.height);
    q->bind(4, image.hash);
    q->bind(5, static_cast<int>(image.status));
    q->bind(6, nowMillis());
    if (image.phash) q->bind(7, static_cast<std::int64_t>(*image.phash));
    else q->bind(7);
    q->exec();
    id = impl_->db.getLastInsertRowid();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Result<ImageRecord> Project::image(ImageId id) const {
  auto r = findOne(*impl_, "WHERE id = ?", std::to_string(id));
  if (!r.ok()) return r.status();
  if (!r.value()) return Status::NotFound("no image with id " + std::to_string(id));
  return *r.value();
}

Result<std::optional<ImageRecord>> Project::findImageByPath(const std::string& storedPath) const {
  return findOne(*impl_, "WHERE path = ?", storedPath);
}

Result<std::optional<ImageRecord>> Project::findImageByHash(const std::string& hash) const {
  return findOne(*impl_, "WHERE hash = ? ORDER BY id LIMIT 1", hash);
}

Result<std::vector<ImageRecord>> Project::images(const std::vector<ImageId>& ids) const {
  std::vector<ImageRecord> out;
  out.reserve(ids.size());
  Status st = guarded("reading images", [&] {
    SQLite::Statement q(impl_->db, std::string(kImageColumns) + "WHERE id = ?");
    for (ImageId id : ids) {
      q.bind(1, id);
      if (q.executeStep()) out.push_back(readImage(q));
      q.reset();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<std::pair<ImageId, std::uint64_t>>> Project::perceptualHashes() const {
  std::vector<std::pair<ImageId, std::uint64_t>> out;
  Status st = guarded("reading perceptual hashes", [&] {
    SQLite::Statement q(impl_->db, "SELECT id, phash FROM images WHERE phash IS NOT NULL ORDER BY id");
    while (q.executeStep())
      out.emplace_back(q.getColumn(0).getInt64(), static_cast<std::uint64_t>(q.getColumn(1).getInt64()));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<ImageId>> Project::imagesWithoutPerceptualHash() const {
  std::vector<ImageId> out;
  Status st = guarded("finding images without a perceptual hash", [&] {
    SQLite::Statement q(impl_->db, "SELECT id FROM images WHERE phash IS NULL ORDER BY id");
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status Project::setPerceptualHashes(const std::vector<std::pair<ImageId, std::uint64_t>>& hashes) {
  return inTransaction(*impl_, "storing perceptual hashes", [&] {
    SQLite::Statement q(impl_->db, "UPDATE images SET phash = ? WHERE id = ?");
    for (const auto& [id, hash] : hashes) {
      q.bind(1, static_cast<std::int64_t>(hash));
      q.bind(2, id);
      q.exec();
      q.reset();
    }
    return Status::Ok();
  });
}

Status Project::setImageStatus(ImageId id, ImageStatus status) {
  return inTransaction(*impl_, "setting an image's status", [&] {
    SQLite::Statement q(impl_->db, "UPDATE images SET status = ? WHERE id = ?");
    q.bind(1, static_cast<int>(status));
    q.bind(2, id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no image with id " + std::to_string(id));
  });
}

Result<std::size_t> Project::removeImages(const std::vector<ImageId>& ids) {
  std::size_t removed = 0;
  // Boxes, tag links and scores go with the image (ON DELETE CASCADE).
  Status st = inTransaction(*impl_, "removing images", [&] {
    SQLite::Statement q(impl_->db, "DELETE FROM images WHERE id = ?");
    for (ImageId id : ids) {
      q.bind(1, id);
      removed += static_cast<std::size_t>(q.exec());
      q.reset();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return removed;
}

}  // namespace quarry
