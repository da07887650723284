// PCA statistics and limits against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "analytics/multivariate/model.h"
#include "test_data.h"

namespace zhizao::analytics::multivariate {
namespace {

// Four rows (2,2), (-2,-2), (1,-1), (-1,1): sd² = 10/3 for both columns, correlation 3/5, so the
// standardised covariance has eigenvalues 1.6 along (1,1)/√2 and 0.4 along (1,-1)/√2.
RowMatrix FourPoints() {
  RowMatrix m(4, 2);
  m.values = {2, 2, -2, -2, 1, -1, -1, 1};
  return m;
}

TEST(PcaMathTest, TSquaredAndSpeMatchHandComputation) {
  auto model = Model::Train(FourPoints(), {"a", "b"}, {.method = Method::kPca, .components = 1});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Scorer scorer(*model);
  auto s = scorer.Push(std::vector<double>{1, 0});
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->ready);
  // z = (1/s, 0): t1² = 1/(2 s²) = 3/20, T² = t1²/1.6 = 3/32; SPE = t2² = 3/20.
  EXPECT_NEAR(s->statistics[0], 3.0 / 32, 1e-12);
  EXPECT_NEAR(s->statistics[1], 3.0 / 20, 1e-12);
}

TEST(PcaMathTest, LimitsFollowTheFDistributionAndJacksonMudholkar) {
  auto model = Model::Train(FourPoints(), {"a", "b"}, {.method = Method::kPca, .components = 1});
  ASSERT_TRUE(model.ok());
  auto s = Scorer(*model).Push(std::vector<double>{0, 0});
  ASSERT_TRUE(s.ok());
  // T²: k (n²-1) / (n (n-k)) F(1, 3; 0.99) = 15/12 × 34.1162.
  EXPECT_NEAR(s->limits[0], 15.0 / 12 * 34.1162, 1e-3);
  // One residual eigenvalue 0.4: SPE/0.4 is χ²(1), 6.635 at 99 %; Jackson–Mudholkar's
  // approximation is 2.634 here (h0 = 1/3), within 1 % of 0.4 × 6.635.
  EXPECT_NEAR(s->limits[1], 2.634, 2e-3);
  EXPECT_NEAR(s->limits[1], 0.4 * 6.635, 0.01 * 0.4 * 6.635);
  EXPECT_EQ(s->statistics[0], 0);
  EXPECT_FALSE(s->alarm);
}

TEST(PcaMathTest, ScoreIsHalfAtTheThresholdAndAlarmAbove) {
  auto model = Model::Train(FourPoints(), {"a", "b"}, {.method = Method::kPca, .components = 1});
  ASSERT_TRUE(model.ok());
  // Along (1,-1) only SPE moves: SPE = 2 (x/s)² = 0.6 x², 1.35 for x = 1.5 and 5.4 for x = 3 (limit 2.634).
  auto below = Scorer(*model).Push(std::vector<double>{1.5, -1.5});
  auto above = Scorer(*model).Push(std::vector<double>{3, -3});
  ASSERT_TRUE(below.ok() && above.ok());
  EXPECT_FALSE(below->alarm);
  EXPECT_LT(below->score, 0.5);
  EXPECT_TRUE(above->alarm);
  EXPECT_GT(above->score, 0.5);
  EXPECT_LT(above->score, 1.0);
  EXPECT_NEAR(above->ratio, above->statistics[1] / above->limits[1], 1e-12);
}

TEST(PcaMathTest, AutomaticComponentsExplainTheRequestedVariance) {
  const RowMatrix data = testing::LatentProcess(2000, 6, 0.0, 1);
  auto model = Model::Train(data, testing::Names(6), {.method = Method::kPca, .variance_explained = 0.9});
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->components(), 2u);  // two latent factors, 10 % noise
}

TEST(PcaMathTest, FalseAlarmRateOnFreshNormalDataIsNearTheConfidence) {
  const RowMatrix train = testing::LatentProcess(3000, 6, 0.0, 1);
  const RowMatrix fresh = testing::LatentProcess(20000, 6, 0.0, 2);
  auto model = Model::Train(train, testing::Names(6), {.method = Method::kPca, .components = 2});
  ASSERT_TRUE(model.ok());
  auto scores = model->ScoreRange(fresh, false);
  ASSERT_TRUE(scores.ok());
  double alarms = 0;
  for (const Score& s : *scores) alarms += s.alarm;
  // T² or SPE each at 1 %: at most ~2 % together.
  EXPECT_GT(alarms / 20000, 0.005);
  EXPECT_LT(alarms / 20000, 0.03);
}

}  // namespace
}  // namespace zhizao::analytics::multivariate
