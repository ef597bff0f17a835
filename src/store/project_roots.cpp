// Project: image roots, and the per-user file that maps them to this machine's folders.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "quarry/core/log.h"
#include "quarry/core/paths.h"
#include "store/project_impl.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

// Reads the per-user roots file; a missing file is an empty one.
Result<nlohmann::json> readLocalFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return nlohmann::json::object();
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError(file.string() + ": cannot read");
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (!j.is_object()) return Status::BadInput(file.string() + ": not a JSON object");
    return j;
  } catch (const nlohmann::json::exception& e) {
    return Status::BadInput(file.string() + ": " + e.what());
  }
}

// Replaces the file in one step (a crash leaves the old file or the new one, never half of one).
Status writeLocalFile(const fs::path& file, const nlohmann::json& j) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return Status::IoError(file.parent_path().string() + ": cannot create folder: " + ec.message());
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out) return Status::IoError(tmp.string() + ": cannot write");
  }
  fs::rename(tmp, file, ec);
  if (ec) return Status::IoError(file.string() + ": cannot replace: " + ec.message());
  return Status::Ok();
}

// The first string past every stored path under "$NAME/" or "LOCATION/" (a range on the
// path index, where LIKE would need escaping and scan): '/' + 1 is '0'.
std::string prefixEnd(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

// A folder as roots hold it: absolute, normal, without a trailing separator ("/data/line1/" and
// "/data/line1" are one folder).
fs::path bareFolder(const fs::path& p) {
  std::error_code ec;
  const fs::path n = fs::absolute(p, ec).lexically_normal();
  return n.has_filename() ? n : n.parent_path();
}

// `folder` is `root` or lies inside it.
bool within(const fs::path& root, const fs::path& folder) {
  return bareFolder(root) == bareFolder(folder) || relativeInside(root, folder).has_value();
}

// A root's name for `bare` (a bareFolder()).
std::string rootNameFrom(const fs::path& bare) {
  std::string name;
  // "images" says nothing about which images: a data set's own folder name goes first.
  std::string last = bare.filename().string();
  for (const char* generic : {"images", "imgs", "img", "JPEGImages", "pictures"})
    if (last == generic && bare.has_parent_path() && bare.parent_path().has_filename())
      last = bare.parent_path().filename().string() + "-" + last;
  for (char c : last) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    name += ok ? c : '-';
  }
  while (!name.empty() && (name.front() == '.' || name.front() == '-' || name.front() == '_')) name.erase(0, 1);
  if (name.size() > 56) name.resize(56);
  return name.empty() ? "images" : name;
}

}  // namespace

Status validRootName(const std::string& name) {
  const bool allowed = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
  const bool first = !name.empty() && std::isalnum(static_cast<unsigned char>(name.front()));
  if (!allowed || !first)
    return Status::InvalidArgument("image root name '" + name +
                                   "': use 1 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit");
  return Status::Ok();
}

fs::path localRootsFile() {
  if (const char* f = std::getenv("QUARRY_ROOTS_FILE"); f && *f) return f;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return fs::path(x) / "quarry" / "roots.json";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / ".config" / "quarry" / "roots.json";
}

namespace {

// Enough to tell that the file was written since: its modification time and size.
std::string stampOf(const fs::path& file) {
  std::error_code ec;
  const auto time = fs::last_write_time(file, ec);
  if (ec) return {};
  const auto size = fs::file_size(file, ec);
  return std::to_string(time.time_since_epoch().count()) + ":" + std::to_string(ec ? 0 : size);
}

}  // namespace

void Project::Impl::refreshRoots() {
  if (!roots.empty()) {
    const auto now = std::chrono::steady_clock::now();
    if (now - localCheckedAt >= std::chrono::seconds(1)) {
      localCheckedAt = now;
      if (stampOf(localRootsFile()) != localFileStamp) {
        if (Status st = loadRoots(); !st.ok()) coreLogger()->warn("{}", st.message());
        return;
      }
    }
  }
  std::int64_t version = -1;
  try {
    CachedStatement q(*this, "PRAGMA data_version");
    if (q->executeStep()) version = q->getColumn(0).getInt64();
  } catch (const std::exception&) {
    return;  // keep what was read; the next call tries again
  }
  if (version == rootsDataVersion) return;
  // Only the roots table matters; the rest of the project changes far more often.
  std::vector<std::pair<std::string, std::string>> now, had;
  try {
    CachedStatement q(*this, "SELECT name, location FROM image_roots ORDER BY name");
    while (q->executeStep()) now.push_back({q->getColumn(0).getString(), q->getColumn(1).getString()});
  } catch (const std::exception&) {
    return;
  }
  rootsDataVersion = version;
  for (const ImageRoot& r : roots) had.push_back({r.name, r.location.generic_string()});
  if (now != had) {
    if (Status st = loadRoots(); !st.ok()) coreLogger()->warn("{}", st.message());
  }
}

