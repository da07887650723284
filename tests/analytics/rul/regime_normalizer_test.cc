#include "analytics/rul/regime_normalizer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analytics/rul/unit_series.h"
#include "synthetic_fleet.h"

namespace zhizao::analytics::rul {
namespace {

std::vector<UnitSeries> Group(const std::vector<Row>& rows) {
  auto units = GroupUnits(rows, {});
  EXPECT_TRUE(units.ok()) << units.status().ToString();
  return std::move(units).value();
}

TEST(RegimeNormalizerTest, FindsTheConstructedRegimesAndRemovesTheirOffsets) {
  const auto units = Group(testing::MakeFleet({.units = 6, .regimes = 3}));
  auto normalizer = RegimeNormalizer::Fit(units, {});
  ASSERT_TRUE(normalizer.ok()) << normalizer.status().ToString();
  EXPECT_EQ(normalizer->regime_count(), 3u);
  // Sensor 2 is constant (7.0) in every regime and is dropped.
  EXPECT_EQ(normalizer->kept_sensors(), (std::vector<size_t>{0, 1}));

  // The regime-only sensor (1) becomes zero-mean, unit-variance noise whatever the regime:
  // without per-regime normalisation its values would sit near 50, 150 and 250.
  std::vector<double> sum(3, 0), sum2(3, 0), n(3, 0);
  for (const auto& unit : units) {
    for (size_t t = 0; t < unit.size(); ++t) {
      const size_t r = normalizer->AssignRegime(unit.settings[t]);
      EXPECT_EQ(r, normalizer->AssignRegime(std::vector<double>{unit.settings[t][0], unit.settings[t][1]}));
      double z[2];
      normalizer->Normalize(unit.settings[t], unit.sensors[t], z);
      sum[r] += z[1], sum2[r] += z[1] * z[1], n[r] += 1;
    }
  }
  for (size_t r = 0; r < 3; ++r) {
    ASSERT_GT(n[r], 0);
    EXPECT_NEAR(sum[r] / n[r], 0.0, 1e-9);
    EXPECT_NEAR(sum2[r] / n[r], 1.0, 1e-6);
  }
}

TEST(RegimeNormalizerTest, SettingsThatVaryOnlyByNoiseMakeOneRegime) {
  // As in C-MAPSS FD001: the settings jitter around one operating point.
  auto rows = testing::MakeFleet({.units = 4, .regimes = 1});
  for (size_t i = 0; i < rows.size(); ++i) rows[i].settings = {0.001 * std::fmod(static_cast<double>(i) * 0.618034, 1.0), 100.0};
  auto normalizer = RegimeNormalizer::Fit(Group(rows), {});
  ASSERT_TRUE(normalizer.ok());
  EXPECT_EQ(normalizer->regime_count(), 1u);
}

TEST(RegimeNormalizerTest, AFixedRegimeCountIsHonoured) {
  auto normalizer = RegimeNormalizer::Fit(Group(testing::MakeFleet({.units = 4, .regimes = 3})), {.regimes = 2});
  ASSERT_TRUE(normalizer.ok());
  EXPECT_EQ(normalizer->regime_count(), 2u);
}

TEST(RegimeNormalizerTest, AllConstantSensorsAreAnError) {
  auto rows = testing::MakeFleet({.units = 3, .regimes = 1});
  for (auto& row : rows) row.sensors = {1.0, 2.0};
  auto normalizer = RegimeNormalizer::Fit(Group(rows), {});
  EXPECT_EQ(normalizer.status().code(), StatusCode::kInvalidArgument);
}

TEST(RegimeNormalizerTest, FromPartsRefusesInconsistentParameters) {
  auto fitted = RegimeNormalizer::Fit(Group(testing::MakeFleet({.units = 3})), {});
  ASSERT_TRUE(fitted.ok());
  RegimeParts parts = fitted->parts();
  EXPECT_TRUE(RegimeNormalizer::FromParts(parts).ok());
  parts.sensor_std[0][0] = 0;
  EXPECT_EQ(RegimeNormalizer::FromParts(parts).status().code(), StatusCode::kCorruption);
  parts = fitted->parts();
  parts.kept_sensors = {5};
  EXPECT_EQ(RegimeNormalizer::FromParts(parts).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace zhizao::analytics::rul
