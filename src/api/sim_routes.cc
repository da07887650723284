#include <nlohmann/json.hpp>

#include <cmath>

#include "api/routes.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using connect::sim::Episode;
using connect::sim::FaultRequest;
using nlohmann::json;

json EpisodeToJson(const Episode& e) {
  return {{"id", e.id},
          {"type", connect::sim::FaultTypeName(e.type)},
          {"asset", e.asset_path},
          {"tags", e.tags},
          {"root_cause_tag", e.root_cause_tag},
          {"start", FormatRfc3339(e.start_ns)},
          {"end", FormatRfc3339(e.end_ns)},
          {"severity", e.severity},
          {"injected", e.injected}};
}

Status NotRunning() { return Status::FailedPrecondition("the plant simulator is not running (see [sim] enabled)"); }

// Reads {"asset", "type", "tag"?, "start"?, "duration_s"?, "severity"?}.
Result<FaultRequest> ParseFaultRequest(const std::string& body) {
  json in = json::parse(body, nullptr, false);
  if (in.is_discarded() || !in.is_object()) return Status::InvalidArgument("body must be a JSON object");
  FaultRequest request;
  if (!in.contains("asset") || !in["asset"].is_string()) return Status::InvalidArgument("asset: a string is required");
  if (!in.contains("type") || !in["type"].is_string()) return Status::InvalidArgument("type: a string is required");
  request.asset_path = in["asset"].get<std::string>();
  ZZ_ASSIGN_OR_RETURN(request.type, connect::sim::ParseFaultType(in["type"].get<std::string>()));
  for (const auto& [key, value] : in.items()) {
    if (key == "asset" || key == "type") continue;
    if (key == "tag" && value.is_string()) {
      request.tag_path = value.get<std::string>();
    } else if (key == "start" && value.is_string()) {
      ZZ_ASSIGN_OR_RETURN(request.start_ns, ParseRfc3339(value.get<std::string>()));
    } else if (key == "duration_s" && value.is_number() && value.get<double>() > 0 &&
               value.get<double>() < 366.0 * 86400) {
      request.duration_ns = static_cast<int64_t>(std::llround(value.get<double>() * 1e9));
    } else if (key == "severity" && value.is_number() && value.get<double>() > 0 && value.get<double>() <= 1) {
      request.severity = value.get<double>();
    } else {
      return Status::InvalidArgument(key + ": unknown field or bad value (tag: string, start: RFC 3339, "
                                     "duration_s: seconds > 0, severity: (0, 1])");
    }
  }
  return request;
}

HttpResponse ListEpisodes(connect::sim::SimRunner* sim) {
  if (sim == nullptr) return ErrorResponse(NotRunning());
  json list = json::array();
  for (const Episode& e : sim->Episodes()) list.push_back(EpisodeToJson(e));
  return HttpResponse::Json(json{{"episodes", std::move(list)}}.dump());
}

HttpResponse InjectFault(connect::sim::SimRunner* sim, const HttpRequest& request) {
  if (sim == nullptr) return ErrorResponse(NotRunning());
  Result<FaultRequest> fault = ParseFaultRequest(request.body);
  if (!fault.ok()) return ErrorResponse(fault.status());
  Result<Episode> episode = sim->InjectFault(*fault);
  if (!episode.ok()) return ErrorResponse(episode.status());
  return HttpResponse::Json(EpisodeToJson(*episode).dump(), 201);
}

}  // namespace

void AddSimRoutes(Router& router, const ApiServices& services) {
  connect::sim::SimRunner* sim = services.simulator;
  router.Add({.method = "GET",
              .pattern = "/api/v1/sim/episodes",
              .resource_kind = "sim",
              .summary = "Every fault episode of the simulator: the truth detectors are scored against.",
              .handler = [sim](RequestContext&) { return ListEpisodes(sim); }});
  router.Add({.method = "POST",
              .pattern = "/api/v1/sim/faults",
              .action = security::Action::kWrite,
              .resource_kind = "sim",
              .summary = "Injects a fault: {asset, type, tag?, start?, duration_s?, severity?}.",
              .handler = [sim](RequestContext& c) { return InjectFault(sim, c.request); }});
}

}  // namespace zhizao::api
