// Measured labelling time (issue 15, item 5): active time with idle gaps cut, what the store keeps
// of it, and the effort model it gives once enough boxes are timed.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/core/active_time.h"
#include "quarry/metrics/measured_effort.h"

namespace quarry {
namespace {

TEST(ActiveTime, GapsLongerThanTheIdleLimitCountNothing) {
  ActiveTime t(60);
  t.reset(0);
  t.input(1);
  t.input(2);      // 2 s so far
  t.input(102);    // away for 100 s: not counted
  t.input(103);    // 3
  EXPECT_DOUBLE_EQ(t.take(104), 4);
  EXPECT_DOUBLE_EQ(t.take(104), 0) << "taken once";
  t.input(130);    // 26 s after the take: counted
  EXPECT_DOUBLE_EQ(t.take(131), 27);
  t.reset(500);    // a new image: nothing carries over
  EXPECT_DOUBLE_EQ(t.take(510), 10);
}

TEST(ActionTimes, TheStoreSumsEachActionPerUserAndForgetsRemovedImages) {
  test::TempDir tmp;
  auto p = test::newProject(tmp.path());
  ImageRecord r;
  r.path = "a.png";
  r.width = r.height = 10;
  const ImageId a = *p->addImage(r);
  r.path = "b.png";
  const ImageId b = *p->addImage(r);
  ASSERT_TRUE(p->recordActionTime({a, LabelAction::kDraw, 1, 8.0, "ann"}).ok());
  ASSERT_TRUE(p->recordActionTime({b, LabelAction::kDraw, 1, 6.0, "bob"}).ok());
  ASSERT_TRUE(p->recordActionTime({a, LabelAction::kVerify, 3, 2.4, "ann"}).ok());
  EXPECT_EQ(p->recordActionTime({a, LabelAction::kDraw, 1, -1, "ann"}).code(), StatusCode::kInvalidArgument);

  auto all = *p->actionTimes();
  ASSERT_EQ(all.size(), 4u);
  const ActionSummary& draw = all[static_cast<int>(LabelAction::kDraw)];
  EXPECT_EQ(draw.actions, 2);
  EXPECT_EQ(draw.images, 2);
  EXPECT_DOUBLE_EQ(draw.secondsPerBox(), 7.0);
  EXPECT_DOUBLE_EQ(all[static_cast<int>(LabelAction::kVerify)].secondsPerBox(), 0.8);
  EXPECT_EQ(all[static_cast<int>(LabelAction::kDelete)].actions, 0);
  EXPECT_DOUBLE_EQ((*p->actionTimes("bob"))[0].seconds, 6.0);

  ASSERT_TRUE(p->removeImages({a}).ok());
  EXPECT_EQ((*p->actionTimes())[0].actions, 1) << "an image's times go with it";
}

TEST(MeasuredEffort, AnActionIsMeasuredOnlyWithEnoughTimedBoxes) {
  std::vector<ActionSummary> times(4);
  for (int i = 0; i < 4; ++i) times[i].action = static_cast<LabelAction>(i);
  times[0].boxes = 25;  // draw: 25 boxes in 200 s
  times[0].seconds = 200;
  times[1].boxes = 5;  // adjust: too few
  times[1].seconds = 50;
  const MeasuredEffort m = measuredEffort(times);
  EXPECT_TRUE(m.any());
  EXPECT_DOUBLE_EQ(m.model.drawSeconds, 8.0);
  EXPECT_DOUBLE_EQ(m.model.adjustSeconds, EffortModel{}.adjustSeconds);
  EXPECT_TRUE(m.measured[0]);
  EXPECT_FALSE(m.measured[1]);
  const std::string text = m.describe();
  EXPECT_NE(text.find("draw 8.0 s/box (measured, 25 boxes)"), std::string::npos) << text;
  EXPECT_NE(text.find("adjust 4.0 s/box (cited; 5 boxes timed, 20 needed)"), std::string::npos) << text;
  EXPECT_FALSE(measuredEffort({}).any());
}

}  // namespace
}  // namespace quarry
