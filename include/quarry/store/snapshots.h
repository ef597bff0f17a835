// Snapshots: named, consistent copies of a project's store, to undo a bad bulk edit, to see what
// changed between two points, or to start a new project from an old state. A snapshot is a whole
// SQLite file in DIR/snapshots/NAME.quarry, copied with SQLite's online backup API (never by
// copying the file, which in WAL mode may miss committed pages), so it can be made while the
// window and jobs work on the project.
//
//   auto made = createSnapshot(dir, "before-accept");          // DIR/snapshots/before-accept.quarry
//   ... a bulk accept goes wrong ...
//   auto diff = diffSnapshots(dir, "before-accept", kCurrentState);
//   auto safety = restoreSnapshot(dir, "before-accept");       // snapshots the current state first
//
// Functions take the project folder and open connections of their own; a Project open on the
// same folder sees a restore on its next read (its cached roots are refreshed by data_version).
// Thread-safe as SQLite is: each call has its own connections.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "quarry/core/progress.h"
#include "quarry/core/status.h"

namespace quarry {

// The name diffSnapshots() gives the project's live store.
inline constexpr const char* kCurrentState = "current";

struct SnapshotInfo {
  std::string name;
  std::filesystem::path file;
  std::uintmax_t bytes = 0;
  std::int64_t createdAt = 0;  // milliseconds since the epoch (UTC)
  std::string note;            // why it was made ("before restoring X", a user's words)
  int schemaVersion = 0;
  std::int64_t images = 0, boxes = 0;
};

// 1 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit; "current" is taken.
Status validSnapshotName(const std::string& name);

// Copies the store into DIR/snapshots/NAME.quarry (an empty name: the UTC time, e.g.
// 20261202-183005). kAlreadyExists when that snapshot exists; the file appears only when
// complete. `progress` sees pages copied and may cancel (nothing is left behind).
Result<SnapshotInfo> createSnapshot(const std::filesystem::path& projectDir, const std::string& name,
                                    const std::string& note = "", const ProgressFn& progress = {});

// Every snapshot of the project, oldest first.
Result<std::vector<SnapshotInfo>> listSnapshots(const std::filesystem::path& projectDir);
Result<SnapshotInfo> findSnapshot(const std::filesystem::path& projectDir, const std::string& name);

Status deleteSnapshot(const std::filesystem::path& projectDir, const std::string& name);

// What changed from A to B, per class and per tag. Boxes are matched by their id and creation
// time (an id SQLite reused for a new box is a removal and an addition); a box whose image,
// class, geometry, source, run or score differ is changed, and counts under B's class.
struct ClassChange {
  std::int64_t added = 0, removed = 0, changed = 0;
};
struct TagChange {
  std::int64_t added = 0, removed = 0;  // images that gained or lost the tag
};
struct SnapshotDiff {
  std::string from, to;
  std::map<std::string, ClassChange> classes;  // by class name; only classes with a change
  std::map<std::string, TagChange> tags;       // by tag name; only tags with a change
  std::int64_t imagesAdded = 0, imagesRemoved = 0;
  std::int64_t imagesWithBoxChanges = 0;  // images of B (or A, when gone) whose boxes differ
  std::int64_t statusChanged = 0;         // images in both whose status differs (e.g. an accept)
  bool empty() const {
    return classes.empty() && tags.empty() && imagesAdded == 0 && imagesRemoved == 0 && statusChanged == 0;
  }
  ClassChange totalBoxes() const;
};
// `from` and `to` are snapshot names or kCurrentState.
Result<SnapshotDiff> diffSnapshots(const std::filesystem::path& projectDir, const std::string& from,
                                   const std::string& to);

// Puts the project back to snapshot NAME. The current state is first saved as a snapshot
// (named before-restore-TIME), whose info is returned, so a restore is itself undone by
// restoring that. A snapshot of an older schema is migrated forward after the copy.
Result<SnapshotInfo> restoreSnapshot(const std::filesystem::path& projectDir, const std::string& name,
                                     const ProgressFn& progress = {});

// Makes a new project in `newDir` (which must not hold one) from snapshot NAME. Images stored
// relative to the old project folder are kept under a new image root at that folder, and run
// checkpoints point into it, so the copy shows the same files; it gets a project id of its own.
Status restoreSnapshotInto(const std::filesystem::path& projectDir, const std::string& name,
                           const std::filesystem::path& newDir);

}  // namespace quarry
