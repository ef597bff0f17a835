// Query text to an ImageQuery with its run resolved.
#include "quarry/query_text.h"

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

}  // namespace quarry
