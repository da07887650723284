#include <gtest/gtest.h>

#include "api_test_env.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

class CatalogWriteRoutesTest : public testing::ApiTest {
 protected:
  json Call(const std::string& method, const std::string& pattern, const std::string& target, const std::string& body,
            int want_status, const std::string& content_type = "application/json") {
    HttpResponse r = Send(method, target, body, content_type);
    EXPECT_EQ(r.status, want_status) << method << " " << target << " " << body << ": " << r.body;
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return Documented(lower, pattern, r);
  }
  json PostAsset(const std::string& body, int want = 201) { return Call("POST", "/api/v1/assets", "/api/v1/assets", body, want); }
  json PostTags(const std::string& body, int want = 201) { return Call("POST", "/api/v1/tags", "/api/v1/tags", body, want); }
  json PutTag(int64_t id, const std::string& body, int want = 200) {
    return Call("PUT", "/api/v1/tags/{id}", "/api/v1/tags/" + std::to_string(id), body, want);
  }
  std::string Message(const json& error) { return error["error"]["message"].get<std::string>(); }

  // The tag InfluxQL finds as (db, measurement, field); 0 if none.
  TagId Indexed(const std::string& db, const std::string& measurement, const std::string& field) {
    return series_->Read([&](const catalog::SeriesIndex::Databases& dbs) -> TagId {
      auto d = dbs.find(db);
      if (d == dbs.end()) return 0;
      auto s = d->second.by_key.find(std::string_view(measurement));
      if (s == d->second.by_key.end()) return 0;
      const catalog::SeriesIndex::Field* f = s->second->FindField(field, 0);
      return f ? f->id : 0;
    });
  }

  void MakeTree() {
    PostAsset(R"({"path": "acme", "level": "enterprise", "description": {"zh": "极致", "en": "Acme"}})");
    PostAsset(R"({"path": "acme/sh", "level": "site"})");
  }
};

TEST_F(CatalogWriteRoutesTest, CreatesAssetsByPathOrByParentAndName) {
  json root = PostAsset(R"({"path": "acme", "level": "enterprise"})");
  EXPECT_EQ(root["path"], "acme");
  EXPECT_TRUE(root["parent_id"].is_null());
  json site = PostAsset(R"({"parent_id": )" + std::to_string(root["id"].get<int64_t>()) +
                        R"(, "name": "sh", "level": "site", "kind": "plant"})");
  EXPECT_EQ(site["path"], "acme/sh");
  EXPECT_EQ(site["kind"], "plant");
  HttpResponse raw = Send("POST", "/api/v1/assets", R"({"path": "acme/sh/area1", "level": "area"})");
  ASSERT_EQ(raw.status, 201);
  ASSERT_EQ(raw.headers.size(), 1u);
  EXPECT_EQ(raw.headers[0].first, "Location");
  EXPECT_EQ(raw.headers[0].second, "/api/v1/assets/" + std::to_string(json::parse(raw.body)["id"].get<int64_t>()));
  // A root asset is an InfluxDB database at once.
  EXPECT_TRUE(series_->Read([](const catalog::SeriesIndex::Databases& dbs) { return dbs.count("acme") == 1; }));
}

TEST_F(CatalogWriteRoutesTest, AssetErrors) {
  MakeTree();
  EXPECT_EQ(PostAsset(R"({"path": "acme/sh", "level": "site"})", 409)["error"]["code"], "already_exists");
  EXPECT_EQ(Message(PostAsset(R"({"path": "acme/sh/a", "level": "plant"})", 422)).substr(0, 9), "$.level: ");
  EXPECT_EQ(PostAsset(R"({"path": "nowhere/a", "level": "site"})", 422)["error"]["code"], "out_of_range");
  EXPECT_EQ(PostAsset(R"({"path": "acme/sh/a", "level": "enterprise"})", 422)["error"]["code"], "out_of_range");
  EXPECT_EQ(PostAsset(R"({"path": "acme/sh/bad name", "level": "area"})", 422)["error"]["code"], "out_of_range");
  EXPECT_EQ(Message(PostAsset(R"({"parent_id": 999, "name": "x", "level": "area"})", 422)), "$.parent_id: no asset with id 999");
  EXPECT_EQ(Message(PostAsset(R"({"id": 5, "path": "acme/x", "level": "area"})", 422)).substr(0, 5), "$.id:");
  EXPECT_EQ(Message(PostAsset(R"({"level": "area"})", 422)).substr(0, 7), "$.path:");
  EXPECT_EQ(Message(PostAsset(R"({"path": "acme/x", "level": "area", "color": 1})", 422)), "$.color: unknown field");
  EXPECT_EQ(Message(PostAsset(R"({"path": "acme/x", "level": 3})", 422)), "$.level: expected a string, got a number");
  json syntax = PostAsset(R"({"path": "acme/x", "level": })", 400);
  EXPECT_NE(Message(syntax).find("line 1, column"), std::string::npos) << Message(syntax);
  Call("POST", "/api/v1/assets", "/api/v1/assets", "path=acme", 415, "application/x-www-form-urlencoded");
}

