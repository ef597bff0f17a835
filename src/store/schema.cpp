#include "store/schema.h"

#include <string>
#include <vector>

namespace quarry::schema {
namespace {

// Each entry moves the schema one version forward. Never edit a released entry: add one.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> steps = {
      // 1: the base store.
      R"sql(
      CREATE TABLE classes(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        position INTEGER NOT NULL,
        color TEXT NOT NULL);
      CREATE TABLE images(
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        hash TEXT NOT NULL,
        status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1, 2)),
        added_at INTEGER NOT NULL);
      CREATE INDEX images_hash ON images(hash);
      CREATE INDEX images_status ON images(status, id);
      CREATE TABLE model_runs(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        trained_on TEXT NOT NULL DEFAULT '',
        params TEXT NOT NULL DEFAULT '{}',
        metrics TEXT NOT NULL DEFAULT '{}',
        checkpoint TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL);
      CREATE TABLE boxes(
        id INTEGER PRIMARY KEY,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE RESTRICT,
        x REAL NOT NULL, y REAL NOT NULL,
        w REAL NOT NULL CHECK(w > 0), h REAL NOT NULL CHECK(h > 0),
        source INTEGER NOT NULL DEFAULT 0 CHECK(source IN (0, 1, 2)),
        run_id INTEGER REFERENCES model_runs(id) ON DELETE SET NULL,
        score REAL,
        author TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL);
      CREATE INDEX boxes_image ON boxes(image_id, class_id);
      CREATE INDEX boxes_class_image ON boxes(class_id, image_id);
      CREATE INDEX boxes_source_image ON boxes(source, image_id);
      CREATE INDEX boxes_run ON boxes(run_id) WHERE run_id IS NOT NULL;
      CREATE TABLE tags(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE);
      CREATE TABLE image_tags(
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        PRIMARY KEY(tag_id, image_id)) WITHOUT ROWID;
      CREATE INDEX image_tags_image ON image_tags(image_id, tag_id);
      CREATE TABLE image_scores(
        run_id INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        difficulty INTEGER NOT NULL CHECK(difficulty IN (0, 1, 2)),
        detections INTEGER NOT NULL,
        components TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY(run_id, image_id)) WITHOUT ROWID;
      CREATE INDEX image_scores_difficulty ON image_scores(run_id, difficulty, image_id);
      CREATE INDEX image_scores_image ON image_scores(image_id);
      )sql",
      // 2: saved views (a named filter of the GUI's image list).
      R"sql(
      CREATE TABLE saved_views(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        query TEXT NOT NULL);
      )sql",
      // 3: a box count per image, kept by triggers, so the list sorts by it from an index.
      R"sql(
      ALTER TABLE images ADD COLUMN box_count INTEGER NOT NULL DEFAULT 0;
      UPDATE images SET box_count = (SELECT COUNT(*) FROM boxes WHERE boxes.image_id = images.id);
      CREATE INDEX images_box_count ON images(box_count, id);
      -- The first box also makes an unlabeled image labeled.
      CREATE TRIGGER boxes_count_insert AFTER INSERT ON boxes BEGIN
        UPDATE images SET box_count = box_count + 1, status = MAX(status, 1) WHERE id = NEW.image_id;
      END;
      CREATE TRIGGER boxes_count_delete AFTER DELETE ON boxes BEGIN
        UPDATE images SET box_count = box_count - 1 WHERE id = OLD.image_id;
      END;
      CREATE TRIGGER boxes_count_move AFTER UPDATE OF image_id ON boxes BEGIN
        UPDATE images SET box_count = box_count - 1 WHERE id = OLD.image_id;
        UPDATE images SET box_count = box_count + 1 WHERE id = NEW.image_id;
      END;
      )sql",
      // 4: the list's default order is by file name (what follows the path's last '/'); without
      // an index on that expression every page and every row lookup sorted the whole table
      // (an image switch took 160 ms at 100,000 images instead of 8). The expression must stay
      // the one image_list.cpp orders by, letter for letter, for SQLite to use the index.
      R"sql(
      CREATE INDEX images_file_name ON images(replace(path, rtrim(path, replace(path, '/', '')), ''), path);
      )sql",
      // 5: image roots (paths "$NAME/rel" follow a root's location), and an id for the project
      // that per-user settings (a root's location on this machine) are keyed by.
      R"sql(
      CREATE TABLE image_roots(
        name TEXT PRIMARY KEY,
        location TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE project_info(
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO project_info(key, value) VALUES ('id', lower(hex(randomblob(16))));
      )sql",
      // 6: the labelling time the window measures: active seconds per action, with who did it.
      R"sql(
      CREATE TABLE action_times(
        id INTEGER PRIMARY KEY,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        boxes INTEGER NOT NULL,
        seconds REAL NOT NULL,
        user TEXT NOT NULL,
        at INTEGER NOT NULL);
      CREATE INDEX action_times_action ON action_times(action, user);
      CREATE INDEX action_times_image ON action_times(image_id);
      )sql",
      // 7: class groups (collapsible in the class panel, a `group:` query term, COCO supercategory).
      R"sql(
      ALTER TABLE classes ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
      )sql",
      // 8 (issue 16): what each run was trained and validated on, its images' truth boxes as
      // training read them, and their digest. image_id has no foreign key: an image removed
      // later still counts, as removed, in what changed since.
      R"sql(
      CREATE TABLE run_provenance(
        run_id INTEGER PRIMARY KEY REFERENCES model_runs(id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        captured_at INTEGER NOT NULL);
      CREATE TABLE run_labels(
        run_id INTEGER NOT NULL REFERENCES model_runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL,
        role INTEGER NOT NULL CHECK(role IN (0, 1)),
        boxes TEXT NOT NULL,
        PRIMARY KEY(run_id, image_id)) WITHOUT ROWID;
      -- The perceptual hash of each image's pixels (its 64 bits as a signed integer), for
      -- near-duplicates; NULL until computed.
      ALTER TABLE images ADD COLUMN phash INTEGER;
      )sql",
      // 9 (issue 17): the watched folder's images: when each arrived whole, how it was routed
      // and by which run, when it joined the annotators' queue. A restart picks up the imported
      // images that were never routed.
      R"sql(
      CREATE TABLE stream_images(
        image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        arrived_at INTEGER NOT NULL,
        routed_at INTEGER,
        run TEXT,
        route TEXT,
        score REAL,
        queued_at INTEGER);
      CREATE INDEX stream_images_routed ON stream_images(routed_at);
      )sql",
  };
  return steps;
}

}  // namespace

int latestVersion() { return static_cast<int>(migrations().size()); }

Status migrate(SQLite::Database& db, int target) {
  if (target < 0) target = latestVersion();
  try {
    const int current = db.execAndGet("PRAGMA user_version").getInt();
    if (current > latestVersion()) {
      return Status::Error(StatusCode::kIncompatible,
                           "the project was written by a newer Quarry (schema version " +
                               std::to_string(current) + ", this build knows up to " +
                               std::to_string(latestVersion()) + "); upgrade Quarry to open it");
    }
    if (current >= target) return Status::Ok();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (int v = current; v < target; ++v) db.exec(migrations()[static_cast<std::size_t>(v)]);
    // PRAGMA takes no bound parameters; `target` is an integer we computed, not user text.
    db.exec("PRAGMA user_version = " + std::to_string(target));
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IoError(std::string("schema migration failed: ") + e.what());
  }
}

}  // namespace quarry::schema
