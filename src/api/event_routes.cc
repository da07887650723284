// Events the analytics raised, and the people's side of alarm management: acknowledging and
// shelving. Lists are newest first; a list hides shelved events only when asked (?shelved=hide),
// because an operator who shelved an alert must still be able to find it.
//
// Answers: 200; 404 for an unknown {id} or ?asset=; 400 for a bad parameter; 422 for a body
// with wrong fields.
#include <nlohmann/json.hpp>

#include "api/event_json.h"
#include "api/json_body.h"
#include "api/request_params.h"
#include "api/routes.h"
#include "api/series_params.h"
#include "common/clock.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using catalog::Event;
using nlohmann::json;

constexpr int64_t kMaxShelveNs = 7LL * 24 * 3600 * 1'000'000'000;  // ISA-18.2: shelving is temporary

Result<catalog::EventFilter> FilterOf(const ApiServices& services, const HttpRequest& request, int64_t now_ns) {
  catalog::EventFilter filter;
  filter.now_ns = now_ns;
  if (std::optional<std::string_view> asset = request.Query("asset")) {
    ZZ_ASSIGN_OR_RETURN(catalog::Asset found, ResolveAsset(*services.catalog, *asset));
    filter.asset_id = found.id;
  }
  if (std::optional<std::string_view> source = request.Query("source")) filter.source = std::string(*source);
  if (std::optional<std::string_view> tag = request.Query("tag")) {
    ZZ_ASSIGN_OR_RETURN(catalog::Tag found, ResolveTag(*services.catalog, *tag));
    filter.tag = found.id;
  }
  if (std::optional<std::string_view> active = request.Query("active")) {
    if (*active != "true" && *active != "false") return Status::InvalidArgument("active: expected true or false");
    filter.active_only = *active == "true";
  }
  if (std::optional<std::string_view> shelved = request.Query("shelved")) {
    if (*shelved != "hide" && *shelved != "show") return Status::InvalidArgument("shelved: expected hide or show");
    filter.hide_shelved = *shelved == "hide";
  }
  if (std::optional<std::string_view> from = request.Query("from")) {
    ZZ_ASSIGN_OR_RETURN(filter.from_ns, ParseTimeParam(*from, now_ns, "from"));
  }
  if (std::optional<std::string_view> to = request.Query("to")) {
    ZZ_ASSIGN_OR_RETURN(filter.to_ns, ParseTimeParam(*to, now_ns, "to"));
  }
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntParam(request, "limit", 1, 10'000));
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> offset, IntParam(request, "offset", 0, INT64_MAX));
  filter.limit = static_cast<size_t>(limit.value_or(100));
  filter.offset = static_cast<size_t>(offset.value_or(0));
  return filter;
}

HttpResponse List(const ApiServices& services, const HttpRequest& request) {
  Result<catalog::EventFilter> filter = FilterOf(services, request, SystemClock::Instance().NowNs());
  if (!filter.ok()) return ErrorResponse(filter.status());
  Result<std::vector<Event>> events = services.catalog->ListEvents(*filter);
  if (!events.ok()) return ErrorResponse(events.status());
  json list = json::array();
  for (const Event& e : *events) list.push_back(EventToJson(e));
  return HttpResponse::Json(json{{"events", std::move(list)}}.dump());
}

Result<catalog::EventId> IdOf(const HttpRequest& request) {
  Result<int64_t> id = ParseInt(request.PathParam("id"), "event id");
  if (!id.ok()) return Status::NotFound("no event with id '" + std::string(request.PathParam("id")) + "'");
  return *id;
}

HttpResponse Get(const ApiServices& services, const HttpRequest& request) {
  Result<catalog::EventId> id = IdOf(request);
  if (!id.ok()) return ErrorResponse(id.status());
  Result<Event> event = services.catalog->GetEvent(*id);
  if (!event.ok()) return ErrorResponse(event.status());
  return HttpResponse::Json(EventToJson(*event).dump());
}

HttpResponse Acknowledge(const ApiServices& services, RequestContext& context) {
  Result<catalog::EventId> id = IdOf(context.request);
  if (!id.ok()) return ErrorResponse(id.status());
  Status done = services.catalog->AcknowledgeEvent(*id, context.who(), SystemClock::Instance().NowNs());
  if (!done.ok()) return ErrorResponse(done);
  return Get(services, context.request);
}

// {"for": "2h"} shelves for a while (at most 7 days); {"for": null} unshelves.
Result<int64_t> ShelveUntil(const ApiServices& services, const HttpRequest& request, int64_t now_ns) {
  std::variant<json, HttpResponse> body = ReadJsonRequest(request, services.max_body_bytes);
  if (std::holds_alternative<HttpResponse>(body)) return Status::InvalidArgument("the body must be a JSON object");
  ZZ_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(std::get<json>(body), "$"));
  const json& in = std::get<json>(body);
  if (!in.contains("for")) return Status::OutOfRange("$.for: how long to shelve (\"30m\", \"8h\") or null is required");
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> duration, fields.String("for"));
  ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
  if (!duration) return 0;
  Result<int64_t> ns = ParseDuration(*duration, "$.for");
  if (!ns.ok()) return Status::OutOfRange(ns.status().message());
  if (*ns > kMaxShelveNs) return Status::OutOfRange("$.for: shelving is temporary: at most 7 days");
  return now_ns + *ns;
}

HttpResponse Shelve(const ApiServices& services, RequestContext& context) {
  Result<catalog::EventId> id = IdOf(context.request);
  if (!id.ok()) return ErrorResponse(id.status());
  Result<int64_t> until = ShelveUntil(services, context.request, SystemClock::Instance().NowNs());
  if (!until.ok()) return ErrorResponse(until.status());
  Status done = services.catalog->ShelveEvent(*id, context.who(), *until);
  if (!done.ok()) return ErrorResponse(done);
  return Get(services, context.request);
}

}  // namespace

void AddEventRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/events",
              .action = security::Action::kRead,
              .resource_kind = "events",
              .summary = "Events the analytics raised, newest first (?asset=, ?source=, ?tag=, ?active=, ?shelved=hide, "
                         "?from=, ?to=, ?limit=, ?offset=)",
              .handler = [services](RequestContext& c) { return List(services, c.request); }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/events/{id}",
              .action = security::Action::kRead,
              .resource_kind = "events",
              .summary = "One event with its contributing tags and a link to the data that shows it",
              .handler = [services](RequestContext& c) { return Get(services, c.request); }});
  router.Add({.method = "POST",
              .pattern = "/api/v1/events/{id}/acknowledge",
              .action = security::Action::kWrite,
              .resource_kind = "events",
              .summary = "Acknowledge an event (the first acknowledgement is kept)",
              .handler = [services](RequestContext& c) { return Acknowledge(services, c); }});
  router.Add({.method = "POST",
              .pattern = "/api/v1/events/{id}/shelve",
              .action = security::Action::kWrite,
              .resource_kind = "events",
              .summary = "Shelve an event for a while ({\"for\": \"2h\"}, at most 7 days) or unshelve it ({\"for\": null})",
              .handler = [services](RequestContext& c) { return Shelve(services, c); }});
}

}  // namespace zhizao::api
