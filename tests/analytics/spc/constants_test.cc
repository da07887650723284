#include "analytics/spc/constants.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "analytics/spc/csv_fixture.h"

namespace zhizao::analytics::spc {
namespace {

// Half a unit in the last printed place, plus floating-point slack.
constexpr double kThreeDecimals = 0.0005 + 1e-9;
constexpr double kFourDecimals = 0.00005 + 1e-9;
// One unit in the third decimal for d3, D3 and D4: printed tables derive D3 = 1 - 3·d3/d2 and
// D4 from d2 and d3 already rounded to 3 decimals (Montgomery prints D4(3) = 2.574, ASTM E2587
// 2.575; exact 2.5746), and older d3 values differ in the last place (n = 19: printed 0.734,
// exact 0.73348, converged to 1e-12 at two grid steps).
constexpr double kOneUnitInThird = 0.001 + 1e-9;

TEST(ControlConstants, MatchMontgomeryTableForEverySubgroupSizeTwoToTwentyFive) {
  const auto table = testing::ReadCsv("montgomery_constants.csv");
  ASSERT_EQ(table.size(), 24u);
  for (const auto& row : table) {
    const int n = static_cast<int>(row.at("n"));
    SCOPED_TRACE("n = " + std::to_string(n));
    auto k = ConstantsFor(n);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    EXPECT_NEAR(k->d2, row.at("d2"), kThreeDecimals);
    EXPECT_NEAR(k->d3, row.at("d3"), kOneUnitInThird);
    EXPECT_NEAR(k->c4, row.at("c4"), kFourDecimals);
    EXPECT_NEAR(k->a2, row.at("A2"), kThreeDecimals);
    EXPECT_NEAR(k->a3, row.at("A3"), kThreeDecimals);
    EXPECT_NEAR(k->b3, row.at("B3"), kThreeDecimals);
    EXPECT_NEAR(k->b4, row.at("B4"), kThreeDecimals);
    EXPECT_NEAR(k->d3_factor, row.at("D3"), kOneUnitInThird);
    EXPECT_NEAR(k->d4_factor, row.at("D4"), kOneUnitInThird);
  }
}

TEST(ControlConstants, RangeOfTwoHasClosedForms) {
  // For n = 2, W = |X1 - X2| ~ sqrt(2)|Z|: E[W] = 2/sqrt(pi), Var[W] = 2 - 4/pi.
  auto k = ConstantsFor(2);
  ASSERT_TRUE(k.ok());
  EXPECT_NEAR(k->d2, 2.0 / std::sqrt(std::numbers::pi), 1e-12);
  EXPECT_NEAR(k->d3, std::sqrt(2.0 - 4.0 / std::numbers::pi), 1e-12);
  EXPECT_NEAR(k->c4, std::sqrt(2.0 / std::numbers::pi), 1e-12);
}

TEST(ControlConstants, ExtendBeyondTheTableAndApproachTheirLimits) {
  auto k50 = ConstantsFor(50);
  auto k100 = ConstantsFor(100);
  ASSERT_TRUE(k50.ok() && k100.ok());
  EXPECT_GT(k100->d2, k50->d2);
  EXPECT_LT(k100->d3, k50->d3);
  // c4 ≈ 4(n-1)/(4n-3) for large n (Montgomery, Appendix VI footnote).
  EXPECT_NEAR(k100->c4, 4.0 * 99 / (4.0 * 100 - 3), 1e-5);
  EXPECT_GT(k100->b3, 0.0);
}

TEST(ControlConstants, RejectSubgroupSizeBelowTwo) {
  EXPECT_EQ(ConstantsFor(1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConstantsFor(0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConstantsFor(kMaxSubgroupSize + 1).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhizao::analytics::spc
