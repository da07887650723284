#include "analytics/spc/rules.h"

#include <gtest/gtest.h>

namespace zhizao::analytics::spc {
namespace {

// Points on a chart with center 0 and sigma 1, so values are z-scores.
std::vector<RuleViolation> Judge(const RuleSet& rules, const std::vector<double>& values) {
  ChartSeries series;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ChartPoint p;
    p.index = i;
    p.value = values[i];
    p.sigma = 1.0;
    p.lcl = -3.0;
    p.ucl = 3.0;
    series.points.push_back(p);
  }
  ApplyRules(rules, series);
  return series.violations;
}

std::vector<Rule> RulesFired(const std::vector<RuleViolation>& v) {
  std::vector<Rule> out;
  for (const auto& x : v) out.push_back(x.rule);
  return out;
}

TEST(RunRules, Rule1FlagsOnePointBeyondThreeSigma) {
  auto v = Judge(RuleSet::Nelson(), {0.0, 0.2, 3.5});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, Rule::kBeyondLimits);
  EXPECT_EQ(v[0].index, 2u);
  EXPECT_EQ(v[0].points, std::vector<std::size_t>{2});
  EXPECT_NE(v[0].explanation.find("above the upper control limit"), std::string::npos);
}

TEST(RunRules, Rule2NeedsNineOnOneSideForNelsonAndEightForWesternElectric) {
  const std::vector<double> eight(8, 0.5);
  EXPECT_TRUE(Judge(RuleSet::Nelson(), eight).empty());
  auto we = Judge(RuleSet::WesternElectric(), eight);
  ASSERT_EQ(we.size(), 1u);
  EXPECT_EQ(we[0].rule, Rule::kRunOneSide);
  EXPECT_EQ(we[0].points.size(), 8u);
  auto nelson = Judge(RuleSet::Nelson(), std::vector<double>(9, -0.5));
  ASSERT_EQ(RulesFired(nelson), std::vector<Rule>{Rule::kRunOneSide});
  EXPECT_EQ(nelson[0].index, 8u);
  EXPECT_NE(nelson[0].explanation.find("below"), std::string::npos);
}

TEST(RunRules, Rule3FlagsSixSteadilyIncreasing) {
  const std::vector<double> trend = {-0.5, -0.3, -0.1, 0.1, 0.3, 0.5};
  auto v = Judge(RuleSet::Nelson(), trend);
  ASSERT_EQ(RulesFired(v), std::vector<Rule>{Rule::kTrend});
  EXPECT_EQ(v[0].points, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(Judge(RuleSet::Nelson(), {-0.5, -0.3, -0.1, 0.1, 0.3}).empty());
  EXPECT_TRUE(Judge(RuleSet::WesternElectric(), trend).empty());  // not a WE rule
}

TEST(RunRules, Rule4FlagsFourteenAlternating) {
  std::vector<double> alt;
  for (int i = 0; i < 14; ++i) alt.push_back(i % 2 ? -0.5 : 0.5);
  auto v = Judge(RuleSet::Nelson(), alt);
  ASSERT_EQ(RulesFired(v), std::vector<Rule>{Rule::kAlternating});
  EXPECT_EQ(v[0].index, 13u);
  alt.pop_back();
  EXPECT_TRUE(Judge(RuleSet::Nelson(), alt).empty());
}

TEST(RunRules, Rule5FlagsTwoOfThreeBeyondTwoSigmaOnTheSameSide) {
  auto v = Judge(RuleSet::Nelson(), {0.0, 2.5, 0.1, 2.5});
  ASSERT_EQ(RulesFired(v), std::vector<Rule>{Rule::kTwoOfThreeBeyond2Sigma});
  EXPECT_EQ(v[0].index, 3u);
  EXPECT_TRUE(Judge(RuleSet::Nelson(), {0.0, 2.5, -2.5}).empty());  // opposite sides
}

TEST(RunRules, Rule6FlagsFourOfFiveBeyondOneSigmaOnTheSameSide) {
  auto v = Judge(RuleSet::WesternElectric(), {1.5, 1.5, 0.2, 1.5, 1.5});
  ASSERT_EQ(RulesFired(v), std::vector<Rule>{Rule::kFourOfFiveBeyond1Sigma});
  EXPECT_EQ(v[0].points.size(), 5u);
}

TEST(RunRules, Rule7FlagsFifteenWithinOneSigma) {
  const std::vector<double> hugging = {0.1, -0.2, -0.1, 0.3, 0.2, -0.4, -0.3, 0.1,
                                       0.2, -0.1, -0.2, 0.3, 0.1, -0.3, 0.2};
  auto v = Judge(RuleSet::Nelson(), hugging);
  ASSERT_EQ(RulesFired(v), std::vector<Rule>{Rule::kFifteenWithin1Sigma});
  EXPECT_EQ(v[0].index, 14u);
  EXPECT_TRUE(Judge(RuleSet::WesternElectric(), hugging).empty());
}

TEST(RunRules, Rule8FlagsEightBeyondOneSigmaOnBothSides) {
  auto v = Judge(RuleSet::Nelson(), {1.5, -1.5, -1.6, 1.5, 1.6, -1.5, -1.7, 1.8});
  ASSERT_EQ(RulesFired(v), std::vector<Rule>{Rule::kEightBeyond1SigmaBothSides});
  EXPECT_EQ(v[0].points.size(), 8u);
}

TEST(RunRules, KeepFiringWhileThePatternHolds) {
  auto v = Judge(RuleSet::Nelson(), std::vector<double>(11, 0.5));
  ASSERT_EQ(v.size(), 3u);  // points 9, 10 and 11 each complete a run of nine
  EXPECT_EQ(v[2].points.front(), 2u);
}

TEST(RunRules, JudgeEachPointInItsOwnSigma) {
  // Same value, but the second point's sigma is half: 2.5 sigma instead of 1.25.
  ChartSeries s;
  for (double sigma : {1.0, 0.5, 0.5}) {
    ChartPoint p;
    p.index = s.points.size();
    p.value = 1.25;
    p.sigma = sigma;
    p.lcl = -3 * sigma;
    p.ucl = 3 * sigma;
    s.points.push_back(p);
  }
  ApplyRules(RuleSet::Nelson(), s);
  ASSERT_EQ(RulesFired(s.violations), std::vector<Rule>{Rule::kTwoOfThreeBeyond2Sigma});
}

}  // namespace
}  // namespace zhizao::analytics::spc
