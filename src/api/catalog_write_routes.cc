// Catalog writes: create, update and delete assets and tags, with the catalog's validation.
//
// Answers: 201 with the record (and Location) for a create, 200 for an update, 204 for a
// delete; 415 for a body that is not declared JSON, 400 for one that is not JSON, 422 for JSON
// whose fields are wrong (the error names the JSON path), 404 for an unknown {id}, 409 for a
// path already taken or an asset that still has children or tags.
//
// A tag made or changed here is indexed for InfluxQL and line protocol (SeriesIndex) and
// accepted by ingest at once, without a restart.
#include <nlohmann/json.hpp>

#include <map>
#include <variant>

#include "api/catalog_json.h"
#include "api/json_body.h"
#include "api/request_params.h"
#include "api/routes.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxTagsPerRequest = 100'000;

// The catalog refuses values with InvalidArgument, and a missing asset or parent named in the
// body with NotFound: for a write, both are a well-formed request with wrong values (422).
// A 404 is kept for the {id} of the URL, which handlers check first.
Status AsWriteError(const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound) {
    return Status::OutOfRange(status.message());
  }
  return status;
}

Result<int64_t> PathId(const HttpRequest& request, std::string_view what, int64_t max) {
  Result<int64_t> id = ParseInt(request.PathParam("id"), std::string(what) + " id");
  if (!id.ok() || *id <= 0 || *id > max) {
    return Status::NotFound("no " + std::string(what) + " with id " + std::string(request.PathParam("id")));
  }
  return *id;
}

Status CheckNoId(const std::optional<int64_t>& id, const std::string& json_path) {
  if (!id) return Status::Ok();
  return Status::OutOfRange(json_path + ".id: assigned by the catalog; leave it out when creating");
}

Status CheckIdMatches(const std::optional<int64_t>& id, int64_t url_id) {
  if (!id || *id == url_id) return Status::Ok();
  return Status::OutOfRange("$.id: " + std::to_string(*id) + " is not the id in the URL (" + std::to_string(url_id) + ")");
}

std::string ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash));
}

// --- Assets ---

// The path the body puts the asset at. A parent_id given beside the path must be its parent.
Result<std::string> AssetPathOf(catalog::Catalog& catalog, const AssetBody& body) {
  const catalog::Asset& a = body.asset;
  if (a.parent_id == 0 && !body.parent_id) return a.path;  // a path, or a root's name
  catalog::AssetId parent_id = body.parent_id.value_or(a.parent_id);
  Result<catalog::Asset> parent = catalog.GetAsset(parent_id);
  if (!parent.ok()) return Status::OutOfRange("$.parent_id: no asset with id " + std::to_string(parent_id));
  if (a.parent_id != 0) return parent->path + "/" + a.name;
  if (ParentPath(a.path) != parent->path) {
    return Status::OutOfRange("$.parent_id: asset " + std::to_string(parent_id) + " is '" + parent->path +
                              "', not the parent of path '" + a.path + "'");
  }
  return a.path;
}

Result<json> CreateAsset(const ApiServices& services, const json& in) {
  ZZ_ASSIGN_OR_RETURN(AssetBody body, AssetFromJson(in));
  ZZ_RETURN_IF_ERROR(CheckNoId(body.id, "$"));
  if (!body.has_position) return Status::OutOfRange("$.path: required (or parent_id and name)");
  ZZ_ASSIGN_OR_RETURN(std::string path, AssetPathOf(*services.catalog, body));
  if (Result<catalog::Asset> taken = services.catalog->FindAsset(path); taken.ok()) {
    return Status::AlreadyExists("asset " + std::to_string(taken->id) + " already has path '" + path + "'");
  }
  Result<catalog::AssetId> id = services.catalog->UpsertAsset(body.asset);
  if (!id.ok()) return AsWriteError(id.status());
  ZZ_ASSIGN_OR_RETURN(catalog::Asset made, services.catalog->GetAsset(*id));
  // Every root asset is an InfluxDB database: list it before anything is written to it.
  if (made.parent_id == 0) ZZ_RETURN_IF_ERROR(services.series->CreateDatabase(made.name));
  return AssetToJson(made);
}

Result<json> UpdateAsset(const ApiServices& services, int64_t id, const json& in) {
  ZZ_ASSIGN_OR_RETURN(catalog::Asset existing, services.catalog->GetAsset(id));
  ZZ_ASSIGN_OR_RETURN(AssetBody body, AssetFromJson(in));
  ZZ_RETURN_IF_ERROR(CheckIdMatches(body.id, id));
  if (body.has_position) {
    ZZ_ASSIGN_OR_RETURN(std::string path, AssetPathOf(*services.catalog, body));
    if (path != existing.path) {
      return Status::OutOfRange("$.path: assets never move or change name; asset " + std::to_string(id) + " is '" +
                                existing.path + "'");
    }
  }
  catalog::Asset asset = body.asset;
  asset.parent_id = existing.parent_id;
  asset.name = existing.name;
  asset.path = existing.path;
  Result<catalog::AssetId> updated = services.catalog->UpsertAsset(asset);
  if (!updated.ok()) return AsWriteError(updated.status());
  ZZ_ASSIGN_OR_RETURN(catalog::Asset now, services.catalog->GetAsset(id));
  return AssetToJson(now);
}

