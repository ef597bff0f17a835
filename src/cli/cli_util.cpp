// Small helpers the CLI's commands share.
#include <cstdio>
#include <sstream>

#include "cli/cli_common.h"
#include "quarry/store/query_text.h"

namespace quarry::cli {

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string formatSeconds(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

Status resolveQuery(const Project& project, const std::string& text, ImageQuery* query) {
  QUARRY_RETURN_IF_ERROR(resolveImageQuery(project, text, query));
  auto missing = tagsNoImageHas(project, *query);
  if (!missing.ok()) return missing.status();
  for (const std::string& tag : *missing)
    std::fprintf(stderr, "quarry: warning: the query names the tag '%s', which no image has (a typo?)\n", tag.c_str());
  return Status::Ok();
}

}  // namespace quarry::cli
