// NEU-DET, when it lies beside the checkout (../shared/datasets/neu-det): the real data set
// imports completely. Skipped elsewhere; the project's own data is generated.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/formats/formats.h"

namespace quarry {
namespace {

// One of its 1,800 files repeats another byte for byte across the split (val/patches_101.jpg is
// train/patches_105.jpg): it is reported as already there, with its 3 boxes left out, so VAL
// does not hold a copy of a training image.
TEST(NeuDet, ImportsAll1799DistinctImagesAnd4186BoxesInSixClassesInOrder) {
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
  EXPECT_EQ(s.images, 1799);
  EXPECT_EQ(s.boxes, 4186);
  ASSERT_EQ(report.sameContent.size(), 1u);
  EXPECT_NE(report.sameContent[0].file.find("val/patches_101.jpg"), std::string::npos);
  EXPECT_EQ(report.sameContent[0].existing, "$neu-det/images/train/patches_105.jpg");
  EXPECT_EQ(report.boxesSkipped, 3u);
  std::vector<std::string> names;
  for (const auto& c : s.perClass) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale",
                                             "scratches"}));
  ImageQuery val;
  val.anyTags = {"val"};
  EXPECT_EQ(*p->countImages(val), 359);
}

}  // namespace
}  // namespace quarry