// --- Tags ---

// Places the tag by path (checking an asset_id given beside it) or by asset_id and name, and
// fills in its path and name so that ValidateTag can judge it and errors can name it.
Status PlaceTag(catalog::Catalog& catalog, TagBody& body, const std::string& json_path) {
  catalog::Tag& tag = body.tag;
  if (tag.asset_id != 0) {
    Result<catalog::Asset> asset = catalog.GetAsset(tag.asset_id);
    if (!asset.ok()) return Status::OutOfRange(json_path + ".asset_id: no asset with id " + std::to_string(tag.asset_id));
    tag.path = asset->path + "/" + tag.name;
    return Status::Ok();
  }
  std::string parent = ParentPath(tag.path);
  Result<catalog::Asset> asset = catalog.FindAsset(parent);
  if (!asset.ok()) return Status::OutOfRange(json_path + ".path: no asset with path '" + parent + "'");
  if (body.asset_id && *body.asset_id != asset->id) {
    return Status::OutOfRange(json_path + ".asset_id: " + std::to_string(*body.asset_id) + " is not asset '" + parent +
                              "' (" + std::to_string(asset->id) + ")");
  }
  tag.name = tag.path.substr(tag.path.rfind('/') + 1);
  return Status::Ok();
}

// Indexes the tags for InfluxQL and line protocol, and lets ingest accept their points.
void Register(const ApiServices& services, const std::vector<catalog::Tag>& tags) {
  services.series->AddTags(tags);
  if (services.ingest == nullptr) return;  // then ingest learns of them at its next RefreshTags()
  for (const catalog::Tag& tag : tags) services.ingest->AddTag(tag.id, tag.data_type);
}

// Decodes, places and validates one tag to create; `seen` catches a path given twice.
Result<catalog::Tag> TagToCreate(catalog::Catalog& catalog, const json& in, const std::string& json_path,
                                 std::map<std::string, std::string>& seen) {
  ZZ_ASSIGN_OR_RETURN(TagBody body, TagFromJson(in, json_path));
  ZZ_RETURN_IF_ERROR(CheckNoId(body.id, json_path));
  if (!body.has_position) return Status::OutOfRange(json_path + ".path: required (or asset_id and name)");
  ZZ_RETURN_IF_ERROR(PlaceTag(catalog, body, json_path));
  if (Status valid = catalog::ValidateTag(body.tag); !valid.ok()) return Status::OutOfRange(json_path + ": " + valid.message());
  auto [first, fresh] = seen.emplace(body.tag.path, json_path);
  if (!fresh) return Status::OutOfRange(json_path + ".path: '" + body.tag.path + "' is also " + first->second);
  if (Result<catalog::Tag> taken = catalog.FindTag(body.tag.path); taken.ok()) {
    return Status::AlreadyExists(json_path + ".path: tag " + std::to_string(taken->id) + " already has path '" +
                                 body.tag.path + "'");
  }
  return std::move(body.tag);
}

// One tag ({...}) or many in one transaction ({"tags": [...]}); `many` tells which it was.
Result<json> CreateTags(const ApiServices& services, const json& in, bool& many) {
  many = in.is_object() && in.contains("tags");
  std::vector<const json*> items = {&in};
  if (many) {
    ZZ_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(in, "$"));
    ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<const json*>> list, fields.Array("tags"));
    ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
    items = list.value_or(std::vector<const json*>());
    if (items.empty() || items.size() > kMaxTagsPerRequest) {
      return Status::OutOfRange("$.tags: give 1 to " + std::to_string(kMaxTagsPerRequest) + " tags");
    }
  }
  std::vector<catalog::Tag> tags;
  std::map<std::string, std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string json_path = many ? "$.tags[" + std::to_string(i) + "]" : "$";
    ZZ_ASSIGN_OR_RETURN(catalog::Tag tag, TagToCreate(*services.catalog, *items[i], json_path, seen));
    tags.push_back(std::move(tag));
  }
  Result<std::vector<TagId>> ids = services.catalog->UpsertTags(tags);
  if (!ids.ok()) return AsWriteError(ids.status());
  json out = json::array();
  for (size_t i = 0; i < tags.size(); ++i) {
    ZZ_ASSIGN_OR_RETURN(tags[i], services.catalog->GetTag((*ids)[i]));
    out.push_back(TagToJson(tags[i]));
  }
  Register(services, tags);
  if (!many) return std::move(out[0]);
  return json{{"tags", std::move(out)}, {"count", tags.size()}};
}

