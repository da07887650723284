#include "analytics/spc/config_json.h"

#include <gtest/gtest.h>

#include <string>

#include "analytics/spc/json.h"
#include "spc_config_fuzz_target.h"

namespace zhizao::analytics::spc {
namespace {

using nlohmann::json;

TEST(SpcConfigJson, RoundTripsPhaseOneLimits) {
  const std::vector<Subgroup> groups = {{"a", 0, {1, 2, 4}}, {"b", 0, {2, 3, 3}}};
  auto limits = EstimateXbarS(groups);
  ASSERT_TRUE(limits.ok());
  auto back = ParseShewhartLimits(json(*limits));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->kind, ShewhartKind::kXbarS);
  EXPECT_EQ(back->center, limits->center);
  EXPECT_EQ(back->sigma, limits->sigma);
  EXPECT_EQ(back->subgroup_size, 3);
}

TEST(SpcConfigJson, ReadsEwmaCusumAndRuleSetsWithDefaults) {
  auto ewma = ParseEwmaParams(json::parse(R"({"target": 50, "sigma": 2.0539, "lambda": 0.3})"));
  ASSERT_TRUE(ewma.ok());
  EXPECT_EQ(ewma->width, 3.0);
  EXPECT_TRUE(ewma->exact_limits);
  auto cusum = ParseCusumParams(json::parse(R"({"target": 325, "sigma": 0.635})"));
  ASSERT_TRUE(cusum.ok());
  EXPECT_EQ(cusum->k, 0.5);
  EXPECT_EQ(cusum->h, 5.0);
  auto we = ParseRuleSet(json("western_electric"));
  ASSERT_TRUE(we.ok());
  EXPECT_EQ(we->run_length, 8);
  auto custom = ParseRuleSet(json::parse(R"({"rules": [1, 3], "run_length": 7})"));
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->rules, (std::vector<Rule>{Rule::kBeyondLimits, Rule::kTrend}));
}

TEST(SpcConfigJson, RejectsMalformedConfigurationsNamingTheField) {
  auto missing = ParseShewhartLimits(json::parse(R"({"kind": "i_mr", "center": 1})"));
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("sigma"), std::string::npos);
  EXPECT_FALSE(ParseShewhartLimits(json::parse(R"({"kind": "p_chart", "center": 1, "sigma": 1})")).ok());
  EXPECT_FALSE(ParseShewhartLimits(json::parse(R"({"kind": "i_mr", "center": "1", "sigma": 1})")).ok());
  EXPECT_FALSE(ParseShewhartLimits(json::parse(R"({"kind": "i_mr", "center": 1, "sigma": 0})")).ok());
  EXPECT_FALSE(ParseShewhartLimits(json::parse(R"({"kind": "xbar_r", "center": 1, "sigma": 1, "subgroup_size": 2.5})")).ok());
  EXPECT_FALSE(ParseEwmaParams(json::parse(R"({"target": 0, "sigma": 1, "lambda": 0})")).ok());
  EXPECT_FALSE(ParseEwmaParams(json::parse(R"([1, 2])")).ok());
  EXPECT_FALSE(ParseRuleSet(json::parse(R"({"rules": [9]})")).ok());
  EXPECT_FALSE(ParseRuleSet(json::parse(R"({"rules": [1], "run_length": 40})")).ok());
  EXPECT_FALSE(ParseRuleSet(json("nelsen")).ok());
}

TEST(SpcConfigFuzzReplay, SurvivesHandPickedInputs) {
  const std::vector<std::string> inputs = {
      R"({"kind":"xbar_r","center":1e308,"sigma":1e-308,"subgroup_size":1000})",
      R"({"target":0,"sigma":1e300,"lambda":1,"width":1e300,"exact_limits":false,"k":0,"h":1e-300})",
      R"({"rules":[1,2,3,4,5,6,7,8,18446744073709551617],"run_length":2})",
      R"({"kind":"i_mr","center":-0.0,"sigma":5e-324})",
      "{\"kind\":", "", "[[[[[[]]]]]]", "nelson"};
  for (const auto& s : inputs)
    FuzzSpcConfig(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  SUCCEED() << "no input aborted";
}

}  // namespace
}  // namespace zhizao::analytics::spc
