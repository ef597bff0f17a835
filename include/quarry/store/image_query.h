// ImageQuery: the filter the CLI (`tag`, `split`, `export`) and the GUI's filter bar share.
// Every field narrows the result; empty fields do not filter. Runs inside SQLite.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "quarry/core/types.h"

namespace quarry {

struct ImageQuery {
  std::vector<std::string> anyTags;   // has at least one of these tags
  std::vector<std::string> allTags;   // has every one of these tags
  std::vector<std::string> noTags;    // has none of these tags
  std::vector<std::string> classes;   // has a box of at least one of these classes
  std::vector<std::string> classGroups;  // has a box of a class in at least one of these groups
  std::vector<ImageStatus> statuses;  // status is one of these
  std::vector<BoxSource> sources;     // has a box with one of these sources
  // Difficulty from one model run's scores; difficulties are ignored without a run.
  std::optional<RunId> scoreRun;
  std::vector<Difficulty> difficulties;
  std::string nameContains;           // substring of the stored path, case-insensitive (ASCII)
  std::int64_t limit = -1;            // -1: no limit
  std::int64_t offset = 0;
};

// Parses the compact query syntax of the CLI, e.g. "tag:GT1,GT2 notag:VAL class:scratch
// group:weld status:labeled source:auto difficulty:hard run:CAL1 name:weld". Unknown keys are an error.
// `run:` is left in `runName` for the caller to resolve to an id.
struct ParsedQuery {
  ImageQuery query;
  std::string runName;
};
bool parseImageQuery(const std::string& text, ParsedQuery* out, std::string* error);

}  // namespace quarry
