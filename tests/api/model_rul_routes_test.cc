// RUL versions through the API: POST /api/v1/models with "method": "rul" trains, as a background
// job, from stored history (written through ingest) and the failures given; activated with a card, the version's
// estimates appear per asset in GET /api/v1/health once the background refresher (here run by the
// test, in the server by the live analytics thread) computed them. Refusals answer 422 naming the
// problem.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../analytics/registry/pump_fleet.h"
#include "analytics/registry/health_board.h"
#include "analytics/registry/rul_refresher.h"
#include "api_test_env.h"
#include "common/clock.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using analytics::registry::testing::kHourNs;
using nlohmann::json;
constexpr size_t kPumps = 4;
constexpr int64_t kHours = 800;

class ModelRulRoutesTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_TRUE(catalog_->UpsertAsset({.level = catalog::AssetLevel::kEnterprise, .path = "demo"}).ok());
    std::vector<std::vector<TagId>> tags(kPumps);
    for (size_t p = 0; p < kPumps; ++p) {
      const std::string path = "demo/P" + std::to_string(p + 1);
      ASSERT_TRUE(catalog_->UpsertAsset({.level = catalog::AssetLevel::kEquipment, .path = path}).ok());
      for (const char* name : analytics::registry::testing::kPumpTags) {
        tags[p].push_back(catalog_->UpsertTag({.path = path + "/" + name}).value());
      }
    }
    ASSERT_TRUE(ingest_->RefreshTags().ok());
    // The fleet's history ends at the last whole hour before now.
    base_ns_ = (SystemClock::Instance().NowNs() / kHourNs - kHours) * kHourNs;
    Batch batch;
    runs_ = analytics::registry::testing::MakePumpFleet(kPumps, kHours, 11, [&](size_t p, size_t tag, int64_t ts, double v) {
      batch.AddFloat64(tags[p][tag], base_ns_ + ts, v);
    });
    ASSERT_TRUE(ingest_->Write(batch).ok());
    services_.health = &board_;
  }

  json Body() {
    json failures = json::array();
    for (size_t p = 0; p < kPumps; ++p) {
      for (const auto& run : runs_[p]) {
        if (run.failure_ns > 0 && run.failure_ns < kHours * kHourNs) {
          failures.push_back({{"asset", "demo/P" + std::to_string(p + 1)}, {"at", FormatRfc3339(base_ns_ + run.failure_ns)}});
        }
      }
    }
    return {{"id", "pump-rul"},
            {"method", "rul"},
            {"assets", {"demo/P1", "demo/P2", "demo/P3", "demo/P4"}},
            {"tags", {"vib_bpfo", "bearing_temp", "flow"}},
            {"from", FormatRfc3339(base_ns_)},
            {"to", FormatRfc3339(base_ns_ + kHours * kHourNs)},
            {"cycle", "1h"},
            {"failures", failures},
            {"window", 20},
            {"card", {{"intended_use", "pump bearing wear"}, {"limitations", "synthetic fleet"}}}};
  }

  // POSTs a training that asks not to wait (Prefer: respond-async) and follows its job through
  // GET /api/v1/jobs/{id} until it finished: then answers what a request that waited would have
  // (201 with the version, or the refusal). A job done before the answer was made is answered
  // at once, as RFC 7240 allows.
  HttpResponse Train(const json& body) {
    HttpResponse r = Send("POST", "/api/v1/models", body.dump(), "application/json", {{"prefer", "respond-async"}});
    if (r.status != 202) return r;
    json job = Documented("post", "/api/v1/models", r);
    const std::string location = "/api/v1/jobs/" + job["id"].dump();
    EXPECT_EQ(r.headers.at(0), (std::pair<std::string, std::string>{"Location", location}));
    EXPECT_EQ(job["kind"], "train");
    EXPECT_EQ(job["subject"], body["id"]);
    while (job["finished_at"].is_null()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      job = Documented("get", "/api/v1/jobs/{id}", Send("GET", location));
    }
    if (job["state"] == "succeeded") {
      HttpResponse done = HttpResponse::Json(job["result"].dump(), 201);
      done.headers.emplace_back("Location", job["location"]);
      return done;
    }
    EXPECT_EQ(job["state"], "failed");
    return HttpResponse::Json(json{{"error", job["error"]}}.dump(), job["error"]["status"].get<int>());
  }

  int64_t base_ns_ = 0;
  std::vector<std::vector<analytics::registry::testing::PumpRun>> runs_;
  analytics::registry::HealthBoard board_;
};

