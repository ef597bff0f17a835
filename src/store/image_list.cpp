// Project: pages of the image list, and saved views.
#include "store/project_impl.h"
#include "store/query_sql.h"

namespace quarry {
namespace {

// An image's tags, sorted and comma-separated.
constexpr const char* kTagsExpr =
    "(SELECT group_concat(name, ',') FROM (SELECT t.name FROM image_tags l JOIN tags t ON t.id = l.tag_id "
    "WHERE l.image_id = i.id ORDER BY t.name))";

// The file name the Name column shows: what follows the stored path's last '/' (rtrim with
// every character but '/' leaves the folder part, which is then cut off). The index
// images_file_name (schema.cpp, version 4) is on this expression: change both or neither.
constexpr const char* kFileNameExpr = "replace(i.path, rtrim(i.path, replace(i.path, '/', '')), '')";


bool isEmpty(const ImageQuery& q) {
  return q.anyTags.empty() && q.allTags.empty() && q.noTags.empty() && q.classes.empty() && q.classGroups.empty() && q.statuses.empty() &&
         q.sources.empty() && (!q.scoreRun || q.difficulties.empty()) && q.nameContains.empty();
}

// The list's SELECT without ORDER BY and LIMIT; parameters in text order (the run, then the filter).
Sql listSelect(const ImageListRequest& r, const std::string& columns) {
  Sql out;
  out.params.emplace_back(r.difficultyRun.value_or(-1));
  std::string where;
  if (!isEmpty(r.filter)) {
    Sql filter = buildSelect(r.filter, SelectMode::kIdSubquery);
    where = " WHERE i.id IN (" + filter.text + ")";
    out.params.insert(out.params.end(), filter.params.begin(), filter.params.end());
  }
  out.text = "SELECT " + columns +
             " FROM images i LEFT JOIN image_scores s ON s.image_id = i.id AND s.run_id = ?" + where;
  return out;
}

const std::string kColumns =
    std::string("i.id, i.path, i.status, i.box_count, ") + kTagsExpr + " AS tags, s.difficulty, s.score";

}  // namespace

std::string listOrderBy(const ImageListRequest& r) {
  const char* dir = r.descending ? " DESC" : "";
  switch (r.sort) {
    case ImageSort::kName: return std::string(kFileNameExpr) + dir + ", i.path" + dir;
    case ImageSort::kStatus: return std::string("i.status") + dir + ", i.path";
    case ImageSort::kBoxCount: return std::string("i.box_count") + dir + ", i.id";
    case ImageSort::kTags: return std::string(kTagsExpr) + dir + ", i.path";
    case ImageSort::kDifficulty: return std::string("s.difficulty") + dir + ", s.score" + dir + ", i.path";
  }
  return "i.path";
}

Result<std::vector<ImageListRow>> Project::listImages(const ImageListRequest& request) const {
  std::vector<ImageListRow> rows;
  Status st = guarded("listing images", [&] {
    Sql sql = listSelect(request, kColumns);
    sql.text += " ORDER BY " + listOrderBy(request) + ", i.id LIMIT ? OFFSET ?";
    SQLite::Statement q(impl_->db, sql.text);
    bindAll(q, sql.params);
    const int n = static_cast<int>(sql.params.size());
    q.bind(n + 1, request.limit);
    q.bind(n + 2, request.offset);
    while (q.executeStep()) {
      ImageListRow row;
      row.id = q.getColumn(0).getInt64();
      row.path = q.getColumn(1).getString();
      row.status = static_cast<ImageStatus>(q.getColumn(2).getInt());
      row.boxCount = q.getColumn(3).getInt();
      row.tags = q.getColumn(4).isNull() ? "" : q.getColumn(4).getString();
      if (!q.getColumn(5).isNull()) {
        row.difficulty = static_cast<Difficulty>(q.getColumn(5).getInt());
        row.score = q.getColumn(6).getDouble();
      }
      rows.push_back(std::move(row));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return rows;
}

Result<std::int64_t> Project::listPosition(const ImageListRequest& request, ImageId id) const {
  std::int64_t pos = -1;
  Status st = guarded("finding an image in the list", [&] {
    const std::string columns = "i.id AS id, ROW_NUMBER() OVER (ORDER BY " + listOrderBy(request) + ", i.id) - 1 AS pos";
    Sql sql = listSelect(request, columns);
    SQLite::Statement q(impl_->db, "SELECT pos FROM (" + sql.text + ") WHERE id = ?");
    bindAll(q, sql.params);
    q.bind(static_cast<int>(sql.params.size()) + 1, id);
    if (q.executeStep()) pos = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return pos;
}

Status Project::saveView(const std::string& name, const std::string& query) {
  if (name.empty()) return Status::InvalidArgument("a saved view needs a name");
  ParsedQuery parsed;
  std::string error;
  if (!parseImageQuery(query, &parsed, &error)) return Status::InvalidArgument(error);
  return inTransaction(*impl_, "saving a view", [&] {
    SQLite::Statement q(impl_->db,
                        "INSERT INTO saved_views(name, query) VALUES (?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET query = excluded.query");
    q.bind(1, name);
    q.bind(2, query);
    q.exec();
    return Status::Ok();
  });
}

Result<std::vector<std::pair<std::string, std::string>>> Project::views() const {
  std::vector<std::pair<std::string, std::string>> out;
  Status st = guarded("reading saved views", [&] {
    SQLite::Statement q(impl_->db, "SELECT name, query FROM saved_views ORDER BY name");
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status Project::removeView(const std::string& name) {
  return inTransaction(*impl_, "removing a view", [&] {
    SQLite::Statement q(impl_->db, "DELETE FROM saved_views WHERE name = ?");
    q.bind(1, name);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no saved view named '" + name + "'");
  });
}

}  // namespace quarry
