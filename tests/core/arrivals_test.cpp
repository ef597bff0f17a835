// Arrivals of a watched folder (issue 17): a file is read only once the camera is done with it,
// exactly once, and again only when it is replaced. Driven with listings and a fake clock.
#include <gtest/gtest.h>

#include <fstream>

#include "core/test_support.h"
#include "quarry/formats/arrivals.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using Clock = ArrivalTracker::Clock;
using std::chrono::milliseconds;

FileSighting sight(const char* path, std::uintmax_t size, std::int64_t modified) { return {path, size, modified}; }

TEST(Arrivals, AFileStillGrowingIsNotCompleteUntilItStaysTheSameForTheSettleTime) {
  ArrivalTracker arrivals(milliseconds(2000));
  const Clock::time_point t0{};
  EXPECT_TRUE(arrivals.look({sight("a.png", 100, 1)}, t0).empty());
  EXPECT_TRUE(arrivals.look({sight("a.png", 900, 2)}, t0 + milliseconds(1000)).empty()) << "still being written";
  EXPECT_TRUE(arrivals.look({sight("a.png", 900, 2)}, t0 + milliseconds(2500)).empty()) << "stable for 1.5 s only";
  EXPECT_EQ(arrivals.look({sight("a.png", 900, 2)}, t0 + milliseconds(3000)), std::vector<fs::path>{"a.png"});
  EXPECT_TRUE(arrivals.look({sight("a.png", 900, 2)}, t0 + milliseconds(9000)).empty()) << "once only";
  EXPECT_EQ(arrivals.pending(), 0u);
}

TEST(Arrivals, ManyFilesArriveInPathOrderAndADeletedOneNever) {
  ArrivalTracker arrivals(milliseconds(500));
  const Clock::time_point t0{};
  (void)arrivals.look({sight("c.png", 5, 1), sight("a.png", 5, 1), sight("b.png", 5, 1)}, t0);
  EXPECT_EQ(arrivals.pending(), 3u);
  const auto done = arrivals.look({sight("c.png", 5, 1), sight("a.png", 5, 1)}, t0 + milliseconds(600));
  EXPECT_EQ(done, (std::vector<fs::path>{"a.png", "c.png"}));
  EXPECT_TRUE(arrivals.look({sight("b.png", 5, 1)}, t0 + milliseconds(700)).empty())
      << "b was deleted before it settled: seen again, its clock starts again";
  EXPECT_EQ(arrivals.look({sight("b.png", 5, 1)}, t0 + milliseconds(1300)), std::vector<fs::path>{"b.png"});
}

TEST(Arrivals, AFileReplacedUnderTheSameNameArrivesAgain) {
  ArrivalTracker arrivals(milliseconds(100));
  const Clock::time_point t0{};
  (void)arrivals.look({sight("a.png", 5, 1)}, t0);
  ASSERT_EQ(arrivals.look({sight("a.png", 5, 1)}, t0 + milliseconds(100)).size(), 1u);
  (void)arrivals.look({sight("a.png", 7, 3)}, t0 + milliseconds(200));
  EXPECT_EQ(arrivals.look({sight("a.png", 7, 3)}, t0 + milliseconds(300)), std::vector<fs::path>{"a.png"});
}

TEST(Arrivals, ListingFindsImagesBelowTheFolderAndTheGlobNarrowsThem) {
  test::TempDir tmp;
  test::writeImage(tmp / "line" / "cam1" / "a.png", 8, 8);
  test::writeImage(tmp / "line" / "cam2" / "b.png", 8, 8);
  test::writeImage(tmp / "line" / "c.jpg", 8, 8);
  test::writeText(tmp / "line" / "notes.txt", "not an image");
  const fs::path dir = tmp / "line";
  auto names = [&](const std::vector<FileSighting>& v) {
    std::vector<std::string> out;
    for (const auto& s : v) out.push_back(s.path.lexically_relative(dir).generic_string());
    return out;
  };
  EXPECT_EQ(names(listFolder(dir, false)), std::vector<std::string>{"c.jpg"});
  EXPECT_EQ(names(listFolder(dir, true)), (std::vector<std::string>{"c.jpg", "cam1/a.png", "cam2/b.png"}));
  EXPECT_EQ(names(listFolder(dir, true, "cam1/*.png")), std::vector<std::string>{"cam1/a.png"});
  EXPECT_EQ(names(listFolder(dir, true, "*.jpg")), std::vector<std::string>{"c.jpg"});
  const auto all = listFolder(dir, true);
  EXPECT_EQ(all[0].size, fs::file_size(dir / "c.jpg"));
  EXPECT_TRUE(listFolder(tmp / "nowhere", true).empty());
}

}  // namespace
}  // namespace quarry
