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
