// Project: opening, creating, transactions, and the class list.
#include "quarry/store/project.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <system_error>

#include "quarry/core/paths.h"
#include "quarry/core/log.h"
#include "store/project_impl.h"
#include "store/schema.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

const char* const kSubfolders[] = {"models", "exports", "reports", "logs"};

// Distinct, readable colours for the first classes; later ones cycle with a hue shift.
std::string defaultColor(int index) {
  static const char* const palette[] = {"#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
                                        "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990",
                                        "#dcbeff", "#9a6324", "#800000", "#aaffc3", "#808000"};
  const int n = static_cast<int>(sizeof(palette) / sizeof(palette[0]));
  return palette[index % n];
}

bool validColor(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (std::size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  return true;
}

}  // namespace

Project::Impl::Impl(const fs::path& d, int flags) : dir(d), db((d / kStoreFile).string(), flags) {}

CachedStatement::CachedStatement(Project::Impl& impl, const std::string& sql) {
  auto& slot = impl.statements[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(impl.db, sql);
  st_ = slot.get();
  st_->clearBindings();
}

CachedStatement::~CachedStatement() {
  try {
    st_->reset();
  } catch (...) {
    // reset() reports the last step's error again; the caller has already seen it.
  }
}

std::int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

Status guarded(const char* what, const std::function<Status()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::IoError(std::string(what) + ": " + e.what());
  }
}

namespace {
// A write that fails (disk full, read-only folder, locked) names the project file, so a user
// who runs several projects knows which one. Built only on failure: every edit is a write.
Status writeError(const Project::Impl& impl, const std::string& what, const std::exception& e) {
  return Status::IoError((impl.dir / Project::kStoreFile).string() + ": " + what + ": " + e.what());
}

Status guardedWrite(const Project::Impl& impl, const char* what, const std::function<Status()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return writeError(impl, what, e);
  }
}
}  // namespace

Status inTransaction(Project::Impl& impl, const char* what, const std::function<Status()>& body) {
  const bool outer = impl.txDepth == 0;
  try {
    impl.db.exec(outer ? "BEGIN IMMEDIATE" : "SAVEPOINT q");
  } catch (const std::exception& e) {
    return writeError(impl, what, e);
  }
  ++impl.txDepth;
  Status st = guardedWrite(impl, what, body);
  --impl.txDepth;
  try {
    if (st.ok()) {
      impl.db.exec(outer ? "COMMIT" : "RELEASE q");
    } else if (outer) {
      impl.db.exec("ROLLBACK");
    } else {
      impl.db.exec("ROLLBACK TO q");
      impl.db.exec("RELEASE q");
    }
  } catch (const std::exception& e) {
    if (st.ok()) st = writeError(impl, std::string(what) + ": commit failed", e);
    // A failed COMMIT (disk full, say) leaves the transaction open; close it so the
    // connection stays usable and nothing half-written is kept.
    try {
      if (outer) impl.db.exec("ROLLBACK");
    } catch (...) {
    }
  }
  return st;
}

int Project::currentSchemaVersion() { return schema::latestVersion(); }

static Result<std::unique_ptr<Project::Impl>> openImpl(const fs::path& dir, bool create) {
  try {
    const int flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
    auto impl = std::make_unique<Project::Impl>(dir, flags);
    // A writer waits this long for another writer. 10 s was not always enough on a loaded
    // 2-core machine (the fault test's GUI writer failed while a CLI auto-label shared the
    // file and other jobs shared the cores); a long wait is better than a lost edit.
    impl->db.setBusyTimeout(30000);
    // WAL lets readers (the GUI's list) run while a job writes; NORMAL sync is durable
    // across application crashes, which is what WAL mode guarantees at that level.
    impl->db.exec("PRAGMA journal_mode = WAL");
    impl->db.exec("PRAGMA synchronous = NORMAL");
    impl->db.exec("PRAGMA foreign_keys = ON");
    // A larger page cache keeps the indexes of a 100k-image project in memory (64 MiB).
    impl->db.exec("PRAGMA cache_size = -65536");
    QUARRY_RETURN_IF_ERROR(schema::migrate(impl->db));
    impl->version = impl->db.execAndGet("PRAGMA user_version").getInt();
    QUARRY_RETURN_IF_ERROR(impl->loadRoots());
    return impl;
  } catch (const std::exception& e) {
    return Status::IoError((dir / Project::kStoreFile).string() + ": " + e.what());
  }
}

