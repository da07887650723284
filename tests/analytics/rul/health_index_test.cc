#include "analytics/rul/health_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace zhizao::analytics::rul {
namespace {

// Rows (a, b, 7): a and b vary, the last column is constant.
FeatureMatrix Columns(size_t rows) {
  FeatureMatrix x{.rows = rows, .cols = 3, .values = {}};
  for (size_t i = 0; i < rows; ++i) {
    const double a = static_cast<double>(i % 17), b = std::sin(static_cast<double>(i));
    x.values.insert(x.values.end(), {static_cast<float>(a), static_cast<float>(b), 7.0f});
  }
  return x;
}

std::vector<double> LinearTargets(const FeatureMatrix& x) {
  std::vector<double> y;
  for (size_t i = 0; i < x.rows; ++i) y.push_back(3.0 * x.values[i * 3] - 2.0 * x.values[i * 3 + 1] + 5.0);
  return y;
}

TEST(HealthIndexTest, RecoversALinearRelationAndIgnoresAConstantColumn) {
  const FeatureMatrix x = Columns(200);
  const double inf = std::numeric_limits<double>::infinity();
  auto index = HealthIndex::Fit(x, LinearTargets(x), {}, 1e-9, -inf, inf);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(index->parts().coef[2], 0.0);  // constant: scale 1, standardised value 0
  const auto fitted = index->Apply(x);
  const auto truth = LinearTargets(x);
  for (size_t i = 0; i < x.rows; ++i) EXPECT_NEAR(fitted[i], truth[i], 1e-3);
}

TEST(HealthIndexTest, ClampsItsOutputAndAppendsItAsTheLastColumn) {
  const FeatureMatrix x = Columns(100);
  auto index = HealthIndex::Fit(x, LinearTargets(x), {}, 1e-9, 10.0, 30.0);  // targets span about 2..55
  ASSERT_TRUE(index.ok());
  const auto values = index->Apply(x);
  EXPECT_EQ(*std::min_element(values.begin(), values.end()), 10.0f);
  EXPECT_EQ(*std::max_element(values.begin(), values.end()), 30.0f);
  const FeatureMatrix wider = index->Append(x);
  ASSERT_EQ(wider.cols, 4u);
  for (size_t i = 0; i < x.rows; ++i) {
    EXPECT_EQ(wider.values[i * 4], x.values[i * 3]);
    EXPECT_EQ(wider.values[i * 4 + 3], values[i]);
  }
}

TEST(HealthIndexTest, AStrongPenaltyShrinksTowardsTheWeightedMean) {
  const FeatureMatrix x = Columns(100);
  std::vector<float> weights(100, 1.0f);
  weights[0] = 1000.0f;  // row 0 (a = 0, b = 0) pulls the mean towards its target, 5
  const double inf = std::numeric_limits<double>::infinity();
  auto index = HealthIndex::Fit(x, LinearTargets(x), weights, 1e6, -inf, inf);
  ASSERT_TRUE(index.ok());
  EXPECT_LT(std::abs(index->parts().coef[0]), 1e-3);
  EXPECT_LT(index->parts().intercept, 10.0);  // unweighted mean of the targets is about 27
}

TEST(HealthIndexTest, FromPartsRefusesInconsistentParts) {
  const HealthIndexParts good{.mean = {0, 1}, .scale = {1, 2}, .coef = {3, 4}, .intercept = 1, .lower = 0, .upper = 9};
  EXPECT_TRUE(HealthIndex::FromParts(good).ok());
  auto bad = good;
  bad.scale[1] = 0;
  EXPECT_EQ(HealthIndex::FromParts(bad).status().code(), StatusCode::kCorruption);
  bad = good;
  bad.coef.pop_back();
  EXPECT_EQ(HealthIndex::FromParts(bad).status().code(), StatusCode::kCorruption);
  bad = good;
  bad.lower = 9;
  EXPECT_EQ(HealthIndex::FromParts(bad).status().code(), StatusCode::kCorruption);
  bad = good;
  bad.intercept = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(HealthIndex::FromParts(bad).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace zhizao::analytics::rul
