// Project: one Quarry project on disk and the only way to read or write its SQLite store.
//
// A project is a folder holding `project.quarry` (SQLite in WAL mode, foreign keys on, a busy
// timeout so two processes can share it) and the sub-folders `models/`, `exports/`,
// `reports/` and `logs/`. Images are referenced where they lie: their paths are stored
// relative to the project folder when inside it, absolute otherwise.
//
// Threads: a Project owns one database connection and must be used from one thread at a
// time. Another thread (a GUI worker, say) opens its own Project on the same folder.
//
// Errors: every call returns a Status or Result; SQLite exceptions never escape. Every write
// is one transaction; a WriteBatch groups many writes and commits them in chunks, so a killed
// process loses at most the chunk in flight and never corrupts the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "quarry/store/image_list.h"
#include "quarry/store/image_query.h"
#include "quarry/core/status.h"
#include "quarry/core/types.h"

namespace quarry {

struct TagInfo {
  TagId id = 0;
  std::string name;
  std::int64_t imageCount = 0;
};

struct ProjectStats {
  std::int64_t images = 0;
  std::int64_t boxes = 0;
  struct PerClass { std::string name; std::int64_t boxes = 0; std::int64_t images = 0; };
  std::vector<PerClass> perClass;  // in class order
  std::vector<TagInfo> perTag;
  std::int64_t perStatus[3] = {0, 0, 0};  // indexed by ImageStatus
  std::int64_t perSource[3] = {0, 0, 0};  // boxes, indexed by BoxSource
};

// A run name is also a folder name under models/, so it must stay there: 1 to 64 letters, digits,
// '-', '_' or '.', not starting with '.'. OK, or kInvalidArgument naming the name and the rule.
Status validRunName(const std::string& name);

// An image root's name: 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit.
Status validRootName(const std::string& name);

// A named folder that image paths are stored relative to ("$NAME/sub/a.png").
struct ImageRoot {
  std::string name;
  std::filesystem::path location;       // the project's default, for every machine
  std::filesystem::path localLocation;  // this user's mapping on this machine; empty when none
  std::int64_t images = 0;              // images stored under it
  // Where its images are read on this machine: the local mapping when there is one.
  const std::filesystem::path& effective() const { return localLocation.empty() ? location : localLocation; }
};

// The per-user file that maps a project's roots to this machine's folders: QUARRY_ROOTS_FILE
// when set, else $XDG_CONFIG_HOME/quarry/roots.json, else ~/.config/quarry/roots.json. Projects
// are told apart by Project::projectId(), so a shared project is the same entry on every path.
std::filesystem::path localRootsFile();

class Project {
 public:
  static constexpr const char* kStoreFile = "project.quarry";
  // The schema version this build writes. Files with a lower version are migrated forward on
  // open; a higher version is refused (kIncompatible) and the file is left untouched.
  static int currentSchemaVersion();

  // Creates the folder (if needed) and a new store. Fails with kAlreadyExists when a store is there.
  static Result<std::unique_ptr<Project>> create(const std::filesystem::path& dir);
  // Opens an existing project, migrating an older schema forward inside one transaction.
  static Result<std::unique_ptr<Project>> open(const std::filesystem::path& dir);

  ~Project();
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;

  const std::filesystem::path& dir() const;
  std::filesystem::path storeFile() const { return dir() / kStoreFile; }
  int schemaVersion() const;

  // How an image path is stored: "$NAME/rel" inside an image root (the innermost, by where
  // the root is on this machine), relative inside the project folder, absolute otherwise.
  std::string storedPath(const std::filesystem::path& file) const;
  // The file an image's stored path points at (through its root's location on this machine).
  std::filesystem::path resolve(const std::string& storedPath) const;