TEST_F(CatalogWriteRoutesTest, UpdatesAndDeletesAssets) {
  MakeTree();
  int64_t sh = catalog_->FindAsset("acme/sh")->id;
  std::string target = "/api/v1/assets/" + std::to_string(sh);
  json updated = Call("PUT", "/api/v1/assets/{id}", target, R"({"level": "site", "kind": "campus", "description": {"en": "Shanghai"}})", 200);
  EXPECT_EQ(updated["kind"], "campus");
  EXPECT_EQ(updated["description"]["en"], "Shanghai");
  // What GET returns can be sent back.
  Call("PUT", "/api/v1/assets/{id}", target, updated.dump(), 200);
  EXPECT_EQ(Call("PUT", "/api/v1/assets/{id}", target, R"({"path": "acme/bj", "level": "site"})", 422)["error"]["code"], "out_of_range");
  Call("PUT", "/api/v1/assets/{id}", "/api/v1/assets/999", R"({"level": "site"})", 404);

  PostTags(R"({"path": "acme/sh/t"})");
  EXPECT_EQ(Call("DELETE", "/api/v1/assets/{id}", "/api/v1/assets/" + std::to_string(sh), "", 409)["error"]["code"],
            "failed_precondition");
  Call("DELETE", "/api/v1/tags/{id}", "/api/v1/tags/" + std::to_string(catalog_->FindTag("acme/sh/t")->id), "", 204);
  Call("DELETE", "/api/v1/assets/{id}", target, "", 204);
  Call("DELETE", "/api/v1/assets/{id}", target, "", 404);
  Call("DELETE", "/api/v1/assets/{id}", "/api/v1/assets/abc", "", 404);
}

TEST_F(CatalogWriteRoutesTest, CreatedTagsAreWritableAndIndexedAtOnce) {
  MakeTree();
  json tag = PostTags(R"({"path": "acme/sh/flow", "unit": "m3/h", "range": {"lo": 0, "hi": 500},
                          "limits": {"lo": 10, "hi": 450}, "classification": "important"})");
  TagId id = tag["id"];
  EXPECT_EQ(tag["unit"], "m3/h");
  EXPECT_EQ(tag["limits"]["lo"], 10.0);
  EXPECT_TRUE(tag["limits"]["lolo"].is_null());
  EXPECT_TRUE(tag["limits"]["alarm_state"].is_null());
  EXPECT_EQ(Indexed("acme", "sh", "flow"), id);
  Batch batch;
  batch.AddFloat64(id, 1'000, 1.5);
  EXPECT_TRUE(ingest_->Write(batch).ok());
  // Line protocol finds it under its derived name: database acme, measurement sh, field flow.
  WriteLines("acme", "sh flow=2.5 2000\n");
  EXPECT_EQ((*engine_->Last(id))->value.f64(), 2.5);
}

// A discrete alarm: a bool tag's alarm state; a number's is refused, naming why.
TEST_F(CatalogWriteRoutesTest, ABoolTagTakesAnAlarmStateANumberDoesNot) {
  MakeTree();
  json leak = PostTags(R"({"path": "acme/sh/seal_leak", "data_type": "bool", "limits": {"alarm_state": true}})");
  EXPECT_EQ(leak["limits"]["alarm_state"], true);
  EXPECT_EQ(catalog_->GetTag(leak["id"].get<TagId>())->limits.alarm_state, true);
  const std::string refused = Message(PostTags(R"({"path": "acme/sh/flow", "limits": {"alarm_state": false}})", 422));
  EXPECT_NE(refused.find("an alarm_state is for bool tags"), std::string::npos) << refused;
  EXPECT_NE(Message(PostTags(R"({"path": "acme/sh/gate", "data_type": "bool", "limits": {"alarm_state": 1}})", 422))
                .find("alarm_state"),
            std::string::npos);
}

