#include "analytics/rul/rul_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "synthetic_fleet.h"

namespace zhizao::analytics::rul {
namespace {

TrainOptions SmallOptions() {
  return {.rul_cap = 100, .window = 10, .recent = 3, .baseline = 5, .ensemble = 2, .rounds = 60, .max_depth = 4,
          .eta = 0.1, .min_child_weight = 5};
}

// RMSE at every cycle of the given units against the capped truth.
double HeldOutRmse(const Model& model, const std::vector<Row>& rows, double cap) {
  std::map<int64_t, int64_t> last;
  for (const auto& row : rows) last[row.unit] = std::max(last[row.unit], row.cycle);
  auto predictions = model.PredictEveryCycle(rows);
  EXPECT_TRUE(predictions.ok()) << predictions.status().ToString();
  double sum = 0;
  for (const auto& p : *predictions) {
    const double d = p.value - std::min(cap, static_cast<double>(last[p.unit] - p.cycle));
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(predictions->size()));
}

TEST(RulModelTest, LearnsRemainingLifeAcrossSeveralRegimes) {
  auto model = Model::Train(testing::MakeFleet({.units = 16, .regimes = 3}), SmallOptions());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->info().regime_count, 3u);
  EXPECT_EQ(model->info().kept_sensors, (std::vector<size_t>{0, 1}));
  const auto held_out = testing::MakeFleet({.units = 6, .first_unit = 100, .regimes = 3, .seed = 99});
  // The cap is 100 cycles; a model that ignored the degrading sensor would be off by ~30.
  EXPECT_LT(HeldOutRmse(*model, held_out, 100), 12.0);
}

TEST(RulModelTest, WeighingUnitsEquallyChangesTheFitAndStillLearns) {
  const auto rows = testing::MakeFleet({.units = 12, .regimes = 2});
  TrainOptions per_row = SmallOptions();
  per_row.weigh_units_equally = false;
  auto weighted = Model::Train(rows, SmallOptions());
  auto unweighted = Model::Train(rows, per_row);
  ASSERT_TRUE(weighted.ok() && unweighted.ok());
  EXPECT_NE(*weighted->Save(), *unweighted->Save());  // lives of 120..220 cycles: the weights differ
  const auto held_out = testing::MakeFleet({.units = 6, .first_unit = 100, .regimes = 2, .seed = 99});
  EXPECT_LT(HeldOutRmse(*weighted, held_out, 100), 12.0);
}

TEST(RulModelTest, EnsembleMembersCycleThroughThreeCapsAroundTheCap) {
  TrainOptions o{.rul_cap = 135, .cap_spread = 10, .ensemble = 4};
  EXPECT_EQ(MemberCap(o, 0), 125);
  EXPECT_EQ(MemberCap(o, 1), 135);
  EXPECT_EQ(MemberCap(o, 2), 145);
  EXPECT_EQ(MemberCap(o, 3), 125);
  o.ensemble = 1;  // a lone member keeps the cap
  EXPECT_EQ(MemberCap(o, 0), 135);
  o.ensemble = 3, o.cap_spread = 0;
  EXPECT_EQ(MemberCap(o, 2), 135);
}

TEST(RulModelTest, ASpreadOfCapsChangesTheMembersAndStillLearns) {
  const auto rows = testing::MakeFleet({.units = 12});
  TrainOptions one_cap = SmallOptions();
  one_cap.ensemble = 3, one_cap.cap_spread = 0;
  TrainOptions spread = one_cap;
  spread.cap_spread = 20;  // members learn caps 80, 100, 120
  auto a = Model::Train(rows, one_cap);
  auto b = Model::Train(rows, spread);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a->Save(), *b->Save());
  EXPECT_EQ(b->info().rul_cap, 100);
  const auto held_out = testing::MakeFleet({.units = 6, .first_unit = 100, .seed = 99});
  auto healthy = b->PredictEveryCycle(held_out);
  ASSERT_TRUE(healthy.ok());
  // Members capped at 80 and 120 disagree most on a healthy engine: the spread shows it.
  EXPECT_GT(healthy->front().spread, 10.0);
  EXPECT_LT(HeldOutRmse(*b, held_out, 100), 12.0);
}

TEST(RulModelTest, PredictsOneValueWithASpreadAtTheLastCycle) {
  auto model = Model::Train(testing::MakeFleet({.units = 8}), SmallOptions());
  ASSERT_TRUE(model.ok());
  auto unit = testing::MakeFleet({.units = 1, .first_unit = 50, .seed = 3});
  unit.resize(unit.size() - 40);  // stop 40 cycles before failure
  auto prediction = model->Predict(unit);
  ASSERT_TRUE(prediction.ok()) << prediction.status().ToString();
  EXPECT_EQ(prediction->unit, 50);
  EXPECT_EQ(prediction->cycle, unit.back().cycle);
  EXPECT_NEAR(prediction->value, 40.0, 15.0);
  EXPECT_GT(prediction->spread, 0.0);  // two members with different seeds disagree a little
}

TEST(RulModelTest, TrainingIsDeterministic) {
  const auto rows = testing::MakeFleet({.units = 6});
  auto a = Model::Train(rows, SmallOptions());
  auto b = Model::Train(rows, SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a->Save(), *b->Save());
}

TEST(RulModelTest, SaveAndLoadGiveIdenticalPredictions) {
  const auto rows = testing::MakeFleet({.units = 6, .regimes = 2});
  auto model = Model::Train(rows, SmallOptions());
  ASSERT_TRUE(model.ok());
  auto blob = model->Save();
  ASSERT_TRUE(blob.ok());
  auto loaded = Model::Load(*blob);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->info().feature_names, model->info().feature_names);
  auto before = model->PredictEveryCycle(rows);
  auto after = loaded->PredictEveryCycle(rows);
  ASSERT_TRUE(before.ok() && after.ok());
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) {
    EXPECT_EQ((*before)[i].value, (*after)[i].value);
    EXPECT_EQ((*before)[i].spread, (*after)[i].spread);
  }
  EXPECT_EQ(*loaded->Save(), *blob);
}

TEST(RulModelTest, PredictsAQualityLabelFromMeasurements) {
  auto rows = testing::MakeFleet({.units = 8, .regimes = 2});
  for (auto& row : rows) row.label = 3.0 * (row.sensors[0] - 100.0 * std::round(row.settings[1] / 0.5));
  TrainOptions options = SmallOptions();
  options.target = Target::kLabel;
  auto model = Model::Train(rows, options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->info().target, Target::kLabel);
  auto predictions = model->PredictEveryCycle(rows);
  ASSERT_TRUE(predictions.ok());
  std::map<std::pair<int64_t, int64_t>, double> labels;
  for (const auto& row : rows) labels[{row.unit, row.cycle}] = row.label;
  double abs_sum = 0;
  for (const auto& p : *predictions) abs_sum += std::abs(p.value - labels[{p.unit, p.cycle}]);
  EXPECT_LT(abs_sum / static_cast<double>(predictions->size()), 0.25);  // labels span about 0.15..3
}

}  // namespace
}  // namespace zhizao::analytics::rul
