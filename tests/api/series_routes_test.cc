#include <gtest/gtest.h>

#include "api_test_env.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kT0 = 1'795'860'000 * kSec;  // 2026-11-28T10:00:00Z

class SeriesRoutesTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_EQ(Send("POST", "/api/v1/assets", R"({"path": "acme", "level": "enterprise"})").status, 201);
    ASSERT_EQ(Send("POST", "/api/v1/assets", R"({"path": "acme/line1", "level": "site"})").status, 201);
    HttpResponse made = Send("POST", "/api/v1/tags", R"({"tags": [{"path": "acme/line1/flow", "unit": "m3/h"},
        {"path": "acme/line1/speed"}, {"path": "acme/line1/state", "data_type": "string"}]})");
    ASSERT_EQ(made.status, 201) << made.body;
    json tags = json::parse(made.body)["tags"];
    flow_ = tags[0]["id"];
    speed_ = tags[1]["id"];
    state_ = tags[2]["id"];
    // 10 minutes at 1 s: flow = i, speed = 2 i; every 60th flow sample is Bad.
    Batch batch;
    for (int i = 0; i < 600; ++i) {
      batch.AddFloat64(flow_, kT0 + i * kSec, i, i % 60 == 59 ? status_codes::kBadSensorFailure : status_codes::kGood);
      batch.AddFloat64(speed_, kT0 + i * kSec, 2.0 * i);
    }
    batch.AddString(state_, kT0, "running");
    // Ingest accepts them only because POST /api/v1/tags told it about the new tags.
    ASSERT_TRUE(ingest_->Write(batch).ok());
  }

  json Get(const std::string& pattern, const std::string& target, int want_status = 200) {
    HttpResponse r = Send("GET", target);
    EXPECT_EQ(r.status, want_status) << target << ": " << r.body;
    return Documented("get", pattern, r);
  }
  json Range(const std::string& query, int want_status = 200) {
    return Get("/api/v1/series/range", "/api/v1/series/range?" + query, want_status);
  }
  json Aggregate(const std::string& query, int want_status = 200) {
    return Get("/api/v1/series/aggregate", "/api/v1/series/aggregate?" + query, want_status);
  }

  TagId flow_ = 0, speed_ = 0, state_ = 0;
};

const std::string kWindow = "from=2026-11-28T10:00:00Z&to=2026-11-28T10:09:59Z";

TEST_F(SeriesRoutesTest, RangePagesThroughEverySampleWithItsQuality) {
  json page = Range("tag=acme/line1/flow&" + kWindow + "&limit=250");
  EXPECT_EQ(page["count"], 250);
  EXPECT_EQ(page["unit"], "m3/h");
  EXPECT_EQ(page["samples"][0], json({{"time", "2026-11-28T10:00:00Z"}, {"value", 0.0}, {"quality", "good"}, {"status", 0}}));
  EXPECT_EQ(page["samples"][59]["quality"], "bad");
  EXPECT_EQ(page["samples"][59]["status"], status_codes::kBadSensorFailure);
  size_t total = page["samples"].size();
  int pages = 1;
  while (!page["next"].is_null()) {
    page = Range("tag=" + std::to_string(flow_) + "&" + kWindow + "&limit=250&cursor=" + page["next"]["cursor"].get<std::string>());
    total += page["samples"].size();
    ++pages;
  }
  EXPECT_EQ(total, 600u);
  EXPECT_EQ(pages, 3);
  // A page that ended exactly at `to` hands out a cursor past it: the next page is empty.
  json past = Range("tag=acme/line1/flow&" + kWindow + "&cursor=" + std::to_string(kT0 + 599 * kSec + 1));
  EXPECT_EQ(past["count"], 0);
  EXPECT_TRUE(past["next"].is_null());
}

TEST_F(SeriesRoutesTest, RangeTimesInEpochUnitsAndEveryInputSpelling) {
  json page = Range("tag=acme/line1/state&from=1795860000000&to=now&epoch=ms");
  ASSERT_EQ(page["count"], 1);
  EXPECT_EQ(page["samples"][0]["time"], 1'795'860'000'000);
  EXPECT_EQ(page["samples"][0]["value"], "running");
  EXPECT_EQ(page["from"], 1'795'860'000'000);
  EXPECT_TRUE(page["next"].is_null());
}

TEST_F(SeriesRoutesTest, RangeErrorsNameTheParameter) {
  EXPECT_EQ(Range("from=now-1h", 400)["error"]["message"], "parameter tag: give a tag path or id");
  EXPECT_TRUE(Range("tag=acme/line1/flow&from=yesterday", 400)["error"]["message"].get<std::string>().starts_with("parameter from"));
  EXPECT_TRUE(Range("tag=acme/line1/flow&limit=0", 400)["error"]["message"].get<std::string>().starts_with("parameter limit"));
  EXPECT_TRUE(Range("tag=acme/line1/flow&epoch=h", 400)["error"]["message"].get<std::string>().starts_with("parameter epoch"));
  EXPECT_EQ(Range("tag=acme/line1/nope", 404)["error"]["code"], "not_found");
  EXPECT_EQ(Range("tag=99999", 404)["error"]["code"], "not_found");
  EXPECT_EQ(Range("tag=acme/line1/flow&from=now&to=now-1h", 422)["error"]["code"], "out_of_range");
}

