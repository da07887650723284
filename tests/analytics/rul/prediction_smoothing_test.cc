#include "analytics/rul/prediction_smoothing.h"

#include <gtest/gtest.h>

#include <vector>

#include "analytics/rul/cross_validation.h"
#include "analytics/rul/rul_model.h"
#include "synthetic_fleet.h"

namespace zhizao::analytics::rul {
namespace {

TEST(PredictionSmoothingTest, AveragesEarlierPredictionsShiftedByTheirAge) {
  const std::vector<int64_t> cycles{1, 2, 3, 5};
  const std::vector<double> values{10, 10, 7, 6};
  const auto out = ShiftedAverage(cycles, values, 3);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_DOUBLE_EQ(out[0], 10);               // only itself
  EXPECT_DOUBLE_EQ(out[1], (10 + 9) / 2.0);    // 10 now, 10 - 1
  EXPECT_DOUBLE_EQ(out[2], (7 + 9 + 8) / 3.0);
  EXPECT_DOUBLE_EQ(out[3], (6 + 5 + 7) / 3.0);  // ages from cycle numbers: 7 - 2, 10 - 3
}

TEST(PredictionSmoothingTest, CountOneLeavesPredictionsAlone) {
  const std::vector<int64_t> cycles{1, 2};
  const std::vector<double> values{4, 1};
  EXPECT_EQ(ShiftedAverage(cycles, values, 1), values);
}

TrainOptions Small(int smooth) {
  return {.rul_cap = 100, .window = 10, .recent = 3, .baseline = 5, .long_window = 60, .smooth = smooth,
          .ensemble = 1, .rounds = 40, .max_depth = 4, .eta = 0.1};
}

TEST(PredictionSmoothingTest, ModelPredictionAtTheLastCycleIsTheShiftedAverage) {
  const auto rows = testing::MakeFleet({.units = 6});
  auto raw = Model::Train(rows, Small(1));
  auto smoothed = Model::Train(rows, Small(4));
  ASSERT_TRUE(raw.ok() && smoothed.ok());
  EXPECT_EQ(smoothed->info().smooth, 4);
  auto unit = testing::MakeFleet({.units = 1, .first_unit = 40, .seed = 11});
  unit.resize(unit.size() - 30);
  auto every = raw->PredictEveryCycle(unit);
  auto last = smoothed->Predict(unit);
  ASSERT_TRUE(every.ok() && last.ok());
  const size_t n = every->size();
  double expected = 0;
  for (size_t j = 0; j < 4; ++j) expected += (*every)[n - 1 - j].value - static_cast<double>(j);
  EXPECT_NEAR(last->value, expected / 4, 1e-4);  // same trees: smoothing changes only the read-out
  auto blob = smoothed->Save();
  ASSERT_TRUE(blob.ok());
  auto loaded = Model::Load(*blob);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Predict(unit)->value, last->value);
}

TEST(CrossValidationTest, ScoresEachSmoothingCandidateOnTheSameFolds) {
  const auto rows = testing::MakeFleet({.units = 9});
  auto cv = CrossValidate(rows, Small(1), {.folds = 3, .smooth_candidates = {1, 3}});
  ASSERT_TRUE(cv.ok()) << cv.status().ToString();
  ASSERT_EQ(cv->fold_rmse.size(), 3u);
  ASSERT_EQ(cv->smoothing.size(), 2u);
  EXPECT_DOUBLE_EQ(cv->smoothing[0].rmse, cv->rmse);
  EXPECT_DOUBLE_EQ(cv->smoothing[0].truncated_rmse, cv->truncated_rmse);
  EXPECT_NE(cv->smoothing[1].rmse, cv->rmse);
  // The uncapped truth runs to ~220 cycles while the target stops at 100: truncation at a random
  // cycle costs more than the capped score.
  EXPECT_GT(cv->truncated_rmse, cv->rmse);
  EXPECT_LT(cv->rmse, 15.0);
}

TEST(CrossValidationTest, RefusesTooFewUnitsAndBadCandidates) {
  const auto rows = testing::MakeFleet({.units = 3});
  EXPECT_EQ(CrossValidate(rows, Small(1), {.folds = 4}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CrossValidate(rows, Small(1), {.folds = 3, .smooth_candidates = {0}}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhizao::analytics::rul
