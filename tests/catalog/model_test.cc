#include "catalog/model.h"

#include <gtest/gtest.h>

#include <string>

namespace zhizao::catalog {
namespace {

Tag ValidTag() {
  Tag tag;
  tag.name = "flow";
  tag.unit = "m3/h";
  tag.range_lo = 0;
  tag.range_hi = 100;
  return tag;
}

TEST(ModelTest, AssetLevelNamesRoundTrip) {
  for (AssetLevel level : {AssetLevel::kEnterprise, AssetLevel::kSite, AssetLevel::kArea, AssetLevel::kLine,
                           AssetLevel::kCell, AssetLevel::kEquipment}) {
    Result<AssetLevel> parsed = ParseAssetLevel(AssetLevelName(level));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, level);
  }
  EXPECT_EQ(ParseAssetLevel("plant").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseAssetLevel("Site").status().code(), StatusCode::kInvalidArgument);
}

TEST(ModelTest, ClassificationNamesRoundTrip) {
  for (Classification c : {Classification::kGeneral, Classification::kImportant, Classification::kCore}) {
    Result<Classification> parsed = ParseClassification(ClassificationName(c));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_EQ(ParseClassification("secret").status().code(), StatusCode::kInvalidArgument);
}

TEST(ModelTest, ValidateNameAcceptsLettersDigitsAndPunctuation) {
  EXPECT_TRUE(ValidateName("P-101_a.b").ok());
  EXPECT_TRUE(ValidateName(std::string(64, 'x')).ok());
}

TEST(ModelTest, ValidateNameRefusesEmptyLongSlashedAndReservedNames) {
  for (std::string bad : {std::string(), std::string(65, 'x'), std::string("a/b"), std::string("泵"),
                          std::string("a b"), std::string("."), std::string("..")}) {
    Status status = ValidateName(bad);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << "name '" << bad << "'";
  }
}

TEST(ModelTest, ValidateTagAcceptsAPlainTag) { EXPECT_TRUE(ValidateTag(ValidTag()).ok()); }

TEST(ModelTest, ValidateTagRefusesNonPositivePeriodAndNegativeRetention) {
  Tag tag = ValidTag();
  tag.period_ms = 0;
  EXPECT_EQ(ValidateTag(tag).code(), StatusCode::kInvalidArgument);
  tag = ValidTag();
  tag.retention_days = -1;
  EXPECT_EQ(ValidateTag(tag).code(), StatusCode::kInvalidArgument);
}

TEST(ModelTest, ValidateTagRefusesInvertedRange) {
  Tag tag = ValidTag();
  tag.range_lo = 100;
  tag.range_hi = 100;
  EXPECT_EQ(ValidateTag(tag).code(), StatusCode::kInvalidArgument);
}

TEST(ModelTest, ValidateTagRequiresPresentLimitsStrictlyIncreasing) {
  Tag tag = ValidTag();
  tag.limits = {10.0, 20.0, 80.0, 90.0};
  EXPECT_TRUE(ValidateTag(tag).ok());
  tag.limits = {std::nullopt, 20.0, std::nullopt, 90.0};
  EXPECT_TRUE(ValidateTag(tag).ok());
  tag.limits = {std::nullopt, 80.0, 20.0, std::nullopt};
  Status status = ValidateTag(tag);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("alarm limit hi"), std::string::npos) << status.message();
  tag.limits = {50.0, std::nullopt, std::nullopt, 50.0};
  EXPECT_EQ(ValidateTag(tag).code(), StatusCode::kInvalidArgument);
}

TEST(ModelTest, ValidateTagRefusesBadName) {
  Tag tag = ValidTag();
  tag.name = "flow rate";
  EXPECT_EQ(ValidateTag(tag).code(), StatusCode::kInvalidArgument);
}

TEST(ModelTest, RetentionIsTheTagsOwnElseItsClassDefault) {
  const int64_t defaults[3] = {30, 365, 0};
  Tag tag;
  tag.classification = Classification::kImportant;
  EXPECT_EQ(RetentionDays(tag, defaults), 365);
  tag.classification = Classification::kCore;
  EXPECT_EQ(RetentionDays(tag, defaults), 0);
  tag.retention_days = 7;
  EXPECT_EQ(RetentionDays(tag, defaults), 7);
}

}  // namespace
}  // namespace zhizao::catalog
