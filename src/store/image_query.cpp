// ImageQuery: turning a filter into one parameterised SQL statement, and the CLI's syntax.
#include "quarry/store/image_query.h"

#include <sstream>
#include <variant>

#include "store/project_impl.h"
#include "store/query_sql.h"

namespace quarry {
namespace {

// One condition of the WHERE clause with the parameters its placeholders take, in order.
struct Clause {
  std::string sql;
  std::vector<Param> params;
};

template <typename T>
std::string bindList(std::vector<Param>* params, const std::vector<T>& values) {
  for (const auto& v : values) {
    if constexpr (std::is_same_v<T, std::string>) params->emplace_back(v);
    else params->emplace_back(static_cast<std::int64_t>(v));
  }
  return placeholders(values.size());
}

// A filter on a related table ("has tag", "has difficulty", "has class") is either the
// driver or a probe. The driver is the first such filter, in order of how few images it
// usually keeps (tags, difficulty, class, source): the query walks that table's index
// directly, never touching the images table unless a filter needs its columns. Every other
// related filter is a correlated EXISTS, one index probe per candidate. `{ID}` in a clause
// stands for the candidate image's id.
}  // namespace

Sql buildSelect(const ImageQuery& q, SelectMode mode) {
  const bool count = mode == SelectMode::kCount;
  std::vector<Clause> related, plain;
  auto relatedClause = [&](const std::string& from, const std::string& cond, std::vector<Param> params) {
    related.push_back({"FROM " + from + " WHERE " + cond, std::move(params)});
  };
  for (const auto& tag : q.allTags) {
    std::vector<Param> p;
    const std::string ph = bindList(&p, std::vector<std::string>{tag});
    relatedClause("image_tags", "tag_id = (SELECT id FROM tags WHERE name = " + ph + ")", p);
  }
  if (!q.anyTags.empty()) {
    std::vector<Param> p;
    const std::string ph = bindList(&p, q.anyTags);
    relatedClause("image_tags", "tag_id IN (SELECT id FROM tags WHERE name IN (" + ph + "))", p);
  }
  if (q.scoreRun && !q.difficulties.empty()) {
    std::vector<Param> p;
    std::vector<int> v;
    for (auto d : q.difficulties) v.push_back(static_cast<int>(d));
    const std::string run = bindList(&p, std::vector<std::int64_t>{*q.scoreRun});
    const std::string ds = bindList(&p, v);
    relatedClause("image_scores", "run_id = " + run + " AND difficulty IN (" + ds + ")", p);
  }
  if (!q.classes.empty()) {
    std::vector<Param> p;
    const std::string ph = bindList(&p, q.classes);
    relatedClause("boxes", "class_id IN (SELECT id FROM classes WHERE name IN (" + ph + "))", p);
  }
  if (!q.classGroups.empty()) {
    std::vector<Param> p;
    const std::string ph = bindList(&p, q.classGroups);
    relatedClause("boxes", "class_id IN (SELECT id FROM classes WHERE group_name IN (" + ph + "))", p);
  }
  if (!q.sources.empty()) {
    std::vector<Param> p;
    std::vector<int> v;
    for (auto src : q.sources) v.push_back(static_cast<int>(src));
    const std::string ph = bindList(&p, v);
    relatedClause("boxes", "source IN (" + ph + ")", p);
  }
  if (!q.noTags.empty()) {
    Clause c;
    c.sql = "NOT EXISTS (SELECT 1 FROM image_tags WHERE image_id = {ID} AND tag_id IN "
            "(SELECT id FROM tags WHERE name IN (" + bindList(&c.params, q.noTags) + ")))";
    plain.push_back(std::move(c));
  }
  bool needsImages = related.empty();
  if (!q.statuses.empty()) {
    Clause c;
    std::vector<int> v;
    for (auto st : q.statuses) v.push_back(static_cast<int>(st));
    c.sql = "images.status IN (" + bindList(&c.params, v) + ")";
    plain.push_back(std::move(c));
    needsImages = true;
  }
  if (!q.nameContains.empty()) {
    std::string pattern = "%";
    for (char c : q.nameContains) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    Clause c;
    c.sql = "images.path LIKE " + bindList(&c.params, std::vector<std::string>{pattern}) + " ESCAPE '\\'";
    plain.push_back(std::move(c));
    needsImages = true;
  }

  Sql out;
  std::string id, where;
  if (related.empty()) {
    id = "images.id";
    out.text = "FROM images";
  } else {
    // The driver may list an image more than once (several boxes of a class), hence DISTINCT.
    id = "d.image_id";
    const Clause& driver = related.front();
    const std::string body = driver.sql.substr(5);  // "<table> WHERE <cond>"
    const std::size_t w = body.find(" WHERE ");
    out.text = "FROM " + body.substr(0, w) + " d";
    if (needsImages) out.text += " JOIN images ON images.id = d.image_id";
    where = body.substr(w + 7);
    out.params = driver.params;
  }
  auto append = [&](const std::string& sql, const std::vector<Param>& params) {
    where += (where.empty() ? "" : " AND ") + sql;
    out.params.insert(out.params.end(), params.begin(), params.end());
  };
  for (std::size_t i = 1; i < related.size(); ++i) {
    const Clause& c = related[i];
    const std::size_t w = c.sql.find(" WHERE ");
    append("EXISTS (SELECT 1 " + c.sql.substr(0, w) + " WHERE image_id = {ID} AND " + c.sql.substr(w + 7) + ")",
           c.params);
  }
  for (const Clause& c : plain) append(c.sql, c.params);
  for (std::size_t at; (at = where.find("{ID}")) != std::string::npos;) where.replace(at, 4, id);
  const std::string select = related.size() && !count ? "SELECT DISTINCT " + id + " "
                             : related.size()         ? "SELECT COUNT(DISTINCT " + id + ") "
                             : count                  ? "SELECT COUNT(*) "
                                                      : "SELECT " + id + " ";
  out.text = select + out.text + (where.empty() ? "" : " WHERE " + where);
  if (mode == SelectMode::kIds) out.text += " ORDER BY " + id + " LIMIT ? OFFSET ?";
  return out;
}

void bindAll(SQLite::Statement& st, const std::vector<Param>& params, int first) {
  int i = first;
  for (const auto& p : params) {
    if (std::holds_alternative<std::int64_t>(p)) st.bind(i++, std::get<std::int64_t>(p));
    else st.bind(i++, std::get<std::string>(p));
  }
}

namespace {

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
    Sql s = buildSelect(query, SelectMode::kIds);
    SQLite::Statement q(impl_->db, s.text);
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
    Sql s = buildSelect(query, SelectMode::kCount);
    SQLite::Statement q(impl_->db, s.text);
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
    } else if (key == "group") {
      q.classGroups.insert(q.classGroups.end(), values.begin(), values.end());
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
      *error = "unknown query key '" + key + "' (tag, alltags, notag, class, group, status, source, difficulty, run, name)";
      return false;
    }
  }
  return true;
}

}  // namespace quarry
