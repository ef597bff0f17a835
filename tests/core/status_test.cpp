#include "quarry/core/status.h"

#include <gtest/gtest.h>

namespace quarry {

TEST(Status, DefaultIsOk) {
  Status st;
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kOk);
}

TEST(Status, WithContextPrefixesTheMessageAndKeepsTheCode) {
  Status st = Status::BadInput("line 3: NaN").withContext("labels/a.txt");
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_EQ(st.message(), "labels/a.txt: line 3: NaN");
  EXPECT_TRUE(Status::Ok().withContext("x").ok());
}

TEST(Result, HoldsAValueOrAStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::NotFound("gone");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

}  // namespace quarry
