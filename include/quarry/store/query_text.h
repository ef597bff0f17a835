// A query in the CLI's syntax ("tag:GT1 difficulty:hard run:CAL1", see image_query.h) resolved
// against a project: run names become run ids. Shared by the CLI's --where and the GUI's fields.
#pragma once

#include <string>
#include <vector>

#include "quarry/store/image_query.h"
#include "quarry/store/project.h"

namespace quarry {

// kInvalidArgument with the parser's message, for an unknown run, or for difficulty terms
// without run:NAME.
Status resolveImageQuery(const Project& project, const std::string& text, ImageQuery* query);

// `query` in parseImageQuery's syntax, term by term ("tag:GT1 notag:VAL1 class:scratch ...");
// difficulty terms are written with run:`runName`, and left out without a run name. Parsing the
// text gives back the same filter (sameFilter), which is how the filter bar shows its state.
std::string toQueryText(const ImageQuery& query, const std::string& runName);

// Whether two queries keep the same images by their filters (tags, classes, statuses, sources,
// difficulties, name); paging, sorting and the scoring run's id are not compared.
bool sameFilter(const ImageQuery& a, const ImageQuery& b);

// The tags `query` names (any, all or none of) that no image of the project carries, in the
// order named, each once. Such a query is valid (it may rightly match nothing) but a tag that
// does not exist is nearly always a typo, so the CLI warns about each of these.
Result<std::vector<std::string>> tagsNoImageHas(const Project& project, const ImageQuery& query);

}  // namespace quarry
