#include "quarry/core/paths.h"

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace quarry {

TEST(RelativeInside, GivesThePathBelowTheRootOnly) {
  EXPECT_EQ(relativeInside("/p", "/p/images/a.png").value(), fs::path("images/a.png"));
  EXPECT_EQ(relativeInside("/p/", "/p/a.png").value(), fs::path("a.png"));
  EXPECT_FALSE(relativeInside("/p", "/q/a.png"));
  EXPECT_FALSE(relativeInside("/p", "/prefix/a.png"));
  EXPECT_FALSE(relativeInside("/p", "/p/../q/a.png"));
  EXPECT_FALSE(relativeInside("/p", "/p"));
}

struct JoinCase {
  const char* rel;
  bool ok;
};

class SafeJoin : public ::testing::TestWithParam<JoinCase> {};

TEST_P(SafeJoin, RefusesPathsThatLeaveTheRoot) {
  auto r = safeJoin("/root", GetParam().rel);
  EXPECT_EQ(r.ok(), GetParam().ok) << GetParam().rel;
  if (r.ok()) {
    EXPECT_TRUE(relativeInside("/root", *r)) << r->string();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SafeJoin,
                         ::testing::Values(JoinCase{"a.jpg", true}, JoinCase{"sub/a.jpg", true},
                                           JoinCase{"sub/../a.jpg", true}, JoinCase{"./a.jpg", true},
                                           JoinCase{"../a.jpg", false}, JoinCase{"sub/../../a.jpg", false},
                                           JoinCase{"/etc/passwd", false}, JoinCase{"..\\..\\a.jpg", false},
                                           JoinCase{"\\server\\a.jpg", false}, JoinCase{"", false}));

TEST(ImageExtension, MatchesCaseInsensitively) {
  EXPECT_TRUE(isImageExtension("a.JPG"));
  EXPECT_TRUE(isImageExtension("a.tiff"));
  EXPECT_FALSE(isImageExtension("a.txt"));
}

}  // namespace quarry