TEST_F(CatalogWriteRoutesTest, ManyTagsInOneTransactionOrNone) {
  MakeTree();
  int64_t sh = catalog_->FindAsset("acme/sh")->id;
  json made = PostTags(R"({"tags": [{"path": "acme/sh/a"}, {"asset_id": )" + std::to_string(sh) +
                       R"(, "name": "b", "data_type": "int64"}]})");
  ASSERT_EQ(made["count"], 2);
  EXPECT_EQ(made["tags"][1]["path"], "acme/sh/b");
  EXPECT_EQ(made["tags"][1]["data_type"], "int64");
  EXPECT_EQ(Indexed("acme", "sh", "b"), made["tags"][1]["id"].get<TagId>());

  // One bad tag: nothing is made, and the error names it.
  EXPECT_EQ(Message(PostTags(R"({"tags": [{"path": "acme/sh/c"}, {"path": "acme/sh/d", "period_ms": -1}]})", 422)),
            "$.tags[1].period_ms: expected an integer between 1 and 9223372036854775807, got -1");
  EXPECT_EQ(Message(PostTags(R"({"tags": [{"path": "acme/sh/c"}, {"path": "acme/sh/c"}]})", 422)),
            "$.tags[1].path: 'acme/sh/c' is also $.tags[0]");
  EXPECT_EQ(PostTags(R"({"tags": [{"path": "acme/sh/c"}, {"path": "acme/sh/a"}]})", 409)["error"]["code"], "already_exists");
  EXPECT_EQ(Message(PostTags(R"({"tags": [{"path": "acme/sh/c", "range": {"lo": 5, "hi": 1}}]})", 422)).substr(0, 11),
            "$.tags[0]: ");
  EXPECT_EQ(Message(PostTags(R"({"tags": [{"path": "acme/nowhere/c"}]})", 422)), "$.tags[0].path: no asset with path 'acme/nowhere'");
  EXPECT_EQ(Message(PostTags(R"({"tags": []})", 422)).substr(0, 8), "$.tags: ");
  EXPECT_EQ(Message(PostTags(R"({"tags": [{"path": "acme/sh/c"}], "x": 1})", 422)), "$.x: unknown field");
  EXPECT_FALSE(catalog_->FindTag("acme/sh/c").ok());
  PostTags("[1, 2", 400);
  Call("POST", "/api/v1/tags", "/api/v1/tags", R"({"path": "acme/sh/c"})", 415, "text/plain");
}

TEST_F(CatalogWriteRoutesTest, UpdatesRenameAndReindexTags) {
  MakeTree();
  TagId id = PostTags(R"({"path": "acme/sh/flow"})")["id"];
  json renamed = PutTag(id, R"({"path": "acme/sh/flow2", "unit": "l/s"})");
  EXPECT_EQ(renamed["id"], id);
  EXPECT_EQ(renamed["unit"], "l/s");
  EXPECT_EQ(Indexed("acme", "sh", "flow"), 0u);
  EXPECT_EQ(Indexed("acme", "sh", "flow2"), id);
  // Without a position the tag stays where it is; every other field is replaced.
  json kept = PutTag(id, R"({"writable": true})");
  EXPECT_EQ(kept["path"], "acme/sh/flow2");
  EXPECT_EQ(kept["unit"], "");
  EXPECT_TRUE(kept["writable"]);
  Batch batch;
  batch.AddFloat64(id, 1'000, 7);
  ASSERT_TRUE(ingest_->Write(batch).ok());
  // The catalog keeps a tag's type: its history is stored in it.
  json refused = PutTag(id, R"({"data_type": "int64"})", 409);
  EXPECT_EQ(refused["error"]["code"], "failed_precondition");
  // GET's shape goes back unchanged.
  PutTag(id, kept.dump());

  TagId other = PostTags(R"({"path": "acme/sh/other"})")["id"];
  EXPECT_EQ(PutTag(other, R"({"path": "acme/sh/flow2"})", 409)["error"]["code"], "already_exists");
  EXPECT_EQ(Message(PutTag(other, R"({"id": 1234})", 422)).substr(0, 5), "$.id:");
  PutTag(9999, R"({"unit": "x"})", 404);
  Call("DELETE", "/api/v1/tags/{id}", "/api/v1/tags/" + std::to_string(other), "", 204);
  EXPECT_EQ(Indexed("acme", "sh", "other"), 0u);
  Call("DELETE", "/api/v1/tags/{id}", "/api/v1/tags/" + std::to_string(other), "", 404);
  Call("GET", "/api/v1/tags/{id}", "/api/v1/tags/" + std::to_string(other), "", 404);
}

TEST_F(CatalogWriteRoutesTest, ATagLineProtocolMadeKeepsItsWrittenNameWhenEdited) {
  WriteLines("acme", "pump,site=sh flow=2.5 2000\n");
  TagId id = Indexed("acme", "pump,site=sh", "flow");
  ASSERT_NE(id, 0u);
  json edited = PutTag(id, R"({"unit": "m3/h", "description": {"en": "Pump flow"}})");
  EXPECT_EQ(edited["unit"], "m3/h");
  EXPECT_EQ(Indexed("acme", "pump,site=sh", "flow"), id) << "the name clients query by stays";
  WriteLines("acme", "pump,site=sh flow=3.5 3000\n");
  EXPECT_EQ(Indexed("acme", "pump,site=sh", "flow"), id) << "and a new write still finds the same tag";
}

}  // namespace
}  // namespace zhizao::api
