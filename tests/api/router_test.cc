#include "api/router.h"

#include <gtest/gtest.h>

namespace zhizao::api {
namespace {

constexpr const char* kToken = "router-test-token-0123456789";

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : authorizer_(security::AdminToken::FromToken(kToken)), router_(authorizer_, metrics_) {
    router_.Add({.method = "GET", .pattern = "/healthz", .is_public = true, .handler = [](RequestContext& c) {
                   return HttpResponse::Json(c.principal == nullptr ? "public" : "private");
                 }});
    router_.Add({.method = "GET", .pattern = "/api/v1/tags/{id}", .resource_kind = "tags",
                 .handler = [](RequestContext& c) {
                   return HttpResponse::Json(std::string(c.request.PathParam("id")) + " " + c.principal->name);
                 }});
    router_.Add({.method = "POST", .pattern = "/write", .action = security::Action::kWrite, .resource_kind = "series",
                 .dialect = Dialect::kInflux1,
                 .handler = [](RequestContext&) { return HttpResponse::NoContent(); }});
    router_.Add({.method = "POST", .pattern = "/api/v2/write", .action = security::Action::kWrite,
                 .resource_kind = "series", .dialect = Dialect::kInflux2,
                 .handler = [](RequestContext&) { return HttpResponse::NoContent(); }});
    router_.Add({.method = "POST", .pattern = "/api/v1/boom", .resource_kind = "x",
                 .handler = [](RequestContext&) -> HttpResponse { throw std::runtime_error("kaput"); }});
  }

  HttpResponse Send(std::string method, std::string target, std::string auth = "") {
    HttpRequest r;
    r.method = std::move(method);
    EXPECT_TRUE(ParseTarget(target, r.path, r.query).ok());
    if (!auth.empty()) r.headers.emplace_back("authorization", auth);
    return router_.Dispatch(r);
  }

  MetricsRegistry metrics_;
  security::Authorizer authorizer_;
  Router router_;
};

TEST_F(RouterTest, PublicRoutesNeedNoToken) {
  HttpResponse r = Send("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "public");
}

TEST_F(RouterTest, PrivateRoutesAnswer401WithoutAValidToken) {
  EXPECT_EQ(Send("GET", "/api/v1/tags/7").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/tags/7", "Token nope").status, 401);
  HttpResponse ok = Send("GET", "/api/v1/tags/7", std::string("Token ") + kToken);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "7 admin");
}

TEST_F(RouterTest, InfluxRoutesTakeTheirClientsCredentialsAndAnswerInTheirShape) {
  EXPECT_EQ(Send("POST", std::string("/write?db=x&u=any&p=") + kToken).status, 204);
  // "admin:<token>" in base64, as the influx shell sends it.
  std::string basic = "Basic YWRtaW46cm91dGVyLXRlc3QtdG9rZW4tMDEyMzQ1Njc4OQ==";
  EXPECT_EQ(Send("POST", "/write?db=x", basic).status, 204);
  HttpResponse v1 = Send("POST", "/write?db=x&u=any&p=wrong");
  EXPECT_EQ(v1.status, 401);
  EXPECT_EQ(v1.body, R"({"error":"invalid token"})");
  HttpResponse v2 = Send("POST", "/api/v2/write?bucket=x", "Token nope");
  EXPECT_EQ(v2.status, 401);
  EXPECT_EQ(v2.body, R"({"code":"unauthorized","message":"invalid token"})");
  EXPECT_EQ(Send("POST", "/api/v2/write?bucket=x", std::string("Token ") + kToken).status, 204);
  // The token in the URL is for InfluxDB 1.x clients only.
  EXPECT_EQ(Send("GET", std::string("/api/v1/tags/7?p=") + kToken).status, 401);
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  EXPECT_EQ(Send("GET", "/api/v1/none").status, 404);
  HttpResponse r = Send("DELETE", "/healthz");
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "GET");
  EXPECT_NE(r.body.find(R"("code":"method_not_allowed")"), std::string::npos) << r.body;
}

TEST_F(RouterTest, ErrorsBeforeRoutingTakeTheDialectOfThePath) {
  EXPECT_EQ(router_.DialectOf("/write"), Dialect::kInflux1);
  EXPECT_EQ(router_.DialectOf("/api/v2/write"), Dialect::kInflux2);
  EXPECT_EQ(router_.DialectOf("/api/v1/tags/7"), Dialect::kZhizao);
  EXPECT_EQ(router_.DialectOf("/nowhere"), Dialect::kZhizao);
  EXPECT_EQ(ErrorResponseIn(Dialect::kInflux2, Status::InvalidArgument("big"), 413).body,
            R"({"code":"request too large","message":"big"})");
  HttpResponse own = ErrorResponse(Status::InvalidArgument("big"), "", 413);
  EXPECT_EQ(own.status, 413);
  EXPECT_NE(own.body.find(R"("code":"too_large")"), std::string::npos) << own.body;
}

TEST_F(RouterTest, HandlerExceptionsBecome500AndAreCounted) {
  HttpResponse r = Send("POST", "/api/v1/boom", std::string("Bearer ") + kToken);
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("\"code\":\"internal\""), std::string::npos);
  EXPECT_NE(metrics_.RenderPrometheus().find(
                "zhizao_http_requests_total{route=\"POST /api/v1/boom\",class=\"5xx\"} 1"),
            std::string::npos);
}

TEST(MatchPatternTest, MatchesSegmentsAndCapturesParams) {
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_TRUE(MatchPattern("/a/{x}/c", "/a/b/c", params));
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].second, "b");
  EXPECT_FALSE(MatchPattern("/a/{x}/c", "/a//c", params));
  EXPECT_FALSE(MatchPattern("/a/{x}", "/a/b/c", params));
  EXPECT_FALSE(MatchPattern("/a/b", "/a", params));
  EXPECT_TRUE(MatchPattern("/", "/", params));
}

TEST(ParseTargetTest, DecodesPathAndQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_TRUE(ParseTarget("/api/v1/tags?path=%2APump1%2A&x=a+b&flag", path, query).ok());
  EXPECT_EQ(path, "/api/v1/tags");
  ASSERT_EQ(query.size(), 3u);
  EXPECT_EQ(query[0].second, "*Pump1*");
  EXPECT_EQ(query[1].second, "a b");
  EXPECT_EQ(query[2].first, "flag");
  EXPECT_FALSE(ParseTarget("/a?x=%zz", path, query).ok());
  EXPECT_FALSE(ParseTarget("/a?x=%4", path, query).ok());
}

TEST(ErrorResponseTest, HasTheOneErrorShape) {
  HttpResponse r = ErrorResponse(Status::NotFound("no tag 'x'"), "detail");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":{"code":"not_found","detail":"detail","message":"no tag 'x'"}})");
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 503);
}

}  // namespace
}  // namespace zhizao::api
