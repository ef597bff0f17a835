// ImageQuery: turning a filter into one parameterised SQL statement, and the CLI's syntax.
#include "quarry/image_query.h"

#include <sstream>
#include <variant>

#include "store/project_impl.h"

namespace quarry {
namespace {

using Param = std::variant<std::int64_t, std::string>;

struct Sql {
  std::string where;
  std::vector<Param> params;

  void add(const std::string& clause) { where += " AND " + clause; }
  template <typename T>
  std::string list(const std::vector<T>& values) {
    for (const auto& v : values) {
      if constexpr (std::is_same_v<T, std::string>) params.emplace_back(v);
      else params.emplace_back(static_cast<std::int64_t>(v));
    }
    return placeholders(values.size());
  }
};

// Each filter becomes an `id IN (subquery)` over a covering index, so SQLite can drive the
// query from the most selective one instead of scanning every image.
Sql buildWhere(const ImageQuery& q) {
  Sql s;
  if (!q.anyTags.empty())
    s.add("id IN (SELECT image_id FROM image_tags WHERE tag_id IN (SELECT id FROM tags WHERE name IN (" +
          s.list(q.anyTags) + ")))");
  for (const auto& tag : q.allTags)
    s.add("id IN (SELECT image_id FROM image_tags WHERE tag_id = (SELECT id FROM tags WHERE name = " +
          s.list(std::vector<std::string>{tag}) + "))");
  if (!q.noTags.empty())
    s.add("id NOT IN (SELECT image_id FROM image_tags WHERE tag_id IN (SELECT id FROM tags WHERE name IN (" +
          s.list(q.noTags) + ")))");
  if (!q.classes.empty())
    s.add("id IN (SELECT image_id FROM boxes WHERE class_id IN (SELECT id FROM classes WHERE name IN (" +
          s.list(q.classes) + ")))");
  if (!q.statuses.empty()) {
    std::vector<int> v;
    for (auto st : q.statuses) v.push_back(static_cast<int>(st));
    s.add("status IN (" + s.list(v) + ")");
  }
  if (!q.sources.empty()) {
    std::vector<int> v;
    for (auto src : q.sources) v.push_back(static_cast<int>(src));
    s.add("id IN (SELECT image_id FROM boxes WHERE source IN (" + s.list(v) + "))");
  }
  if (q.scoreRun && !q.difficulties.empty()) {
    std::vector<int> v;
    for (auto d : q.difficulties) v.push_back(static_cast<int>(d));
    const std::string run = s.list(std::vector<std::int64_t>{*q.scoreRun});
    s.add("id IN (SELECT image_id FROM image_scores WHERE run_id = " + run + " AND difficulty IN (" + s.list(v) + "))");
  }
  if (!q.nameContains.empty()) {
    std::string pattern = "%";
    for (char c : q.nameContains) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    s.add("path LIKE " + s.list(std::vector<std::string>{pattern}) + " ESCAPE '\\'");
  }
  return s;
}

void bindAll(SQLite::Statement& st, const std::vector<Param>& params) {
  int i = 1;
  for (const auto& p : params) {
    if (std::holds_alternative<std::int64_t>(p)) st.bind(i++, std::get<std::int64_t>(p));
    else st.bind(i++, std::get<std::string>(p));
  }
}

std::vector<std::string> splitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

Result<std::vector<ImageId>> Project::findImages(const ImageQuery& query) const {
  std::vector<ImageId> ids;
  Status st = guarded("querying images", [&] {
    Sql s = buildWhere(query);
    SQLite::Statement q(impl_->db, "SELECT id FROM images WHERE 1" + s.where + " ORDER BY id LIMIT ? OFFSET ?");
    bindAll(q, s.params);
    const int n = static_cast<int>(s.params.size());
    q.bind(n + 1, query.limit);
    q.bind(n + 2, query.offset);
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return ids;
}

Result<std::int64_t> Project::countImages(const ImageQuery& query) const {
  std::int64_t n = 0;
  Status st = guarded("counting images", [&] {
    Sql s = buildWhere(query);
    SQLite::Statement q(impl_->db, "SELECT COUNT(*) FROM images WHERE 1" + s.where);
    bindAll(q, s.params);
    q.executeStep();
    n = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

bool parseImageQuery(const std::string& text, ParsedQuery* out, std::string* error) {
  *out = ParsedQuery{};
  std::stringstream ss(text);
  std::string token;
  while (ss >> token) {
    const auto colon = token.find(':');
    if (colon == std::string::npos || colon + 1 == token.size()) {
      *error = "query term '" + token + "' is not of the form key:value";
      return false;
    }
    const std::string key = token.substr(0, colon);
    const std::vector<std::string> values = splitCommas(token.substr(colon + 1));
    ImageQuery& q = out->query;
    if (key == "tag") {
      q.anyTags.insert(q.anyTags.end(), values.begin(), values.end());
    } else if (key == "alltags") {
      q.allTags.insert(q.allTags.end(), values.begin(), values.end());
    } else if (key == "notag") {
      q.noTags.insert(q.noTags.end(), values.begin(), values.end());
    } else if (key == "class") {
      q.classes.insert(q.classes.end(), values.begin(), values.end());
    } else if (key == "status") {
      for (const auto& v : values) {
        auto s = parseImageStatus(v);
        if (!s) { *error = "unknown status '" + v + "' (unlabeled, labeled, reviewed)"; return false; }
        q.statuses.push_back(*s);
      }
    } else if (key == "source") {
      for (const auto& v : values) {
        auto s = parseBoxSource(v);
        if (!s) { *error = "unknown box source '" + v + "' (manual, auto, corrected)"; return false; }
        q.sources.push_back(*s);
      }
    } else if (key == "difficulty") {
      for (const auto& v : values) {
        auto d = parseDifficulty(v);
        if (!d) { *error = "unknown difficulty '" + v + "' (easy, medium, hard)"; return false; }
        q.difficulties.push_back(*d);
      }
    } else if (key == "run") {
      out->runName = token.substr(colon + 1);
    } else if (key == "name") {
      q.nameContains = token.substr(colon + 1);
    } else {
      *error = "unknown query key '" + key + "' (tag, alltags, notag, class, status, source, difficulty, run, name)";
      return false;
    }
  }
  return true;
}

}  // namespace quarry
