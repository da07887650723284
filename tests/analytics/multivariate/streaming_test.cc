// Offline (ScoreRange) and live (Scorer, row by row, across restarts via Save/Load) agree exactly,
// and the deployable threshold keeps its false alarm rate on fresh normal data.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analytics/multivariate/model.h"
#include "test_data.h"

namespace zhizao::analytics::multivariate {
namespace {

class StreamingTest : public ::testing::TestWithParam<Method> {};

TEST_P(StreamingTest, LiveRowByRowEqualsOfflineRange) {
  const RowMatrix train = testing::LatentProcess(800, 6, 0.8, 11), live = testing::LatentProcess(300, 6, 0.8, 12);
  auto model = Model::Train(train, testing::Names(6), {.method = GetParam(), .lags = 3});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto offline = model->ScoreRange(live);
  ASSERT_TRUE(offline.ok());
  // Live: a scorer from a model reloaded from its blob, as the server would after a restart.
  Scorer scorer(*Model::Load(model->Save()));
  for (size_t r = 0; r < live.rows; ++r) {
    auto s = scorer.Push(live.row(r));
    ASSERT_TRUE(s.ok());
    const Score& o = (*offline)[r];
    ASSERT_EQ(s->ready, o.ready) << r;
    EXPECT_EQ(s->statistics, o.statistics) << r;
    EXPECT_EQ(s->score, o.score);
    EXPECT_EQ(s->alarm, o.alarm);
    ASSERT_EQ(s->contributions.size(), o.contributions.size());
    for (size_t i = 0; i < o.contributions.size(); ++i) {
      EXPECT_EQ(s->contributions[i].variable, o.contributions[i].variable);
      EXPECT_EQ(s->contributions[i].weight, o.contributions[i].weight);
    }
  }
  if (model->window() > 1) {
    EXPECT_FALSE((*offline)[model->window() - 2].ready);
  }
  EXPECT_TRUE((*offline)[model->window() - 1].ready);
}

TEST_P(StreamingTest, CrossValidatedThresholdKeepsItsFalseAlarmRate) {
  const RowMatrix train = testing::LatentProcess(1500, 6, 0.8, 21), fresh = testing::LatentProcess(10000, 6, 0.8, 22);
  auto model = Model::Train(train, testing::Names(6),
                            {.method = GetParam(), .lags = 2, .threshold = ThresholdRule::kCrossValidated});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto scores = model->ScoreRange(fresh, false);
  ASSERT_TRUE(scores.ok());
  double alarms = 0;
  for (const Score& s : *scores) alarms += s.alarm;
  EXPECT_LT(alarms / static_cast<double>(fresh.rows), 0.03) << "nominal 1 %";
}

TEST(StreamingEwmaTest, SmoothedModelReplaysIdenticallyAfterReloadAndReset) {
  const RowMatrix train = testing::LatentProcess(800, 5, 0.5, 31), live = testing::LatentProcess(200, 5, 0.5, 32);
  auto model = Model::Train(train, testing::Names(5), {.method = Method::kCva, .lags = 2, .ewma = 0.2});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto offline = model->ScoreRange(live);
  ASSERT_TRUE(offline.ok());
  Scorer scorer(*Model::Load(model->Save()));
  for (int pass = 0; pass < 2; ++pass, scorer.Reset()) {
    for (size_t r = 0; r < live.rows; ++r) {
      auto s = scorer.Push(live.row(r));
      ASSERT_TRUE(s.ok());
      EXPECT_EQ(s->statistics, (*offline)[r].statistics) << pass << ' ' << r;
    }
  }
  // A sustained bias on one variable builds up in the EWMA until it alarms.
  double sum = 0, sq = 0;
  for (size_t r = 0; r < train.rows; ++r) sum += train.at(r, 2), sq += train.at(r, 2) * train.at(r, 2);
  const double n = static_cast<double>(train.rows), sd = std::sqrt((sq - sum * sum / n) / (n - 1));
  Scorer biased(*model);
  bool alarmed = false;
  for (size_t r = 0; r < live.rows; ++r) {
    std::vector<double> row(live.row(r).begin(), live.row(r).end());
    if (r >= 100) row[2] += 3 * sd;
    auto s = biased.Push(row);
    ASSERT_TRUE(s.ok());
    alarmed = alarmed || s->alarm;
  }
  EXPECT_TRUE(alarmed);
}

INSTANTIATE_TEST_SUITE_P(Methods, StreamingTest, ::testing::Values(Method::kPca, Method::kDynamicPca, Method::kCva),
                         [](const ::testing::TestParamInfo<Method>& p) { return std::string(MethodName(p.param)); });

}  // namespace
}  // namespace zhizao::analytics::multivariate
