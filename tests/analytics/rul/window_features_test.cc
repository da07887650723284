#include "analytics/rul/window_features.h"

#include <gtest/gtest.h>

namespace zhizao::analytics::rul {
namespace {

NormalizedUnit Ramp(std::vector<int64_t> cycles, std::vector<double> values) {
  NormalizedUnit unit{std::move(cycles), {}};
  for (double v : values) unit.values.push_back({v});
  return unit;
}

TEST(WindowFeaturesTest, ComputesHandCheckedValuesAtTheLastCycle) {
  const auto unit = Ramp({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5});
  const FeatureOptions options{.window = 3, .recent = 2, .ewma_alpha = 0.5, .baseline = 2};
  const auto rows = ExtractFeatures(unit, options, 4);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), FeaturesPerSensor({}) + 1);
  EXPECT_FLOAT_EQ(rows[0][0], 4.0f);     // mean of 3, 4, 5
  EXPECT_FLOAT_EQ(rows[0][1], 4.5f);     // mean of 4, 5
  EXPECT_FLOAT_EQ(rows[0][2], 1.0f);     // slope per cycle
  EXPECT_FLOAT_EQ(rows[0][3], 4.0625f);  // 1, 1.5, 2.25, 3.125, 4.0625
  EXPECT_FLOAT_EQ(rows[0][4], 2.5625f);  // ewma - mean(1, 2)
  EXPECT_FLOAT_EQ(rows[0][5], 5.0f);     // age
}

TEST(WindowFeaturesTest, GivesOneRowPerEndFromFirstEnd) {
  const auto unit = Ramp({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5});
  const auto rows = ExtractFeatures(unit, {.window = 3, .recent = 1, .ewma_alpha = 1, .baseline = 1}, 2);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FLOAT_EQ(rows[0][0], 2.0f);  // mean of 1, 2, 3
  EXPECT_FLOAT_EQ(rows[0][1], 3.0f);  // last value
  EXPECT_FLOAT_EQ(rows[2][4], 4.0f);  // 5 - first value
  EXPECT_FLOAT_EQ(rows[2][5], 5.0f);
}

TEST(WindowFeaturesTest, SlopeUsesCycleNumbersSoGapsCount) {
  // Value doubles the cycle number: slope 2 per cycle even though cycle 3 is missing.
  const auto unit = Ramp({1, 2, 4, 5}, {2, 4, 8, 10});
  const auto rows = ExtractFeatures(unit, {.window = 4, .recent = 1, .ewma_alpha = 0.1, .baseline = 1}, 3);
  EXPECT_FLOAT_EQ(rows[0][2], 2.0f);
  EXPECT_FLOAT_EQ(rows[0][5], 5.0f);  // age counts cycles, not rows
}

TEST(WindowFeaturesTest, ShortHistoryUsesTheRowsThatExist) {
  const auto unit = Ramp({10}, {3});
  const auto rows = ExtractFeatures(unit, {.window = 30, .recent = 5, .ewma_alpha = 0.1, .baseline = 20}, 0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FLOAT_EQ(rows[0][0], 3.0f);
  EXPECT_FLOAT_EQ(rows[0][2], 0.0f);  // no slope from one row
  EXPECT_FLOAT_EQ(rows[0][4], 0.0f);
  EXPECT_FLOAT_EQ(rows[0][5], 1.0f);
}

TEST(WindowFeaturesTest, LongWindowAddsMeanAndSlopeOverTheLongerSpan) {
  // Flat for three cycles, then rising by 3 per cycle: the short window sees only the rise.
  const auto unit = Ramp({1, 2, 3, 4, 5, 6}, {0, 0, 0, 3, 6, 9});
  const FeatureOptions options{.window = 3, .recent = 1, .ewma_alpha = 1, .baseline = 1, .long_window = 100};
  const auto rows = ExtractFeatures(unit, options, 5);
  ASSERT_EQ(rows[0].size(), FeaturesPerSensor(options) + 1);
  ASSERT_EQ(FeaturesPerSensor(options), 7u);
  EXPECT_FLOAT_EQ(rows[0][2], 3.0f);                // short slope
  EXPECT_FLOAT_EQ(rows[0][5], 3.0f);                // mean of all six rows (the history is shorter)
  EXPECT_FLOAT_EQ(rows[0][6], 66.0f / 35.0f);       // least-squares slope over cycles 1..6
  EXPECT_FLOAT_EQ(rows[0][7], 6.0f);                // age stays last
  EXPECT_EQ(FeatureNames({4}, options)[6], "s4.lslope");
}

TEST(WindowFeaturesTest, NamesFollowTheFeatureOrder) {
  const auto names = FeatureNames({2, 7}, {});
  ASSERT_EQ(names.size(), 2 * FeaturesPerSensor({}) + 1);
  EXPECT_EQ(names[0], "s2.mean");
  EXPECT_EQ(names[FeaturesPerSensor({}) + 2], "s7.slope");
  EXPECT_EQ(names.back(), "age");
}

}  // namespace
}  // namespace zhizao::analytics::rul
