// The store's schema as a list of forward migrations. Version N is reached by running
// migrations 1..N in order; PRAGMA user_version records the version a file is at.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include "quarry/core/status.h"

namespace quarry::schema {

int latestVersion();
// Migrates `db` from its current version up to `target` (default: latest) in one transaction.
// Refuses a file newer than this build with kIncompatible.
Status migrate(SQLite::Database& db, int target = -1);

}  // namespace quarry::schema
