// /api/v1/connectors and /api/v1/writes over the real ConnectorManager, CatalogTagSink and
// WriteGate, with a connector type of the test's own: the framework is what is tested here;
// each protocol is tested against its real peer in tests/connect/<protocol>/.
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "api_test_env.h"
#include "connect/connector_manager.h"
#include "connect/write_gate.h"

namespace zhizao::api::testing {
namespace {

using nlohmann::json;

// Reads no peer: on Start it makes its tags and stores one sample per tag; it records writes,
// and Browse lists a fixed address space.
class LoopbackConnector final : public connect::Connector {
 public:
  LoopbackConnector(std::string name, std::vector<connect::TagSpec> tags, connect::TagSink& sink)
      : Connector(std::move(name), "loopback"), tags_(std::move(tags)), sink_(sink) {}
  ~LoopbackConnector() override { Stop(); }

  void Start() override {
    Result<std::vector<TagId>> ids = sink_.EnsureTags(tags_);
    if (!ids.ok()) {
      stats().RecordError(ids.status().message());
      stats().SetState(connect::ConnectorState::kFailed);
      return;
    }
    Batch batch;
    for (size_t i = 0; i < ids->size(); ++i) {
      switch (tags_[i].type) {
        case DataType::kFloat64: batch.AddFloat64((*ids)[i], 1'000'000'000, 1.5); break;
        case DataType::kInt64: batch.AddInt64((*ids)[i], 1'000'000'000, 1); break;
        case DataType::kBool: batch.AddBool((*ids)[i], 1'000'000'000, true); break;
        case DataType::kString: batch.AddString((*ids)[i], 1'000'000'000, "auto"); break;
      }
    }
    Status written = sink_.Write(batch);
    stats().RecordSamples(batch.size(), 0);
    if (!written.ok()) stats().RecordError(written.message());
    stats().SetState(connect::ConnectorState::kRunning);
  }
  void Stop() override { stats().SetState(connect::ConnectorState::kStopped); }

  std::vector<std::string> TagPaths() const override {
    std::vector<std::string> paths;
    for (const connect::TagSpec& tag : tags_) paths.push_back(tag.path);
    return paths;
  }

  Result<std::vector<connect::BrowsedNode>> Browse(std::string_view) override {
    return std::vector<connect::BrowsedNode>{
        {.node_id = "ns=1;s=Plant", .browse_path = "Plant"},
        {.node_id = "ns=1;s=T", .browse_path = "Plant/Machine 1/Temp", .is_variable = true, .data_type = "float64"},
        {.node_id = "ns=1;s=S", .browse_path = "Plant/Machine 1/Speed", .is_variable = true, .data_type = "int64",
         .writable = true}};
  }

  std::vector<std::pair<std::string, connect::WriteValue>> Writes() {
    std::lock_guard lock(mu_);
    return writes_;
  }

 private:
  Status Write(std::string_view tag_path, const connect::WriteValue& value) override {
    std::lock_guard lock(mu_);
    writes_.emplace_back(std::string(tag_path), value);
    return Status::Ok();
  }

  const std::vector<connect::TagSpec> tags_;
  connect::TagSink& sink_;
  std::mutex mu_;
  std::vector<std::pair<std::string, connect::WriteValue>> writes_;  // GUARDED_BY(mu_)
};

// {"tags": [{"tag": path, "type": "float64", "writable": bool, "min": x, "max": y}]}
Result<std::unique_ptr<connect::Connector>> MakeLoopback(const json& definition, connect::TagSink& sink) {
  std::vector<connect::TagSpec> tags;
  if (!definition.contains("tags") || !definition["tags"].is_array()) {
    return Status::InvalidArgument("tags: an array is required");
  }
  for (const json& tag : definition["tags"]) {
    connect::TagSpec spec{.path = tag.value("tag", ""), .writable = tag.value("writable", false)};
    Result<DataType> type = ParseDataType(tag.value("type", "float64"));
    if (!type.ok()) return Status::InvalidArgument("tags[].type: " + type.status().message());
    spec.type = *type;
    if (tag.contains("min")) spec.range_lo = tag["min"].get<double>();
    if (tag.contains("max")) spec.range_hi = tag["max"].get<double>();
    tags.push_back(std::move(spec));
  }
  return std::unique_ptr<connect::Connector>(
      std::make_unique<LoopbackConnector>(definition["name"].get<std::string>(), std::move(tags), sink));
}

class ConnectorRoutesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    sink_ = std::make_unique<connect::CatalogTagSink>(*catalog_, *series_, *ingest_);
    OpenManager({});
  }
  void TearDown() override {
    router_.reset();
    gate_.reset();
    manager_.reset();
    sink_.reset();
    ApiTest::TearDown();
  }

  void OpenManager(const std::vector<std::string>& config_definitions) {
    router_.reset();
    gate_.reset();
    manager_.reset();
    manager_ = std::make_unique<connect::ConnectorManager>(*sink_, (dir_ / "connectors.json").string());
    manager_->RegisterType("loopback", MakeLoopback);
    ASSERT_TRUE(manager_->Load(config_definitions).ok());
    gate_ = std::make_unique<connect::WriteGate>(*catalog_, *manager_, metrics_);
    services_.connectors = manager_.get();
    services_.write_gate = gate_.get();
  }

  // The response's status, after checking it against the document.
  int DocumentedStatus(const std::string& method, const std::string& pattern, const HttpResponse& response) {
    Documented(method, pattern, response);
    return response.status;
  }

  LoopbackConnector& Loopback(const std::string& name) {
    return static_cast<LoopbackConnector&>(*manager_->Find(name).value());
  }

  static std::string PressDefinition() {
    return json{{"name", "press-1"},
                {"type", "loopback"},
                {"tags",
                 {{{"tag", "site1/line1/press1/temp"}},
                  {{"tag", "site1/line1/press1/setpoint"}, {"writable", true}, {"min", 0}, {"max", 1000}},
                  {{"tag", "site1/line1/press1/mode"}, {"type", "string"}, {"writable", true}}}}}
        .dump();
  }

  std::unique_ptr<connect::CatalogTagSink> sink_;
  std::unique_ptr<connect::ConnectorManager> manager_;
  std::unique_ptr<connect::WriteGate> gate_;
};

TEST_F(ConnectorRoutesTest, CreateMakesTheAssetsTagsAndSamplesAndListsTheConnector) {
  json made = Documented("post", "/api/v1/connectors", Send("POST", "/api/v1/connectors", PressDefinition()));
  EXPECT_EQ(made["name"], "press-1");
  EXPECT_EQ(made["source"], "api");
  EXPECT_EQ(made["status"]["state"], "running");
  EXPECT_EQ(made["status"]["samples"], 3);

  // Each asset of the path exists, one ISA-95 level below its parent.
  EXPECT_EQ(catalog_->FindAsset("site1")->level, catalog::AssetLevel::kEnterprise);
  EXPECT_EQ(catalog_->FindAsset("site1/line1")->level, catalog::AssetLevel::kSite);
  EXPECT_EQ(catalog_->FindAsset("site1/line1/press1")->level, catalog::AssetLevel::kArea);
  Result<catalog::Tag> setpoint = catalog_->FindTag("site1/line1/press1/setpoint");
  ASSERT_TRUE(setpoint.ok());
  EXPECT_TRUE(setpoint->writable);
  EXPECT_EQ(setpoint->range_hi, 1000.0);
  Result<std::optional<storage::LastSample>> last = engine_->Last(setpoint->id);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->value.f64(), 1.5);

  json list = Documented("get", "/api/v1/connectors", Send("GET", "/api/v1/connectors"));
  ASSERT_EQ(list["connectors"].size(), 1u);
  EXPECT_EQ(list["connectors"][0]["definition"]["type"], "loopback");
  json one = Documented("get", "/api/v1/connectors/{name}", Send("GET", "/api/v1/connectors/press-1"));
  EXPECT_EQ(one["status"]["samples"], 3);
}

TEST_F(ConnectorRoutesTest, RefusesBadDefinitionsNamingTheField) {
  HttpResponse unknown_type = Send("POST", "/api/v1/connectors", R"({"name": "x", "type": "profibus"})");
  EXPECT_EQ(unknown_type.status, 422);
  EXPECT_NE(unknown_type.body.find("unknown connector type 'profibus' (known: loopback)"), std::string::npos);
  Documented("post", "/api/v1/connectors", unknown_type);
  EXPECT_EQ(Send("POST", "/api/v1/connectors", R"({"name": "a b", "type": "loopback", "tags": []})").status, 422);
  EXPECT_EQ(Send("POST", "/api/v1/connectors", R"({"type": "loopback", "tags": []})").status, 422);
  EXPECT_EQ(Send("POST", "/api/v1/connectors", R"({"name": "x", "type": "loopback"})").status, 422);
  EXPECT_EQ(Send("POST", "/api/v1/connectors", R"({"name": "x", "type": "loopback", "tags": [], "enabled": 1})").status,
            422);
  EXPECT_EQ(DocumentedStatus("post", "/api/v1/connectors", Send("POST", "/api/v1/connectors", "{")), 400);
  EXPECT_EQ(Send("POST", "/api/v1/connectors", "name=x", "text/plain").status, 415);
  EXPECT_TRUE(manager_->List().empty());

  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  HttpResponse again = Send("POST", "/api/v1/connectors", PressDefinition());
  EXPECT_EQ(again.status, 409);
  Documented("post", "/api/v1/connectors", again);
}

TEST_F(ConnectorRoutesTest, UpdateStopStartDelete) {
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  json changed = json::parse(PressDefinition());
  changed["tags"].push_back({{"tag", "site1/line1/press1/speed"}});
  json updated = Documented("put", "/api/v1/connectors/{name}", Send("PUT", "/api/v1/connectors/press-1", changed.dump()));
  EXPECT_EQ(updated["definition"]["tags"].size(), 4u);
  EXPECT_EQ(updated["status"]["state"], "running");
  EXPECT_TRUE(catalog_->FindTag("site1/line1/press1/speed").ok());

  changed["name"] = "press-2";
  EXPECT_EQ(Send("PUT", "/api/v1/connectors/press-1", changed.dump()).status, 422);
  EXPECT_EQ(DocumentedStatus("put", "/api/v1/connectors/{name}", Send("PUT", "/api/v1/connectors/nope", changed.dump())),
            404);

  json stopped = Documented("post", "/api/v1/connectors/{name}/stop", Send("POST", "/api/v1/connectors/press-1/stop"));
  EXPECT_EQ(stopped["status"]["state"], "stopped");
  json started = Documented("post", "/api/v1/connectors/{name}/start", Send("POST", "/api/v1/connectors/press-1/start"));
  EXPECT_EQ(started["status"]["state"], "running");

  EXPECT_EQ(DocumentedStatus("delete", "/api/v1/connectors/{name}", Send("DELETE", "/api/v1/connectors/press-1")), 204);
  EXPECT_EQ(Send("GET", "/api/v1/connectors/press-1").status, 404);
  EXPECT_TRUE(catalog_->FindTag("site1/line1/press1/temp").ok()) << "a connector's tags outlive it";
}

TEST_F(ConnectorRoutesTest, MetricsCarryEachConnectorsStatus) {
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  HttpResponse scraped = Send("GET", "/metrics");
  ASSERT_EQ(scraped.status, 200);
  const std::string labels = "connector=\"press-1\",type=\"loopback\"";
  EXPECT_NE(scraped.body.find("zhizao_connector_state{" + labels + ",state=\"running\"} 1\n"), std::string::npos)
      << scraped.body;
  EXPECT_NE(scraped.body.find("zhizao_connector_samples_total{" + labels + "} 3\n"), std::string::npos);
  EXPECT_NE(scraped.body.find("# TYPE zhizao_connector_errors_total counter\n"), std::string::npos);
  ASSERT_EQ(Send("POST", "/api/v1/connectors/press-1/stop").status, 200);
  scraped = Send("GET", "/metrics");
  EXPECT_NE(scraped.body.find("zhizao_connector_state{" + labels + ",state=\"stopped\"} 1\n"), std::string::npos);
  EXPECT_NE(scraped.body.find("zhizao_connector_state{" + labels + ",state=\"running\"} 0\n"), std::string::npos);
  ASSERT_EQ(Send("DELETE", "/api/v1/connectors/press-1").status, 204);
  EXPECT_EQ(Send("GET", "/metrics").body.find("press-1"), std::string::npos) << "a deleted connector leaves no series";
}

TEST_F(ConnectorRoutesTest, DefinitionsSurviveARestartAndConfigOnesAreReadOnly) {
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  std::string from_config =
      json{{"name", "cfg-1"}, {"type", "loopback"}, {"enabled", false}, {"tags", {{{"tag", "site1/line2/m/x"}}}}}.dump();
  OpenManager({from_config});

  std::vector<connect::ConnectorInfo> list = manager_->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(manager_->Get("press-1")->status.state, connect::ConnectorState::kRunning);
  EXPECT_EQ(manager_->Get("cfg-1")->status.state, connect::ConnectorState::kStopped) << "enabled = false";
  EXPECT_TRUE(manager_->Get("cfg-1")->from_config);

  HttpResponse update = Send("PUT", "/api/v1/connectors/cfg-1", from_config);
  EXPECT_EQ(update.status, 409);
  EXPECT_NE(update.body.find("defined in the config file"), std::string::npos);
  EXPECT_EQ(DocumentedStatus("delete", "/api/v1/connectors/{name}", Send("DELETE", "/api/v1/connectors/cfg-1")), 409);

  // The store holds only what the API made.
  std::ifstream in(dir_ / "connectors.json");
  json stored = json::parse(in);
  ASSERT_EQ(stored["connectors"].size(), 1u);
  EXPECT_EQ(stored["connectors"][0]["name"], "press-1");
}

TEST_F(ConnectorRoutesTest, AStoredDefinitionThatNoLongerBuildsIsKept) {
  {
    std::ofstream out(dir_ / "connectors.json");
    out << R"({"connectors": [{"name": "old", "type": "fieldbus-9000"}]})";
  }
  OpenManager({});
  EXPECT_TRUE(manager_->List().empty());
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  std::ifstream in(dir_ / "connectors.json");
  json stored = json::parse(in);
  ASSERT_EQ(stored["connectors"].size(), 2u);
  EXPECT_EQ(stored["connectors"][0]["name"], "old");
}

TEST_F(ConnectorRoutesTest, ACorruptStoreIsAnErrorNotAnEmptyList) {
  {
    std::ofstream out(dir_ / "connectors.json");
    out << "{not json";
  }
  connect::ConnectorManager manager(*sink_, (dir_ / "connectors.json").string());
  Status loaded = manager.Load({});
  EXPECT_EQ(loaded.code(), StatusCode::kCorruption);
  EXPECT_NE(loaded.message().find("connectors.json"), std::string::npos);
}

TEST_F(ConnectorRoutesTest, WritesGoThroughTheGateChecks) {
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  auto write = [&](const json& body) { return Send("POST", "/api/v1/writes", body.dump()); };

  json ok = Documented("post", "/api/v1/writes", write({{"tag", "site1/line1/press1/setpoint"}, {"value", 550}, {"reason", "test"}}));
  EXPECT_EQ(ok["written"], true);
  ASSERT_EQ(Loopback("press-1").Writes().size(), 1u);
  EXPECT_EQ(std::get<double>(Loopback("press-1").Writes()[0].second), 550.0) << "an integer JSON value for a float tag";
  EXPECT_EQ(write({{"tag", "site1/line1/press1/mode"}, {"value", "auto"}}).status, 200);

  HttpResponse not_writable = write({{"tag", "site1/line1/press1/temp"}, {"value", 1}});
  EXPECT_EQ(not_writable.status, 403);
  Documented("post", "/api/v1/writes", not_writable);
  HttpResponse out_of_range = write({{"tag", "site1/line1/press1/setpoint"}, {"value", 5000}});
  EXPECT_EQ(out_of_range.status, 422);
  EXPECT_NE(out_of_range.body.find("outside"), std::string::npos);
  Documented("post", "/api/v1/writes", out_of_range);
  EXPECT_EQ(write({{"tag", "site1/line1/press1/setpoint"}, {"value", "high"}}).status, 422);
  EXPECT_EQ(write({{"tag", "site1/line1/press1/mode"}, {"value", 3}}).status, 422);
  EXPECT_EQ(DocumentedStatus("post", "/api/v1/writes", write({{"tag", "site1/line1/press1/nope"}, {"value", 1}})), 404);
  EXPECT_EQ(write({{"value", 1}}).status, 422);
  EXPECT_EQ(write({{"tag", "site1/line1/press1/setpoint"}}).status, 422);
  EXPECT_EQ(write({{"tag", "site1/line1/press1/setpoint"}, {"value", 1}, {"force", true}}).status, 422);

  ASSERT_EQ(Send("POST", "/api/v1/connectors/press-1/stop").status, 200);
  HttpResponse stopped = write({{"tag", "site1/line1/press1/setpoint"}, {"value", 1}});
  EXPECT_EQ(stopped.status, 409);
  Documented("post", "/api/v1/writes", stopped);
  EXPECT_EQ(Loopback("press-1").Writes().size(), 2u) << "only the two allowed writes reached the connector";
  EXPECT_EQ(metrics_.GetCounter("zhizao_connector_writes_total", "", {{"outcome", "written"}}).value(), 2u);
}

TEST_F(ConnectorRoutesTest, BrowseListsAndImportsVariablesAsTags) {
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  json listed = Documented("post", "/api/v1/connectors/{name}/browse", Send("POST", "/api/v1/connectors/press-1/browse"));
  EXPECT_EQ(listed["nodes"].size(), 3u);
  EXPECT_FALSE(listed.contains("imported_tags"));

  json imported = Documented("post", "/api/v1/connectors/{name}/browse",
                             Send("POST", "/api/v1/connectors/press-1/browse", R"({"import": {"asset": "site1/line1/m1"}})"));
  EXPECT_EQ(imported["imported_tags"], 2);
  Result<catalog::Tag> speed = catalog_->FindTag("site1/line1/m1/Plant/Machine_1/Speed");
  ASSERT_TRUE(speed.ok()) << speed.status().ToString();
  EXPECT_EQ(speed->data_type, DataType::kInt64);
  EXPECT_TRUE(speed->writable);
  EXPECT_EQ(speed->description_en, "ns=1;s=S");

  EXPECT_EQ(Send("POST", "/api/v1/connectors/press-1/browse", R"({"import": {}})").status, 422);
  EXPECT_EQ(Send("POST", "/api/v1/connectors/nope/browse").status, 404);
}

TEST_F(ConnectorRoutesTest, ATagOfAnotherTypeIsNotTakenOver) {
  ASSERT_EQ(Send("POST", "/api/v1/connectors", PressDefinition()).status, 201);
  json other = {{"name", "other"}, {"type", "loopback"}, {"tags", {{{"tag", "site1/line1/press1/temp"}, {"type", "bool"}}}}};
  json made = json::parse(Send("POST", "/api/v1/connectors", other.dump()).body);
  EXPECT_EQ(made["status"]["state"], "failed");
  EXPECT_NE(made["status"]["last_error"]["message"].get<std::string>().find("is float64 in the catalog"), std::string::npos);
}

TEST_F(ConnectorRoutesTest, WithoutConnectorsTheRoutesAnswer503) {
  services_.connectors = nullptr;
  services_.write_gate = nullptr;
  EXPECT_EQ(DocumentedStatus("get", "/api/v1/connectors", Send("GET", "/api/v1/connectors")), 503);
  EXPECT_EQ(Send("POST", "/api/v1/writes", R"({"tag": "a/b", "value": 1})").status, 503);
}

}  // namespace
}  // namespace zhizao::api::testing
