#include "quarry/store/provenance.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "store/project_impl.h"

namespace quarry {
namespace {

bool isTruth(const Box& b) { return b.source != BoxSource::kAuto; }

// The canonical text the digest is taken of: one line per image, its boxes in id order with
// geometry at the store's precision (doubles printed exactly).
std::string canonical(const LabelState& s) {
  std::string out;
  char buf[160];
  for (const ImageLabelState& im : s.images) {
    std::snprintf(buf, sizeof buf, "%c%lld:", im.validation ? 'v' : 't', static_cast<long long>(im.image));
    out += buf;
    for (const Box& b : im.boxes) {
      std::snprintf(buf, sizeof buf, " %lld,%lld,%a,%a,%a,%a", static_cast<long long>(b.id), static_cast<long long>(b.cls),
                    b.x, b.y, b.w, b.h);
      out += buf;
    }
    out += '\n';
  }
  return out;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

nlohmann::json boxesJson(const std::vector<Box>& boxes) {
  nlohmann::json a = nlohmann::json::array();
  for (const Box& b : boxes) a.push_back({b.id, b.createdAt, b.cls, b.x, b.y, b.w, b.h});
  return a;
}

struct RecordedBox {
  std::int64_t createdAt = 0;
  ClassId cls = 0;
  double x = 0, y = 0, w = 0, h = 0;
};

template <typename Body>
Status guard(const std::string& what, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::IoError(what + ": " + e.what());
  }
}

}  // namespace

Result<LabelState> captureLabelState(const Project& project, const std::vector<ImageId>& train,
                                     const std::vector<ImageId>& validation) {
  LabelState state;
  state.capturedAt = nowMillis();
  for (const auto* ids : {&train, &validation}) {
    std::vector<ImageId> sorted = *ids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    auto boxes = project.boxesOfImages(sorted);
    if (!boxes.ok()) return boxes.status();
    std::map<ImageId, std::vector<Box>> byImage;
    for (const Box& b : *boxes)
      if (isTruth(b)) byImage[b.image].push_back(b);
    for (ImageId id : sorted) {
      ImageLabelState im;
      im.image = id;
      im.validation = ids == &validation;
      im.boxes = std::move(byImage[id]);
      std::sort(im.boxes.begin(), im.boxes.end(), [](const Box& a, const Box& b) { return a.id < b.id; });
      state.images.push_back(std::move(im));
    }
  }
  const std::string text = canonical(state);
  state.digest = hex64(XXH3_64bits(text.data(), text.size()));
  return state;
}

Status recordLabelState(Project& project, RunId run, const LabelState& state) {
  return guard(project.storeFile().string() + ": recording what run " + std::to_string(run) + " was trained on", [&] {
    SQLite::Database db(project.storeFile().string(), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(30000);
    db.exec("PRAGMA foreign_keys = ON");
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    {
      SQLite::Statement known(db, "SELECT 1 FROM model_runs WHERE id = ?");
      known.bind(1, run);
      if (!known.executeStep()) return Status::NotFound("no model run with id " + std::to_string(run));
    }
    SQLite::Statement clear(db, "DELETE FROM run_labels WHERE run_id = ?");
    clear.bind(1, run);
    clear.exec();
    SQLite::Statement head(db, "INSERT OR REPLACE INTO run_provenance(run_id, digest, captured_at) VALUES (?, ?, ?)");
    head.bind(1, run);
    head.bind(2, state.digest);
    head.bind(3, state.capturedAt);
    head.exec();
    SQLite::Statement put(db, "INSERT INTO run_labels(run_id, image_id, role, boxes) VALUES (?, ?, ?, ?)");
    for (const ImageLabelState& im : state.images) {
      put.bind(1, run);
      put.bind(2, im.image);
      put.bind(3, im.validation ? 1 : 0);
      put.bind(4, boxesJson(im.boxes).dump());
      put.exec();
      put.reset();
    }
    tx.commit();
    return Status::Ok();
  });
}

Result<RunProvenance> runProvenance(const Project& project, RunId run) {
  RunProvenance out;
  std::vector<std::pair<ImageId, bool>> images;
  std::map<ImageId, std::map<BoxId, RecordedBox>> recorded;
  Status st = guard(project.storeFile().string() + ": reading what run " + std::to_string(run) + " was trained on", [&] {
    SQLite::Database db(project.storeFile().string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(30000);
    {
      SQLite::Statement known(db, "SELECT 1 FROM model_runs WHERE id = ?");
      known.bind(1, run);
      if (!known.executeStep()) return Status::NotFound("no model run with id " + std::to_string(run));
    }
    SQLite::Statement head(db, "SELECT digest, captured_at FROM run_provenance WHERE run_id = ?");
    head.bind(1, run);
    if (!head.executeStep()) return Status::Ok();
    out.recorded = true;
    out.digest = head.getColumn(0).getString();
    out.capturedAt = head.getColumn(1).getInt64();
    SQLite::Statement rows(db, "SELECT image_id, role, boxes FROM run_labels WHERE run_id = ? ORDER BY role, image_id");
    rows.bind(1, run);
    while (rows.executeStep()) {
      const ImageId id = rows.getColumn(0).getInt64();
      const bool val = rows.getColumn(1).getInt() == 1;
      images.emplace_back(id, val);
      auto& boxes = recorded[id];
      for (const auto& b : nlohmann::json::parse(rows.getColumn(2).getString()))
        boxes[b.at(0).get<BoxId>()] = {b.at(1).get<std::int64_t>(), b.at(2).get<ClassId>(), b.at(3).get<double>(),
                                       b.at(4).get<double>(), b.at(5).get<double>(), b.at(6).get<double>()};
      (val ? out.valImages : out.trainImages) += 1;
      (val ? out.valBoxes : out.trainBoxes) += static_cast<std::int64_t>(boxes.size());
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!out.recorded) return out;

  std::vector<ImageId> ids;
  for (const auto& [id, val] : images) ids.push_back(id);
  auto present = project.images(ids);
  if (!present.ok()) return present.status();
  std::set<ImageId> stillThere;
  for (const auto& im : *present) stillThere.insert(im.id);
  auto nowBoxes = project.boxesOfImages(ids);
  if (!nowBoxes.ok()) return nowBoxes.status();
  std::map<ImageId, std::vector<Box>> current;
  for (const Box& b : *nowBoxes)
    if (isTruth(b)) current[b.image].push_back(b);

  for (const auto& [id, val] : images) {
    LabelChanges& c = val ? out.valSince : out.trainSince;
    const auto& had = recorded[id];
    if (!stillThere.count(id)) {
      c.imagesGone += 1;
      c.removed += static_cast<std::int64_t>(had.size());
      if (!had.empty()) c.imagesChanged += 1;
      continue;
    }
    std::int64_t added = 0, removed = 0, changed = 0;
    std::set<BoxId> seen;
    for (const Box& b : current[id]) {
      auto it = had.find(b.id);
      if (it == had.end() || it->second.createdAt != b.createdAt) {
        ++added;
        continue;
      }
      seen.insert(b.id);
      const RecordedBox& r = it->second;
      if (r.cls != b.cls || r.x != b.x || r.y != b.y || r.w != b.w || r.h != b.h) ++changed;
    }
    for (const auto& [bid, r] : had)
      if (!seen.count(bid)) ++removed;
    c.added += added;
    c.removed += removed;
    c.changed += changed;
    if (added || removed || changed) c.imagesChanged += 1;
  }
  return out;
}

}  // namespace quarry
