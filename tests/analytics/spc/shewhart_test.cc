#include "analytics/spc/shewhart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analytics/spc/csv_fixture.h"

namespace zhizao::analytics::spc {
namespace {

std::vector<Subgroup> Groups(std::vector<std::vector<double>> values) {
  std::vector<Subgroup> out;
  for (auto& v : values) out.push_back({std::to_string(out.size() + 1), 0, std::move(v)});
  return out;
}

TEST(IndividualsChart, ReproducesNistFlowRateExample) {
  const auto x = testing::Column(testing::ReadCsv("nist_6_3_2_2_individuals.csv"), "x");
  auto limits = EstimateIndividuals(x);
  ASSERT_TRUE(limits.ok()) << limits.status().ToString();
  auto chart = MonitorIndividuals(*limits, x, RuleSet::Nelson());
  ASSERT_TRUE(chart.ok());
  const ChartPoint& first_mr = chart->dispersion.points.front();
  EXPECT_NEAR(limits->center, 50.81, 0.005);
  EXPECT_NEAR(first_mr.center, 1.8778, 0.00005);  // MR̄
  const std::vector<double> printed_mr = {2.0, 2.3, 1.4, 3.5, 3.4, 1.4, 0.2, 1.2, 1.5};
  ASSERT_EQ(chart->dispersion.points.size(), printed_mr.size());
  for (std::size_t i = 0; i < printed_mr.size(); ++i)
    EXPECT_NEAR(chart->dispersion.points[i].value, printed_mr[i], 0.05 + 1e-9);
  // The handbook divides by d2 rounded to 1.128; with that constant our MR̄ gives its limits
  // to the printed 4 decimals. Our own limits use d2 = 1.128379 and sit 0.0016 inside.
  const double mr_bar = first_mr.center;
  EXPECT_NEAR(limits->center + 3 * mr_bar / 1.128, 55.8041, 0.00005);
  EXPECT_NEAR(limits->center - 3 * mr_bar / 1.128, 45.8159, 0.00005);
  const ChartPoint& i0 = chart->location.points.front();
  EXPECT_NEAR(i0.ucl, 55.8041, 0.002);
  EXPECT_NEAR(i0.lcl, 45.8159, 0.002);
  EXPECT_NEAR(first_mr.ucl, 3.267 * mr_bar, 0.0005 * mr_bar);  // D4(2) MR̄
  // "None of the points is outside the limits."
  for (const auto& v : chart->location.violations) EXPECT_NE(v.rule, Rule::kBeyondLimits);
  EXPECT_TRUE(chart->dispersion.violations.empty());
}

TEST(XbarRChart, LimitsEqualTheTextbookFactorForm) {
  // x̄ = 2, 4, 3 (x̿ = 3); R = 2, 4, 0 (R̄ = 2); n = 3: A2 = 1.023, D4 = 2.574 (Montgomery VI).
  auto limits = EstimateXbarR(Groups({{1, 2, 3}, {2, 4, 6}, {3, 3, 3}}));
  ASSERT_TRUE(limits.ok()) << limits.status().ToString();
  EXPECT_DOUBLE_EQ(limits->center, 3.0);
  auto xbar = PointLimits(*limits, ChartType::kXbar, 3);
  auto range = PointLimits(*limits, ChartType::kRange, 3);
  ASSERT_TRUE(xbar.ok() && range.ok());
  EXPECT_NEAR(xbar->ucl, 3 + 1.023 * 2, 0.0005 * 2);
  EXPECT_NEAR(xbar->lcl, 3 - 1.023 * 2, 0.0005 * 2);
  EXPECT_NEAR(range->center, 2.0, 1e-7);
  EXPECT_NEAR(range->ucl, 2.574 * 2, 0.001 * 2);  // D4 printed from rounded d2, d3
  EXPECT_EQ(range->lcl, 0.0);  // D3 = 0 for n < 7
}

TEST(XbarSChart, EqualSizesGiveTheA3B3B4Form) {
  // n = 4: A3 = 1.628, B3 = 0, B4 = 2.266.
  auto groups = Groups({{1, 2, 3, 4}, {2, 2, 5, 7}, {0, 3, 3, 6}});
  auto limits = EstimateXbarS(groups);
  ASSERT_TRUE(limits.ok());
  double s_bar = 0;
  for (const auto& g : groups) {
    double m = 0, ss = 0;
    for (double v : g.values) m += v / 4;
    for (double v : g.values) ss += (v - m) * (v - m);
    s_bar += std::sqrt(ss / 3) / 3;
  }
  auto xbar = PointLimits(*limits, ChartType::kXbar, 4);
  auto s = PointLimits(*limits, ChartType::kStdDev, 4);
  ASSERT_TRUE(xbar.ok() && s.ok());
  EXPECT_NEAR(xbar->ucl - limits->center, 1.628 * s_bar, 0.0005 * s_bar);
  EXPECT_NEAR(s->center, s_bar, 1e-9);
  EXPECT_NEAR(s->ucl, 2.266 * s_bar, 0.0005 * s_bar);
  EXPECT_EQ(s->lcl, 0.0);
}

TEST(XbarSChart, UnequalSizesUseWeightedSigmaAndPerPointLimits) {
  // {1,3}: s = sqrt(2), n = 2; {2,4,6}: s = 2, n = 3. ASTM E2587 weights h = c4²/(1-c4²)
  // give sigma = 2.09997 (worked by hand); x̿ = (2·2 + 3·4)/5 = 3.2.
  auto groups = Groups({{1, 3}, {2, 4, 6}});
  auto limits = EstimateXbarS(groups);
  ASSERT_TRUE(limits.ok()) << limits.status().ToString();
  EXPECT_NEAR(limits->sigma, 2.09997, 1e-5);
  EXPECT_NEAR(limits->center, 3.2, 1e-12);
  auto chart = MonitorSubgroups(*limits, groups, RuleSet::Nelson());
  ASSERT_TRUE(chart.ok());
  const auto& p = chart->location.points;
  EXPECT_NEAR(p[0].ucl - p[0].center, 3 * limits->sigma / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(p[1].ucl - p[1].center, 3 * limits->sigma / std::sqrt(3.0), 1e-12);
  EXPECT_EQ(p[0].n, 2);
  EXPECT_EQ(p[1].n, 3);
}

TEST(ShewhartPhaseOne, RejectsFewerThanTwoSubgroups) {
  EXPECT_EQ(EstimateXbarR(Groups({{1, 2, 3}})).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EstimateXbarS(Groups({{1, 2, 3}})).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EstimateIndividuals(std::vector<double>{1.0}).status().code(), StatusCode::kInvalidArgument);
}

TEST(ShewhartPhaseOne, RejectsSubgroupsOfSizeOneForXbarCharts) {
  auto r = EstimateXbarR(Groups({{1}, {2}, {3}}));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("I-MR"), std::string::npos);
  EXPECT_FALSE(EstimateXbarS(Groups({{1, 2}, {3}})).ok());
}

TEST(ShewhartPhaseOne, RejectsUnequalSizesForXbarR) {
  auto r = EstimateXbarR(Groups({{1, 2}, {3, 4, 5}}));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("X-bar/S"), std::string::npos);
}

TEST(ShewhartPhaseOne, RejectsZeroVariation) {
  EXPECT_FALSE(EstimateIndividuals(std::vector<double>{5, 5, 5, 5}).ok());
  EXPECT_FALSE(EstimateXbarR(Groups({{5, 5}, {6, 6}})).ok());
  EXPECT_FALSE(EstimateXbarS(Groups({{5, 5}, {6, 6}})).ok());
}

TEST(ShewhartPhaseOne, RejectsNaNAndInfinity) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto r = EstimateIndividuals(std::vector<double>{1, nan, 3});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("value 1"), std::string::npos);
  EXPECT_FALSE(EstimateXbarS(Groups({{1, 2}, {3, std::numeric_limits<double>::infinity()}})).ok());
}

TEST(ShewhartPhaseTwo, FlagsAShiftAgainstFixedLimits) {
  auto limits = EstimateIndividuals(std::vector<double>{10, 11, 9, 10, 11, 9, 10, 10, 11, 9});
  ASSERT_TRUE(limits.ok());
  auto chart = MonitorIndividuals(*limits, std::vector<double>{10, 10, 25, 10}, RuleSet::Nelson());
  ASSERT_TRUE(chart.ok());
  ASSERT_FALSE(chart->location.violations.empty());
  EXPECT_EQ(chart->location.violations.front().rule, Rule::kBeyondLimits);
  EXPECT_EQ(chart->location.violations.front().index, 2u);
  EXPECT_EQ(chart->limits.sigma, limits->sigma);  // limits stay fixed in Phase II
}

}  // namespace
}  // namespace zhizao::analytics::spc