  // --- image roots: one change relinks every image of a moved or remounted folder --------
  // A random id given to the project when its store was made (or upgraded to roots).
  const std::string& projectId() const;
  Result<std::vector<ImageRoot>> imageRoots() const;  // by name
  // Creates root `name` at `location`, or moves it there (the default for every machine). Images
  // stored with an absolute path under `location` are then stored relative to the root (an
  // image whose relative path is already taken keeps its absolute one); returns how many.
  Result<std::size_t> setImageRoot(const std::string& name, const std::filesystem::path& location);
  // This machine only: maps root `name` to `location` in the per-user roots file (an empty
  // location removes the mapping). kNotFound for a root the project does not have.
  Status setLocalImageRoot(const std::string& name, const std::filesystem::path& location);
  // The root an import from `folder` stores its images under: nothing when `folder` is inside the
  // project; the innermost root holding it; else a new root at `folder`, named after it (made
  // unique), which takes over the absolute paths already stored under it. `added` says which.
  Result<std::optional<std::string>> imageRootFor(const std::filesystem::path& folder, bool* added = nullptr);

  // --- classes: ids are stable; position is the frozen export order -------------------
  Result<std::vector<ClassInfo>> classes() const;
  // Appends a class at the end of the order. A colour is picked when `color` is empty.
  Result<ClassId> addClass(const std::string& name, const std::string& color = "");
  // The id of the class with this name, adding it at the end when missing.
  Result<ClassId> ensureClass(const std::string& name);
  Status renameClass(ClassId id, const std::string& newName);
  Status setClassColor(ClassId id, const std::string& color);
  // Puts a class in a group ("" takes it out); kInvalidArgument for a name with spaces, commas or
  // colons (it is a query term) or longer than 64 characters.
  Status setClassGroup(ClassId id, const std::string& group);
  // Moves a class to `position` (0-based), shifting the others; ids do not change.
  Status moveClass(ClassId id, int position);

  // --- images --------------------------------------------------------------------------
  // Adds an image. kAlreadyExists when the stored path is already there.
  Result<ImageId> addImage(const ImageRecord& image);
  Result<ImageRecord> image(ImageId id) const;
  // The image with this stored path, or an empty optional.
  Result<std::optional<ImageRecord>> findImageByPath(const std::string& storedPath) const;
  // The first image (by id) whose file has these bytes (ImageRecord::hash).
  Result<std::optional<ImageRecord>> findImageByHash(const std::string& hash) const;
  // Perceptual hashes (near-duplicates): every image's that has one, by id; the images still
  // without one, by id; and setting them (one transaction; unknown ids are skipped).
  Result<std::vector<std::pair<ImageId, std::uint64_t>>> perceptualHashes() const;
  Result<std::vector<ImageId>> imagesWithoutPerceptualHash() const;
  Status setPerceptualHashes(const std::vector<std::pair<ImageId, std::uint64_t>>& hashes);
  // Images in the order of `ids` (missing ids are skipped).
  Result<std::vector<ImageRecord>> images(const std::vector<ImageId>& ids) const;
  Status setImageStatus(ImageId id, ImageStatus status);
  // Takes these images out of the project with their boxes, tags and scores, in one transaction
  // (the image files are never touched); returns how many were there. Unknown ids are skipped.
  Result<std::size_t> removeImages(const std::vector<ImageId>& ids);

  // --- boxes ---------------------------------------------------------------------------
  // Adds a box (box.id and timestamps are set on success); an image with boxes and status
  // unlabeled becomes labeled. Rejects non-positive sizes and unknown classes.
  Result<BoxId> addBox(Box box);
  // Rewrites geometry, class, source, run and score of an existing box.
  Status updateBox(const Box& box);
  Status removeBox(BoxId id);
  // Puts back a removed box with its id and timestamps (undo of a delete).
  Status restoreBox(const Box& box);
  Result<std::vector<Box>> boxes(ImageId image) const;
  // Boxes of many images, grouped by image in the order of `ids`.
  Result<std::vector<Box>> boxesOfImages(const std::vector<ImageId>& ids) const;
  // Replaces what model run `run` proposed for `image`, in one transaction: removes the image's
  // boxes with source auto of this run and adds `boxes` as source auto of `run` (their id,
  // source and run are ignored; image must be 0 or `image`; score and author are kept). Manual
  // and corrected boxes, and other runs' auto boxes, are never touched; re-running is
  // idempotent. Fails with nothing changed: kInvalidArgument for bad geometry or a box of
  // another image, kNotFound for an unknown image, run or class.
  Status replaceAutoBoxes(ImageId image, RunId run, const std::vector<Box>& boxes);
  // Removes the auto boxes of `run` from every image; returns how many went.
  Result<std::int64_t> removeAutoBoxes(RunId run);

