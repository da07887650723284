#include <nlohmann/json.hpp>

#include <cmath>

#include "api/routes.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxLastTags = 10'000;

json ValueToJson(const storage::LastSample& s) {
  switch (s.value.type()) {
    case DataType::kFloat64:
      // JSON has no NaN or infinity: they are sent as strings, as InfluxDB does.
      if (!std::isfinite(s.value.f64())) return std::isnan(s.value.f64()) ? "NaN" : (s.value.f64() > 0 ? "+Inf" : "-Inf");
      return s.value.f64();
    case DataType::kInt64: return s.value.i64();
    case DataType::kBool: return s.value.boolean();
    case DataType::kString: return s.str;
  }
  return nullptr;
}

std::vector<std::string> SplitTags(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

HttpResponse LastValues(const ApiServices& services, const HttpRequest& request) {
  std::vector<std::string> paths = SplitTags(request.Query("tags").value_or(""));
  if (paths.empty()) return ErrorResponse(Status::InvalidArgument("tags: give one or more tag paths, comma-separated"));
  if (paths.size() > kMaxLastTags) {
    return ErrorResponse(Status::InvalidArgument("tags: at most " + std::to_string(kMaxLastTags) + " per request"));
  }
  json values = json::array();
  for (const std::string& path : paths) {
    Result<catalog::Tag> tag = services.catalog->FindTag(path);
    if (!tag.ok()) return ErrorResponse(tag.status());
    Result<std::optional<storage::LastSample>> last = services.engine->Last(tag->id);
    if (!last.ok()) return ErrorResponse(last.status());
    json entry = {{"tag", path}, {"id", tag->id}};
    if (*last) {
      entry["time"] = FormatRfc3339((*last)->ts_ns);
      entry["value"] = ValueToJson(**last);
      entry["quality"] = QualitySeverityName(SeverityOf((*last)->status));
      entry["status"] = (*last)->status;
    } else {
      entry["time"] = nullptr;
      entry["value"] = nullptr;
    }
    values.push_back(std::move(entry));
  }
  return HttpResponse::Json(json{{"values", std::move(values)}}.dump());
}

HttpResponse Flush(storage::Engine& engine, const HttpRequest& request) {
  Status flushed = engine.Flush();
  if (flushed.ok() && request.Query("compact").value_or("false") == "true") flushed = engine.Compact();
  if (!flushed.ok()) return ErrorResponse(flushed);
  return HttpResponse::NoContent();
}

}  // namespace

void AddStorageRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/admin/flush",
              .action = security::Action::kAdmin,
              .resource_kind = "storage",
              .summary = "Seals every head chunk into the chunk store and checkpoints the WAL; with "
                         "?compact=true also compacts, before measuring disk use.",
              .handler = [engine = services.engine](RequestContext& c) { return Flush(*engine, c.request); }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/series/last",
              .resource_kind = "series",
              .summary = "The last value of each tag in ?tags=path,path,…, with its time and quality.",
              .handler = [services](RequestContext& c) { return LastValues(services, c.request); }});
}

}  // namespace zhizao::api
