#include "formats/import_common.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "quarry/core/paths.h"
#include "quarry/core/log.h"

namespace fs = std::filesystem;

namespace quarry {

std::string ImportIssue::toString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  return s + ": " + message;
}

const char* toString(Format f) {
  switch (f) {
    case Format::kFolder: return "folder";
    case Format::kYolo: return "yolo";
    case Format::kUltralytics: return "ultralytics";
    case Format::kVoc: return "voc";
    case Format::kCoco: return "coco";
    case Format::kCvat: return "cvat";
    case Format::kLabelStudio: return "label-studio";
  }
  return "?";
}

std::optional<Format> parseFormat(const std::string& name) {
  for (auto f : {Format::kFolder, Format::kYolo, Format::kUltralytics, Format::kVoc, Format::kCoco, Format::kCvat,
                 Format::kLabelStudio})
    if (name == toString(f)) return f;
  return std::nullopt;
}

namespace detail {

bool addIssue(ImportReport* report, const ImportOptions& options, const std::string& file, int line,
              const std::string& message) {
  report->issues.push_back({file, line, message});
  // Info, not a warning: the report carries every issue to the user (the CLI prints them once).
  coreLogger()->info("{}", report->issues.back().toString());
  return !options.strict;
}

std::optional<std::string> resolvesOutside(const fs::path& realRoot, const fs::path& file) {
  if (realRoot.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(fs::absolute(file), ec);
  if (ec) return std::nullopt;  // unreadable: the probe says what is wrong with it
  if (relativeInside(realRoot, real)) return std::nullopt;
  return real.string();
}

std::vector<fs::path> findImages(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && isImageExtension(it->path())) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string firstSubfolder(const fs::path& root, const fs::path& image) {
  auto rel = relativeInside(root, image);
  if (!rel) return {};
  auto it = rel->begin();
  if (std::distance(rel->begin(), rel->end()) < 2) return {};
  return it->string();
}

Status readClassList(const fs::path& file, std::vector<std::string>* names) {
  auto text = readTextFile(file);
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (!line.empty()) names->push_back(line);
  }
  if (names->empty()) return Status::BadInput(file.string() + ": lists no class names");
  return Status::Ok();
}

namespace {

// Converts a label box to pixels and checks it against the image. Boxes that stick out by
// up to a pixel are clipped (rounding in other tools); anything further out is an error.
std::optional<std::string> toPixels(const LabelBox& in, int width, int height, Box* out) {
  double x = 0, y = 0, w = 0, h = 0;
  if (const auto* p = std::get_if<PixelBox>(&in.geometry)) {
    x = p->x, y = p->y, w = p->w, h = p->h;
  } else {
    const auto& n = std::get<NormalizedCenterBox>(in.geometry);
    w = n.w * width;
    h = n.h * height;
    x = n.cx * width - w / 2;
    y = n.cy * height - h / 2;
  }
  if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(w) || !std::isfinite(h))
    return "box has a non-finite coordinate";
  if (w <= 0 || h <= 0) return "box has zero or negative size";
  constexpr double kSlack = 1.0;
  if (x < -kSlack || y < -kSlack || x + w > width + kSlack || y + h > height + kSlack) {
    std::ostringstream m;
    m << "box (" << x << ", " << y << ", " << w << ", " << h << ") lies outside the " << width << " x " << height
      << " image";
    return m.str();
  }
  const double x0 = std::max(0.0, x), y0 = std::max(0.0, y);
  const double x1 = std::min<double>(width, x + w), y1 = std::min<double>(height, y + h);
  if (x1 - x0 <= 0 || y1 - y0 <= 0) return "box has no area inside the image";
  out->x = x0;
  out->y = y0;
  out->w = x1 - x0;
  out->h = y1 - y0;
  return std::nullopt;
}

}  // namespace