  // --- tags ----------------------------------------------------------------------------
  Result<TagId> ensureTag(const std::string& name);
  Result<std::vector<TagInfo>> tags() const;
  // Adds (or removes) the tag on these images; returns how many links changed.
  Result<std::int64_t> tagImages(const std::string& tag, const std::vector<ImageId>& ids);
  Result<std::int64_t> untagImages(const std::string& tag, const std::vector<ImageId>& ids);
  Result<std::vector<std::string>> imageTags(ImageId id) const;
  // The tags these images carry, by name, with imageCount = how many of `ids` carry each.
  Result<std::vector<TagInfo>> tagsOfImages(const std::vector<ImageId>& ids) const;

  // --- model runs and scores -----------------------------------------------------------
  // A run's name is also its folder under models/: kInvalidArgument (validRunName) otherwise.
  Result<RunId> addRun(const ModelRun& run);
  Result<std::vector<ModelRun>> runs() const;
  Result<std::optional<ModelRun>> findRun(const std::string& name) const;
  Status setRunMetrics(RunId id, const std::string& metricsJson);
  // Inserts or replaces these scores in one transaction.
  Status putScores(const std::vector<ImageScore>& scores);
  Result<std::optional<ImageScore>> score(RunId run, ImageId image) const;
  // Every score of a run, by image id.
  Result<std::vector<ImageScore>> scores(RunId run) const;

  // --- queries -------------------------------------------------------------------------
  Result<std::vector<ImageId>> findImages(const ImageQuery& query) const;
  Result<std::int64_t> countImages(const ImageQuery& query) const;
  Result<ProjectStats> stats() const;
  // One page of the image list: rows matching request.filter, sorted, from offset.
  Result<std::vector<ImageListRow>> listImages(const ImageListRequest& request) const;
  // The position of an image in the sorted, filtered list, or -1 when it is not in it.
  Result<std::int64_t> listPosition(const ImageListRequest& request, ImageId id) const;

  // --- measured labelling time (the window records it; quarry/core/active_time.h) -------
  // Appends one timed action; kInvalidArgument for negative seconds or boxes.
  Status recordActionTime(const ActionTime& time);
  // Per action (all four, in LabelAction order, zeros included), optionally of one user only.
  Result<std::vector<ActionSummary>> actionTimes(const std::string& user = "") const;

  // --- saved views: a named filter in the CLI's query syntax (see image_query.h) ---------
  Status saveView(const std::string& name, const std::string& query);
  Result<std::vector<std::pair<std::string, std::string>>> views() const;  // (name, query)
  Status removeView(const std::string& name);

  // Groups writes into transactions. Writes made through the Project while a batch is open
  // join it; commit() makes them durable and opens the next chunk. Destroying a batch rolls
  // back what was not committed. One batch at a time per Project.
  class WriteBatch {
   public:
    explicit WriteBatch(Project& project);
    ~WriteBatch();
    WriteBatch(const WriteBatch&) = delete;
    WriteBatch& operator=(const WriteBatch&) = delete;
    Status status() const { return status_; }  // fails when the transaction could not begin
    Status commit();

   private:
    Project& project_;
    Status status_;
  };

  // The store's own state (the connection, prepared statements); its code reaches it through
  // impl_ in store/project_impl.h, which only the store's target can include.
  struct Impl;

 private:
  explicit Project(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace quarry
