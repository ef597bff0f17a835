// NEU-DET, when it lies beside the checkout (../shared/datasets/neu-det): the real data set
// imports completely. Skipped elsewhere; the project's own data is generated.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/formats/formats.h"

namespace quarry {
namespace {

TEST(NeuDet, ImportsAll1800ImagesAnd4189BoxesInSixClassesInOrder) {
  const std::filesystem::path root = QUARRY_NEU_DET_DIR;
  if (!std::filesystem::exists(root / "classes.txt")) GTEST_SKIP() << "NEU-DET not found at " << root;
  test::TempDir tmp;
  auto p = test::newProject(tmp.path());
  ImportOptions options;
  options.folderTags = true;
  ImportReport report;
  ASSERT_TRUE(importDataset(*p, Format::kYolo, root, options, &report).ok());
  EXPECT_TRUE(report.issues.empty()) << report.issues.front().toString();
  auto s = *p->stats();
  EXPECT_EQ(s.images, 1800);
  EXPECT_EQ(s.boxes, 4189);
  std::vector<std::string> names;
  for (const auto& c : s.perClass) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale",
                                             "scratches"}));
  ImageQuery val;
  val.anyTags = {"val"};
  EXPECT_EQ(*p->countImages(val), 360);
}

}  // namespace
}  // namespace quarry
