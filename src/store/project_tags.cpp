// Project: tags and image-tag links.
#include <algorithm>
#include <map>

#include "store/project_impl.h"

namespace quarry {
namespace {

Status validTagName(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("a tag name cannot be empty");
  for (char c : name)
    if (c == ',' || c == ' ' || c == '\t' || c == '\n')
      return Status::InvalidArgument("tag '" + name + "' may not contain spaces or commas");
  return Status::Ok();
}

}  // namespace

Result<TagId> Project::ensureTag(const std::string& name) {
  QUARRY_RETURN_IF_ERROR(validTagName(name));
  TagId id = 0;
  Status st = inTransaction(*impl_, "adding a tag", [&] {
    SQLite::Statement ins(impl_->db, "INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
    ins.bind(1, name);
    ins.exec();
    SQLite::Statement q(impl_->db, "SELECT id FROM tags WHERE name = ?");
    q.bind(1, name);
    q.executeStep();
    id = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Result<std::vector<TagInfo>> Project::tags() const {
  std::vector<TagInfo> out;
  Status st = guarded("reading tags", [&] {
    SQLite::Statement q(impl_->db,
                        "SELECT t.id, t.name, (SELECT COUNT(*) FROM image_tags l WHERE l.tag_id = t.id) "
                        "FROM tags t ORDER BY t.name");
    while (q.executeStep()) out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::int64_t> Project::tagImages(const std::string& tag, const std::vector<ImageId>& ids) {
  auto tagId = ensureTag(tag);
  if (!tagId.ok()) return tagId.status();
  std::int64_t changed = 0;
  Status st = inTransaction(*impl_, "tagging images", [&] {
    SQLite::Statement q(impl_->db, "INSERT OR IGNORE INTO image_tags(tag_id, image_id) VALUES (?, ?)");
    for (ImageId id : ids) {
      q.bind(1, *tagId);
      q.bind(2, id);
      changed += q.exec();
      q.reset();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return changed;
}

Result<std::int64_t> Project::untagImages(const std::string& tag, const std::vector<ImageId>& ids) {
  std::int64_t changed = 0;
  Status st = inTransaction(*impl_, "untagging images", [&] {
    SQLite::Statement q(impl_->db,
                        "DELETE FROM image_tags WHERE image_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)");
    for (ImageId id : ids) {
      q.bind(1, id);
      q.bind(2, tag);
      changed += q.exec();
      q.reset();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return changed;
}

Result<std::vector<std::string>> Project::imageTags(ImageId id) const {
  std::vector<std::string> out;
  Status st = guarded("reading an image's tags", [&] {
    SQLite::Statement q(impl_->db,
                        "SELECT t.name FROM image_tags l JOIN tags t ON t.id = l.tag_id WHERE l.image_id = ? "
                        "ORDER BY t.name");
    q.bind(1, id);
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<TagInfo>> Project::tagsOfImages(const std::vector<ImageId>& ids) const {
  std::map<std::string, TagInfo> byName;
  Status st = guarded("reading the tags of images", [&] {
    constexpr std::size_t kChunk = 500;  // well under SQLite's limit of bound parameters
    for (std::size_t start = 0; start < ids.size(); start += kChunk) {
      const std::size_t n = std::min(kChunk, ids.size() - start);
      std::string marks;
      for (std::size_t k = 0; k < n; ++k) marks += k ? ",?" : "?";
      SQLite::Statement q(impl_->db,
                          "SELECT t.id, t.name, COUNT(DISTINCT l.image_id) FROM image_tags l JOIN tags t ON t.id = l.tag_id "
                          "WHERE l.image_id IN (" + marks + ") GROUP BY t.id");
      for (std::size_t k = 0; k < n; ++k) q.bind(static_cast<int>(k + 1), ids[start + k]);
      while (q.executeStep()) {
        TagInfo& t = byName[q.getColumn(1).getString()];
        t.id = q.getColumn(0).getInt64();
        t.name = q.getColumn(1).getString();
        t.imageCount += q.getColumn(2).getInt64();
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::vector<TagInfo> out;
  for (auto& [name, t] : byName) out.push_back(std::move(t));
  return out;
}

}  // namespace quarry
