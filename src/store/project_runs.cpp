// Project: model runs, per-image scores, and summary statistics.
#include <algorithm>

#include "store/project_impl.h"

namespace quarry {
namespace {

ModelRun readRun(SQLite::Statement& q) {
  ModelRun r;
  r.id = q.getColumn(0).getInt64();
  r.name = q.getColumn(1).getString();
  r.trainedOn = q.getColumn(2).getString();
  r.paramsJson = q.getColumn(3).getString();
  r.metricsJson = q.getColumn(4).getString();
  r.checkpoint = q.getColumn(5).getString();
  r.createdAt = q.getColumn(6).getInt64();
  return r;
}

constexpr const char* kRunColumns =
    "SELECT id, name, trained_on, params, metrics, checkpoint, created_at FROM model_runs ";

}  // namespace

Status validRunName(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("a model run needs a name");
  if (name.size() > 64) return Status::InvalidArgument("model run name '" + name.substr(0, 64) + "...' is longer than 64 characters");
  const bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
  if (!allowed || name.front() == '.')
    return Status::InvalidArgument("model run name '" + name +
                                   "' is also a folder under models/: use letters, digits, '-', '_' and '.', "
                                   "not starting with '.'");
  return Status::Ok();
}

Result<RunId> Project::addRun(const ModelRun& run) {
  QUARRY_RETURN_IF_ERROR(validRunName(run.name));
  RunId id = 0;
  Status st = inTransaction(*impl_, "adding a model run", [&] {
    SQLite::Statement dup(impl_->db, "SELECT 1 FROM model_runs WHERE name = ?");
    dup.bind(1, run.name);
    if (dup.executeStep()) return Status::Error(StatusCode::kAlreadyExists, "model run '" + run.name + "' already exists");
    SQLite::Statement q(impl_->db,
                        "INSERT INTO model_runs(name, trained_on, params, metrics, checkpoint, created_at) "
                        "VALUES (?,?,?,?,?,?)");
    q.bind(1, run.name);
    q.bind(2, run.trainedOn);
    q.bind(3, run.paramsJson);
    q.bind(4, run.metricsJson);
    q.bind(5, run.checkpoint);
    q.bind(6, nowMillis());
    q.exec();
    id = impl_->db.getLastInsertRowid();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Result<std::vector<ModelRun>> Project::runs() const {
  std::vector<ModelRun> out;
  Status st = guarded("reading model runs", [&] {
    SQLite::Statement q(impl_->db, std::string(kRunColumns) + "ORDER BY id");
    while (q.executeStep()) out.push_back(readRun(q));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<ModelRun>> Project::findRun(const std::string& name) const {
  std::optional<ModelRun> out;
  Status st = guarded("finding a model run", [&] {
    SQLite::Statement q(impl_->db, std::string(kRunColumns) + "WHERE name = ?");
    q.bind(1, name);
    if (q.executeStep()) out = readRun(q);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status Project::setRunMetrics(RunId id, const std::string& metricsJson) {
  return inTransaction(*impl_, "saving run metrics", [&] {
    SQLite::Statement q(impl_->db, "UPDATE model_runs SET metrics = ? WHERE id = ?");
    q.bind(1, metricsJson);
    q.bind(2, id);
    return q.exec() == 1 ? Status::Ok() : Status::NotFound("no model run with id " + std::to_string(id));
  });
}

Status Project::putScores(const std::vector<ImageScore>& scores) {
  return inTransaction(*impl_, "saving image scores", [&] {
    SQLite::Statement q(impl_->db,
                        "INSERT OR REPLACE INTO image_scores(run_id, image_id, score, difficulty, detections, "
                        "components) VALUES (?,?,?,?,?,?)");
    for (const ImageScore& s : scores) {
      q.bind(1, s.run);
      q.bind(2, s.image);
      q.bind(3, s.score);
      q.bind(4, static_cast<int>(s.difficulty));
      q.bind(5, s.detections);
      q.bind(6, s.componentsJson);
      q.exec();
      q.reset();
    }
    return Status::Ok();
  });
}

Result<std::optional<ImageScore>> Project::score(RunId run, ImageId image) const {
  std::optional<ImageScore> out;
  Status st = guarded("reading an image score", [&] {
    SQLite::Statement q(impl_->db,
                        "SELECT score, difficulty, detections, components FROM image_scores "
                        "WHERE run_id = ? AND image_id = ?");
    q.bind(1, run);
    q.bind(2, image);
    if (q.executeStep()) {
      ImageScore s;
      s.run = run;
      s.image = image;
      s.score = q.getColumn(0).getDouble();
      s.difficulty = static_cast<Difficulty>(q.getColumn(1).getInt());
      s.detections = q.getColumn(2).getInt();
      s.componentsJson = q.getColumn(3).getString();
      out = s;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<ImageScore>> Project::scores(RunId run) const {
  std::vector<ImageScore> out;
  Status st = guarded("reading image scores", [&] {
    SQLite::Statement q(impl_->db,
                        "SELECT image_id, score, difficulty, detections, components FROM image_scores "
                        "WHERE run_id = ? ORDER BY image_id");
    q.bind(1, run);
    while (q.executeStep()) {
      ImageScore s;
      s.run = run;
      s.image = q.getColumn(0).getInt64();
      s.score = q.getColumn(1).getDouble();
      s.difficulty = static_cast<Difficulty>(q.getColumn(2).getInt());
      s.detections = q.getColumn(3).getInt();
      s.componentsJson = q.getColumn(4).getString();
      out.push_back(std::move(s));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<ProjectStats> Project::stats() const {
  ProjectStats s;
  Status st = guarded("computing statistics", [&] {
    auto& db = impl_->db;
    s.images = db.execAndGet("SELECT COUNT(*) FROM images").getInt64();
    s.boxes = db.execAndGet("SELECT COUNT(*) FROM boxes").getInt64();
    SQLite::Statement pc(db,
                         "SELECT c.name, COUNT(b.id), COUNT(DISTINCT b.image_id) FROM classes c "
                         "LEFT JOIN boxes b ON b.class_id = c.id GROUP BY c.id ORDER BY c.position, c.id");
    while (pc.executeStep()) s.perClass.push_back({pc.getColumn(0).getString(), pc.getColumn(1).getInt64(), pc.getColumn(2).getInt64()});
    SQLite::Statement ps(db, "SELECT status, COUNT(*) FROM images GROUP BY status");
    while (ps.executeStep()) s.perStatus[ps.getColumn(0).getInt()] = ps.getColumn(1).getInt64();
    SQLite::Statement pb(db, "SELECT source, COUNT(*) FROM boxes GROUP BY source");
    while (pb.executeStep()) s.perSource[pb.getColumn(0).getInt()] = pb.getColumn(1).getInt64();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  auto t = tags();
  if (!t.ok()) return t.status();
  s.perTag = t.value();
  return s;
}

}  // namespace quarry
