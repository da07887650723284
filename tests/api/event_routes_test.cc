// /api/v1/events over a real catalog: what the analytics store, people list, acknowledge and
// shelve. Every answer is checked against the OpenAPI document.
#include <gtest/gtest.h>

#include "api_test_env.h"
#include "common/clock.h"

namespace zhizao::api::testing {
namespace {

using nlohmann::json;

class EventRoutesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    for (auto [path, level] : {std::pair{"demo", catalog::AssetLevel::kEnterprise},
                               {"demo/sh", catalog::AssetLevel::kSite},
                               {"demo/sh/P101", catalog::AssetLevel::kEquipment},
                               {"demo/sh2", catalog::AssetLevel::kSite}}) {
      catalog::Asset asset;
      asset.path = path;
      asset.level = level;
      ASSERT_TRUE(catalog_->UpsertAsset(asset).ok());
    }
  }

  catalog::EventId Raise(const std::string& asset, int64_t start_ns, int64_t end_ns = 0) {
    catalog::Event e;
    e.asset_id = catalog_->FindAsset(asset)->id;
    e.asset_path = asset;
    e.source = "tag:" + asset + "/temp";
    e.detector = "dspot";
    e.severity = catalog::Severity::kHigh;
    e.score = 0.97;
    e.threshold = 0.9;
    e.start_ns = start_ns;
    e.last_ns = end_ns == 0 ? start_ns : end_ns;
    e.end_ns = end_ns;
    e.message = "temp above its expected range";
    e.contributions = {{3, asset + "/temp", 0.75}, {4, asset + "/flow", 0.25}};
    return catalog_->InsertEvent(e).value();
  }

  std::vector<int64_t> Ids(const std::string& query) {
    json body = Documented("get", "/api/v1/events", Send("GET", "/api/v1/events" + query));
    std::vector<int64_t> ids;
    for (const json& e : body["events"]) ids.push_back(e["id"].get<int64_t>());
    return ids;
  }
};

