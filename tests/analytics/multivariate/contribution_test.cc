// Reconstruction-based contributions name the variable behind an alarm.
#include <gtest/gtest.h>

#include <numeric>

#include "analytics/multivariate/model.h"
#include "test_data.h"

namespace zhizao::analytics::multivariate {
namespace {

void ExpectFaultyVariableFirst(const TrainOptions& options) {
  const size_t vars = 8;
  const RowMatrix train = testing::LatentProcess(2000, vars, 0.5, 3);
  RowMatrix live = testing::LatentProcess(200, vars, 0.5, 4);
  for (size_t r = 100; r < 200; ++r) live.at(r, 5) += 1.5;  // a bias on v5, sd of v5 is about 1-2
  auto model = Model::Train(train, testing::Names(vars), options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto scores = model->ScoreRange(live);
  ASSERT_TRUE(scores.ok());
  int alarms = 0, named = 0;
  for (size_t r = 100; r < 200; ++r) {
    const Score& s = (*scores)[r];
    ASSERT_EQ(s.contributions.size(), vars);
    const double total = std::accumulate(s.contributions.begin(), s.contributions.end(), 0.0,
                                         [](double a, const Contribution& c) { return a + c.weight; });
    EXPECT_NEAR(total, 1.0, 1e-9);
    for (size_t i = 1; i < vars; ++i) EXPECT_GE(s.contributions[i - 1].weight, s.contributions[i].weight);
    if (!s.alarm) continue;
    ++alarms;
    named += s.contributions[0].variable == 5;
  }
  EXPECT_GT(alarms, 80);
  EXPECT_EQ(named, alarms) << "the biased variable should lead every alarm's contributions";
}

TEST(ContributionTest, PcaPutsTheBiasedVariableFirst) { ExpectFaultyVariableFirst({.method = Method::kPca, .components = 2}); }

TEST(ContributionTest, DynamicPcaPutsTheBiasedVariableFirst) {
  ExpectFaultyVariableFirst({.method = Method::kDynamicPca, .components = 4, .lags = 2});
}

TEST(ContributionTest, CvaPutsTheBiasedVariableFirst) { ExpectFaultyVariableFirst({.method = Method::kCva, .lags = 2}); }

}  // namespace
}  // namespace zhizao::analytics::multivariate