Result<std::unique_ptr<Project>> Project::create(const fs::path& dirIn) {
  std::error_code ec;
  const fs::path dir = fs::absolute(dirIn, ec).lexically_normal();
  if (fs::exists(dir / kStoreFile, ec))
    return Status::Error(StatusCode::kAlreadyExists, (dir / kStoreFile).string() + ": a project already exists here");
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(dir.string() + ": cannot create folder: " + ec.message());
  for (const char* sub : kSubfolders) {
    fs::create_directories(dir / sub, ec);
    if (ec) return Status::IoError((dir / sub).string() + ": cannot create folder: " + ec.message());
  }
  auto impl = openImpl(dir, true);
  if (!impl.ok()) return impl.status();
  coreLogger()->info("created project {}", dir.string());
  return std::unique_ptr<Project>(new Project(std::move(impl).value()));
}

Result<std::unique_ptr<Project>> Project::open(const fs::path& dirIn) {
  std::error_code ec;
  const fs::path dir = fs::absolute(dirIn, ec).lexically_normal();
  if (!fs::exists(dir / kStoreFile, ec))
    return Status::NotFound((dir / kStoreFile).string() + ": no Quarry project here (run `quarry init` first)");
  auto impl = openImpl(dir, false);
  if (!impl.ok()) return impl.status();
  for (const char* sub : kSubfolders) fs::create_directories(dir / sub, ec);
  return std::unique_ptr<Project>(new Project(std::move(impl).value()));
}

Project::Project(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Project::~Project() = default;

const fs::path& Project::dir() const { return impl_->dir; }
int Project::schemaVersion() const { return impl_->version; }

std::string Project::storedPath(const fs::path& file) const {
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec).lexically_normal();
  impl_->refreshRoots();
  // The innermost root: a root inside another root's folder is the more specific name.
  const ImageRoot* best = nullptr;
  std::optional<fs::path> bestRel;
  for (const ImageRoot& root : impl_->roots)
    if (auto rel = relativeInside(root.effective(), abs))
      if (!best || root.effective().string().size() > best->effective().string().size()) {
        best = &root;
        bestRel = rel;
      }
  if (best) return "$" + best->name + "/" + bestRel->generic_string();
  if (auto rel = relativeInside(impl_->dir, abs)) return rel->generic_string();
  return abs.generic_string();
}

fs::path Project::resolve(const std::string& stored) const {
  if (!stored.empty() && stored[0] == '$') {
    impl_->refreshRoots();
    const std::size_t slash = stored.find('/');
    const std::string name = stored.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    for (const ImageRoot& root : impl_->roots)
      if (root.name == name)
        return slash == std::string::npos ? root.effective() : (root.effective() / stored.substr(slash + 1)).lexically_normal();
    // No such root: a path in the project folder of that name, which will not be found.
  }
  const fs::path p(stored);
  return p.is_absolute() ? p : (impl_->dir / p).lexically_normal();
}

// --- classes -------------------------------------------------------------------------------

