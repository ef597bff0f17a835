// The watched folder's routing and bookkeeping (issue 17): what a scored arrival becomes, how a
// daily budget is paced, and a store record that lets a restart go on where the stream stopped.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/al/stream_routing.h"
#include "quarry/store/stream.h"

namespace quarry {
namespace {

TEST(StreamRouting, EasyStaysEasyNothingFoundIsFailedTheRestAreCandidates) {
  EXPECT_EQ(routeOf(Difficulty::kEasy, 3), StreamRoute::kEasy);
  EXPECT_EQ(routeOf(Difficulty::kMedium, 1), StreamRoute::kCandidate);
  EXPECT_EQ(routeOf(Difficulty::kHard, 2), StreamRoute::kCandidate);
  EXPECT_EQ(routeOf(Difficulty::kHard, 0), StreamRoute::kFailed);
}

TEST(StreamRouting, TheBudgetIsPacedOverTheDayAndNeverOverspent) {
  EXPECT_EQ(queueAllowance(240, 0, 0), 0u) << "midnight: nothing yet";
  EXPECT_EQ(queueAllowance(240, kMillisPerDay / 4, 0), 60u) << "6 a.m.: a quarter";
  EXPECT_EQ(queueAllowance(240, kMillisPerDay / 4, 50), 10u);
  EXPECT_EQ(queueAllowance(240, kMillisPerDay / 4, 70), 0u) << "ahead of the pace: wait";
  EXPECT_EQ(queueAllowance(240, kMillisPerDay, 200), 40u) << "the whole budget by the end of the day";
  EXPECT_EQ(queueAllowance(240, 2 * kMillisPerDay, 240), 0u);
  EXPECT_EQ(queueAllowance(5, 1, 0), 1u) << "the first image of the day may go at once";
}

TEST(StreamStore, ArrivalsAreRecordedOnceRoutedAndQueuedMostUncertainFirst) {
  test::TempDir tmp;
  auto p = test::newProject(tmp / "p");
  std::vector<ImageId> ids;
  for (int i = 0; i < 4; ++i) {
    ImageRecord r;
    r.path = "line/" + std::to_string(i) + ".png";
    r.width = r.height = 10;
    r.hash = std::to_string(i);
    ids.push_back(*p->addImage(r));
  }
  ASSERT_TRUE(recordArrivals(*p, {{ids[0], "0.png", 1000}, {ids[1], "1.png", 1000}, {ids[2], "2.png", 1000}}).ok());
  ASSERT_TRUE(recordArrivals(*p, {{ids[0], "0.png", 2000}, {ids[3], "3.png", 2000}}).ok()) << "again: no harm";
  EXPECT_EQ(*unroutedArrivals(*p), ids);
  EXPECT_EQ((*streamImages(*p))[0].arrivedAt, 1000) << "the first record stays";

  ASSERT_TRUE(recordRoutes(*p, "CAL1",
                           {{ids[0], StreamRoute::kEasy, 0.1}, {ids[1], StreamRoute::kCandidate, 0.7},
                            {ids[2], StreamRoute::kFailed, 0.9}},
                           3000)
                  .ok());
  EXPECT_EQ(*unroutedArrivals(*p), std::vector<ImageId>{ids[3]}) << "a restart routes only this one";
  auto waiting = *waitingCandidates(*p, 0);
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting[0].image, ids[2]) << "the most uncertain first";
  EXPECT_EQ(waiting[0].run, "CAL1");
  EXPECT_TRUE(waitingCandidates(*p, 1500)->empty()) << "only the day's arrivals";
  ASSERT_TRUE(recordQueued(*p, {ids[2]}, 4000).ok());
  EXPECT_EQ(*queuedSince(*p, 3500), 1);
  EXPECT_EQ(*queuedSince(*p, 4500), 0);
  EXPECT_EQ(waitingCandidates(*p, 0)->size(), 1u);

  // The history by hour: all four arrived in the first hour of 1970 (1 and 2 s after midnight).
  const auto hours = streamHistory(*streamImages(*p));
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].images, 4u);
  EXPECT_EQ(hours[0].easy, 1u);
  EXPECT_EQ(hours[0].candidates, 1u);
  EXPECT_EQ(hours[0].failed, 1u);
  EXPECT_EQ(hours[0].unrouted, 1u);
  EXPECT_EQ(hours[0].queued, 1u);
}

}  // namespace
}  // namespace quarry
