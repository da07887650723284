// /api/v1/spc over real storage: charts of a tag's history, checked against the document and
// against figures worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "api_test_env.h"

namespace zhizao::api::testing {
namespace {

using nlohmann::json;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kT0 = 1'790'000'000 * kSecond;  // 2026-09-21, in the past: ingest refuses the far future

class SpcRoutesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_TRUE(catalog_->UpsertAsset({.level = catalog::AssetLevel::kEnterprise, .name = "plant"}).ok());
    weight_ = AddTag("weight", DataType::kFloat64);
    mode_ = AddTag("mode", DataType::kString);
  }

  TagId AddTag(const std::string& name, DataType type) {
    catalog::Tag tag{.name = name, .path = "plant/" + name, .data_type = type, .unit = "g"};
    TagId id = catalog_->UpsertTag(tag).value();
    ingest_->AddTag(id, type);
    return id;
  }

  // One value a second from kT0, alternating 10 - d, 10 + d around 10.
  void WriteAlternating(int n, double d) {
    Batch batch;
    for (int i = 0; i < n; ++i) batch.AddFloat64(weight_, kT0 + i * kSecond, 10 + (i % 2 ? d : -d));
    Status written = ingest_->Write(batch);
    ASSERT_TRUE(written.ok()) << written.ToString();
  }

  json Chart(const std::string& params, int expected_status = 200) {
    std::string from = std::to_string(kT0 / 1'000'000), to = std::to_string((kT0 + 3600 * kSecond) / 1'000'000);
    HttpResponse r = Send("GET", "/api/v1/spc?tag=plant/weight&from=" + from + "&to=" + to + params);
    EXPECT_EQ(r.status, expected_status) << r.body;
    return Documented("get", "/api/v1/spc", r);
  }

  TagId weight_ = 0, mode_ = 0;
};

TEST_F(SpcRoutesTest, IndividualsChartOfAPhaseOneStudy) {
  // x alternates 9.5 and 10.5: mean 10, every moving range 1, sigma = 1 / d2(2) = 1 / 1.128.
  WriteAlternating(100, 0.5);
  json chart = Chart("");
  EXPECT_EQ(chart["chart"], "i_mr");
  EXPECT_EQ(chart["range"]["samples"], 100);
  const json& limits = chart["result"]["limits"];
  EXPECT_NEAR(limits["center"].get<double>(), 10.0, 1e-9);
  EXPECT_NEAR(limits["sigma"].get<double>(), 1 / 1.12838, 1e-4);
  const json& points = chart["result"]["location"]["points"];
  ASSERT_EQ(points.size(), 100u);
  EXPECT_NEAR(points[0]["ucl"].get<double>(), 10 + 3 / 1.12838, 1e-3);
  EXPECT_EQ(chart["times"].size(), 100u);
  // Fourteen points alternating up and down is Nelson's rule 4.
  bool alternating = false;
  for (const json& v : chart["result"]["location"]["violations"]) alternating |= v["rule"] == 4;
  EXPECT_TRUE(alternating) << chart["result"]["location"]["violations"].dump();
  EXPECT_TRUE(chart["capability"].is_null());
}

TEST_F(SpcRoutesTest, APointBeyondTheBaselineLimitsIsAViolationWithItsExplanation) {
  WriteAlternating(100, 0.5);
  Batch outlier;
  outlier.AddFloat64(weight_, kT0 + 200 * kSecond, 20);
  ASSERT_TRUE(ingest_->Write(outlier).ok());
  std::string base_to = std::to_string((kT0 + 99 * kSecond) / 1'000'000);
  json chart = Chart("&baseline_from=" + std::to_string(kT0 / 1'000'000) + "&baseline_to=" + base_to + "&rules=limits");
  EXPECT_EQ(chart["baseline"]["samples"], 100);
  const json& violations = chart["result"]["location"]["violations"];
  ASSERT_EQ(violations.size(), 1u) << violations.dump();
  EXPECT_EQ(violations[0]["index"], 100);
  EXPECT_FALSE(violations[0]["explanation"].get<std::string>().empty());
}

TEST_F(SpcRoutesTest, CapabilityWithSpecificationLimits) {
  WriteAlternating(100, 0.5);
  json chart = Chart("&lsl=7&usl=13");
  const json& cap = chart["capability"];
  ASSERT_TRUE(cap.is_object());
  // Cp = (USL - LSL) / 6 sigma_within = 6 / (6 / 1.128) = 1.128.
  EXPECT_NEAR(cap["cp"]["value"].get<double>(), 1.12838, 1e-3);
  EXPECT_LT(cap["cp"]["ci"]["lower"].get<double>(), cap["cp"]["value"].get<double>());
}

TEST_F(SpcRoutesTest, SubgroupedAndSmoothedCharts) {
  WriteAlternating(600, 0.5);
  json xbar = Chart("&chart=xbar_r&subgroup=1m");
  EXPECT_EQ(xbar["subgroup_seconds"], 60);
  // kT0 is 20 s into a minute: the first and last windows hold 40 and 20 samples, and X-bar/R
  // charts only the nine full ones.
  EXPECT_EQ(xbar["result"]["location"]["points"].size(), 9u);
  EXPECT_NEAR(xbar["result"]["limits"]["center"].get<double>(), 10.0, 1e-9);
  json ewma = Chart("&chart=ewma&lambda=0.1");
  EXPECT_EQ(ewma["result"]["location"]["points"].size(), 600u);
  EXPECT_EQ(ewma["result"]["params"]["lambda"], 0.1);
  json cusum = Chart("&chart=cusum");
  EXPECT_EQ(cusum["result"]["upper"]["points"].size(), 600u);
  EXPECT_EQ(cusum["result"]["lower"]["points"].size(), 600u);
}

TEST_F(SpcRoutesTest, BadRequestsAreRefusedNamingTheProblem) {
  WriteAlternating(1, 0.5);
  EXPECT_EQ(Chart("&chart=pie", 400)["error"]["code"], "invalid_argument");
  EXPECT_EQ(Chart("", 422)["error"]["code"], "out_of_range");  // one value is no baseline
  EXPECT_EQ(Chart("&lsl=abc", 400)["error"]["code"], "invalid_argument");
  json missing = Documented("get", "/api/v1/spc", Send("GET", "/api/v1/spc?tag=plant/nothing"));
  EXPECT_EQ(missing["error"]["code"], "not_found");
  json text = Documented("get", "/api/v1/spc", Send("GET", "/api/v1/spc?tag=plant/mode"));
  EXPECT_EQ(text["error"]["code"], "out_of_range");
  EXPECT_EQ(Send("GET", "/api/v1/spc").status, 400);
}

}  // namespace
}  // namespace zhizao::api::testing
