#include "api/json_body.h"

#include <gtest/gtest.h>

#include "api/catalog_json.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

HttpRequest WithContentType(std::string type) {
  HttpRequest r;
  r.headers.emplace_back("content-type", std::move(type));
  return r;
}

TEST(JsonBodyTest, AcceptsJsonMediaTypesOnly) {
  EXPECT_TRUE(CheckJsonContentType(WithContentType("application/json")).ok());
  EXPECT_TRUE(CheckJsonContentType(WithContentType("Application/JSON; charset=utf-8")).ok());
  EXPECT_TRUE(CheckJsonContentType(WithContentType("application/merge-patch+json")).ok());
  EXPECT_FALSE(CheckJsonContentType(WithContentType("text/plain")).ok());
  EXPECT_FALSE(CheckJsonContentType(WithContentType("application/x-www-form-urlencoded")).ok());
  EXPECT_FALSE(CheckJsonContentType(HttpRequest{}).ok());
}

TEST(JsonBodyTest, SyntaxErrorsSayWhere) {
  Result<json> bad = ParseJsonBody("{\"a\": 1,\n  \"b\": tru}", 1000);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("line 2, column"), std::string::npos) << bad.status().message();
  EXPECT_EQ(bad.status().message().find("[json.exception"), std::string::npos) << bad.status().message();
  EXPECT_EQ(ParseJsonBody("", 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJsonBody("{} {}", 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJsonBody("\"\xff\"", 10).status().code(), StatusCode::kInvalidArgument);
}

TEST(JsonBodyTest, RefusesBodiesTooLargeOrTooDeep) {
  EXPECT_EQ(ParseJsonBody("[1,2,3]", 6).status().code(), StatusCode::kResourceExhausted);
  std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  Result<json> refused = ParseJsonBody(deep, 1 << 20);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("nested deeper than"), std::string::npos);
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJsonBody(ok, 1 << 20).ok());
  // Brackets inside strings do not count.
  EXPECT_TRUE(ParseJsonBody("{\"a\": \"" + std::string(100, '[') + "\\\"\"}", 1 << 20).ok());
}

TEST(JsonBodyTest, FieldErrorsNameTheJsonPath) {
  json body = json::parse(R"({"a": "x", "n": 1.5, "o": {"i": 7}, "l": [1], "z": null})");
  JsonFields fields = *JsonFields::Of(body, "$");
  EXPECT_EQ(fields.Number("a").status().message(), "$.a: expected a number, got a string");
  EXPECT_EQ(fields.Integer("n", 0, 10).status().message(), "$.n: expected an integer between 0 and 10, got 1.5");
  JsonFields inner = **fields.Object("o");
  EXPECT_EQ(inner.Integer("i", 0, 5).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(*inner.Integer("i", 0, 10), 7);
  EXPECT_FALSE(fields.String("z")->has_value());       // null reads as absent
  EXPECT_FALSE(fields.String("missing")->has_value());
  EXPECT_EQ(fields.CheckNoOtherFields().message(), "$.l: unknown field");
  EXPECT_EQ((*fields.Array("l"))->size(), 1u);
  EXPECT_TRUE(fields.CheckNoOtherFields().ok());
  EXPECT_EQ(JsonFields::Of(json::array(), "$.tags[2]").status().message(), "$.tags[2]: expected an object, got an array");
}

TEST(JsonBodyTest, IntegersRefuseFractionsAndOverflow) {
  json body = json::parse(R"({"a": 2.0, "b": 18446744073709551615, "c": -1, "d": 1e300})");
  JsonFields fields = *JsonFields::Of(body, "$");
  EXPECT_EQ(*fields.Integer("a", 0, 10), 2);
  EXPECT_FALSE(fields.Integer("b", 0, INT64_MAX).ok());
  EXPECT_FALSE(fields.Integer("c", 0, 10).ok());
  EXPECT_FALSE(fields.Integer("d", 0, INT64_MAX).ok());
}

TEST(CatalogJsonTest, DecodesWhatItEncodes) {
  catalog::Tag tag{.id = 7, .asset_id = 3, .name = "flow", .path = "acme/sh/flow", .data_type = DataType::kInt64,
                   .unit = "m3/h", .range_lo = 0, .range_hi = 10, .limits = {.hi = 9}, .period_ms = 500,
                   .classification = catalog::Classification::kCore, .retention_days = 3, .writable = true,
                   .description_zh = "流量", .description_en = "flow"};
  Result<TagBody> body = TagFromJson(TagToJson(tag));
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(body->id, 7);
  EXPECT_EQ(body->asset_id, 3);  // beside the path: kept for the caller to check
  EXPECT_EQ(body->tag.path, "acme/sh/flow");
  EXPECT_EQ(body->tag.asset_id, 0);
  EXPECT_EQ(body->tag.data_type, DataType::kInt64);
  EXPECT_EQ(body->tag.range_hi, 10);
  EXPECT_FALSE(body->tag.limits.lo.has_value());
  EXPECT_EQ(body->tag.limits.hi, 9);
  EXPECT_EQ(body->tag.classification, catalog::Classification::kCore);
  EXPECT_TRUE(body->tag.writable);
  EXPECT_EQ(body->tag.description_zh, "流量");
  EXPECT_FALSE(body->tag.limits.alarm_state.has_value());
  catalog::Tag leak{.id = 8, .asset_id = 3, .name = "leak", .path = "acme/sh/leak", .data_type = DataType::kBool,
                    .limits = {.alarm_state = false}};
  Result<TagBody> leak_body = TagFromJson(TagToJson(leak));
  ASSERT_TRUE(leak_body.ok()) << leak_body.status().ToString();
  EXPECT_EQ(leak_body->tag.limits.alarm_state, false);

  catalog::Asset asset{.id = 3, .parent_id = 1, .level = catalog::AssetLevel::kLine, .name = "l1", .path = "acme/l1"};
  Result<AssetBody> a = AssetFromJson(AssetToJson(asset));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->asset.path, "acme/l1");
  EXPECT_EQ(a->parent_id, 1);
  EXPECT_EQ(a->asset.level, catalog::AssetLevel::kLine);
}

TEST(CatalogJsonTest, WrongValuesAre422NamingTheirPath) {
  auto tag_error = [](const char* text) { return TagFromJson(json::parse(text), "$.tags[1]").status(); };
  EXPECT_EQ(tag_error(R"({"path": "a/b", "data_type": "float"})").message(),
            "$.tags[1].data_type: unknown data type 'float' (expected float64, int64, bool or string)");
  EXPECT_EQ(tag_error(R"({"path": "a/b", "range": {"lo": "0"}})").message(), "$.tags[1].range.lo: expected a number, got a string");
  EXPECT_EQ(tag_error(R"({"path": "a/b", "colour": "red"})").message(), "$.tags[1].colour: unknown field");
  EXPECT_EQ(tag_error(R"({"path": "a/b", "name": "c"})").code(), StatusCode::kOutOfRange);
  EXPECT_EQ(tag_error(R"({"path": "a/b", "period_ms": 0})").code(), StatusCode::kOutOfRange);
  Status level = AssetFromJson(json::parse(R"({"path": "a"})")).status();
  EXPECT_EQ(level.code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(level.message().starts_with("$.level: required")) << level.message();
  EXPECT_TRUE(AssetFromJson(json::parse(R"({"path": "a", "level": "plant"})")).status().message().starts_with("$.level: "));
}

}  // namespace
}  // namespace zhizao::api