TEST_F(ModelRulRoutesTest, ATrainedAndActivatedRulVersionServesEveryAssetOfItsFleet) {
  const HttpResponse trained = Train(Body());
  ASSERT_EQ(trained.status, 201) << trained.body;
  const json v = Documented("post", "/api/v1/models", trained);
  EXPECT_EQ(v["kind"], "rul");
  EXPECT_EQ(v["asset"]["path"], "demo");
  EXPECT_EQ(v["inputs"].size(), kPumps * 3);
  EXPECT_EQ(v["training"]["step_ms"], 3600'000);
  EXPECT_GE(v["metrics"]["runs"].get<double>(), 3);
  EXPECT_GT(v["metrics"]["cv_rmse_cycles"].get<double>(), 0);
  ASSERT_EQ(Send("POST", "/api/v1/models/pump-rul/activate", R"({"version": 1})").status, 200);
  // Nothing is computed on the request: until a refresh, the health lists no estimate.
  const HttpResponse before = Send("GET", "/api/v1/health");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(json::parse(before.body)["assets"].empty()) << before.body;

  ManualClock clock(SystemClock::Instance().NowNs());
  analytics::registry::RulRefresher refresher(*catalog_, *source_, clock, board_, std::chrono::seconds(60));
  ASSERT_TRUE(refresher.MaybeRefresh());
  const HttpResponse health = Send("GET", "/api/v1/health");
  ASSERT_EQ(health.status, 200) << health.body;
  const json body = Documented("get", "/api/v1/health", health);
  ASSERT_EQ(body["assets"].size(), kPumps) << body.dump();
  size_t ready = 0;
  for (const json& a : body["assets"]) {
    EXPECT_TRUE(a["health"].is_null());
    EXPECT_EQ(a["model"]["kind"], "rul");
    const json& rul = a["rul"];
    EXPECT_EQ(rul["model"], "pump-rul");
    EXPECT_EQ(rul["version"], 1);
    EXPECT_EQ(rul["estimated_at"], FormatRfc3339(clock.NowNs()));
    if (!rul["ready"].get<bool>()) continue;
    ++ready;
    EXPECT_NEAR(rul["hours"].get<double>(), rul["cycles"].get<double>(), 1e-9);  // one-hour cycles
    EXPECT_GE(rul["spread_hours"].get<double>(), 0);
    EXPECT_EQ(rul["as_of"], FormatRfc3339(base_ns_ + kHours * kHourNs));
  }
  EXPECT_GT(ready, 0u) << body.dump();
  // Replay is for models that raise events.
  EXPECT_EQ(Send("POST", "/api/v1/models/pump-rul/analyze", json{{"from", "now-1h"}, {"to", "now"}}.dump()).status, 422);
}

TEST_F(ModelRulRoutesTest, RequestsTheDataCannotServeAreRefusedWith422) {
  auto refused = [&](json body, const std::string& says) {
    const HttpResponse r = Train(body);
    EXPECT_EQ(r.status, 422) << says << ": " << r.body;
    EXPECT_NE(r.body.find(says), std::string::npos) << r.body;
  };
  json body = Body();
  body["failures"] = json::array({body["failures"][0], body["failures"][1]});
  refused(body, "at least 3 runs to failure");
  body = Body();
  body["tags"].push_back("no_such_tag");
  refused(body, "has no tag 'no_such_tag'");
  body = Body();
  body["cycle"] = 0;
  refused(body, "$.cycle");
  body = Body();
  body["failures"].push_back({{"asset", "demo/P1"}, {"at", FormatRfc3339(base_ns_ + (kHours + 5) * kHourNs)}});
  refused(body, "outside the training range");
  body = Body();
  body.erase("failures");
  refused(body, "failures are required");
}

}  // namespace
}  // namespace zhizao::api
