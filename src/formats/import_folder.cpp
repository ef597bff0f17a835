// Import of a plain folder of images, recursively, with no labels.
#include "formats/import_common.h"

namespace quarry::detail {

Status parseFolder(const std::filesystem::path& root, const ImportOptions& options, ParsedDataset* out,
                   ImportReport* /*report*/) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return Status::InvalidArgument(root.string() + ": not a folder");
  for (const auto& image : findImages(root)) {
    ImportItem item;
    item.image = image;
    if (options.folderTags) {
      const std::string sub = firstSubfolder(root, image);
      if (!sub.empty()) item.tags.push_back(sub);
    }
    out->items.push_back(std::move(item));
  }
  return Status::Ok();
}

}  // namespace quarry::detail
