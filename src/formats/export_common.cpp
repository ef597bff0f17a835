#include "formats/export_common.h"
#include "quarry/store/query_text.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>

#include "quarry/core/paths.h"

namespace fs = std::filesystem;

namespace quarry {
namespace detail {

std::size_t ExportPlan::imageCount() const {
  std::size_t n = 0;
  for (const auto& s : sets) n += s.images.size();
  return n;
}

namespace {

Result<std::vector<ImageRecord>> select(const Project& project, ImageQuery query,
                                        const std::vector<std::string>& tags, bool onlyReviewed) {
  if (!tags.empty()) query.anyTags.insert(query.anyTags.end(), tags.begin(), tags.end());
  if (onlyReviewed) query.statuses = {ImageStatus::kReviewed};
  auto ids = project.findImages(query);
  if (!ids.ok()) return ids.status();
  return project.images(*ids);
}

// Names inside the export are the images' paths below the deepest folder they all share,
// so a project's images/a.jpg becomes a.jpg and NEU-DET's train/x.jpg keeps its train/.
void nameImages(ExportPlan* plan) {
  std::vector<const ImageRecord*> all;
  for (const auto& s : plan->sets)
    for (const auto& im : s.images) all.push_back(&im);
  if (all.empty()) return;
  fs::path common = fs::path(all[0]->path).parent_path();
  for (const auto* im : all) {
    const fs::path dir = fs::path(im->path).parent_path();
    while (!common.empty() && !relativeInside(common, dir / "x")) common = common.parent_path();
  }
  std::set<std::string> used;
  for (const auto* im : all) {
    std::string name = common.empty() ? fs::path(im->path).relative_path().generic_string()
                                      : relativeInside(common, im->path)->generic_string();
    if (name.empty() || name.rfind("..", 0) == 0) name = fs::path(im->path).filename().string();
    if (!used.insert(name).second) {
      name = (fs::path(name).parent_path() / (std::to_string(im->id) + "_" + fs::path(name).filename().string()))
                 .generic_string();
      used.insert(name);
    }
    plan->names[im->id] = name;
  }
}

// A tag that no image carries is nearly always a typo; exporting 0 images for it would hide it.
Status requireTaggedImages(const Project& project, const ExportOptions& options) {
  auto known = project.tags();
  if (!known.ok()) return known.status();
  ImageQuery named;
  named.anyTags = options.trainTags;
  named.anyTags.insert(named.anyTags.end(), options.valTags.begin(), options.valTags.end());
  auto missing = tagsNoImageHas(project, named);
  if (!missing.ok()) return missing.status();
  if (missing->empty()) return Status::Ok();
  std::string list;  // the tags that have images, for the message
  for (const auto& t : *known)
    if (t.imageCount > 0) list += (list.empty() ? "" : ", ") + t.name;
  return Status::InvalidArgument("export: no image has the tag '" + missing->front() + "' (tags with images: " +
                                 (list.empty() ? "none" : list) + ")");
}

}  // namespace

Status planExport(const Project& project, const ExportOptions& options, bool requireSplit, ExportPlan* plan) {
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  plan->classes = *classes;
  for (std::size_t i = 0; i < plan->classes.size(); ++i) plan->classIndex[plan->classes[i].id] = static_cast<int>(i);

  const bool split = !options.trainTags.empty() || !options.valTags.empty();
  if (requireSplit && (options.trainTags.empty() || options.valTags.empty()))
    return Status::InvalidArgument("this format needs both train tags and val tags (e.g. --train GT1,GT2 --val VAL1)");
  if (!split) {
    auto all = select(project, options.images, {}, options.onlyReviewed);
    if (!all.ok()) return all.status();
    plan->sets.push_back({"", std::move(all).value()});
  } else {
    QUARRY_RETURN_IF_ERROR(requireTaggedImages(project, options));
    for (const auto& [name, tags] : {std::pair{"train", options.trainTags}, std::pair{"val", options.valTags}}) {
      if (tags.empty()) continue;
      auto set = select(project, options.images, tags, options.onlyReviewed);
      if (!set.ok()) return set.status();
      plan->sets.push_back({name, std::move(set).value()});
    }
    if (plan->sets.size() == 2) {
      std::set<ImageId> train;
      for (const auto& im : plan->sets[0].images) train.insert(im.id);
      std::vector<std::string> both;
      for (const auto& im : plan->sets[1].images)
        if (train.count(im.id)) both.push_back(im.path);
      if (!both.empty()) {
        std::string list;
        for (std::size_t i = 0; i < both.size() && i < 20; ++i) list += "\n  " + both[i];
        if (both.size() > 20) list += "\n  ... and " + std::to_string(both.size() - 20) + " more";
        return Status::InvalidArgument(std::to_string(both.size()) +
                                       " images are in both the train and the val set; a model evaluated on "
                                       "its own training images would look better than it is:" + list);
      }
    }
  }
  std::vector<ImageId> ids;
  for (const auto& s : plan->sets)
    for (const auto& im : s.images) ids.push_back(im.id);
  auto boxes = project.boxesOfImages(ids);
  if (!boxes.ok()) return boxes.status();
  for (auto& b : *boxes) plan->boxes[b.image].push_back(b);
  nameImages(plan);
  return Status::Ok();
}

Status placeImage(const Project& project, const ImageRecord& image, const fs::path& dest, ImageCopy mode,
                  ExportReport* report) {
  if (mode == ImageCopy::kNone) return Status::Ok();
  const fs::path src = project.resolve(image.path);
  std::error_code ec;
  if (!fs::exists(src, ec)) {
    report->missingImages.push_back(src.string());
    return Status::Ok();
  }
  fs::create_directories(dest.parent_path(), ec);
  if (ec) return Status::IoError(dest.parent_path().string() + ": cannot create folder: " + ec.message());
  fs::remove(dest, ec);
  if (mode == ImageCopy::kHardLink) {
    fs::create_hard_link(src, dest, ec);
    if (!ec) return Status::Ok();
  }
  fs::copy_file(src, dest, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::IoError(dest.string() + ": cannot copy image: " + ec.message());
  return Status::Ok();
}

Status writeTextFile(const fs::path& file, const std::string& text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return Status::IoError(file.parent_path().string() + ": cannot create folder: " + ec.message());
  const fs::path tmp = file.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError(tmp.string() + ": cannot be opened for writing");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      return Status::IoError(file.string() + ": write failed (disk full?)");
    }
  }
  fs::rename(tmp, file, ec);
  if (ec) return Status::IoError(file.string() + ": cannot be written: " + ec.message());
  return Status::Ok();
}

std::string formatNumber(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace detail

namespace {

// Whether `inner` is `outer` or lies inside it, after resolving what can be resolved.
bool within(const fs::path& outer, const fs::path& inner) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(outer, ec);
  const fs::path b = fs::weakly_canonical(inner, ec);
  const fs::path& o = a.empty() ? outer : a;
  const fs::path& i = b.empty() ? inner : b;
  // relativeInside() says nothing for a path equal to the root: that is "within" too.
  return o.lexically_normal() == i.lexically_normal() || relativeInside(o, i).has_value();
}

// Refuses a target folder an export must not write into or replace; empties it when allowed.
Status prepareTarget(const Project& project, const fs::path& outDir, bool overwrite) {
  std::error_code ec;
  const std::string name = outDir.string();
  if (within(outDir, project.dir()))
    return Status::InvalidArgument(name + ": is the project's folder or holds it; choose another folder for the export");
  if (!fs::exists(outDir, ec)) return Status::Ok();
  if (!fs::is_directory(outDir, ec)) return Status::InvalidArgument(name + ": exists and is not a folder");
  if (fs::directory_iterator(outDir, ec) == fs::directory_iterator()) return ec ? Status::IoError(name + ": " + ec.message()) : Status::Ok();
  if (!overwrite)
    return Status::InvalidArgument(name + ": the folder is not empty (an earlier export?); choose an empty folder, "
                                   "or replace an earlier Quarry export with --overwrite");
  if (!fs::exists(outDir / kExportMarker, ec))
    return Status::InvalidArgument(name + ": holds files that no Quarry export made (no " + kExportMarker +
                                   "); it is not replaced. Choose an empty folder");
  auto ids = project.findImages(ImageQuery{});
  if (!ids.ok()) return ids.status();
  for (ImageId id : *ids) {
    auto rec = project.image(id);
    if (!rec.ok()) return rec.status();
    const fs::path image = project.resolve(rec->path);
    if (within(outDir, image) || relativeInside(fs::absolute(outDir, ec).lexically_normal(),
                                                fs::absolute(image, ec).lexically_normal()))
      return Status::InvalidArgument(name + ": holds the project's image " + rec->path +
                                     "; it is not replaced. Choose another folder for the export");
  }
  for (const auto& entry : fs::directory_iterator(outDir, ec)) {
    fs::remove_all(entry.path(), ec);
    if (ec) return Status::IoError(entry.path().string() + ": cannot remove the earlier export: " + ec.message());
  }
  if (ec) return Status::IoError(name + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status exportDataset(const Project& project, Format format, const fs::path& outDir, const ExportOptions& options,
                     ExportReport* report, const ProgressFn& progress) {
  ExportReport local;
  if (!report) report = &local;
  detail::ExportPlan plan;
  QUARRY_RETURN_IF_ERROR(detail::planExport(project, options, format == Format::kUltralytics, &plan));
  // A val image whose near-duplicate is in the train set flatters every figure measured on it.
  if (plan.sets.size() == 2 && options.duplicateDistance >= 0) {
    std::vector<ImageId> train, val;
    for (const auto& im : plan.sets[0].images) train.push_back(im.id);
    for (const auto& im : plan.sets[1].images) val.push_back(im.id);
    auto pairs = nearDuplicatePairs(project, val, train, options.duplicateDistance);
    if (!pairs.ok()) return pairs.status();
    if (!pairs->empty()) {
      const std::string what = std::to_string(pairs->size()) + " val images have a near-duplicate in the train set: " +
                               describeLeaks(*pairs);
      if (!options.allowNearDuplicates)
        return Status::InvalidArgument(what + " (move them to one side, or export anyway with --allow-near-duplicates)");
      report->warnings.push_back(what);
    }
  }
  QUARRY_RETURN_IF_ERROR(prepareTarget(project, outDir, options.overwrite));
  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) return Status::IoError(outDir.string() + ": cannot create folder: " + ec.message());
  QUARRY_RETURN_IF_ERROR(detail::writeTextFile(
      outDir / kExportMarker, std::string("Made by quarry export (") + toString(format) +
                                  "). `quarry export --overwrite` may replace this folder.\n"));
  switch (format) {
    case Format::kCoco: return detail::exportCoco(project, plan, outDir, options, report, progress);
    case Format::kVoc: return detail::exportVoc(project, plan, outDir, options, report, progress);
    case Format::kYolo:
    case Format::kUltralytics: return detail::exportYolo(project, plan, outDir, options, report, progress);
    case Format::kCvat: return detail::exportCvat(project, plan, outDir, options, report, progress);
    case Format::kLabelStudio: return detail::exportLabelStudio(project, plan, outDir, options, report, progress);
    case Format::kFolder: return Status::InvalidArgument("`folder` is an import format only");
  }
  return Status::InvalidArgument("unknown format");
}

}  // namespace quarry
