#include "common/batch.h"

#include <gtest/gtest.h>

#include <cmath>

namespace zhizao {
namespace {

TEST(BatchTest, KeepsEveryValueTypeAndQuality) {
  Batch b;
  b.AddFloat64(1, 10, 2.5);
  b.AddInt64(2, 11, -7, status_codes::kUncertainLastUsableValue);
  b.AddBool(3, 12, true);
  b.AddString(4, 13, "running");
  ASSERT_EQ(b.size(), 4u);
  EXPECT_DOUBLE_EQ(b.points[0].value.f64(), 2.5);
  EXPECT_EQ(b.points[1].value.i64(), -7);
  EXPECT_EQ(SeverityOf(b.points[1].status), QualitySeverity::kUncertain);
  EXPECT_TRUE(b.points[2].value.boolean());
  EXPECT_EQ(b.StringOf(b.points[3].value), "running");
  EXPECT_TRUE(std::isnan(b.points[3].value.AsDouble()));
  EXPECT_EQ(b.points[2].value.AsDouble(), 1.0);
}

TEST(BatchTest, SeverityFollowsOpcUaStatusBits) {
  EXPECT_EQ(SeverityOf(status_codes::kGood), QualitySeverity::kGood);
  EXPECT_EQ(SeverityOf(status_codes::kBadSensorFailure), QualitySeverity::kBad);
  EXPECT_EQ(SeverityOf(0xC0000000u), QualitySeverity::kBad);
  EXPECT_EQ(QualitySeverityName(QualitySeverity::kUncertain), "uncertain");
}

TEST(DataTypeTest, ParsesItsOwnNamesAndRejectsOthers) {
  for (DataType t : {DataType::kFloat64, DataType::kInt64, DataType::kBool, DataType::kString}) {
    EXPECT_EQ(*ParseDataType(DataTypeName(t)), t);
  }
  EXPECT_FALSE(ParseDataType("float").ok());
}

}  // namespace
}  // namespace zhizao

namespace zhizao {
namespace {

TEST(SortByTagTest, OrdersByTagAndKeepsEachTagsOrder) {
  for (TagId spread : {TagId{7}, TagId{70'000}, TagId{1} << 26}) {
    Batch b;
    for (int i = 0; i < 5000; ++i) {
      TagId tag = 1 + static_cast<TagId>((static_cast<uint64_t>(i) * 2654435761u) % spread);
      b.AddInt64(tag, 1'000, i);  // the value records the original order
    }
    Batch sorted = b;
    SortByTag(sorted);
    ASSERT_EQ(sorted.size(), b.size());
    for (size_t i = 1; i < sorted.size(); ++i) {
      const Point& prev = sorted.points[i - 1];
      const Point& cur = sorted.points[i];
      ASSERT_LE(prev.tag, cur.tag) << "spread " << spread;
      if (prev.tag == cur.tag) {
        ASSERT_LT(prev.value.i64(), cur.value.i64()) << "stable";
      }
    }
  }
}

}  // namespace
}  // namespace zhizao