Status ingest(Project& project, ParsedDataset& data, const ImportOptions& options, ImportReport* report,
              const ProgressFn& progress) {
  // Freeze the class order before the first box: existing classes keep their place, new
  // ones follow in the data set's order.
  std::map<std::string, ClassId> classIds;
  auto before = project.classes();
  if (!before.ok()) return before.status();
  // The store refuses names that differ only in case (ASCII), so such a name is the same class.
  auto folded = [](std::string n) {
    for (char& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return n;
  };
  std::map<std::string, std::string> byFolded;  // folded name -> the name the project has
  for (const auto& c : before.value()) {
    classIds[c.name] = c.id;
    byFolded.emplace(folded(c.name), c.name);
  }
  for (const auto& name : data.classNames) {
    if (classIds.count(name)) continue;
    if (auto same = byFolded.find(folded(name)); same != byFolded.end()) {
      classIds[name] = classIds.at(same->second);
      report->issues.push_back({"classes", 0, "class '" + name + "' is the class '" + same->second +
                                           "' (names that differ only in case are one class)"});
      continue;
    }
    auto id = project.addClass(name);
    if (!id.ok()) return id.status();
    classIds[name] = *id;
    byFolded.emplace(folded(name), name);
    report->classesAdded.push_back(name);
  }

  std::error_code rootError;
  // No root (files chosen one by one): there is no folder for them to stay inside.
  const fs::path realRoot = data.root.empty() ? fs::path() : fs::weakly_canonical(fs::absolute(data.root), rootError);
  const std::size_t total = data.items.size();
  const std::size_t chunk = std::max<std::size_t>(1, options.chunkImages);
  std::map<std::string, std::vector<ImageId>> pendingTags;
  Project::WriteBatch batch(project);
  QUARRY_RETURN_IF_ERROR(batch.status());

  auto flush = [&]() -> Status {
    for (auto& [tag, ids] : pendingTags) {
      auto n = project.tagImages(tag, ids);
      if (!n.ok()) return n.status();
    }
    pendingTags.clear();
    return batch.commit();
  };
  auto tagsOf = [&](const ImportItem& item) {
    std::vector<std::string> tags = options.tags;
    tags.insert(tags.end(), item.tags.begin(), item.tags.end());
    return tags;
  };

  const unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  // Chunks go through three steps: on this thread (the store's), which files are new; on
  // `threads` workers, their probes (reading, decoding, hashing: what the disk and the cores
  // bound); on this thread again, in order, the writes. The next chunk is probed while this one
  // is written.
  enum class Todo { kProbe, kSkipped, kAlreadyThere };
  struct Chunk {
    std::size_t begin = 0, end = 0;
    std::vector<Todo> todo;
    std::vector<std::string> stored;
    std::vector<std::optional<Result<ImageInfo>>> probed;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    void join() {
      for (auto& t : pool) t.join();
      pool.clear();
    }
    ~Chunk() { join(); }  // an early return never leaves a worker reading freed memory
  };
  auto plan = [&](std::size_t begin) -> Result<std::unique_ptr<Chunk>> {
    auto c = std::make_unique<Chunk>();
    c->begin = begin;
    c->end = std::min(total, begin + chunk);
    c->todo.assign(c->end - begin, Todo::kProbe);
    c->stored.resize(c->end - begin);
    c->probed.resize(c->end - begin);
    for (std::size_t i = begin; i < c->end; ++i) {
      ImportItem& item = data.items[i];
      ++report->imagesSeen;
      // The parsers keep paths inside the root by their text; a symbolic link (to the file or
      // to a folder on its way) can still lead out of it, so the check is repeated on the
      // resolved path.
      if (auto outside = resolvesOutside(realRoot, item.image)) {
        c->todo[i - begin] = Todo::kSkipped;
        ++report->imagesSkipped;
        report->boxesSkipped += item.boxes.size();
        const std::string why =
            "is reached through a symbolic link that leads out of the import root (to " + *outside + ")";
        if (!addIssue(report, options, item.image.string(), 0, why)) {
          QUARRY_RETURN_IF_ERROR(flush());
          return Status::BadInput(item.image.string() + ": " + why);
        }
        continue;
      }
      c->stored[i - begin] = project.storedPath(item.image);
      auto existing = project.findImageByPath(c->stored[i - begin]);
      if (!existing.ok()) return existing.status();
      if (existing.value()) {
        c->todo[i - begin] = Todo::kAlreadyThere;
        ++report->imagesAlreadyThere;
        for (const auto& tag : tagsOf(item)) pendingTags[tag].push_back(existing.value()->id);
      }
    }
    c->next = begin;
    Chunk* raw = c.get();
    for (unsigned t = 0; t < std::min<std::size_t>(threads, c->end - begin); ++t)
      c->pool.emplace_back([raw, &data, &options] {
        for (std::size_t i; (i = raw->next.fetch_add(1)) < raw->end;)
          if (raw->todo[i - raw->begin] == Todo::kProbe)
            raw->probed[i - raw->begin] = probeImage(data.items[i].image, options.probe);
      });
    return c;
  };
  std::unique_ptr<Chunk> current;
  if (total > 0) {
    if (!reportProgress(progress, 0, total, "import")) return Status::Cancelled();
    auto first = plan(0);
    if (!first.ok()) return first.status();
    current = std::move(first).value();
  }
  while (current) {
    std::unique_ptr<Chunk> following;
    if (current->end < total) {
      if (!reportProgress(progress, current->end, total, "import")) {
        QUARRY_RETURN_IF_ERROR(flush());
        return Status::Cancelled();
      }
      auto made = plan(current->end);
      if (!made.ok()) return made.status();
      following = std::move(made).value();
    }
    current->join();
    const std::size_t begin = current->begin, end = current->end;
    const auto& todo = current->todo;
    const auto& stored = current->stored;
    const auto& probed = current->probed;
    for (std::size_t i = begin; i < end; ++i) {
      if (todo[i - begin] != Todo::kProbe) continue;
      if (!reportProgress(progress, i, total, "import")) {
        QUARRY_RETURN_IF_ERROR(flush());
        return Status::Cancelled();
      }
      ImportItem& item = data.items[i];
      const Result<ImageInfo>& info = *probed[i - begin];
      if (!info.ok()) {
        ++report->imagesSkipped;
        report->boxesSkipped += item.boxes.size();
        // The probe's message already starts with the path; keep only what is wrong.
        std::string why = info.status().message();
        const std::string prefix = item.image.string() + ": ";
        if (why.rfind(prefix, 0) == 0) why = why.substr(prefix.size());
        if (!addIssue(report, options, item.image.string(), 0, why)) {
          QUARRY_RETURN_IF_ERROR(flush());
          return Status::BadInput(info.status().message());
        }
        continue;
      }
      // The same bytes at another path: already there, and its labels and tags are not taken
      // (a copy of a GT image tagged VAL by this import would leak it into VAL).
      auto twin = project.findImageByHash(info->hash);
      if (!twin.ok()) return twin.status();
      if (twin.value()) {
        ++report->imagesAlreadyThere;
        report->boxesSkipped += item.boxes.size();
        report->sameContent.push_back({item.image.string(), twin.value()->path});
        continue;
      }
      if ((item.declaredWidth && *item.declaredWidth != info->width) ||
          (item.declaredHeight && *item.declaredHeight != info->height)) {
        const std::string msg = "declares the image as " + std::to_string(item.declaredWidth.value_or(0)) + " x " +
                                std::to_string(item.declaredHeight.value_or(0)) + " but it is " +
                                std::to_string(info->width) + " x " + std::to_string(info->height) +
                                "; using the image's own size";
        if (!addIssue(report, options, item.declaredIn, 0, msg)) {
          QUARRY_RETURN_IF_ERROR(flush());
          return Status::BadInput(item.declaredIn + ": " + msg);
        }
      }
      std::vector<Box> boxes;
      for (const LabelBox& lb : item.boxes) {
        Box box;
        auto problem = toPixels(lb, info->width, info->height, &box);
        if (problem) {
          ++report->boxesSkipped;
          if (!addIssue(report, options, lb.file, lb.line, *problem)) {
            QUARRY_RETURN_IF_ERROR(flush());
            return Status::BadInput(lb.file + ":" + std::to_string(lb.line) + ": " + *problem);
          }
          continue;
        }
        box.cls = classIds.at(lb.className);
        box.source = BoxSource::kManual;
        box.author = options.author;
        boxes.push_back(box);
      }
      ImageRecord rec;
      rec.path = stored[i - begin];
      rec.width = info->width;
      rec.height = info->height;
      rec.hash = info->hash;
      rec.phash = info->phash;
      auto id = project.addImage(rec);
      if (!id.ok() && id.status().code() == StatusCode::kAlreadyExists) {
        // The same path twice in one data set, the second planned before the first was written.
        auto existing = project.findImageByPath(rec.path);
        if (!existing.ok()) return existing.status();
        ++report->imagesAlreadyThere;
        if (existing.value())
          for (const auto& tag : tagsOf(item)) pendingTags[tag].push_back(existing.value()->id);
        continue;
      }
      if (!id.ok()) return id.status().withContext(item.image.string());
      ++report->imagesAdded;
      for (Box& box : boxes) {
        box.image = *id;
        auto boxId = project.addBox(box);
        if (!boxId.ok()) return boxId.status().withContext(item.image.string());
        ++report->boxesAdded;
      }
      for (const auto& tag : tagsOf(item)) pendingTags[tag].push_back(*id);
    }
    QUARRY_RETURN_IF_ERROR(flush());
    current = std::move(following);
  }
  QUARRY_RETURN_IF_ERROR(flush());
  reportProgress(progress, total, total, "import");
  return Status::Ok();
}

}  // namespace detail

