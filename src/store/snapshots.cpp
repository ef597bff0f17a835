#include "quarry/store/snapshots.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <optional>

#include "quarry/core/log.h"
#include "quarry/store/project.h"
#include "store/project_impl.h"
#include "store/schema.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

constexpr const char* kFolder = "snapshots";
constexpr const char* kSuffix = ".quarry";
// Pages copied per backup step: small enough for progress to move on a large store.
constexpr int kPagesPerStep = 256;

std::string utcStamp(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

fs::path folderOf(const fs::path& projectDir) { return projectDir / kFolder; }
fs::path fileOf(const fs::path& projectDir, const std::string& name) {
  return folderOf(projectDir) / (name + kSuffix);
}
fs::path storeOf(const fs::path& projectDir) { return projectDir / Project::kStoreFile; }

Status storeExists(const fs::path& projectDir) {
  std::error_code ec;
  if (!fs::exists(storeOf(projectDir), ec))
    return Status::NotFound(storeOf(projectDir).string() + ": no Quarry project here (run `quarry init` first)");
  return Status::Ok();
}

template <typename Body>
Status sqliteGuard(const std::string& what, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::IoError(what + ": " + e.what());
  }
}

// Copies `src` into `dst` page by page; false from `progress` stops (the caller removes what
// was written). A busy source or destination is waited for, as a writer waits elsewhere.
Status copyPages(SQLite::Database& dst, SQLite::Database& src, const ProgressFn& progress, const char* stage) {
  SQLite::Backup backup(dst, src);
  if (!reportProgress(progress, 0, 0, stage)) return Status::Cancelled();
  for (;;) {
    const int rc = backup.executeStep(kPagesPerStep);
    const int total = backup.getTotalPageCount();
    const int done = total - backup.getRemainingPageCount();
    if (rc == SQLITE_DONE) {
      (void)reportProgress(progress, static_cast<std::size_t>(total), static_cast<std::size_t>(total), stage);
      return Status::Ok();
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    if (!reportProgress(progress, static_cast<std::size_t>(done), static_cast<std::size_t>(total), stage))
      return Status::Cancelled();
  }
}

std::optional<std::string> infoValue(SQLite::Database& db, const std::string& key) {
  SQLite::Statement q(db, "SELECT value FROM project_info WHERE key = ?");
  q.bind(1, key);
  if (q.executeStep()) return q.getColumn(0).getString();
  return std::nullopt;
}

Result<SnapshotInfo> readInfo(const fs::path& file) {
  SnapshotInfo info;
  info.name = file.stem().string();
  info.file = file;
  std::error_code ec;
  info.bytes = fs::file_size(file, ec);
  Status st = sqliteGuard(file.string(), [&] {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    info.schemaVersion = db.execAndGet("PRAGMA user_version").getInt();
    if (info.schemaVersion >= 5) {
      if (auto at = infoValue(db, "snapshot.created_at")) info.createdAt = std::stoll(*at);
      if (auto note = infoValue(db, "snapshot.note")) info.note = *note;
    }
    info.images = db.execAndGet("SELECT COUNT(*) FROM images").getInt64();
    info.boxes = db.execAndGet("SELECT COUNT(*) FROM boxes").getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (info.createdAt == 0) {  // made before the key existed: the file's time
    const auto t = fs::last_write_time(file, ec);
    if (!ec) {  // C++17 has no file_clock::to_sys: shift by the two clocks' distance now
      const auto age = fs::file_time_type::clock::now() - t;
      info.createdAt = nowMillis() - std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
    }
  }
  return info;
}

// The file for a name given to diff: a snapshot's, or the live store's for kCurrentState.
Result<fs::path> fileForDiff(const fs::path& projectDir, const std::string& name) {
  if (name == kCurrentState) return storeOf(projectDir);
  auto found = findSnapshot(projectDir, name);
  if (!found.ok()) return found.status();
  return found->file;
}

std::string newRootName(const std::string& folderName) {
  std::string name;
  for (char c : folderName)
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '-';
  if (name.size() > 48) name.resize(48);
  if (validRootName(name).ok()) return name;
  return "origin";
}

}  // namespace

ClassChange SnapshotDiff::totalBoxes() const {
  ClassChange t;
  for (const auto& [name, c] : classes) {
    t.added += c.added;
    t.removed += c.removed;
    t.changed += c.changed;
  }
  return t;
}

Status validSnapshotName(const std::string& name) {
  const bool charsOk = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (name.empty() || name.size() > 64 || !charsOk || !std::isalnum(static_cast<unsigned char>(name[0])))
    return Status::InvalidArgument("snapshot name '" + name +
                                   "': use 1 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit");
  if (name == kCurrentState)
    return Status::InvalidArgument("snapshot name '" + name + "' is taken: it means the project's current state");
  return Status::Ok();
}

Result<SnapshotInfo> createSnapshot(const fs::path& projectDir, const std::string& nameIn, const std::string& note,
                                    const ProgressFn& progress) {
  QUARRY_RETURN_IF_ERROR(storeExists(projectDir));
  const std::int64_t at = nowMillis();
  std::string name = nameIn.empty() ? utcStamp(at) : nameIn;
  QUARRY_RETURN_IF_ERROR(validSnapshotName(name));
  std::error_code ec;
  fs::create_directories(folderOf(projectDir), ec);
  if (ec) return Status::IoError(folderOf(projectDir).string() + ": cannot create folder: " + ec.message());
  if (nameIn.empty())  // two automatic snapshots in one second
    for (int i = 2; fs::exists(fileOf(projectDir, name), ec); ++i) name = utcStamp(at) + "-" + std::to_string(i);
  const fs::path file = fileOf(projectDir, name);
  if (fs::exists(file, ec))
    return Status::Error(StatusCode::kAlreadyExists, file.string() + ": a snapshot named '" + name + "' exists");
  // Written beside its final name and renamed when complete: a crash or a cancel never leaves a
  // snapshot that looks whole.
  const fs::path part = file.string() + ".part";
  fs::remove(part, ec);
  Status st = sqliteGuard(storeOf(projectDir).string(), [&] {
    SQLite::Database src(storeOf(projectDir).string(), SQLite::OPEN_READONLY);
    src.setBusyTimeout(30000);
    {
      SQLite::Database dst(part.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      QUARRY_RETURN_IF_ERROR(copyPages(dst, src, progress, "snapshot"));
      // A backup keeps the source's WAL flag; a snapshot is a plain file that nothing writes to.
      dst.exec("PRAGMA journal_mode = DELETE");
      if (dst.execAndGet("PRAGMA user_version").getInt() >= 5) {
        SQLite::Statement put(dst, "INSERT OR REPLACE INTO project_info(key, value) VALUES (?, ?)");
        for (const auto& [k, v] : {std::pair<std::string, std::string>{"snapshot.created_at", std::to_string(at)},
                                   {"snapshot.note", note}}) {
          put.bind(1, k);
          put.bind(2, v);
          put.exec();
          put.reset();
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    fs::remove(part, ec);
    return st;
  }
  fs::rename(part, file, ec);
  if (ec) {
    fs::remove(part, ec);
    return Status::IoError(file.string() + ": cannot be written: " + ec.message());
  }
  coreLogger()->info("snapshot {} of {}", name, projectDir.string());
  return readInfo(file);
}

Result<std::vector<SnapshotInfo>> listSnapshots(const fs::path& projectDir) {
  QUARRY_RETURN_IF_ERROR(storeExists(projectDir));
  std::vector<SnapshotInfo> out;
  std::error_code ec;
  if (!fs::is_directory(folderOf(projectDir), ec)) return out;
  for (const auto& entry : fs::directory_iterator(folderOf(projectDir), ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != kSuffix) continue;
    auto info = readInfo(entry.path());
    if (!info.ok()) return info.status();
    out.push_back(std::move(info).value());
  }
  std::sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
    return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.name < b.name;
  });
  return out;
}

Result<SnapshotInfo> findSnapshot(const fs::path& projectDir, const std::string& name) {
  QUARRY_RETURN_IF_ERROR(storeExists(projectDir));
  if (name != kCurrentState) QUARRY_RETURN_IF_ERROR(validSnapshotName(name));
  std::error_code ec;
  const fs::path file = fileOf(projectDir, name);
  if (name == kCurrentState || !fs::exists(file, ec))
    return Status::NotFound("no snapshot '" + name + "' in " + folderOf(projectDir).string() +
                            " (quarry snapshot list shows them)");
  return readInfo(file);
}

Status deleteSnapshot(const fs::path& projectDir, const std::string& name) {
  auto found = findSnapshot(projectDir, name);
  if (!found.ok()) return found.status();
  std::error_code ec;
  fs::remove(found->file, ec);
  if (ec) return Status::IoError(found->file.string() + ": cannot be deleted: " + ec.message());
  return Status::Ok();
}

Result<SnapshotDiff> diffSnapshots(const fs::path& projectDir, const std::string& from, const std::string& to) {
  QUARRY_RETURN_IF_ERROR(storeExists(projectDir));
  auto a = fileForDiff(projectDir, from);
  if (!a.ok()) return a.status();
  auto b = fileForDiff(projectDir, to);
  if (!b.ok()) return b.status();
  SnapshotDiff diff;
  diff.from = from;
  diff.to = to;
  Status st = sqliteGuard("comparing '" + from + "' with '" + to + "'", [&] {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    db.setBusyTimeout(30000);
    for (const auto& [alias, file] : {std::pair<const char*, fs::path>{"a", *a}, {"b", *b}}) {
      SQLite::Statement attach(db, std::string("ATTACH DATABASE ? AS ") + alias);
      attach.bind(1, file.string());
      attach.exec();
    }
    // A box is the same box when id and creation time agree.
    const std::string same = "o.id = n.id AND o.created_at = n.created_at";
    const std::string changed =
        "o.image_id IS NOT n.image_id OR o.class_id IS NOT n.class_id OR o.x IS NOT n.x OR o.y IS NOT n.y OR "
        "o.w IS NOT n.w OR o.h IS NOT n.h OR o.source IS NOT n.source OR o.run_id IS NOT n.run_id OR "
        "o.score IS NOT n.score";
    auto perClass = [&](const std::string& sql, std::int64_t ClassChange::*field) {
      SQLite::Statement q(db, sql);
      while (q.executeStep()) diff.classes[q.getColumn(0).getString()].*field += q.getColumn(1).getInt64();
    };
    perClass("SELECT c.name, COUNT(*) FROM b.boxes n JOIN b.classes c ON c.id = n.class_id "
             "WHERE NOT EXISTS (SELECT 1 FROM a.boxes o WHERE " + same + ") GROUP BY c.name",
             &ClassChange::added);
    perClass("SELECT c.name, COUNT(*) FROM a.boxes o JOIN a.classes c ON c.id = o.class_id "
             "WHERE NOT EXISTS (SELECT 1 FROM b.boxes n WHERE " + same + ") GROUP BY c.name",
             &ClassChange::removed);
    perClass("SELECT c.name, COUNT(*) FROM b.boxes n JOIN a.boxes o ON " + same +
             " JOIN b.classes c ON c.id = n.class_id WHERE " + changed + " GROUP BY c.name",
             &ClassChange::changed);
    diff.imagesWithBoxChanges =
        db.execAndGet(
              "SELECT COUNT(*) FROM ("
              "SELECT n.image_id AS i FROM b.boxes n WHERE NOT EXISTS (SELECT 1 FROM a.boxes o WHERE " + same + ") "
              "UNION SELECT o.image_id FROM a.boxes o WHERE NOT EXISTS (SELECT 1 FROM b.boxes n WHERE " + same + ") "
              "UNION SELECT n.image_id FROM b.boxes n JOIN a.boxes o ON " + same + " WHERE " + changed +
              " UNION SELECT o.image_id FROM b.boxes n JOIN a.boxes o ON " + same + " WHERE " + changed + ")")
            .getInt64();
    // Tags by name: a tag made again after a delete is the same tag to a user.
    auto perTag = [&](const char* sql, std::int64_t TagChange::*field) {
      SQLite::Statement q(db, sql);
      while (q.executeStep()) diff.tags[q.getColumn(0).getString()].*field += q.getColumn(1).getInt64();
    };
    perTag("SELECT t.name, COUNT(*) FROM b.image_tags it JOIN b.tags t ON t.id = it.tag_id "
           "WHERE NOT EXISTS (SELECT 1 FROM a.image_tags ot JOIN a.tags t2 ON t2.id = ot.tag_id "
           "WHERE t2.name = t.name AND ot.image_id = it.image_id) GROUP BY t.name",
           &TagChange::added);
    perTag("SELECT t.name, COUNT(*) FROM a.image_tags it JOIN a.tags t ON t.id = it.tag_id "
           "WHERE NOT EXISTS (SELECT 1 FROM b.image_tags nt JOIN b.tags t2 ON t2.id = nt.tag_id "
           "WHERE t2.name = t.name AND nt.image_id = it.image_id) GROUP BY t.name",
           &TagChange::removed);
    diff.imagesAdded = db.execAndGet("SELECT COUNT(*) FROM b.images n WHERE NOT EXISTS "
                                     "(SELECT 1 FROM a.images o WHERE o.id = n.id AND o.path = n.path)")
                           .getInt64();
    diff.imagesRemoved = db.execAndGet("SELECT COUNT(*) FROM a.images o WHERE NOT EXISTS "
                                       "(SELECT 1 FROM b.images n WHERE o.id = n.id AND o.path = n.path)")
                             .getInt64();
    diff.statusChanged = db.execAndGet("SELECT COUNT(*) FROM a.images o JOIN b.images n ON o.id = n.id AND "
                                       "o.path = n.path WHERE o.status <> n.status")
                             .getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (auto it = diff.classes.begin(); it != diff.classes.end();)
    it = it->second.added || it->second.removed || it->second.changed ? std::next(it) : diff.classes.erase(it);
  return diff;
}

Result<SnapshotInfo> restoreSnapshot(const fs::path& projectDir, const std::string& name, const ProgressFn& progress) {
  auto found = findSnapshot(projectDir, name);
  if (!found.ok()) return found.status();
  if (found->schemaVersion > schema::latestVersion())
    return Status::Error(StatusCode::kIncompatible, found->file.string() + ": written by a newer Quarry (schema " +
                                                        std::to_string(found->schemaVersion) + ")");
  auto safety = createSnapshot(projectDir, "before-restore-" + utcStamp(nowMillis()), "before restoring " + name);
  if (!safety.ok() && safety.status().code() == StatusCode::kAlreadyExists)  // a second restore in one second
    safety = createSnapshot(projectDir, "", "before restoring " + name);
  if (!safety.ok()) return safety.status();
  Status st = sqliteGuard(storeOf(projectDir).string(), [&] {
    SQLite::Database src(found->file.string(), SQLite::OPEN_READONLY);
    SQLite::Database dst(storeOf(projectDir).string(), SQLite::OPEN_READWRITE);
    dst.setBusyTimeout(30000);
    // One copy is one transaction on the destination: a cancel or a crash leaves the state as
    // it was (the safety snapshot has it as well).
    QUARRY_RETURN_IF_ERROR(copyPages(dst, src, progress, "restore"));
    dst.exec("PRAGMA journal_mode = WAL");
    dst.exec("DELETE FROM project_info WHERE key IN ('snapshot.created_at', 'snapshot.note')");
    return schema::migrate(dst);
  });
  if (!st.ok()) return st;
  coreLogger()->info("restored snapshot {} into {} (the state before is snapshot {})", name, projectDir.string(),
                     safety->name);
  return safety;
}

Status restoreSnapshotInto(const fs::path& projectDir, const std::string& name, const fs::path& newDirIn) {
  auto found = findSnapshot(projectDir, name);
  if (!found.ok()) return found.status();
  std::error_code ec;
  const fs::path oldDir = fs::absolute(projectDir, ec).lexically_normal();
  const fs::path newDir = fs::absolute(newDirIn, ec).lexically_normal();
  if (fs::exists(storeOf(newDir), ec))
    return Status::Error(StatusCode::kAlreadyExists, storeOf(newDir).string() + ": a project already exists here");
  fs::create_directories(newDir, ec);
  if (ec) return Status::IoError(newDir.string() + ": cannot create folder: " + ec.message());
  Status st = sqliteGuard(storeOf(newDir).string(), [&] {
    SQLite::Database src(found->file.string(), SQLite::OPEN_READONLY);
    SQLite::Database dst(storeOf(newDir).string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    QUARRY_RETURN_IF_ERROR(copyPages(dst, src, {}, "restore"));
    QUARRY_RETURN_IF_ERROR(schema::migrate(dst));
    {  // statements end with the scope, so no read is open when the journal mode changes
      SQLite::Transaction tx(dst);
      dst.exec("DELETE FROM project_info WHERE key IN ('snapshot.created_at', 'snapshot.note')");
      dst.exec("UPDATE project_info SET value = lower(hex(randomblob(16))) WHERE key = 'id'");
      // Paths relative to the old folder go under a root there; the root's name must be new.
      std::string root = newRootName(oldDir.filename().string());
      for (int i = 2;; ++i) {
        SQLite::Statement q(dst, "SELECT 1 FROM image_roots WHERE name = ?");
        q.bind(1, root);
        if (!q.executeStep()) break;
        root = newRootName(oldDir.filename().string()) + "-" + std::to_string(i);
      }
      SQLite::Statement relative(dst, "SELECT COUNT(*) FROM images WHERE substr(path, 1, 1) NOT IN ('$', '/')");
      relative.executeStep();
      if (relative.getColumn(0).getInt64() > 0) {
        SQLite::Statement addRoot(dst, "INSERT INTO image_roots(name, location) VALUES (?, ?)");
        addRoot.bind(1, root);
        addRoot.bind(2, oldDir.generic_string());
        addRoot.exec();
        SQLite::Statement move(dst, "UPDATE images SET path = '$' || ? || '/' || path "
                                    "WHERE substr(path, 1, 1) NOT IN ('$', '/')");
        move.bind(1, root);
        move.exec();
      }
      SQLite::Statement checkpoints(dst, "UPDATE model_runs SET checkpoint = ? || '/' || checkpoint "
                                         "WHERE checkpoint <> '' AND substr(checkpoint, 1, 1) <> '/'");
      checkpoints.bind(1, oldDir.generic_string());
      checkpoints.exec();
      tx.commit();
    }
    dst.exec("PRAGMA journal_mode = WAL");
    return Status::Ok();
  });
  if (!st.ok()) {
    fs::remove(storeOf(newDir), ec);
    return st;
  }
  // Open once: the project's folders are made, as `quarry init` makes them.
  auto opened = Project::open(newDir);
  return opened.ok() ? Status::Ok() : opened.status();
}

}  // namespace quarry
