// InfluxDB's query endpoint: GET and POST /query with InfluxQL, answered in InfluxDB 1.x's
// JSON, so that the influx shell and Grafana's InfluxDB data source read zhizao unchanged.
#include <nlohmann/json.hpp>

#include <charconv>
#include <string>

#include "api/influx_json.h"
#include "api/routes.h"
#include "common/clock.h"

namespace zhizao::api {
namespace {

// Keys in InfluxDB's order (statement_id before series, name before columns), not sorted.
using json = nlohmann::ordered_json;
namespace iql = query::influxql;

// The divisor of ?epoch=: times as integers in that unit; 0 for RFC 3339 strings.
Result<int64_t> EpochDivisor(std::string_view epoch) {
  if (epoch.empty()) return int64_t{0};
  if (epoch == "ns" || epoch == "n") return int64_t{1};
  if (epoch == "u" || epoch == "us" || epoch == "µ") return int64_t{1'000};
  if (epoch == "ms") return int64_t{1'000'000};
  if (epoch == "s") return int64_t{1'000'000'000};
  if (epoch == "m") return int64_t{60'000'000'000};
  if (epoch == "h") return int64_t{3'600'000'000'000};
  return Status::InvalidArgument("invalid epoch \"" + std::string(epoch) + "\" (use ns, u, ms, s, m or h)");
}

// ?chunk_size=: rows per document of a chunked answer; InfluxDB's default 10,000 when absent,
// and it ignores a value that is not a positive integer.
size_t ChunkSize(std::string_view text) {
  constexpr size_t kDefault = 10'000;
  size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n == 0) return kDefault;
  return n;
}

std::string Dump(const json& j, bool pretty) {
  return j.dump(pretty ? 4 : -1, ' ', false, json::error_handler_t::replace);
}

HttpResponse Answer(std::string body, int status = 200) {
  HttpResponse r = HttpResponse::Json(std::move(body), status);
  r.headers.emplace_back("X-Influxdb-Version", std::string(kInfluxVersion));
  return r;
}

HttpResponse Fail(const Status& status) {
  return ErrorResponseIn(Dialect::kInflux1, status);
}

// The parameters of a query: from the URL, and for a form POST also from its body.
std::optional<std::string> Param(const HttpRequest& request, const std::vector<std::pair<std::string, std::string>>& form,
                                 std::string_view name) {
  if (auto v = request.Query(name)) return std::string(*v);
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return std::nullopt;
}

HttpResponse Query(const ApiServices& services, const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> form;
  if (request.method == "POST" && request.Header("content-type").starts_with("application/x-www-form-urlencoded")) {
    std::string ignored;
    Status parsed = ParseTarget("?" + request.body, ignored, form);
    if (!parsed.ok()) return Fail(parsed);
  }
  std::string q = Param(request, form, "q").value_or("");
  if (q.empty()) return Fail(Status::InvalidArgument("missing required parameter \"q\""));
  Result<int64_t> divisor = EpochDivisor(Param(request, form, "epoch").value_or(""));
  if (!divisor.ok()) return Fail(divisor.status());
  bool pretty = Param(request, form, "pretty").value_or("") == "true";
  bool chunked = Param(request, form, "chunked").value_or("") == "true";
  size_t chunk_size = ChunkSize(Param(request, form, "chunk_size").value_or(""));
  iql::RunOptions options{.database = Param(request, form, "db").value_or(""),
                          .now_ns = SystemClock::Instance().NowNs()};
  Result<std::vector<iql::StatementResult>> results = services.influxql->Run(q, options);
  if (!results.ok()) return Fail(results.status());
  if (chunked) {
    std::string body;
    for (const auto& r : *results) AppendInfluxChunks(r, chunk_size, *divisor, body);
    return Answer(std::move(body));
  }
  std::string body = InfluxResultsJson(*results, *divisor);
  // Indented for a person reading it: the same answer, parsed and laid out again (rare; slow is fine).
  if (pretty) body = Dump(json::parse(body), true);
  return Answer(std::move(body));
}

}  // namespace

void AddInfluxQueryRoutes(Router& router, const ApiServices& services) {
  for (const char* method : {"GET", "POST"}) {
    router.Add({.method = method,
                .pattern = "/query",
                .action = security::Action::kRead,
                .resource_kind = "series",
                .dialect = Dialect::kInflux1,
                .summary = "InfluxQL (the subset the influx shell and Grafana send): ?q=, ?db=, ?epoch=, ?chunked=, ?chunk_size=.",
                .handler = [services](RequestContext& c) { return Query(services, c.request); }});
  }
}

}  // namespace zhizao::api
