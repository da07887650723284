// Connectors at run time: list, create, update, delete, start, stop, status; browsing a peer's
// address space (and importing it into the catalog); and writes to equipment, which go through
// the write gate and nowhere else.
//
// Answers: 201 for a create, 200 for an update, start, stop or write, 204 for a delete; 422 for a
// definition the connector refuses (the message names the field); 404 for an unknown {name};
// 409 for a taken name or a connector of the config file; 403 for a tag that is not writable.
#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "api/routes.h"
#include "common/time_format.h"
#include "connect/connector_manager.h"
#include "connect/write_gate.h"

namespace zhizao::api {
namespace {

using connect::ConnectorInfo;
using connect::ConnectorStatus;
using connect::TimingSummary;
using nlohmann::json;

json TimingToJson(const TimingSummary& t) {
  return {{"count", t.count}, {"p50", t.p50_ms}, {"p99", t.p99_ms}, {"max", t.max_ms}};
}

json StatusToJson(const ConnectorStatus& s) {
  json out = {{"state", connect::ConnectorStateName(s.state)},
              {"samples", s.samples},
              {"bad_samples", s.bad_samples},
              {"reads", s.reads},
              {"errors", s.errors},
              {"reconnects", s.reconnects},
              {"writes", s.writes},
              {"overruns", s.overruns},
              {"latency_ms", TimingToJson(s.latency)},
              {"jitter_ms", TimingToJson(s.jitter)},
              {"connected_since", nullptr},
              {"last_error", nullptr}};
  if (s.connected_since_ns != 0) out["connected_since"] = FormatRfc3339(s.connected_since_ns);
  if (!s.last_error.empty()) out["last_error"] = {{"message", s.last_error}, {"time", FormatRfc3339(s.last_error_ns)}};
  return out;
}

json InfoToJson(const ConnectorInfo& info) {
  return {{"name", info.definition.value("name", "")},
          {"type", info.definition.value("type", "")},
          {"source", info.from_config ? "config" : "api"},
          {"definition", info.definition},
          {"status", StatusToJson(info.status)}};
}

// A connector refuses a definition with InvalidArgument: for the API that is well-formed JSON
// with wrong fields (422), like every other write of a resource.
Status AsDefinitionError(const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument) return Status::OutOfRange(status.message());
  return status;
}

Status NoConnectors() { return Status::Unavailable("connectors are not available in this process"); }

HttpResponse InfoResponse(const Result<ConnectorInfo>& info, int status = 200) {
  if (!info.ok()) return ErrorResponse(AsDefinitionError(info.status()));
  return HttpResponse::Json(InfoToJson(*info).dump(), status);
}

HttpResponse List(const ApiServices& services) {
  if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
  json list = json::array();
  for (const ConnectorInfo& info : services.connectors->List()) list.push_back(InfoToJson(info));
  return HttpResponse::Json(json{{"connectors", std::move(list)}}.dump());
}

HttpResponse Create(const ApiServices& services, const HttpRequest& request) {
  if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
  std::variant<json, HttpResponse> body = ReadJsonRequest(request, services.max_body_bytes);
  if (HttpResponse* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
  return InfoResponse(services.connectors->Create(std::get<json>(body)), 201);
}

HttpResponse Update(const ApiServices& services, const HttpRequest& request) {
  if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
  std::variant<json, HttpResponse> body = ReadJsonRequest(request, services.max_body_bytes);
  if (HttpResponse* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
  return InfoResponse(services.connectors->Update(std::string(request.PathParam("name")), std::get<json>(body)));
}

HttpResponse Delete(const ApiServices& services, const HttpRequest& request) {
  if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
  Status deleted = services.connectors->Delete(std::string(request.PathParam("name")));
  if (!deleted.ok()) return ErrorResponse(deleted);
  return HttpResponse{.status = 204};
}

HttpResponse StartOrStop(const ApiServices& services, const HttpRequest& request, bool start) {
  if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
  std::string name(request.PathParam("name"));
  Status done = start ? services.connectors->Start(name) : services.connectors->Stop(name);
  if (!done.ok()) return ErrorResponse(done);
  return InfoResponse(services.connectors->Get(name));
}

json NodeToJson(const connect::BrowsedNode& node) {
  json out = {{"node", node.node_id}, {"path", node.browse_path}, {"variable", node.is_variable}};
  if (node.is_variable) {
    out["type"] = node.data_type;
    out["writable"] = node.writable;
  }
  return out;
}

// A browse path segment as a catalog name: characters a name may not hold become '_'.
std::string CatalogSegment(std::string_view segment) {
  std::string out;
  for (char c : segment.substr(0, 64)) {
    bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    out += allowed ? c : '_';
  }
  return out.empty() ? "_" : out;
}

// Makes a catalog tag for each variable found, under `asset` + its browse path.
Result<size_t> Import(connect::TagSink& sink, const std::string& asset, const std::vector<connect::BrowsedNode>& nodes) {
  std::vector<connect::TagSpec> specs;
  for (const connect::BrowsedNode& node : nodes) {
    if (!node.is_variable) continue;
    Result<DataType> type = ParseDataType(node.data_type);
    if (!type.ok()) continue;  // a structure or array: not a series
    std::string path = asset;
    size_t start = 0;
    while (start <= node.browse_path.size()) {
      size_t slash = std::min(node.browse_path.find('/', start), node.browse_path.size());
      if (slash > start) path += "/" + CatalogSegment(std::string_view(node.browse_path).substr(start, slash - start));
      start = slash + 1;
    }
    specs.push_back({.path = path, .type = *type, .writable = node.writable, .description = node.node_id});
  }
  ZZ_RETURN_IF_ERROR(sink.EnsureTags(specs).status());
  return specs.size();
}

// {"start": node id (optional), "import": {"asset": "site1/line1/m1"} (optional)}.
HttpResponse Browse(const ApiServices& services, const HttpRequest& request) {
  if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
  json in = json::object();
  if (!request.body.empty()) {
    std::variant<json, HttpResponse> body = ReadJsonRequest(request, services.max_body_bytes);
    if (HttpResponse* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
    in = std::move(std::get<json>(body));
  }
  Result<JsonFields> fields = JsonFields::Of(in, "$");
  if (!fields.ok()) return ErrorResponse(fields.status());
  Result<std::optional<std::string>> start = fields->String("start");
  if (!start.ok()) return ErrorResponse(start.status());
  Result<std::optional<JsonFields>> import = fields->Object("import");
  if (!import.ok()) return ErrorResponse(import.status());
  std::optional<std::string> asset;
  if (*import) {
    Result<std::optional<std::string>> asset_field = (*import)->String("asset");
    if (!asset_field.ok()) return ErrorResponse(asset_field.status());
    if (!*asset_field) return ErrorResponse(Status::OutOfRange("$.import.asset: the asset path to import under is required"));
    asset = **asset_field;
    if (Status other = (*import)->CheckNoOtherFields(); !other.ok()) return ErrorResponse(other);
  }
  if (Status other = fields->CheckNoOtherFields(); !other.ok()) return ErrorResponse(other);

  Result<std::shared_ptr<connect::Connector>> connector = services.connectors->Find(std::string(request.PathParam("name")));
  if (!connector.ok()) return ErrorResponse(connector.status());
  Result<std::vector<connect::BrowsedNode>> nodes = (*connector)->Browse(start->value_or(""));
  if (!nodes.ok()) return ErrorResponse(nodes.status());
  json out = {{"nodes", json::array()}};
  for (const connect::BrowsedNode& node : *nodes) out["nodes"].push_back(NodeToJson(node));
  if (asset) {
    Result<size_t> imported = Import(services.connectors->sink(), *asset, *nodes);
    if (!imported.ok()) return ErrorResponse(AsDefinitionError(imported.status()));
    out["imported_tags"] = *imported;
  }
  return HttpResponse::Json(out.dump());
}

Result<connect::WriteValue> WriteValueOf(const json& value) {
  if (value.is_boolean()) return connect::WriteValue(value.get<bool>());
  if (value.is_number_integer()) return connect::WriteValue(value.get<int64_t>());
  if (value.is_number()) return connect::WriteValue(value.get<double>());
  if (value.is_string()) return connect::WriteValue(value.get<std::string>());
  return Status::OutOfRange("$.value: expected a number, a boolean or a string");
}

// {"tag": path, "value": v, "reason": text (optional)}.
HttpResponse Write(const ApiServices& services, RequestContext& context) {
  if (services.write_gate == nullptr) return ErrorResponse(NoConnectors());
  std::variant<json, HttpResponse> body = ReadJsonRequest(context.request, services.max_body_bytes);
  if (HttpResponse* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
  const json& in = std::get<json>(body);
  Result<JsonFields> fields = JsonFields::Of(in, "$");
  if (!fields.ok()) return ErrorResponse(fields.status());
  Result<std::optional<std::string>> tag = fields->String("tag");
  Result<std::optional<std::string>> reason = fields->String("reason");
  if (!tag.ok()) return ErrorResponse(tag.status());
  if (!reason.ok()) return ErrorResponse(reason.status());
  if (!*tag) return ErrorResponse(Status::OutOfRange("$.tag: the path of the tag to write is required"));
  if (!in.contains("value")) return ErrorResponse(Status::OutOfRange("$.value: the value to write is required"));
  Result<connect::WriteValue> value = WriteValueOf(in["value"]);
  if (!value.ok()) return ErrorResponse(value.status());
  for (const auto& [key, _] : in.items()) {
    if (key != "tag" && key != "value" && key != "reason") return ErrorResponse(Status::OutOfRange("$." + key + ": unknown field"));
  }
  connect::WriteRequest write{.tag_path = **tag,
                              .value = *value,
                              .requested_by = context.who(),
                              .reason = reason->value_or("")};
  Status written = services.write_gate->Write(write);
  if (!written.ok()) {
    // Wrong value for the tag: 422, like any other well-formed request with a wrong value.
    return ErrorResponse(written.code() == StatusCode::kInvalidArgument ? Status::OutOfRange(written.message()) : written);
  }
  return HttpResponse::Json(json{{"tag", **tag}, {"written", true}}.dump());
}

}  // namespace

void AddConnectorRoutes(Router& router, const ApiServices& services) {
  using security::Action;
  auto add = [&](std::string method, std::string pattern, Action action, std::string summary, Handler handler) {
    router.Add({.method = std::move(method),
                .pattern = std::move(pattern),
                .action = action,
                .resource_kind = "connectors",
                .summary = std::move(summary),
                .handler = std::move(handler)});
  };
  add("GET", "/api/v1/connectors", Action::kRead, "Every connector with its definition, state, counters and timing.",
      [services](RequestContext&) { return List(services); });
  add("POST", "/api/v1/connectors", Action::kAdmin,
      "Creates a connector from its definition (docs/connectors.md) and starts it unless enabled is false.",
      [services](RequestContext& c) { return Create(services, c.request); });
  add("GET", "/api/v1/connectors/{name}", Action::kRead, "One connector: definition, state, counters and timing.",
      [services](RequestContext& c) {
        if (services.connectors == nullptr) return ErrorResponse(NoConnectors());
        return InfoResponse(services.connectors->Get(std::string(c.request.PathParam("name"))));
      });
  add("PUT", "/api/v1/connectors/{name}", Action::kAdmin,
      "Replaces a connector's definition; a running connector restarts with it.",
      [services](RequestContext& c) { return Update(services, c.request); });
  add("DELETE", "/api/v1/connectors/{name}", Action::kAdmin, "Stops and deletes a connector (its tags and history stay).",
      [services](RequestContext& c) { return Delete(services, c.request); });
  add("POST", "/api/v1/connectors/{name}/start", Action::kAdmin, "Starts a stopped connector.",
      [services](RequestContext& c) { return StartOrStop(services, c.request, true); });
  add("POST", "/api/v1/connectors/{name}/stop", Action::kAdmin, "Stops a connector until started again.",
      [services](RequestContext& c) { return StartOrStop(services, c.request, false); });
  add("POST", "/api/v1/connectors/{name}/browse", Action::kAdmin,
      "Lists the peer's address space (OPC UA) and, with import, makes catalog tags of its variables.",
      [services](RequestContext& c) { return Browse(services, c.request); });
  router.Add({.method = "POST",
              .pattern = "/api/v1/writes",
              .action = Action::kWrite,
              .resource_kind = "equipment",
              .summary = "Writes a value to equipment through the write gate: the tag must be writable and the value in range.",
              .handler = [services](RequestContext& c) { return Write(services, c); }});
}

}  // namespace zhizao::api
