// InfluxDB's query endpoint: GET and POST /query with InfluxQL, answered in InfluxDB 1.x's
// JSON, so that the influx shell and Grafana's InfluxDB data source read zhizao unchanged.
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "api/influx_json.h"
#include "api/routes.h"
#include "common/clock.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

// Keys in InfluxDB's order (statement_id before series, name before columns), not sorted.
using json = nlohmann::ordered_json;
namespace iql = query::influxql;

constexpr std::string_view kInfluxVersion = "1.8.10";

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

// Go's encoding/json writes the float 70.0 as 70, and the influx shell prints numbers as spelled:
// a whole float within int64 goes out as an integer. Beyond that (|x| >= 9.2e18) the spelling
// still differs (1e+20 here, 100000000000000000000 from InfluxDB); the value does not.
json FloatJson(double x) {
  constexpr double kInt64Bound = 9.2e18;
  if (std::isfinite(x) && x == std::trunc(x) && std::abs(x) < kInt64Bound && !(x == 0 && std::signbit(x))) {
    return static_cast<int64_t>(x);
  }
  return x;
}

json ValueJson(const iql::ResultValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else if constexpr (std::is_same_v<T, double>) return FloatJson(x);
        else return x;
      },
      v);
}

json SeriesJson(const iql::ResultSeries& s, int64_t divisor) {
  json out = json::object();
  if (!s.name.empty()) out["name"] = s.name;
  if (!s.tags.empty()) {
    json tags = json::object();
    for (const auto& [k, v] : s.tags) tags[k] = v;
    out["tags"] = std::move(tags);
  }
  out["columns"] = s.columns;
  json values = json::array();
  for (const auto& row : s.values) {
    json r = json::array();
    for (size_t i = 0; i < row.size(); ++i) {
      if (i == 0 && s.time_first) {
        int64_t t = std::get<int64_t>(row[0]);
        // Go's integer division truncates toward zero; so does C++'s.
        r.push_back(divisor == 0 ? json(FormatRfc3339(t)) : json(t / divisor));
      } else {
        r.push_back(ValueJson(row[i]));
      }
    }
    values.push_back(std::move(r));
  }
  out["values"] = std::move(values);
  return out;
}

json ResultJson(const iql::StatementResult& r, int64_t divisor) {
  json out = {{"statement_id", r.statement_id}};
  if (!r.error.empty()) {
    out["error"] = r.error;
    return out;
  }
  if (!r.series.empty()) {
    json series = json::array();
    for (const auto& s : r.series) series.push_back(SeriesJson(s, divisor));
    out["series"] = std::move(series);
  }
  return out;
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
  HttpResponse r = ErrorResponseIn(Dialect::kInflux1, status);
  r.headers.emplace_back("X-Influxdb-Version", std::string(kInfluxVersion));
  return r;
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
  iql::RunOptions options{.database = Param(request, form, "db").value_or(""),
                          .now_ns = SystemClock::Instance().NowNs()};
  Result<std::vector<iql::StatementResult>> results = services.influxql->Run(q, options);
  if (!results.ok()) return Fail(results.status());
  if (chunked) {
    // One JSON document per statement result, as InfluxDB's chunked answers come.
    std::string body;
    for (const auto& r : *results) {
      body += "{\"results\":[";
      AppendInfluxResult(r, *divisor, body);
      body += "]}\n";
    }
    return Answer(std::move(body));
  }
  if (!pretty) return Answer(InfluxResultsJson(*results, *divisor));
  json all = json::array();
  for (const auto& r : *results) all.push_back(ResultJson(r, *divisor));
  return Answer(Dump(json{{"results", std::move(all)}}, pretty));
}

}  // namespace

void AddInfluxQueryRoutes(Router& router, const ApiServices& services) {
  for (const char* method : {"GET", "POST"}) {
    router.Add({.method = method,
                .pattern = "/query",
                .action = security::Action::kRead,
                .resource_kind = "series",
                .dialect = Dialect::kInflux1,
                .summary = "InfluxQL (the subset the influx shell and Grafana send): ?q=, ?db=, ?epoch=, ?chunked=.",
                .handler = [services](RequestContext& c) { return Query(services, c.request); }});
  }
}

}  // namespace zhizao::api