TEST_F(SeriesRoutesTest, AggregatesCarryQualityCounts) {
  json body = Aggregate("tags=acme/line1/flow,acme/line1/speed&" + kWindow + "&window=1m&fn=mean,max,count,percentile:50");
  EXPECT_EQ(body["functions"], json({"mean", "max", "count", "percentile:50"}));
  ASSERT_EQ(body["series"].size(), 2u);
  json first = body["series"][0]["rows"][0];
  EXPECT_EQ(first["time"], "2026-11-28T10:00:00Z");
  EXPECT_EQ(first["samples"], 60);
  EXPECT_EQ(first["non_good"], 1);
  EXPECT_EQ(first["bad"], 1);
  EXPECT_EQ(first["count"], 59);  // the Bad sample does not enter the values
  EXPECT_EQ(first["values"]["max"], 58.0);
  EXPECT_EQ(first["values"]["mean"], 29.0);
  EXPECT_EQ(body["series"][0]["rows"].size(), 10u);
  EXPECT_EQ(body["series"][1]["rows"][0]["values"]["max"], 118.0);

  json all = Aggregate("tags=acme/line1/flow&" + kWindow + "&window=10m&fn=max&quality=all");
  EXPECT_EQ(all["series"][0]["rows"][0]["values"]["max"], 599.0);
}

TEST_F(SeriesRoutesTest, CombinedAggregatesFoldAllTagsTogether) {
  json body = Aggregate("tags=acme/line1/flow,acme/line1/speed&" + kWindow + "&window=10m&fn=count,max&combined=true&epoch=s");
  EXPECT_TRUE(body["series"].empty());
  ASSERT_EQ(body["combined"].size(), 1u);
  EXPECT_EQ(body["combined"][0]["samples"], 1200);
  EXPECT_EQ(body["combined"][0]["values"]["max"], 1198.0);
  EXPECT_EQ(body["combined"][0]["time"], 1'795'860'000);
}

TEST_F(SeriesRoutesTest, DecimationKeepsExtremesPerBucket) {
  // [from, to] spans exactly 600 s, so each of the 10 buckets is 60 s.
  json body = Aggregate("tags=acme/line1/speed&from=2026-11-28T10:00:00Z&to=2026-11-28T10:09:59.999999999Z&points=10");
  json series = body["series"][0];
  EXPECT_EQ(series["bucket_width_ns"], 60 * kSec);
  EXPECT_EQ(series["buckets"].size(), 10u);
  EXPECT_EQ(series["buckets"][0]["samples"], 60);
  // A rising line: first (= min) and last (= max) of each bucket.
  EXPECT_EQ(series["points"].size(), 20u);
  EXPECT_EQ(series["points"][1], json({{"time", "2026-11-28T10:00:59Z"}, {"value", 118.0}}));
}

TEST_F(SeriesRoutesTest, AggregateErrors) {
  EXPECT_TRUE(Aggregate("tags=acme/line1/flow", 400)["error"]["message"].get<std::string>().starts_with("parameter window"));
  EXPECT_TRUE(Aggregate("window=1m", 400)["error"]["message"].get<std::string>().starts_with("parameter tags"));
  EXPECT_TRUE(Aggregate("tags=acme/line1/flow&window=1q", 400)["error"]["message"].get<std::string>().starts_with("parameter window"));
  EXPECT_TRUE(Aggregate("tags=acme/line1/flow&window=1m&fn=avg", 400)["error"]["message"].get<std::string>().starts_with("parameter fn"));
  EXPECT_TRUE(Aggregate("tags=acme/line1/flow&points=10&fn=max", 400)["error"]["message"].get<std::string>().starts_with("parameter fn"));
  EXPECT_TRUE(Aggregate("tags=acme/line1/flow&points=0", 400)["error"]["message"].get<std::string>().starts_with("parameter points"));
  EXPECT_TRUE(Aggregate("tags=acme/line1/flow&window=1m&quality=best", 400)["error"]["message"].get<std::string>().starts_with("parameter quality"));
  EXPECT_EQ(Aggregate("tags=acme/line1/flow,acme/x&window=1m", 404)["error"]["code"], "not_found");
  EXPECT_EQ(Aggregate("tags=acme/line1/flow&window=1m&from=now&to=now-1h", 422)["error"]["code"], "out_of_range");
  // Strings have no mean: the query module's InvalidArgument.
  EXPECT_EQ(Aggregate("tags=acme/line1/state&" + kWindow + "&window=1m", 400)["error"]["code"], "invalid_argument");
}

TEST_F(SeriesRoutesTest, QueriesPastTheLimitsAre422NotOverloaded) {
  services_.query_options.max_points_returned = 100;
  Route();
  json windows = Aggregate("tags=acme/line1/flow&" + kWindow + "&window=1s", 422);
  EXPECT_NE(windows["error"]["message"].get<std::string>().find("max_points_returned"), std::string::npos);
  EXPECT_TRUE(Range("tag=acme/line1/flow&limit=101", 400)["error"]["message"].get<std::string>().starts_with("parameter limit"));
  EXPECT_EQ(Range("tag=acme/line1/flow&" + kWindow)["count"], 100);  // the default limit shrinks to the maximum

  services_.query_options.max_points_scanned = 300;
  Route();
  json scanned = Aggregate("tags=acme/line1/flow&" + kWindow + "&window=10m", 422);
  EXPECT_NE(scanned["error"]["message"].get<std::string>().find("max_points_scanned"), std::string::npos);
}

TEST_F(SeriesRoutesTest, LastValuesMovedHereUnchanged) {
  json body = Get("/api/v1/series/last", "/api/v1/series/last?tags=acme/line1/flow,acme/line1/state");
  EXPECT_EQ(body["values"][0]["value"], 599.0);
  EXPECT_EQ(body["values"][0]["time"], "2026-11-28T10:09:59Z");
  EXPECT_EQ(body["values"][1]["value"], "running");
}

}  // namespace
}  // namespace zhizao::api
