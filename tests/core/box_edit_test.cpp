// Box edits: applied to the store at once, undone exactly, and the auto -> corrected rule.
#include "quarry/store/box_edit.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace quarry {
namespace {

using test::TempDir;

class BoxEditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    p = test::newProject(tmp.path());
    cls = *p->addClass("scratch");
    other = *p->addClass("pit");
    ImageRecord r;
    r.path = "a.png";
    r.width = r.height = 100;
    image = *p->addImage(r);
  }
  Box box(BoxSource source = BoxSource::kManual) {
    Box b;
    b.image = image;
    b.cls = cls;
    b.x = 10;
    b.y = 20;
    b.w = 30;
    b.h = 40;
    b.source = source;
    return b;
  }
  TempDir tmp;
  std::unique_ptr<Project> p;
  ClassId cls = 0, other = 0;
  ImageId image = 0;
};

TEST_F(BoxEditTest, AddThenUndoThenRedoKeepsTheBoxId) {
  BoxEdit add = addEdit(box());
  ASSERT_TRUE(applyEdit(*p, &add).ok());
  const BoxId id = add.after.id;
  ASSERT_GT(id, 0);
  BoxEdit undo = inverse(add);
  ASSERT_TRUE(applyEdit(*p, &undo).ok());
  EXPECT_TRUE(p->boxes(image)->empty());
  ASSERT_TRUE(applyEdit(*p, &add).ok());
  ASSERT_EQ(p->boxes(image)->size(), 1u);
  EXPECT_EQ(p->boxes(image)->at(0).id, id);
}

TEST_F(BoxEditTest, MovingOrReclassingAnAutoBoxMakesItCorrected) {
  Box b = box(BoxSource::kAuto);
  b.score = 0.8;
  EXPECT_EQ(editedBox(b, 11, 20, 30, 40, cls).source, BoxSource::kCorrected);
  EXPECT_EQ(editedBox(b, 10, 20, 30, 40, other).source, BoxSource::kCorrected);
  EXPECT_EQ(editedBox(b, 10, 20, 30, 40, cls).source, BoxSource::kAuto);  // nothing changed
  EXPECT_EQ(editedBox(box(), 11, 20, 30, 40, cls).source, BoxSource::kManual);
  EXPECT_EQ(editedBox(b, 11, 20, 30, 40, cls).score, 0.8);
}

TEST_F(BoxEditTest, ChangeAndItsInverseRestoreGeometryClassAndSource) {
  BoxEdit add = addEdit(box(BoxSource::kAuto));
  ASSERT_TRUE(applyEdit(*p, &add).ok());
  BoxEdit change = changeEdit(add.after, editedBox(add.after, 15, 25, 30, 40, other));
  ASSERT_TRUE(applyEdit(*p, &change).ok());
  Box stored = p->boxes(image)->at(0);
  EXPECT_EQ(stored.cls, other);
  EXPECT_EQ(stored.source, BoxSource::kCorrected);
  BoxEdit undo = inverse(change);
  ASSERT_TRUE(applyEdit(*p, &undo).ok());
  stored = p->boxes(image)->at(0);
  EXPECT_EQ(stored.cls, cls);
  EXPECT_EQ(stored.source, BoxSource::kAuto);
  EXPECT_DOUBLE_EQ(stored.x, 10);
}

TEST_F(BoxEditTest, RemoveIsUndoneWithTheSameBox) {
  BoxEdit add = addEdit(box());
  ASSERT_TRUE(applyEdit(*p, &add).ok());
  BoxEdit remove = removeEdit(add.after);
  ASSERT_TRUE(applyEdit(*p, &remove).ok());
  EXPECT_TRUE(p->boxes(image)->empty());
  BoxEdit undo = inverse(remove);
  ASSERT_TRUE(applyEdit(*p, &undo).ok());
  EXPECT_EQ(p->boxes(image)->at(0).id, add.after.id);
}

TEST_F(BoxEditTest, AFailingEditInAGroupWritesNothing) {
  std::vector<BoxEdit> edits = {addEdit(box()), addEdit(box())};
  edits[1].after.cls = 999;  // unknown class
  EXPECT_FALSE(applyEdits(*p, &edits).ok());
  EXPECT_TRUE(p->boxes(image)->empty());
}

}  // namespace
}  // namespace quarry