Status importDataset(Project& project, Format format, const fs::path& source, const ImportOptions& options,
                     ImportReport* report, const ProgressFn& progress) {
  ImportReport local;
  if (!report) report = &local;
  std::error_code ec;
  if (!fs::exists(source, ec)) return Status::NotFound(source.string() + ": no such file or folder");
  detail::ParsedDataset data;
  Status parsed;
  switch (format) {
    case Format::kFolder: parsed = detail::parseFolder(source, options, &data, report); break;
    case Format::kYolo:
    case Format::kUltralytics: parsed = detail::parseYolo(source, options, &data, report); break;
    case Format::kVoc: parsed = detail::parseVoc(source, options, &data, report); break;
    case Format::kCoco: parsed = detail::parseCoco(source, options, &data, report); break;
    case Format::kCvat: parsed = detail::parseCvat(source, options, &data, report); break;
    case Format::kLabelStudio: parsed = detail::parseLabelStudio(source, options, &data, report); break;
  }
  if (!parsed.ok()) return parsed;
  data.root = fs::is_regular_file(source, ec) ? source.parent_path() : source;
  auto root = project.imageRootFor(data.root, &report->imageRootAdded);
  if (!root.ok()) return root.status();
  report->imageRoot = root->value_or("");
  return detail::ingest(project, data, options, report, progress);
}

