#include "quarry/formats/arrivals.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "quarry/core/paths.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

bool isImageFile(const fs::path& p) {
  static const std::set<std::string> kExtensions = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"};
  return kExtensions.count(lowerExtension(p)) > 0;
}

}  // namespace

std::vector<fs::path> ArrivalTracker::look(const std::vector<FileSighting>& listing, Clock::time_point now) {
  std::set<fs::path> present;
  std::vector<fs::path> complete;
  for (const FileSighting& s : listing) {
    present.insert(s.path);
    auto it = files_.find(s.path);
    if (it == files_.end() || it->second.size != s.size || it->second.modified != s.modified) {
      // New, or still being written, or replaced: its clock starts again.
      files_[s.path] = State{s.size, s.modified, now, false};
      continue;
    }
    State& st = it->second;
    if (!st.delivered && now - st.stableSince >= settle_) {
      st.delivered = true;
      complete.push_back(s.path);
    }
  }
  for (auto it = files_.begin(); it != files_.end();) it = present.count(it->first) ? std::next(it) : files_.erase(it);
  std::sort(complete.begin(), complete.end());
  return complete;
}

std::size_t ArrivalTracker::pending() const {
  return static_cast<std::size_t>(
      std::count_if(files_.begin(), files_.end(), [](const auto& e) { return !e.second.delivered; }));
}

std::vector<FileSighting> listFolder(const fs::path& dir, bool recursive, const std::string& glob) {
  std::vector<FileSighting> out;
  std::error_code ec;
  auto add = [&](const fs::directory_entry& e) {
    std::error_code fe;
    if (!e.is_regular_file(fe) || fe || !isImageFile(e.path())) return;
    const std::string rel = e.path().lexically_relative(dir).generic_string();
    if (!glob.empty() && fnmatch(glob.c_str(), rel.c_str(), 0) != 0) return;
    FileSighting s;
    s.path = e.path();
    s.size = e.file_size(fe);
    if (fe) return;  // gone while listing
    s.modified = static_cast<std::int64_t>(e.last_write_time(fe).time_since_epoch().count());
    if (fe) return;
    out.push_back(std::move(s));
  };
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      add(*it);
  } else {
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) add(*it);
  }
  std::sort(out.begin(), out.end(), [](const FileSighting& a, const FileSighting& b) { return a.path < b.path; });
  return out;
}

}  // namespace quarry
