#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "analytics/spc/csv_fixture.h"
#include "analytics/spc/cusum.h"
#include "analytics/spc/ewma.h"
#include "analytics/spc/stream.h"

namespace zhizao::analytics::spc {
namespace {

TEST(EwmaChart, ReproducesNistExampleWithAsymptoticLimits) {
  const auto rows = testing::ReadCsv("nist_6_3_2_4_ewma.csv");
  EwmaParams params{.target = 50.0, .sigma = 2.0539, .lambda = 0.3, .width = 3.0, .exact_limits = false};
  auto chart = StreamingChart::Ewma(params);
  ASSERT_TRUE(chart.ok());
  for (const auto& row : rows) {
    auto update = chart->Push(std::vector<double>{row.at("x")});
    ASSERT_TRUE(update.ok());
    const ChartPoint& p = update->points.at(0);
    EXPECT_NEAR(p.value, row.at("ewma_printed"), 0.005 + 1e-9) << "t = " << row.at("t");
    EXPECT_NEAR(p.ucl, 52.5884, 0.00005);
    // The handbook prints 47.4115; unrounded the limit is 47.41158 (it rounded
    // sqrt(0.3/1.7) to 0.4201). One unit in the last place.
    EXPECT_NEAR(p.lcl, 47.4115, 0.0001);
    EXPECT_TRUE(update->violations.empty()) << "the handbook finds no EWMA outside the limits";
  }
}

TEST(EwmaChart, ExactLimitsStartNarrowAndWidenToTheAsymptote) {
  EwmaChart chart({.target = 0.0, .sigma = 1.0, .lambda = 0.2, .width = 3.0, .exact_limits = true});
  const ChartPoint first = chart.Push(0.0);
  EXPECT_NEAR(first.ucl, 3.0 * 0.2, 1e-12);  // sigma_z(1) = lambda·sigma
  ChartPoint last = first;
  for (int t = 2; t <= 200; ++t) last = chart.Push(0.0);
  EXPECT_NEAR(last.ucl, 3.0 * std::sqrt(0.2 / 1.8), 1e-9);
}

TEST(EwmaChart, EstimatesTargetAndSigmaFromABaseline) {
  const std::vector<double> base = {1, 2, 3, 2, 1, 2, 3, 2};
  auto mr = EstimateEwma(base, 0.2, 3.0);
  auto s = EstimateEwma(base, 0.2, 3.0, SigmaMethod::kSampleStdDev);
  ASSERT_TRUE(mr.ok() && s.ok());
  EXPECT_DOUBLE_EQ(mr->target, 2.0);
  EXPECT_NEAR(mr->sigma, 1.0 / (2.0 / std::sqrt(std::numbers::pi)), 1e-6);  // MR̄ = 1, d2(2) = 2/sqrt(pi)
  EXPECT_NEAR(s->sigma, std::sqrt(4.0 / 7.0), 1e-12);
  EXPECT_FALSE(EstimateEwma(base, 0.0, 3.0).ok());
  EXPECT_FALSE(EstimateEwma(std::vector<double>{4, 4, 4}, 0.2, 3.0).ok());
}

TEST(CusumChart, ReproducesNistTabularExample) {
  const auto rows = testing::ReadCsv("nist_6_3_2_3_cusum.csv");
  // k = 0.3175 and h = 4.1959 in data units; sigma of the plotted means is 0.635.
  CusumParams params{.target = 325.0, .sigma = 0.635, .k = 0.5, .h = 4.1959 / 0.635};
  auto chart = StreamingChart::Cusum(params);
  ASSERT_TRUE(chart.ok());
  std::vector<std::size_t> signalled;
  for (const auto& row : rows) {
    auto update = chart->Push(std::vector<double>{row.at("x")});
    ASSERT_TRUE(update.ok());
    const ChartPoint& hi = update->points.at(0);
    const ChartPoint& lo = update->points.at(1);
    // Printed to 2 decimals; 14.445 and 19.035 are ties it rounded down and up.
    EXPECT_NEAR(hi.value, row.at("s_hi_printed"), 0.005 + 1e-9) << "group " << row.at("group");
    EXPECT_NEAR(lo.value, row.at("s_lo_printed"), 0.005 + 1e-9) << "group " << row.at("group");
    EXPECT_NEAR(hi.ucl, 4.1959, 1e-12);
    for (const auto& v : update->violations) signalled.push_back(v.index);
  }
  // The handbook stars S_hi from group 14 to group 20.
  EXPECT_EQ(signalled, (std::vector<std::size_t>{13, 14, 15, 16, 17, 18, 19}));
}

TEST(CusumChart, SignalsADownwardShiftOnTheLowerSum) {
  auto chart = StreamingChart::Cusum({.target = 10.0, .sigma = 1.0, .k = 0.5, .h = 4.0});
  ASSERT_TRUE(chart.ok());
  std::size_t first_signal = 0;
  for (std::size_t i = 0; i < 20 && first_signal == 0; ++i) {
    auto update = chart->Push(std::vector<double>{8.5});  // 1.5 sigma low: C- grows by 1 a step
    ASSERT_TRUE(update.ok());
    if (!update->violations.empty()) {
      first_signal = i + 1;
      EXPECT_EQ(update->violations[0].chart, ChartType::kCusumLower);
      EXPECT_NE(update->violations[0].explanation.find("fallen"), std::string::npos);
    }
  }
  EXPECT_EQ(first_signal, 5u);  // C- = 1, 2, 3, 4, 5 > h = 4
}

TEST(CusumChart, RejectsInvalidParameters) {
  EXPECT_FALSE(StreamingChart::Cusum({.target = 0, .sigma = 0, .k = 0.5, .h = 5}).ok());
  EXPECT_FALSE(StreamingChart::Cusum({.target = 0, .sigma = 1, .k = -1, .h = 5}).ok());
  EXPECT_FALSE(StreamingChart::Cusum({.target = NAN, .sigma = 1, .k = 0.5, .h = 5}).ok());
  EXPECT_FALSE(StreamingChart::Ewma({.target = 0, .sigma = 1, .lambda = 1.5, .width = 3}).ok());
}

}  // namespace
}  // namespace zhizao::analytics::spc
