// Bad input to Train and Scorer: clear errors, never a silent wrong score.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analytics/multivariate/model.h"
#include "test_data.h"

namespace zhizao::analytics::multivariate {
namespace {

std::string TrainError(const RowMatrix& data, size_t names, const TrainOptions& options) {
  auto model = Model::Train(data, testing::Names(names), options);
  EXPECT_FALSE(model.ok());
  return model.ok() ? "" : model.status().message();
}

TEST(BadInputTest, TooFewRowsForTheVariablesAndLags) {
  EXPECT_NE(TrainError(testing::LatentProcess(6, 5, 0, 1), 5, {}).find("need at least 7"), std::string::npos);
  const std::string cva = TrainError(testing::LatentProcess(45, 5, 0, 1), 5, {.method = Method::kCva, .lags = 3});
  EXPECT_NE(cva.find("need at least 42"), std::string::npos) << cva;
  EXPECT_NE(TrainError(RowMatrix(), 0, {}).find("no data"), std::string::npos);
}

TEST(BadInputTest, ConstantColumnIsNamed) {
  RowMatrix data = testing::LatentProcess(100, 4, 0, 1);
  for (size_t r = 0; r < data.rows; ++r) data.at(r, 2) = 7.5;
  const std::string error = TrainError(data, 4, {});
  EXPECT_NE(error.find("'v2' is constant"), std::string::npos) << error;
}

TEST(BadInputTest, NonFiniteTrainingValueIsNamed) {
  RowMatrix data = testing::LatentProcess(100, 4, 0, 1);
  data.at(17, 3) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(TrainError(data, 4, {}).find("row 17 column 'v3'"), std::string::npos);
}

TEST(BadInputTest, WrongNamesAndOptions) {
  const RowMatrix data = testing::LatentProcess(100, 4, 0, 1);
  EXPECT_NE(TrainError(data, 3, {}).find("3 names for 4 columns"), std::string::npos);
  EXPECT_NE(TrainError(data, 4, {.components = 4}).find("components"), std::string::npos);
  EXPECT_NE(TrainError(data, 4, {.confidence = 1.0}).find("confidence"), std::string::npos);
  EXPECT_NE(TrainError(data, 4, {.method = Method::kCva, .lags = 0}).find("lags"), std::string::npos);
}

TEST(BadInputTest, ScorerRefusesWrongWidthAndNaNWithoutLosingTheWindow) {
  const RowMatrix train = testing::LatentProcess(500, 4, 0.7, 1), live = testing::LatentProcess(10, 4, 0.7, 2);
  auto model = Model::Train(train, testing::Names(4), {.method = Method::kCva, .lags = 2});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Scorer clean(*model), noisy(*model);
  for (size_t r = 0; r < live.rows; ++r) {
    auto expected = clean.Push(live.row(r));
    auto wide = noisy.Push(std::vector<double>(5, 1.0));
    EXPECT_NE(wide.status().message().find("row has 5 values, the model 4"), std::string::npos);
    auto nan = noisy.Push(std::vector<double>{1, std::nan(""), 1, 1});
    EXPECT_NE(nan.status().message().find("'v1' is not finite"), std::string::npos);
    auto got = noisy.Push(live.row(r));
    ASSERT_TRUE(expected.ok() && got.ok());
    EXPECT_EQ(expected->ready, r >= 2);
    EXPECT_EQ(expected->ratio, got->ratio);
  }
}

}  // namespace
}  // namespace zhizao::analytics::multivariate
