#include "quarry/store/stream.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace quarry {
namespace {

template <typename Body>
Status withStore(const Project& project, const char* what, bool write, Body body) {
  try {
    SQLite::Database db(project.storeFile().string(), write ? SQLite::OPEN_READWRITE : SQLite::OPEN_READONLY);
    db.setBusyTimeout(30000);
    return body(db);
  } catch (const std::exception& e) {
    return Status::IoError(project.storeFile().string() + ": " + what + ": " + e.what());
  }
}

StreamImage readRow(SQLite::Statement& q) {
  StreamImage s;
  s.image = q.getColumn(0).getInt64();
  s.file = q.getColumn(1).getString();
  s.arrivedAt = q.getColumn(2).getInt64();
  if (!q.getColumn(3).isNull()) s.routedAt = q.getColumn(3).getInt64();
  s.run = q.getColumn(4).isNull() ? "" : q.getColumn(4).getString();
  s.route = q.getColumn(5).isNull() ? "" : q.getColumn(5).getString();
  s.score = q.getColumn(6).isNull() ? 0 : q.getColumn(6).getDouble();
  if (!q.getColumn(7).isNull()) s.queuedAt = q.getColumn(7).getInt64();
  return s;
}

constexpr const char* kColumns = "SELECT image_id, file, arrived_at, routed_at, run, route, score, queued_at FROM stream_images ";

}  // namespace

const char* toString(StreamRoute r) {
  switch (r) {
    case StreamRoute::kEasy: return "easy";
    case StreamRoute::kCandidate: return "candidate";
    case StreamRoute::kFailed: return "failed";
  }
  return "?";
}

Status recordArrivals(const Project& project, const std::vector<Arrival>& images) {
  return withStore(project, "recording arrivals", true, [&](SQLite::Database& db) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db, "INSERT OR IGNORE INTO stream_images(image_id, file, arrived_at) VALUES (?, ?, ?)");
    for (const Arrival& a : images) {
      q.bind(1, a.image);
      q.bind(2, a.file);
      q.bind(3, a.at);
      q.exec();
      q.reset();
    }
    tx.commit();
    return Status::Ok();
  });
}

Result<std::vector<StreamImage>> unroutedStreamImages(const Project& project) {
  std::vector<StreamImage> out;
  Status st = withStore(project, "reading arrivals", false, [&](SQLite::Database& db) {
    SQLite::Statement q(db, std::string(kColumns) + "WHERE routed_at IS NULL ORDER BY image_id");
    while (q.executeStep()) out.push_back(readRow(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<ImageId>> unroutedArrivals(const Project& project) {
  auto rows = unroutedStreamImages(project);
  if (!rows.ok()) return rows.status();
  std::vector<ImageId> out;
  for (const StreamImage& r : *rows) out.push_back(r.image);
  return out;
}

Status recordRoutes(const Project& project, const std::string& run, const std::vector<RouteRecord>& routes,
                    std::int64_t at) {
  return withStore(project, "recording routes", true, [&](SQLite::Database& db) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db, "UPDATE stream_images SET routed_at = ?, run = ?, route = ?, score = ? WHERE image_id = ?");
    for (const RouteRecord& r : routes) {
      q.bind(1, at);
      q.bind(2, run);
      q.bind(3, toString(r.route));
      q.bind(4, r.score);
      q.bind(5, r.image);
      q.exec();
      q.reset();
    }
    tx.commit();
    return Status::Ok();
  });
}

Result<std::vector<StreamImage>> waitingCandidates(const Project& project, std::int64_t since) {
  std::vector<StreamImage> out;
  Status st = withStore(project, "reading the queue's candidates", false, [&](SQLite::Database& db) {
    SQLite::Statement q(db, std::string(kColumns) +
                                "WHERE route IN ('candidate', 'failed') AND queued_at IS NULL AND arrived_at >= ? "
                                "ORDER BY score DESC, image_id");
    q.bind(1, since);
    while (q.executeStep()) out.push_back(readRow(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::int64_t> queuedSince(const Project& project, std::int64_t since) {
  std::int64_t n = 0;
  Status st = withStore(project, "counting the queue", false, [&](SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT COUNT(*) FROM stream_images WHERE queued_at >= ?");
    q.bind(1, since);
    if (q.executeStep()) n = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

Status recordQueued(const Project& project, const std::vector<ImageId>& images, std::int64_t at) {
  return withStore(project, "recording the queue", true, [&](SQLite::Database& db) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db, "UPDATE stream_images SET queued_at = ? WHERE image_id = ? AND queued_at IS NULL");
    for (ImageId id : images) {
      q.bind(1, at);
      q.bind(2, id);
      q.exec();
      q.reset();
    }
    tx.commit();
    return Status::Ok();
  });
}

Result<std::vector<StreamImage>> streamImages(const Project& project) {
  std::vector<StreamImage> out;
  Status st = withStore(project, "reading the stream", false, [&](SQLite::Database& db) {
    SQLite::Statement q(db, std::string(kColumns) + "ORDER BY arrived_at, image_id");
    while (q.executeStep()) out.push_back(readRow(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace quarry
