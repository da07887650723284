// Keeps the API document true: it describes exactly the router's routes, and every example in
// it fits its schema. (The route tests check real responses against the same schemas.)
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "api/routes.h"
#include "json_schema.h"

namespace zhizao::api {
namespace {

using nlohmann::json;
using testing::SchemaValidator;

// The routes are only registered, never called, so the services stay empty but for a source
// (without one, AddSeriesRoutes would read the engine).
class NoSource final : public query::SampleSource {
 public:
  Status Read(TagId, int64_t, int64_t, storage::SeriesSamples*) const override { return Status::Ok(); }
  Result<std::optional<storage::LastSample>> Last(TagId) const override { return std::optional<storage::LastSample>(); }
};

std::set<std::pair<std::string, std::string>> RouterRoutes() {
  MetricsRegistry metrics;
  security::Authorizer authorizer(security::AdminToken::FromToken("openapi-test-token-0123456789"));
  Router router(authorizer, metrics);
  NoSource source;
  AddAllRoutes(router, ApiServices{.source = &source});
  std::set<std::pair<std::string, std::string>> routes;
  for (auto [method, pattern] : router.RouteList()) {
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    routes.emplace(pattern, method);
  }
  return routes;
}

json Document() { return json::parse(OpenApiDocument()); }

std::set<std::pair<std::string, std::string>> DocumentedRoutes(const json& doc) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (kMethods.count(method)) routes.emplace(path, method);
    }
  }
  return routes;
}

TEST(OpenApiTest, IsOpenApi31) {
  json doc = Document();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["info"].contains("title"));
  EXPECT_TRUE(doc["info"].contains("version"));
}

TEST(OpenApiTest, DescribesEveryRouteOfTheRouter) {
  std::set<std::pair<std::string, std::string>> documented = DocumentedRoutes(Document());
  for (const auto& [pattern, method] : RouterRoutes()) {
    EXPECT_TRUE(documented.count({pattern, method})) << method << " " << pattern << " is not in src/api/openapi.json";
  }
}

TEST(OpenApiTest, DescribesNoRouteTheRouterLacks) {
  std::set<std::pair<std::string, std::string>> routes = RouterRoutes();
  for (const auto& [path, method] : DocumentedRoutes(Document())) {
    EXPECT_TRUE(routes.count({path, method})) << method << " " << path << " is documented but not routed";
  }
}

TEST(OpenApiTest, EveryOperationHasASummaryResponsesAndItsPathParameters) {
  json doc = Document();
  std::set<std::string> ids;
  for (const auto& [path, method] : DocumentedRoutes(doc)) {
    const json& op = doc["paths"][path][method];
    std::string where = method + " " + path;
    EXPECT_TRUE(op.contains("summary")) << where;
    ASSERT_TRUE(op.contains("responses") && !op["responses"].empty()) << where;
    ASSERT_TRUE(op.contains("operationId")) << where;
    EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second) << where << ": operationId used twice";
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
      std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
      bool declared = false;
      for (const json& p : op.value("parameters", json::array())) {
        declared = declared || (p["in"] == "path" && p["name"] == name && p["required"] == true);
      }
      EXPECT_TRUE(declared) << where << ": path parameter " << name << " is not declared";
    }
    // A route behind the token documents the refusal; a public one says it needs none.
    bool is_public = op.contains("security") && op["security"].empty();
    if (!is_public) {
      EXPECT_TRUE(op["responses"].contains("401")) << where << " needs a token: document its 401";
    }
  }
}

// Every example of a media type (`example`, or each value of `examples`) against its schema.
void CheckExamples(const SchemaValidator& validator, const json& content, const std::string& where, int& checked) {
  for (const auto& [type, media] : content.items()) {
    ASSERT_TRUE(media.contains("schema")) << where << " " << type;
    std::vector<json> examples;
    if (media.contains("example")) examples.push_back(media["example"]);
    const json named = media.value("examples", json::object());
    for (const auto& [name, example] : named.items()) examples.push_back(example["value"]);
    EXPECT_FALSE(examples.empty()) << where << " " << type << ": give an example";
    for (const json& example : examples) {
      EXPECT_EQ(validator.Validate(example, media["schema"]), "") << where << " " << type;
      ++checked;
    }
  }
}

TEST(OpenApiTest, EveryExampleFitsItsSchema) {
  json doc = Document();
  SchemaValidator validator(doc);
  int checked = 0;
  for (const auto& [path, method] : DocumentedRoutes(doc)) {
    const json& op = doc["paths"][path][method];
    std::string where = method + " " + path;
    for (const auto& [status, response] : op["responses"].items()) {
      if (response.contains("content")) CheckExamples(validator, response["content"], where + " " + status, checked);
    }
    if (op.contains("requestBody")) CheckExamples(validator, op["requestBody"]["content"], where + " body", checked);
    for (const json& p : op.value("parameters", json::array())) {
      if (p.contains("example")) {
        EXPECT_EQ(validator.Validate(p["example"], p["schema"]), "") << where << " " << p["name"];
      }
    }
  }
  EXPECT_GT(checked, 50);
}

TEST(OpenApiTest, TheValidatorRejectsWhatItShould) {
  json doc = Document();
  SchemaValidator validator(doc);
  json error_schema = {{"$ref", "#/components/schemas/Error"}};
  EXPECT_EQ(validator.Validate(json::parse(R"({"error":{"code":"not_found","message":"m","detail":""}})"), error_schema), "");
  EXPECT_NE(validator.Validate(json::parse(R"({"error":{"code":"nope","message":"m","detail":""}})"), error_schema), "");
  EXPECT_NE(validator.Validate(json::parse(R"({"error":{"code":"not_found","message":"m"}})"), error_schema), "");
  EXPECT_NE(validator.Validate(json::parse(R"({"error":{"code":"not_found","message":1,"detail":""}})"), error_schema), "");
  EXPECT_NE(validator.Validate(json::parse(R"({"error":{"code":"not_found","message":"m","detail":"","x":1}})"),
                               error_schema), "");
  json one_of = json::parse(R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})");
  EXPECT_NE(validator.Validate(3, one_of), "");  // an integer is a number too: two matches
  EXPECT_EQ(validator.Validate(3.5, one_of), "");
  EXPECT_EQ(validator.Validate(nullptr, json::parse(R"({"type": ["integer", "null"]})")), "");
  EXPECT_NE(validator.Validate(json::array({1, "a"}), json::parse(R"({"items": {"type": "integer"}})")), "");
}

TEST(OpenApiTest, IsServedWithoutAToken) {
  MetricsRegistry metrics;
  security::Authorizer authorizer(security::AdminToken::FromToken("openapi-test-token-0123456789"));
  Router router(authorizer, metrics);
  AddOpenApiRoutes(router);
  HttpRequest request{.method = "GET", .path = "/api/v1/openapi.json"};
  HttpResponse response = router.Dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(json::parse(response.body)["openapi"], "3.1.0");
}

}  // namespace
}  // namespace zhizao::api
