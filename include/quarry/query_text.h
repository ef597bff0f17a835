// A query in the CLI's syntax ("tag:GT1 difficulty:hard run:CAL1", see image_query.h) resolved
// against a project: run names become run ids. Shared by the CLI's --where and the GUI's fields.
#pragma once

#include <string>

#include "quarry/image_query.h"
#include "quarry/project.h"

namespace quarry {

// kInvalidArgument with the parser's message, for an unknown run, or for difficulty terms
// without run:NAME.
Status resolveImageQuery(const Project& project, const std::string& text, ImageQuery* query);

}  // namespace quarry