TEST_F(EventRoutesTest, ListsNewestFirstFilteredByAssetSubtreeAndActivity) {
  int64_t a = Raise("demo/sh/P101", 1'000'000'000);
  int64_t b = Raise("demo/sh2", 2'000'000'000, 3'000'000'000);
  EXPECT_EQ(Ids(""), (std::vector<int64_t>{b, a}));
  EXPECT_EQ(Ids("?asset=demo/sh"), (std::vector<int64_t>{a}));
  EXPECT_EQ(Ids("?asset=" + std::to_string(catalog_->FindAsset("demo/sh2")->id)), (std::vector<int64_t>{b}));
  EXPECT_EQ(Ids("?active=true"), (std::vector<int64_t>{a}));
  EXPECT_EQ(Ids("?from=4000&to=5000"), (std::vector<int64_t>{a}));  // epoch ms; b ended at 3 s
  EXPECT_EQ(Ids("?limit=1&offset=1"), (std::vector<int64_t>{a}));
  EXPECT_EQ(Documented("get", "/api/v1/events", Send("GET", "/api/v1/events?active=yes")).at("error").at("code"),
            "invalid_argument");
  EXPECT_EQ(Send("GET", "/api/v1/events?asset=demo/nowhere").status, 404);
}

// A tag's events are those it contributed to, whatever their source: a grouped event of its
// equipment is found from every tag it lists.
TEST_F(EventRoutesTest, FiltersByAContributingTagGivenByIdOrPath) {
  auto add_tag = [&](const std::string& path) {
    catalog::Tag tag;
    tag.path = path;
    return catalog_->UpsertTag(tag).value();
  };
  const TagId temp = add_tag("demo/sh/P101/temp"), flow = add_tag("demo/sh/P101/flow"),
              level = add_tag("demo/sh2/level");
  auto raise = [&](const std::string& asset, std::vector<catalog::Contribution> contributions) {
    catalog::Event e;
    e.asset_path = asset;
    e.source = "tag:" + contributions[0].path;
    e.detector = "dspot";
    e.start_ns = 1'000'000'000;
    e.last_ns = e.start_ns;
    e.contributions = std::move(contributions);
    return catalog_->InsertEvent(e).value();
  };
  const int64_t pump = raise("demo/sh/P101", {{temp, "demo/sh/P101/temp", 0.6}, {flow, "demo/sh/P101/flow", 0.4}});
  const int64_t tank = raise("demo/sh2", {{level, "demo/sh2/level", 1.0}});
  EXPECT_EQ(Ids("?tag=" + std::to_string(flow)), (std::vector<int64_t>{pump})) << "a member, not the source";
  EXPECT_EQ(Ids("?tag=demo/sh/P101/temp"), (std::vector<int64_t>{pump}));
  EXPECT_EQ(Ids("?tag=demo/sh2/level"), (std::vector<int64_t>{tank}));
  EXPECT_EQ(Ids("?tag=demo/sh2/level&asset=demo/sh"), (std::vector<int64_t>{}));
  EXPECT_EQ(Send("GET", "/api/v1/events?tag=demo/sh2/nothing").status, 404);
}

TEST_F(EventRoutesTest, AnEventCarriesItsContributionsAndALinkToItsData) {
  int64_t id = Raise("demo/sh/P101", 1'800'000'000'000'000'000);
  json e = Documented("get", "/api/v1/events/{id}", Send("GET", "/api/v1/events/" + std::to_string(id)));
  EXPECT_EQ(e["severity"], "high");
  EXPECT_EQ(e["active"], true);
  EXPECT_TRUE(e["end"].is_null());
  EXPECT_EQ(e["generated_by"], "ai");
  // A limit a person set is no AI output.
  catalog::Event limit = catalog_->GetEvent(id).value();
  limit.detector = "limit_hihi";
  ASSERT_TRUE(catalog_->UpdateEvent(limit).ok());
  EXPECT_EQ(Documented("get", "/api/v1/events/{id}", Send("GET", "/api/v1/events/" + std::to_string(id)))["generated_by"],
            "rule");
  ASSERT_EQ(e["contributions"].size(), 2u);
  EXPECT_EQ(e["contributions"][0]["path"], "demo/sh/P101/temp");
  // Ten minutes either side, in epoch milliseconds, of both contributing tags.
  EXPECT_EQ(e["data"], "/api/v1/series/range?tags=3,4&from=1799999400000&to=1800000600000");
  EXPECT_EQ(Documented("get", "/api/v1/events/{id}", Send("GET", "/api/v1/events/99")).at("error").at("code"),
            "not_found");
  EXPECT_EQ(Send("GET", "/api/v1/events/abc").status, 404);
}

TEST_F(EventRoutesTest, AcknowledgingRecordsWhoAndKeepsTheFirst) {
  int64_t id = Raise("demo/sh/P101", 1'000'000'000);
  std::string path = "/api/v1/events/" + std::to_string(id) + "/acknowledge";
  json e = Documented("post", "/api/v1/events/{id}/acknowledge", Send("POST", path));
  EXPECT_EQ(e["acknowledged"]["by"], "admin");
  std::string first_time = e["acknowledged"]["time"];
  json again = Documented("post", "/api/v1/events/{id}/acknowledge", Send("POST", path));
  EXPECT_EQ(again["acknowledged"]["time"], first_time);
  EXPECT_EQ(Send("POST", "/api/v1/events/77/acknowledge").status, 404);
}

TEST_F(EventRoutesTest, ShelvingHidesFromTheActiveListForAWhileAndCanBeUndone) {
  int64_t id = Raise("demo/sh/P101", 1'000'000'000);
  std::string path = "/api/v1/events/" + std::to_string(id) + "/shelve";
  json e = Documented("post", "/api/v1/events/{id}/shelve", Send("POST", path, R"({"for": "2h"})"));
  EXPECT_EQ(e["shelved"]["by"], "admin");
  EXPECT_TRUE(Ids("?shelved=hide").empty());
  EXPECT_EQ(Ids("").size(), 1u);  // shown unless hidden: a shelved alert can still be found
  Documented("post", "/api/v1/events/{id}/shelve", Send("POST", path, R"({"for": null})"));
  EXPECT_EQ(Ids("?shelved=hide").size(), 1u);

  EXPECT_EQ(Documented("post", "/api/v1/events/{id}/shelve", Send("POST", path, R"({"for": "30d"})")).at("error").at("code"),
            "out_of_range");
  EXPECT_EQ(Send("POST", path, R"({"until": "2h"})").status, 422);
  EXPECT_EQ(Send("POST", path, R"({})").status, 422);
}

}  // namespace
}  // namespace zhizao::api::testing
