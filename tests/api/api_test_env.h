// A whole API in process: catalog, engine, ingest, series index, InfluxQL and every route, in a
// temp dir per test; requests go straight to the router. Responses can be checked against the
// API document (CheckDocumented), so these tests also keep src/api/openapi.json true.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "api/job_runner.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "json_schema.h"

namespace zhizao::api::testing {

inline constexpr const char* kToken = "api-test-token-0123456789";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    catalog_ = std::move(catalog::Catalog::Open((dir_ / "catalog.db").string())).value();
    storage::EngineOptions options;
    options.dir = (dir_ / "history").string();
    options.fsync = storage::FsyncPolicy::kNone;
    options.metrics = &metrics_;
    engine_ = std::move(storage::Engine::Open(options)).value();
    ingest_ = std::make_unique<ingest::Ingest>(*catalog_, *engine_, metrics_);
    ASSERT_TRUE(ingest_->RefreshTags().ok());
    series_ = std::move(catalog::SeriesIndex::Load(*catalog_)).value();
    lines_ = std::make_unique<connect::lineproto::LineIngest>(*series_, *ingest_);
    source_ = std::make_unique<query::EngineSource>(*engine_);
    influxql_ = std::make_unique<query::influxql::Executor>(*catalog_, *series_, *source_, query::QueryOptions{});
    authorizer_ = std::make_unique<security::Authorizer>(security::AdminToken::FromToken(kToken));
    document_ = nlohmann::json::parse(OpenApiDocument());
  }

  // Builds the router; tests may change services_ first.
  void Route() {
    services_.catalog = catalog_.get();
    services_.engine = engine_.get();
    services_.metrics = &metrics_;
    services_.series = series_.get();
    services_.lines = lines_.get();
    services_.influxql = influxql_.get();
    services_.source = source_.get();
    services_.ingest = ingest_.get();
    services_.jobs = &jobs_;
    router_ = std::make_unique<Router>(*authorizer_, metrics_);
    AddAllRoutes(*router_, services_);
  }

  void TearDown() override {
    jobs_.Stop();  // a job reads the engine and writes the catalog
    router_.reset();
    influxql_.reset();
    source_.reset();
    lines_.reset();
    series_.reset();
    ingest_.reset();
    engine_.reset();
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Send(std::string method, const std::string& target, std::string body = "",
                    std::string content_type = "application/json",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    if (!router_) Route();
    HttpRequest r;
    r.method = std::move(method);
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, r.path, r.query).ok()) << target;
    r.headers.emplace_back("authorization", std::string("Token ") + kToken);
    if (!body.empty()) r.headers.emplace_back("content-type", std::move(content_type));
    for (auto& header : headers) r.headers.push_back(std::move(header));
    r.body = std::move(body);
    return router_->Dispatch(r);
  }

  // The body, after checking that the document describes this status of `pattern` and that
  // the body fits the documented schema.
  nlohmann::json Documented(const std::string& method, const std::string& pattern, const HttpResponse& response) {
    nlohmann::json body = response.body.empty() ? nlohmann::json() : nlohmann::json::parse(response.body);
    std::string status = std::to_string(response.status);
    const nlohmann::json* op = nullptr;
    if (document_["paths"].contains(pattern) && document_["paths"][pattern].contains(method)) {
      op = &document_["paths"][pattern][method];
    }
    if (op == nullptr || !(*op)["responses"].contains(status)) {
      ADD_FAILURE() << method << " " << pattern << " answers " << status << ", which the document does not describe: "
                    << response.body;
      return body;
    }
    const nlohmann::json& documented = (*op)["responses"][status];
    if (documented.contains("content")) {
      std::string problem =
          SchemaValidator(document_).Validate(body, documented["content"]["application/json"]["schema"]);
      EXPECT_EQ(problem, "") << method << " " << pattern << " " << status << ": " << response.body.substr(0, 2000);
    }
    return body;
  }

  // Stores `body` of line protocol (precision ns) into database `db`.
  void WriteLines(const std::string& db, const std::string& body) {
    connect::lineproto::WriteOutcome out = lines_->Write(body, {.database = db, .now_ns = 1});
    ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<ingest::Ingest> ingest_;
  std::unique_ptr<catalog::SeriesIndex> series_;
  std::unique_ptr<connect::lineproto::LineIngest> lines_;
  std::unique_ptr<query::EngineSource> source_;
  std::unique_ptr<query::influxql::Executor> influxql_;
  std::unique_ptr<security::Authorizer> authorizer_;
  JobRunner jobs_;
  ApiServices services_;
  std::unique_ptr<Router> router_;
  nlohmann::json document_;
};

}  // namespace zhizao::api::testing