Status importImageFiles(Project& project, const std::vector<fs::path>& files, const ImportOptions& options,
                        ImportReport* report, const ProgressFn& progress) {
  ImportReport local;
  if (!report) report = &local;
  detail::ParsedDataset data;
  for (const fs::path& file : files) {
    if (!isImageExtension(file)) {
      ++report->imagesSeen;
      ++report->imagesSkipped;
      const std::string why = "not an image file (by its extension)";
      if (!detail::addIssue(report, options, file.string(), 0, why)) return Status::BadInput(file.string() + ": " + why);
      continue;
    }
    detail::ImportItem item;
    item.image = file;
    data.items.push_back(std::move(item));
  }
  return detail::ingest(project, data, options, report, progress);
}

namespace {

// A JSON file whose first character is '[' is a list of tasks (Label Studio); COCO is an object.
bool startsAList(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  for (char c; in.get(c);)
    if (!std::isspace(static_cast<unsigned char>(c))) return c == '[';
  return false;
}

}  // namespace

Format guessFormat(const fs::path& source) {
  std::error_code ec;
  if (fs::is_regular_file(source, ec)) {
    const std::string ext = lowerExtension(source);
    if (ext == ".json") return startsAList(source) ? Format::kLabelStudio : Format::kCoco;
    if (ext == ".xml") return Format::kCvat;
    return Format::kFolder;
  }
  if (!fs::is_directory(source, ec)) return Format::kFolder;
  if (fs::exists(source / "annotations.xml", ec)) return Format::kCvat;
  for (const char* name : {"result.json", "tasks.json", "label_studio.json"})
    if (fs::exists(source / name, ec) && startsAList(source / name)) return Format::kLabelStudio;
  if (fs::is_directory(source / "labels", ec) || fs::exists(source / "classes.txt", ec) ||
      fs::exists(source / "data.yaml", ec))
    return Format::kYolo;
  for (const auto& e : fs::directory_iterator(source, ec))
    if (e.is_regular_file(ec) && lowerExtension(e.path()) == ".json") return Format::kCoco;
  if (fs::is_directory(source / "Annotations", ec)) return Format::kVoc;
  // A guess for a form, made on the window's thread when a folder is dropped: a look at the first
  // entries, not a walk of a folder of a million images.
  constexpr int kLookAt = 5000;
  int seen = 0;
  for (auto it = fs::recursive_directory_iterator(source, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator() && seen < kLookAt; it.increment(ec), ++seen)
    if (it->is_regular_file(ec) && lowerExtension(it->path()) == ".xml") return Format::kVoc;
  return Format::kFolder;
}

std::string summaryLine(const ImportReport& r) {
  std::string s = "imported " + std::to_string(r.imagesAdded) + " images (" + std::to_string(r.imagesAlreadyThere) +
                  " already there, " + std::to_string(r.imagesSkipped) + " skipped), " + std::to_string(r.boxesAdded) +
                  " boxes (" + std::to_string(r.boxesSkipped) + " skipped)";
  if (!r.classesAdded.empty()) {
    s += "; new classes:";
    for (const auto& c : r.classesAdded) s += " " + c;
  }
  if (r.imageRootAdded) s += "; new image root $" + r.imageRoot;
  return s;
}

std::string reportText(const ImportReport& r) {
  std::string s = summaryLine(r) + "\n";
  for (const auto& issue : r.issues) s += issue.toString() + "\n";
  for (const auto& d : r.sameContent) s += d.file + ": the same content as " + d.existing + ", already in the project\n";
  return s;
}

}  // namespace quarry
