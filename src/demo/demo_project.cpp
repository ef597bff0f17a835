#include "quarry/demo/demo.h"
#include "quarry/formats/formats.h"
#include "quarry/store/project.h"

namespace quarry {

Status createDemoProject(const std::filesystem::path& dir, const DemoOptions& options, bool labeled,
                         ImportReport* report, const ProgressFn& progress) {
  std::error_code ec;
  if (std::filesystem::exists(dir / Project::kStoreFile, ec))
    return Status::Error(StatusCode::kAlreadyExists, (dir / Project::kStoreFile).string() + ": a project already exists here");
  QUARRY_RETURN_IF_ERROR(generateDemoDataset(dir / "dataset", options, progress));
  auto project = Project::create(dir);
  if (!project.ok()) return project.status();
  ImportOptions import;
  import.author = "demo-generator";
  if (labeled) return importDataset(**project, Format::kYolo, dir / "dataset", import, report, progress);
  // Unlabeled: the classes are still declared so annotators can start drawing at once.
  for (const auto& name : demoClassNames(options)) {
    auto id = (*project)->addClass(name);
    if (!id.ok()) return id.status();
  }
  return importDataset(**project, Format::kFolder, dir / "dataset" / "images", import, report, progress);
}

}  // namespace quarry
