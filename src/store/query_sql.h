// Private to the store: an ImageQuery compiled to SQL, shared by the queries and the list.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "quarry/store/image_list.h"
#include "quarry/store/image_query.h"

namespace quarry {

using Param = std::variant<std::int64_t, std::string>;

struct Sql {
  std::string text;
  std::vector<Param> params;
};

enum class SelectMode {
  kIds,        // SELECT ids ... ORDER BY id LIMIT ? OFFSET ? (the caller binds both)
  kCount,      // SELECT COUNT(...)
  kIdSubquery  // SELECT ids, unordered, for `id IN (...)`
};

Sql buildSelect(const ImageQuery& query, SelectMode mode);

// The image list's ORDER BY terms for `request`'s sort (images as `i`, scores as `s`), without the
// final id tie-break; the name order is served by the index images_file_name (schema.cpp).
std::string listOrderBy(const ImageListRequest& request);
void bindAll(SQLite::Statement& statement, const std::vector<Param>& params, int first = 1);

}  // namespace quarry
