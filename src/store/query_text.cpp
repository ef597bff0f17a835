// Query text to an ImageQuery with its run resolved.
#include "quarry/query_text.h"

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
