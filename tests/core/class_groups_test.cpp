// Class groups (issue 15, item 7): a group per class that never changes the frozen order, a
// group: query term, and COCO's supercategory.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/test_support.h"
#include "quarry/formats/formats.h"
#include "quarry/store/query_text.h"

namespace quarry {
namespace {

TEST(ClassGroups, AGroupIsKeptWithTheClassAndTheOrderStays) {
  test::TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId porosity = *p->addClass("porosity"), scratch = *p->addClass("scratch"), crack = *p->addClass("crack");
  ASSERT_TRUE(p->setClassGroup(porosity, "weld").ok());
  ASSERT_TRUE(p->setClassGroup(crack, "weld").ok());
  auto classes = *p->classes();
  ASSERT_EQ(classes.size(), 3u);
  EXPECT_EQ(classes[0].group, "weld");
  EXPECT_EQ(classes[1].name, "scratch") << "the order is the frozen one, not by group";
  EXPECT_EQ(classes[1].group, "");
  EXPECT_EQ(classes[2].group, "weld");
  EXPECT_EQ(p->setClassGroup(scratch, "two words").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->setClassGroup(scratch, "a:b").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->setClassGroup(999, "x").code(), StatusCode::kNotFound);
  ASSERT_TRUE(p->setClassGroup(crack, "").ok());
  EXPECT_EQ((*p->classes())[2].group, "");
}

TEST(ClassGroups, TheGroupTermFindsImagesWithABoxOfAnyClassInTheGroup) {
  test::TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId porosity = *p->addClass("porosity"), scratch = *p->addClass("scratch");
  ASSERT_TRUE(p->setClassGroup(porosity, "weld").ok());
  auto image = [&](const char* name, ClassId cls) {
    ImageRecord r;
    r.path = name;
    r.width = r.height = 50;
    const ImageId id = *p->addImage(r);
    Box b;
    b.image = id;
    b.cls = cls;
    b.w = b.h = 5;
    EXPECT_TRUE(p->addBox(b).ok());
    return id;
  };
  const ImageId weld = image("weld.png", porosity);
  image("steel.png", scratch);
  ParsedQuery parsed;
  std::string error;
  ASSERT_TRUE(parseImageQuery("group:weld", &parsed, &error)) << error;
  EXPECT_EQ(*p->findImages(parsed.query), std::vector<ImageId>{weld});
  EXPECT_EQ(toQueryText(parsed.query, ""), "group:weld");
  ASSERT_TRUE(parseImageQuery("group:nothing", &parsed, &error));
  EXPECT_TRUE(p->findImages(parsed.query)->empty());
}

TEST(ClassGroups, CocoWritesTheGroupAsTheSupercategory) {
  test::TempDir tmp;
  auto p = test::newProject(tmp / "p");
  const ClassId porosity = *p->addClass("porosity");
  ASSERT_TRUE(p->addClass("scratch").ok());
  ASSERT_TRUE(p->setClassGroup(porosity, "weld").ok());
  ExportReport report;
  ASSERT_TRUE(exportDataset(*p, Format::kCoco, tmp / "out", {}, &report).ok());
  const auto j = nlohmann::json::parse(test::readText(tmp / "out" / "annotations.json"));
  ASSERT_EQ(j["categories"].size(), 2u);
  EXPECT_EQ(j["categories"][0]["supercategory"], "weld");
  EXPECT_EQ(j["categories"][1]["supercategory"], "defect");
  EXPECT_EQ(j["categories"][0]["id"], 1) << "ids keep the frozen order";
}

}  // namespace
}  // namespace quarry
