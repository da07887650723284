// InfluxDB's write endpoints: POST /write (1.x) and POST /api/v2/write (2.x), and GET /ping,
// so that Telegraf, the influx shell and every InfluxDB client write to zhizao unchanged.
#include <string>

#include "api/gzip.h"
#include "api/routes.h"
#include "common/clock.h"
#include "connect/lineproto/line_ingest.h"

namespace zhizao::api {
namespace {

namespace lp = connect::lineproto;

HttpResponse Influx(HttpResponse response) {
  response.headers.emplace_back("X-Influxdb-Version", std::string(kInfluxVersion));
  return response;
}

// The body as sent, or gunzipped. 413 past the body limit, 415 for another encoding.
Result<std::string> DecodedBody(HttpRequest& request, size_t max_bytes, int& http_status) {
  std::string_view encoding = request.Header("content-encoding");
  if (encoding.empty() || encoding == "identity") return std::move(request.body);
  if (encoding != "gzip") {
    http_status = 415;
    return Status::InvalidArgument("Content-Encoding '" + std::string(encoding) + "' is not supported: use gzip");
  }
  Result<std::string> body = Gunzip(request.body, max_bytes);
  if (!body.ok() && body.status().code() == StatusCode::kResourceExhausted) http_status = 413;
  return body;
}

struct WriteTarget {
  std::string database;
  lp::Precision precision = lp::Precision::kNanosecond;
};

Result<WriteTarget> Target(const HttpRequest& request, Dialect dialect) {
  WriteTarget target;
  if (dialect == Dialect::kInflux1) {
    target.database = std::string(request.Query("db").value_or(""));
    if (target.database.empty()) return Status::InvalidArgument("database is required");
  } else {
    // A 2.x bucket mapped from 1.x is "db/rp": the database is before the '/'.
    std::string bucket(request.Query("bucket").value_or(""));
    if (bucket.empty()) return Status::InvalidArgument("bucket is required");
    target.database = bucket.substr(0, bucket.find('/'));
  }
  ZZ_ASSIGN_OR_RETURN(target.precision, lp::ParsePrecision(request.Query("precision").value_or("")));
  return target;
}

HttpResponse Write(const ApiServices& services, Dialect dialect, HttpRequest& request) {
  Result<WriteTarget> target = Target(request, dialect);
  if (!target.ok()) return ErrorResponseIn(dialect, target.status());
  int http_status = 0;
  Result<std::string> body = DecodedBody(request, services.max_body_bytes, http_status);
  if (!body.ok()) return ErrorResponseIn(dialect, body.status(), http_status);
  lp::WriteOutcome outcome = services.lines->Write(
      *body, {.database = target->database, .precision = target->precision,
              .now_ns = SystemClock::Instance().NowNs(), .policy = services.series_policy});
  if (outcome.status.ok()) return Influx(HttpResponse::NoContent());
  if (outcome.lines_rejected > 0 && outcome.status.code() == StatusCode::kInvalidArgument) {
    // InfluxDB's wording for a write that stored the good lines and dropped the rest.
    return ErrorResponseIn(dialect, Status::InvalidArgument("partial write: " + outcome.status.message() +
                                                  " dropped=" + std::to_string(outcome.lines_rejected)));
  }
  return ErrorResponseIn(dialect, outcome.status);
}

}  // namespace

void AddInfluxWriteRoutes(Router& router, const ApiServices& services) {
  for (Dialect dialect : {Dialect::kInflux1, Dialect::kInflux2}) {
    router.Add({.method = "POST",
                .pattern = dialect == Dialect::kInflux1 ? "/write" : "/api/v2/write",
                .action = security::Action::kWrite,
                .resource_kind = "series",
                .dialect = dialect,
                .summary = dialect == Dialect::kInflux1
                               ? "InfluxDB 1.x write: line protocol into database `db` (?precision=, u/p)."
                               : "InfluxDB 2.x write: line protocol into `bucket` (?org=, ?precision=).",
                .handler = [services, dialect](RequestContext& c) { return Write(services, dialect, c.request); }});
  }
  for (const char* method : {"GET", "HEAD"}) {
    router.Add({.method = method,
                .pattern = "/ping",
                .is_public = true,
                .dialect = Dialect::kInflux1,
                .summary = "InfluxDB's liveness check: 204 with X-Influxdb-Version.",
                .handler = [](RequestContext&) { return Influx(HttpResponse::NoContent()); }});
  }
}

}  // namespace zhizao::api
