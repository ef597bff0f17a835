// Query text to an ImageQuery with its run resolved.
#include "quarry/store/query_text.h"

#include <algorithm>

namespace quarry {

Status resolveImageQuery(const Project& project, const std::string& text, ImageQuery* query) {
  ParsedQuery parsed;
  std::string error;
  if (!parseImageQuery(text, &parsed, &error)) return Status::InvalidArgument(error);
  *query = parsed.query;
  if (!parsed.runName.empty()) {
    auto run = project.findRun(parsed.runName);
    if (!run.ok()) return run.status();
    if (!*run) return Status::InvalidArgument("no model run named '" + parsed.runName + "'");
    query->scoreRun = (*run)->id;
  } else if (!query->difficulties.empty()) {
    return Status::InvalidArgument("difficulty: needs run:NAME, the model run whose scores to use");
  }
  return Status::Ok();
}

namespace {

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
  return out;
}

template <typename Enum>
std::string joined(const std::vector<Enum>& values) {
  std::string out;
  for (Enum v : values) out += (out.empty() ? "" : ",") + std::string(toString(v));
  return out;
}

}  // namespace

std::string toQueryText(const ImageQuery& q, const std::string& runName) {
  std::vector<std::string> terms;
  if (!q.anyTags.empty()) terms.push_back("tag:" + joined(q.anyTags));
  if (!q.allTags.empty()) terms.push_back("alltags:" + joined(q.allTags));
  if (!q.noTags.empty()) terms.push_back("notag:" + joined(q.noTags));
  if (!q.classes.empty()) terms.push_back("class:" + joined(q.classes));
  if (!q.classGroups.empty()) terms.push_back("group:" + joined(q.classGroups));
  if (!q.statuses.empty()) terms.push_back("status:" + joined(q.statuses));
  if (!q.sources.empty()) terms.push_back("source:" + joined(q.sources));
  if (!q.difficulties.empty() && !runName.empty()) {
    terms.push_back("difficulty:" + joined(q.difficulties));
    terms.push_back("run:" + runName);
  }
  if (!q.nameContains.empty()) terms.push_back("name:" + q.nameContains);
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "" : " ") + t;
  return out;
}

bool sameFilter(const ImageQuery& a, const ImageQuery& b) {
  return a.anyTags == b.anyTags && a.allTags == b.allTags && a.noTags == b.noTags && a.classes == b.classes &&
         a.statuses == b.statuses && a.sources == b.sources && a.difficulties == b.difficulties &&
         a.nameContains == b.nameContains;
}

Result<std::vector<std::string>> tagsNoImageHas(const Project& project, const ImageQuery& query) {
  auto known = project.tags();
  if (!known.ok()) return known.status();
  std::vector<std::string> missing;
  for (const auto* list : {&query.anyTags, &query.allTags, &query.noTags})
    for (const std::string& tag : *list) {
      const bool has = std::any_of(known->begin(), known->end(),
                                   [&](const TagInfo& t) { return t.name == tag && t.imageCount > 0; });
      if (!has && std::find(missing.begin(), missing.end(), tag) == missing.end()) missing.push_back(tag);
    }
  return missing;
}

}  // namespace quarry
