// X̄-R Phase I on the two textbook data sets of tests/data/spc (each file states its source).
#include <gtest/gtest.h>

#include "analytics/spc/csv_fixture.h"
#include "analytics/spc/shewhart.h"

namespace zhizao::analytics::spc {
namespace {

std::vector<Subgroup> ReadSubgroups(const std::string& file) {
  std::vector<Subgroup> out;
  for (const auto& row : testing::ReadCsv(file)) {
    Subgroup g;
    g.label = std::to_string(static_cast<int>(row.at("subgroup")));
    for (const char* c : {"x1", "x2", "x3", "x4", "x5"}) g.values.push_back(row.at(c));
    out.push_back(g);
  }
  return out;
}

bool AnyBeyondLimits(const ChartSeries& s) {
  for (const auto& v : s.violations)
    if (v.rule == Rule::kBeyondLimits) return true;
  return false;
}

TEST(XbarRWorkedExample, ReproducesMontgomeryHardBakeFlowWidth) {
  const auto groups = ReadSubgroups("montgomery_hard_bake_xbar_r.csv");
  ASSERT_EQ(groups.size(), 25u);
  auto limits = EstimateXbarR(groups);
  ASSERT_TRUE(limits.ok()) << limits.status().ToString();
  auto chart = MonitorSubgroups(*limits, groups, RuleSet::WesternElectric());
  ASSERT_TRUE(chart.ok());
  const ChartPoint& x = chart->location.points.front();
  const ChartPoint& r = chart->dispersion.points.front();
  EXPECT_NEAR(limits->center, 1.5056, 0.00005);
  EXPECT_NEAR(r.center, 0.32521, 0.000005);  // R̄
  // The book multiplies by A2 = 0.577 and D4 = 2.114 (3 decimals); exact factors move the
  // limits by at most 1.4e-4.
  EXPECT_NEAR(x.ucl, 1.6933, 0.0002);
  EXPECT_NEAR(x.lcl, 1.3179, 0.0002);
  EXPECT_NEAR(r.ucl, 0.68749, 0.0002);
  EXPECT_EQ(r.lcl, 0.0);
  EXPECT_FALSE(AnyBeyondLimits(chart->location)) << "the book finds the process in control";
  EXPECT_FALSE(AnyBeyondLimits(chart->dispersion));
}

TEST(XbarRWorkedExample, ReproducesQccPistonRings) {
  const auto groups = ReadSubgroups("montgomery_piston_rings_xbar_r.csv");
  ASSERT_EQ(groups.size(), 25u);
  auto limits = EstimateXbarR(groups);
  ASSERT_TRUE(limits.ok());
  auto xbar = PointLimits(*limits, ChartType::kXbar, 5);
  ASSERT_TRUE(xbar.ok());
  EXPECT_NEAR(limits->center, 74.00118, 0.000005);
  EXPECT_NEAR(limits->sigma, 0.009785, 0.0000005);
  EXPECT_NEAR(xbar->lcl, 73.98805, 0.000005);
  EXPECT_NEAR(xbar->ucl, 74.0143, 0.00005);
  // Montgomery prints the same chart to 3 decimals.
  EXPECT_NEAR(xbar->ucl, 74.014, 0.0005);
  EXPECT_NEAR(xbar->lcl, 73.988, 0.0005);
}

}  // namespace
}  // namespace zhizao::analytics::spc
