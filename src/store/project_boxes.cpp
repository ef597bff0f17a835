// Project: boxes.
#include <cmath>

#include "store/project_impl.h"

namespace quarry {
namespace {

constexpr const char* kBoxColumns =
    "SELECT id, image_id, class_id, x, y, w, h, source, run_id, score, author, created_at, updated_at FROM boxes ";

Box readBox(SQLite::Statement& q) {
  Box b;
  b.id = q.getColumn(0).getInt64();
  b.image = q.getColumn(1).getInt64();
  b.cls = q.getColumn(2).getInt64();
  b.x = q.getColumn(3).getDouble();
  b.y = q.getColumn(4).getDouble();
  b.w = q.getColumn(5).getDouble();
  b.h = q.getColumn(6).getDouble();
  b.source = static_cast<BoxSource>(q.getColumn(7).getInt());
  if (!q.getColumn(8).isNull()) b.run = q.getColumn(8).getInt64();
  if (!q.getColumn(9).isNull()) b.score = q.getColumn(9).getDouble();
  b.author = q.getColumn(10).getString();
  b.createdAt = q.getColumn(11).getInt64();
  b.updatedAt = q.getColumn(12).getInt64();
  return b;
}

Status checkGeometry(const Box& b) {
  for (double v : {b.x, b.y, b.w, b.h})
    if (!std::isfinite(v)) return Status::InvalidArgument("box coordinates must be finite numbers");
  if (b.w <= 0 || b.h <= 0) return Status::InvalidArgument("box width and height must be positive");
  return Status::Ok();
}

void bindOptional(SQLite::Statement& q, int i, const std::optional<RunId>& v) {
  if (v) q.bind(i, *v); else q.bind(i);
}
void bindOptional(SQLite::Statement& q, int i, const std::optional<double>& v) {
  if (v) q.bind(i, *v); else q.bind(i);
}

// Inserts one box row after checking its class. A box with an id keeps it (an undone delete
// coming back); id 0 lets SQLite choose. A trigger counts the box and marks the image labeled.
Result<BoxId> insertBox(Project::Impl& impl, const Box& box, std::int64_t createdAt) {
  {
    CachedStatement cls(impl, "SELECT 1 FROM classes WHERE id = ?");
    cls->bind(1, box.cls);
    if (!cls->executeStep()) return Status::NotFound("no class with id " + std::to_string(box.cls));
  }
  CachedStatement q(impl,
                    "INSERT INTO boxes(id, image_id, class_id, x, y, w, h, source, run_id, score, author, "
                    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (box.id > 0) q->bind(1, box.id); else q->bind(1);
  q->bind(2, box.image);
  q->bind(3, box.cls);
  q->bind(4, box.x);
  q->bind(5, box.y);
  q->bind(6, box.w);
  q->bind(7, box.h);
  q->bind(8, static_cast<int>(box.source));
  bindOptional(*q, 9, box.run);
  bindOptional(*q, 10, box.score);
  q->bind(11, box.author);
  q->bind(12, createdAt);
  q->bind(13, nowMillis());
  q->exec();
  return impl.db.getLastInsertRowid();
}

}  // namespace

Result<BoxId> Project::addBox(Box box) {
  QUARRY_RETURN_IF_ERROR(checkGeometry(box));
  box.id = 0;
  BoxId id = 0;
  Status st = inTransaction(*impl_, "adding a box", [&] {
    auto inserted = insertBox(*impl_, box, nowMillis());
    if (!inserted.ok()) return inserted.status();
    id = *inserted;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Status Project::updateBox(const Box& box) {
  QUARRY_RETURN_IF_ERROR(checkGeometry(box));
  return inTransaction(*impl_, "updating a box", [&] {
    SQLite::Statement q(impl_->db,
                        "UPDATE boxes SET class_id = ?, x = ?, y = ?, w = ?, h = ?, source = ?, run_id = ?, "
                        "score = ?, updated_at = ? WHERE id = ?");
    q.bind(1, box.cls);
    q.bind(2, box.x);
    q.bind(3, box.y);
    q.bind(4, box.w);
    q.bind(5, box.h);
    q.bind(6, static_cast<int>(box.source));
    bindOptional(q, 7, box.run);
    bindOptional(q, 8, box.score);
    q.bind(9, nowMillis());
    q.bind(10, box.id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no box with id " + std::to_string(box.id));
  });
}

Status Project::restoreBox(const Box& box) {
  QUARRY_RETURN_IF_ERROR(checkGeometry(box));
  if (box.id <= 0) return Status::InvalidArgument("restoring a box needs its id");
  return inTransaction(*impl_, "restoring a box", [&] {
    return insertBox(*impl_, box, box.createdAt ? box.createdAt : nowMillis()).status();
  });
}

Status Project::removeBox(BoxId id) {
  return inTransaction(*impl_, "removing a box", [&] {
    SQLite::Statement q(impl_->db, "DELETE FROM boxes WHERE id = ?");
    q.bind(1, id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no box with id " + std::to_string(id));
  });
}

Status Project::replaceAutoBoxes(ImageId image, RunId run, const std::vector<Box>& boxes) {
  for (const Box& b : boxes) {
    QUARRY_RETURN_IF_ERROR(checkGeometry(b));
    if (b.image != 0 && b.image != image)
      return Status::InvalidArgument("a box of image " + std::to_string(b.image) + " given for image " +
                                     std::to_string(image));
  }
  // Auto-labeling calls this once per image inside a WriteBatch, so its statements are cached.
  return inTransaction(*impl_, "replacing auto boxes", [&] {
    {
      CachedStatement q(*impl_, "SELECT 1 FROM images WHERE id = ?");
      q->bind(1, image);
      if (!q->executeStep()) return Status::NotFound("no image with id " + std::to_string(image));
    }
    {
      CachedStatement q(*impl_, "SELECT 1 FROM model_runs WHERE id = ?");
      q->bind(1, run);
      if (!q->executeStep()) return Status::NotFound("no model run with id " + std::to_string(run));
    }
    {
      CachedStatement del(*impl_, "DELETE FROM boxes WHERE image_id = ? AND source = ? AND run_id = ?");
      del->bind(1, image);
      del->bind(2, static_cast<int>(BoxSource::kAuto));
      del->bind(3, run);
      del->exec();
    }
    const std::int64_t now = nowMillis();
    for (Box b : boxes) {
      b.id = 0;
      b.image = image;
      b.source = BoxSource::kAuto;
      b.run = run;
      auto inserted = insertBox(*impl_, b, now);
      if (!inserted.ok()) return inserted.status();
    }
    return Status::Ok();
  });
}

Result<std::int64_t> Project::removeAutoBoxes(RunId run) {
  std::int64_t removed = 0;
  Status st = inTransaction(*impl_, "removing auto boxes", [&] {
    SQLite::Statement q(impl_->db, "DELETE FROM boxes WHERE source = ? AND run_id = ?");
    q.bind(1, static_cast<int>(BoxSource::kAuto));
    q.bind(2, run);
    removed = q.exec();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return removed;
}

Result<std::vector<Box>> Project::boxes(ImageId image) const {
  return boxesOfImages({image});
}

Result<std::vector<Box>> Project::boxesOfImages(const std::vector<ImageId>& ids) const {
  std::vector<Box> out;
  Status st = guarded("reading boxes", [&] {
    SQLite::Statement q(impl_->db, std::string(kBoxColumns) + "WHERE image_id = ? ORDER BY id");
    for (ImageId id : ids) {
      q.bind(1, id);
      while (q.executeStep()) out.push_back(readBox(q));
      q.reset();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace quarry
