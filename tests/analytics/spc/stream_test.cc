#include "analytics/spc/stream.h"

#include <gtest/gtest.h>

#include "analytics/spc/json.h"

namespace zhizao::analytics::spc {
namespace {

std::vector<Subgroup> Groups(std::vector<std::vector<double>> values) {
  std::vector<Subgroup> out;
  for (auto& v : values) out.push_back({"part-" + std::to_string(out.size() + 1), 0, std::move(v)});
  return out;
}

TEST(StreamingChart, GivesTheSamePointsAndViolationsAsTheBatchChart) {
  const auto base = Groups({{10, 11, 9}, {10, 12, 10}, {9, 10, 11}, {11, 10, 10}});
  auto limits = EstimateXbarR(base);
  ASSERT_TRUE(limits.ok());
  const auto live = Groups({{10, 10, 11}, {14, 15, 14}, {10, 9, 11}});
  auto batch = MonitorSubgroups(*limits, live, RuleSet::Nelson());
  auto stream = StreamingChart::Shewhart(*limits, RuleSet::Nelson());
  ASSERT_TRUE(batch.ok() && stream.ok());
  std::size_t violations = 0;
  for (std::size_t i = 0; i < live.size(); ++i) {
    auto u = stream->Push(live[i].values, live[i].label);
    ASSERT_TRUE(u.ok());
    ASSERT_EQ(u->points.size(), 2u);
    EXPECT_EQ(u->points[0].chart, ChartType::kXbar);
    EXPECT_EQ(u->points[1].chart, ChartType::kRange);
    EXPECT_EQ(u->points[0].value, batch->location.points[i].value);
    EXPECT_EQ(u->points[0].ucl, batch->location.points[i].ucl);
    EXPECT_EQ(u->points[0].label, live[i].label);
    violations += u->violations.size();
  }
  EXPECT_EQ(violations, batch->location.violations.size() + batch->dispersion.violations.size());
  EXPECT_EQ(batch->location.violations.at(0).index, 1u);  // the subgroup at 14.3
}

TEST(StreamingChart, IndividualsOmitTheMovingRangeOnlyForTheFirstValue) {
  auto limits = EstimateIndividuals(std::vector<double>{1, 2, 1, 2, 1});
  ASSERT_TRUE(limits.ok());
  auto chart = StreamingChart::Shewhart(*limits);
  ASSERT_TRUE(chart.ok());
  auto first = chart->Push(std::vector<double>{1.5});
  auto second = chart->Push(std::vector<double>{1.0});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->points.size(), 1u);
  ASSERT_EQ(second->points.size(), 2u);
  EXPECT_EQ(second->points[1].chart, ChartType::kMovingRange);
  EXPECT_DOUBLE_EQ(second->points[1].value, 0.5);
  EXPECT_EQ(second->points[1].index, 1u);
}

TEST(StreamingChart, RejectsBadSubgroupsWithoutChangingState) {
  auto limits = EstimateXbarS(Groups({{1, 2, 3}, {2, 3, 5}}));
  ASSERT_TRUE(limits.ok());
  auto chart = StreamingChart::Shewhart(*limits);
  ASSERT_TRUE(chart.ok());
  EXPECT_FALSE(chart->Push(std::vector<double>{}).ok());
  EXPECT_FALSE(chart->Push(std::vector<double>{1.0}).ok());  // size 1 on an X̄ chart
  EXPECT_FALSE(chart->Push(std::vector<double>{1.0, std::numeric_limits<double>::quiet_NaN()}).ok());
  EXPECT_EQ(chart->count(), 0u);
  auto ok = chart->Push(std::vector<double>{2, 3, 4, 5});  // other sizes get their own limits
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->points[0].index, 0u);
  EXPECT_EQ(ok->points[0].n, 4);
}

TEST(StreamingChart, RemembersOnlyTheRuleWindowOfALongStream) {
  // After 100,000 points the chart judges the next point exactly as a chart that saw only
  // the last 15: its state is bounded by the longest rule.
  auto limits = EstimateIndividuals(std::vector<double>{0, 1, 0, 1, 0, 1});
  ASSERT_TRUE(limits.ok());
  auto value = [](int i) { return (i % 7) / 6.0; };
  auto long_run = StreamingChart::Shewhart(*limits);
  auto short_run = StreamingChart::Shewhart(*limits);
  ASSERT_TRUE(long_run.ok() && short_run.ok());
  const int total = 100000;
  for (int i = 0; i < total; ++i) ASSERT_TRUE(long_run->Push(std::vector<double>{value(i)}).ok());
  for (int i = total - 15; i < total; ++i) ASSERT_TRUE(short_run->Push(std::vector<double>{value(i)}).ok());
  auto a = long_run->Push(std::vector<double>{value(total)});
  auto b = short_run->Push(std::vector<double>{value(total)});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(long_run->count(), static_cast<std::size_t>(total + 1));
  ASSERT_EQ(a->points.size(), b->points.size());
  for (std::size_t i = 0; i < a->points.size(); ++i) EXPECT_EQ(a->points[i].value, b->points[i].value);
  ASSERT_EQ(a->violations.size(), b->violations.size());
  ASSERT_FALSE(a->violations.empty());  // the ramp 0..1 completes a six-point trend
  for (std::size_t i = 0; i < a->violations.size(); ++i) EXPECT_EQ(a->violations[i].rule, b->violations[i].rule);
}

TEST(SpcJson, SerialisesAnUpdateForTheConsole) {
  auto limits = EstimateIndividuals(std::vector<double>{10, 11, 9, 10});
  ASSERT_TRUE(limits.ok());
  auto chart = StreamingChart::Shewhart(*limits);
  ASSERT_TRUE(chart.ok());
  auto u = chart->Push(std::vector<double>{30}, "lot-7");
  ASSERT_TRUE(u.ok());
  const nlohmann::json j = *u;
  EXPECT_EQ(j["points"][0]["chart"], "individuals");
  EXPECT_EQ(j["points"][0]["label"], "lot-7");
  EXPECT_EQ(j["violations"][0]["rule"], 1);
  EXPECT_EQ(j["violations"][0]["rule_name"], "beyond_limits");
  EXPECT_TRUE(j["violations"][0]["explanation"].is_string());
  const nlohmann::json lj = *limits;
  EXPECT_EQ(lj["kind"], "i_mr");
}

TEST(SpcJson, WritesAbsentIndicesAsNull) {
  std::vector<double> x;
  for (int i = 0; i < 20; ++i) x.push_back(10 + (i % 5) * 0.5);
  auto r = Capability(x, {.usl = 14.0});
  ASSERT_TRUE(r.ok());
  const nlohmann::json j = *r;
  EXPECT_TRUE(j["cp"].is_null());
  EXPECT_TRUE(j["spec"]["lsl"].is_null());
  EXPECT_TRUE(j["ppk"]["ci"]["lower"].is_number());
  EXPECT_EQ(j["normality"]["test"], "anderson_darling");
}

}  // namespace
}  // namespace zhizao::analytics::spc