Result<json> UpdateTag(const ApiServices& services, TagId id, const json& in) {
  ZZ_ASSIGN_OR_RETURN(catalog::Tag existing, services.catalog->GetTag(id));
  ZZ_ASSIGN_OR_RETURN(TagBody body, TagFromJson(in));
  ZZ_RETURN_IF_ERROR(CheckIdMatches(body.id, id));
  if (!body.has_position) {
    body.tag.asset_id = existing.asset_id;
    body.tag.name = existing.name;
  }
  ZZ_RETURN_IF_ERROR(PlaceTag(*services.catalog, body, "$"));
  body.tag.id = id;
  if (Status updated = services.catalog->UpdateTag(body.tag); !updated.ok()) return AsWriteError(updated);
  ZZ_ASSIGN_OR_RETURN(catalog::Tag now, services.catalog->GetTag(id));
  services.series->UpdateTag(now);
  return TagToJson(now);
}

Status DeleteTag(const ApiServices& services, TagId id) {
  ZZ_RETURN_IF_ERROR(services.catalog->DeleteTag(id));
  services.series->RemoveTag(id);
  if (services.ingest != nullptr) services.ingest->RemoveTag(id);
  return Status::Ok();
}

// --- Handlers ---

HttpResponse Created(const json& record, std::string_view collection) {
  HttpResponse r = HttpResponse::Json(record.dump(-1, ' ', false, json::error_handler_t::replace), 201);
  r.headers.emplace_back("Location", "/api/v1/" + std::string(collection) + "/" + std::to_string(record["id"].get<int64_t>()));
  return r;
}

HttpResponse Answer(const Result<json>& record) {
  if (!record.ok()) return ErrorResponse(record.status());
  return HttpResponse::Json(record->dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse PostAsset(const ApiServices& services, const HttpRequest& request) {
  return WithJsonBody(request, services.max_body_bytes, [&](const json& in) {
    Result<json> made = CreateAsset(services, in);
    return made.ok() ? Created(*made, "assets") : ErrorResponse(made.status());
  });
}

HttpResponse PutAsset(const ApiServices& services, const HttpRequest& request) {
  Result<int64_t> id = PathId(request, "asset", INT64_MAX);
  if (!id.ok()) return ErrorResponse(id.status());
  return WithJsonBody(request, services.max_body_bytes, [&](const json& in) { return Answer(UpdateAsset(services, *id, in)); });
}

HttpResponse DeleteAssetRoute(const ApiServices& services, const HttpRequest& request) {
  Result<int64_t> id = PathId(request, "asset", INT64_MAX);
  Status deleted = id.ok() ? services.catalog->DeleteAsset(*id) : id.status();
  return deleted.ok() ? HttpResponse::NoContent() : ErrorResponse(deleted);
}

HttpResponse PostTags(const ApiServices& services, const HttpRequest& request) {
  return WithJsonBody(request, services.max_body_bytes, [&](const json& in) {
    bool many = false;
    Result<json> made = CreateTags(services, in, many);
    if (!made.ok()) return ErrorResponse(made.status());
    if (!many) return Created(*made, "tags");
    return HttpResponse::Json(made->dump(-1, ' ', false, json::error_handler_t::replace), 201);
  });
}

HttpResponse PutTag(const ApiServices& services, const HttpRequest& request) {
  Result<int64_t> id = PathId(request, "tag", UINT32_MAX);
  if (!id.ok()) return ErrorResponse(id.status());
  return WithJsonBody(request, services.max_body_bytes,
                  [&](const json& in) { return Answer(UpdateTag(services, static_cast<TagId>(*id), in)); });
}

HttpResponse DeleteTagRoute(const ApiServices& services, const HttpRequest& request) {
  Result<int64_t> id = PathId(request, "tag", UINT32_MAX);
  Status deleted = id.ok() ? DeleteTag(services, static_cast<TagId>(*id)) : id.status();
  return deleted.ok() ? HttpResponse::NoContent() : ErrorResponse(deleted);
}

}  // namespace

void AddCatalogWriteRoutes(Router& router, const ApiServices& services) {
  auto add = [&](const char* method, const char* pattern, const char* kind, const char* summary,
                 HttpResponse (*handle)(const ApiServices&, const HttpRequest&)) {
    router.Add({.method = method,
                .pattern = pattern,
                .action = security::Action::kWrite,
                .resource_kind = kind,
                .summary = summary,
                .handler = [services, handle](RequestContext& c) { return handle(services, c.request); }});
  };
  add("POST", "/api/v1/assets", "assets",
      "Creates an asset: {path | parent_id + name, level, kind?, description?}. 409 if the path is taken.", PostAsset);
  add("PUT", "/api/v1/assets/{id}", "assets",
      "Replaces an asset's level, kind and description (assets never move).", PutAsset);
  add("DELETE", "/api/v1/assets/{id}", "assets", "Deletes an asset; 409 while it has child assets or tags.",
      DeleteAssetRoute);
  add("POST", "/api/v1/tags", "tags",
      "Creates a tag ({path | asset_id + name, data_type, unit, ...}) or many in one transaction ({tags: [...]}).",
      PostTags);
  add("PUT", "/api/v1/tags/{id}", "tags", "Replaces a tag; it may be renamed or moved and keeps its id.", PutTag);
  add("DELETE", "/api/v1/tags/{id}", "tags", "Deletes a tag (its id is never reused).", DeleteTagRoute);
}

}  // namespace zhizao::api