Result<std::vector<ClassInfo>> Project::classes() const {
  std::vector<ClassInfo> out;
  Status st = guarded("reading classes", [&] {
    SQLite::Statement q(impl_->db, "SELECT id, name, position, color, group_name FROM classes ORDER BY position, id");
    while (q.executeStep())
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                     q.getColumn(3).getString(), q.getColumn(4).getString()});
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

namespace {

Status classExists(const std::string& name, const std::string& existing) {
  if (name == existing) return Status::Error(StatusCode::kAlreadyExists, "class '" + name + "' already exists");
  return Status::Error(StatusCode::kAlreadyExists,
                       "class '" + name + "' differs only in case from the existing class '" + existing + "'");
}

}  // namespace

Result<ClassId> Project::addClass(const std::string& name, const std::string& color) {
  if (name.empty()) return Status::InvalidArgument("a class name cannot be empty");
  if (!color.empty() && !validColor(color))
    return Status::InvalidArgument("colour '" + color + "' is not of the form #rrggbb");
  ClassId id = 0;
  Status st = inTransaction(*impl_, "adding a class", [&] {
    // Names that differ only in case would be two classes to the store and one to a reader.
    SQLite::Statement exists(impl_->db, "SELECT name FROM classes WHERE name = ? COLLATE NOCASE");
    exists.bind(1, name);
    if (exists.executeStep()) return classExists(name, exists.getColumn(0).getString());
    const int pos = impl_->db.execAndGet("SELECT COALESCE(MAX(position) + 1, 0) FROM classes").getInt();
    SQLite::Statement ins(impl_->db, "INSERT INTO classes(name, position, color) VALUES (?, ?, ?)");
    ins.bind(1, name);
    ins.bind(2, pos);
    ins.bind(3, color.empty() ? defaultColor(pos) : color);
    ins.exec();
    id = impl_->db.getLastInsertRowid();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Result<ClassId> Project::ensureClass(const std::string& name) {
  ClassId id = 0;
  Status st = guarded("finding a class", [&] {
    // Names that differ only in case are one class (addClass refuses a second one).
    SQLite::Statement q(impl_->db, "SELECT id FROM classes WHERE name = ? COLLATE NOCASE ORDER BY name = ? DESC");
    q.bind(1, name);
    q.bind(2, name);
    if (q.executeStep()) id = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (id) return id;
  return addClass(name);
}

Status Project::renameClass(ClassId id, const std::string& newName) {
  if (newName.empty()) return Status::InvalidArgument("a class name cannot be empty");
  return inTransaction(*impl_, "renaming a class", [&] {
    SQLite::Statement dup(impl_->db, "SELECT name FROM classes WHERE name = ? COLLATE NOCASE AND id != ?");
    dup.bind(1, newName);
    dup.bind(2, id);
    if (dup.executeStep()) return classExists(newName, dup.getColumn(0).getString());
    SQLite::Statement q(impl_->db, "UPDATE classes SET name = ? WHERE id = ?");
    q.bind(1, newName);
    q.bind(2, id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no class with id " + std::to_string(id));
  });
}

Status Project::setClassGroup(ClassId id, const std::string& group) {
  if (group.size() > 64) return Status::InvalidArgument("class group '" + group.substr(0, 64) + "...' is longer than 64 characters");
  for (char c : group)
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == ':')
      return Status::InvalidArgument("class group '" + group + "' may not contain spaces, commas or colons (it is a query term, group:NAME)");
  return inTransaction(*impl_, "grouping a class", [&] {
    SQLite::Statement q(impl_->db, "UPDATE classes SET group_name = ? WHERE id = ?");
    q.bind(1, group);
    q.bind(2, id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no class with id " + std::to_string(id));
  });
}

Status Project::setClassColor(ClassId id, const std::string& color) {
  if (!validColor(color)) return Status::InvalidArgument("colour '" + color + "' is not of the form #rrggbb");
  return inTransaction(*impl_, "recolouring a class", [&] {
    SQLite::Statement q(impl_->db, "UPDATE classes SET color = ? WHERE id = ?");
    q.bind(1, color);
    q.bind(2, id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no class with id " + std::to_string(id));
  });
}

Status Project::moveClass(ClassId id, int position) {
  auto all = classes();
  if (!all.ok()) return all.status();
  std::vector<ClassInfo> order = all.value();
  auto it = std::find_if(order.begin(), order.end(), [&](const ClassInfo& c) { return c.id == id; });
  if (it == order.end()) return Status::NotFound("no class with id " + std::to_string(id));
  if (position < 0 || position >= static_cast<int>(order.size()))
    return Status::InvalidArgument("position " + std::to_string(position) + " is outside 0.." +
                                   std::to_string(order.size() - 1));
  ClassInfo moved = *it;
  order.erase(it);
  order.insert(order.begin() + position, moved);
  return inTransaction(*impl_, "reordering classes", [&] {
    SQLite::Statement q(impl_->db, "UPDATE classes SET position = ? WHERE id = ?");
    for (std::size_t i = 0; i < order.size(); ++i) {
      q.bind(1, static_cast<int>(i));
      q.bind(2, order[i].id);
      q.exec();
      q.reset();
    }
    return Status::Ok();
  });
}

// --- batches -------------------------------------------------------------------------------

Project::WriteBatch::WriteBatch(Project& project) : project_(project) {
  Impl& impl = *project_.impl_;
  if (impl.txDepth != 0) {
    status_ = Status::InvalidArgument("a write batch is already open on this project");
    return;
  }
  status_ = guardedWrite(impl, "starting a write batch", [&] {
    impl.db.exec("BEGIN IMMEDIATE");
    impl.txDepth = 1;
    return Status::Ok();
  });
}

Project::WriteBatch::~WriteBatch() {
  Impl& impl = *project_.impl_;
  if (!status_.ok() || impl.txDepth == 0) return;
  try {
    impl.db.exec("ROLLBACK");
  } catch (...) {
  }
  impl.txDepth = 0;
}

Status Project::WriteBatch::commit() {
  if (!status_.ok()) return status_;
  Impl& impl = *project_.impl_;
  status_ = guardedWrite(impl, "committing a write batch", [&] {
    impl.db.exec("COMMIT");
    impl.txDepth = 0;
    impl.db.exec("BEGIN IMMEDIATE");
    impl.txDepth = 1;
    return Status::Ok();
  });
  return status_;
}

}  // namespace quarry