Status Project::Impl::loadRoots() {
  return guarded("reading image roots", [&] {
    rootsDataVersion = db.execAndGet("PRAGMA data_version").getInt64();
    projectId = db.execAndGet("SELECT value FROM project_info WHERE key = 'id'").getString();
    roots.clear();
    SQLite::Statement q(db, "SELECT name, location FROM image_roots ORDER BY name");
    while (q.executeStep()) {
      ImageRoot r;
      r.name = q.getColumn(0).getString();
      r.location = q.getColumn(1).getString();
      roots.push_back(std::move(r));
    }
    if (roots.empty()) return Status::Ok();
    const fs::path file = localRootsFile();
    localFileStamp = stampOf(file);
    localCheckedAt = std::chrono::steady_clock::now();
    auto local = readLocalFile(file);
    if (!local.ok()) {
      // The project still opens, with every root at its default location; the log says why.
      coreLogger()->warn("{} (this machine's image root locations are ignored)", local.status().message());
      return Status::Ok();
    }
    const nlohmann::json* mine = nullptr;
    if (auto p = local->find("projects"); p != local->end() && p->is_object())
      if (auto e = p->find(projectId); e != p->end() && e->is_object())
        if (auto r = e->find("roots"); r != e->end() && r->is_object()) mine = &*r;
    if (mine)
      for (ImageRoot& root : roots)
        if (auto m = mine->find(root.name); m != mine->end() && m->is_string()) root.localLocation = m->get<std::string>();
    return Status::Ok();
  });
}

const std::string& Project::projectId() const { return impl_->projectId; }

Result<std::vector<ImageRoot>> Project::imageRoots() const {
  std::vector<ImageRoot> out = impl_->roots;
  Status st = guarded("counting images per root", [&] {
    SQLite::Statement q(impl_->db, "SELECT COUNT(*) FROM images WHERE path >= ? AND path < ?");
    for (ImageRoot& r : out) {
      const std::string prefix = "$" + r.name + "/";
      q.bind(1, prefix);
      q.bind(2, prefixEnd(prefix));
      if (q.executeStep()) r.images = q.getColumn(0).getInt64();
      q.reset();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::size_t> Project::setImageRoot(const std::string& name, const fs::path& locationIn) {
  QUARRY_RETURN_IF_ERROR(validRootName(name));
  const fs::path location = bareFolder(locationIn);
  if (location.empty() || location == location.root_path())
    return Status::InvalidArgument("image root '" + name + "': '" + locationIn.string() + "' cannot be a root (a folder is needed)");
  const std::string folder = location.generic_string();
  std::size_t converted = 0;
  Status st = inTransaction(*impl_, "setting an image root", [&] {
    SQLite::Statement put(impl_->db,
                          "INSERT INTO image_roots(name, location) VALUES (?, ?) "
                          "ON CONFLICT(name) DO UPDATE SET location = excluded.location");
    put.bind(1, name);
    put.bind(2, folder);
    put.exec();
    // Absolute paths under the folder move under the root.
    const std::string prefix = folder + "/";
    std::vector<std::pair<ImageId, std::string>> under;
    {
      SQLite::Statement q(impl_->db, "SELECT id, path FROM images WHERE path >= ? AND path < ?");
      q.bind(1, prefix);
      q.bind(2, prefixEnd(prefix));
      while (q.executeStep()) under.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString()});
    }
    SQLite::Statement taken(impl_->db, "SELECT 1 FROM images WHERE path = ?");
    SQLite::Statement move(impl_->db, "UPDATE images SET path = ? WHERE id = ?");
    for (const auto& [id, path] : under) {
      const std::string rooted = "$" + name + "/" + path.substr(prefix.size());
      taken.bind(1, rooted);
      const bool clash = taken.executeStep();
      taken.reset();
      if (clash) continue;
      move.bind(1, rooted);
      move.bind(2, id);
      move.exec();
      move.reset();
      ++converted;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  QUARRY_RETURN_IF_ERROR(impl_->loadRoots());
  coreLogger()->info("image root {} = {} ({} absolute paths converted)", name, folder, converted);
  return converted;
}

Status Project::setLocalImageRoot(const std::string& name, const fs::path& locationIn) {
  const bool known = std::any_of(impl_->roots.begin(), impl_->roots.end(), [&](const ImageRoot& r) { return r.name == name; });
  if (!known) return Status::NotFound("no image root '" + name + "' in this project (`quarry roots list` shows them)");
  const fs::path file = localRootsFile();
  auto local = readLocalFile(file);
  if (!local.ok()) return local.status();
  nlohmann::json& entry = (*local)["projects"][impl_->projectId];
  entry["dir"] = impl_->dir.generic_string();  // for a person reading the file
  if (locationIn.empty()) {
    if (entry.contains("roots")) entry["roots"].erase(name);
  } else {
    entry["roots"][name] = bareFolder(locationIn).generic_string();
  }
  QUARRY_RETURN_IF_ERROR(writeLocalFile(file, *local));
  return impl_->loadRoots();
}

Result<std::optional<std::string>> Project::imageRootFor(const fs::path& folderIn, bool* added) {
  if (added) *added = false;
  const fs::path folder = bareFolder(folderIn);
  if (within(impl_->dir, folder)) return std::optional<std::string>{};
  const ImageRoot* best = nullptr;
  for (const ImageRoot& root : impl_->roots)
    if (within(root.effective(), folder) &&
        (!best || root.effective().string().size() > best->effective().string().size()))
      best = &root;
  if (best) return std::optional<std::string>{best->name};
  const std::string base = rootNameFrom(folder);
  std::string name = base;
  for (int n = 2; std::any_of(impl_->roots.begin(), impl_->roots.end(), [&](const ImageRoot& r) { return r.name == name; }); ++n)
    name = base + "-" + std::to_string(n);
  auto made = setImageRoot(name, folder);
  if (!made.ok()) return made.status();
  if (added) *added = true;
  return std::optional<std::string>{name};
}

}  // namespace quarry
