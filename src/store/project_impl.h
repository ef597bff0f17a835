// Private to the store: the connection behind a Project and the transaction helper every
// write goes through. Includes SQLiteCpp, so it stays out of include/.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "quarry/store/project.h"

namespace quarry {

struct Project::Impl {
  Impl(const std::filesystem::path& dir, int flags);
  std::filesystem::path dir;
  SQLite::Database db;
  int txDepth = 0;  // > 0 while a transaction (batch or single write) is open
  int version = 0;
  std::string projectId;
  // The image roots as last read (at open and after each change through this Project), with
  // where each is on this machine; storedPath() and resolve() use them on every call.
  std::vector<ImageRoot> roots;
  Status loadRoots();
  // Reads the roots again when another connection has committed since (a job's import made a
  // root, the CLI moved one): PRAGMA data_version, one cheap statement, tells.
  // Also when this machine's roots file (localRootsFile()) changed, looked at at most once a
  // second: `quarry roots set --here-only` in a terminal reaches an open window.
  void refreshRoots();
  std::int64_t rootsDataVersion = -1;
  std::string localFileStamp;  // the roots file's time and size when last read; empty: none
  std::chrono::steady_clock::time_point localCheckedAt{};
  // Prepared statements of the hot paths (import, auto-label), prepared once per connection.
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
};

// A cached prepared statement for the duration of one use; reset on scope exit, so no
// statement keeps a read snapshot open between calls.
class CachedStatement {
 public:
  CachedStatement(Project::Impl& impl, const std::string& sql);
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  SQLite::Statement& operator*() { return *st_; }
  SQLite::Statement* operator->() { return st_; }

 private:
  SQLite::Statement* st_;
};

// Runs `body` inside a transaction: the outermost scope uses BEGIN IMMEDIATE (so a writer
// takes the lock up front and waits on the busy timeout instead of failing mid-way), inner
// scopes use a savepoint so that one failed write inside a batch undoes only itself.
// SQLite and standard exceptions thrown by `body` become a Status naming `what`.
Status inTransaction(Project::Impl& impl, const char* what, const std::function<Status()>& body);

// Runs a read; exceptions become a Status naming `what`.
Status guarded(const char* what, const std::function<Status()>& body);

std::int64_t nowMillis();

// Binds a vector of ids (or names) as ?1..?N starting at index `first`.
std::string placeholders(std::size_t n);

}  // namespace quarry
