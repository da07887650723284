#include <nlohmann/json.hpp>

#include "api/catalog_json.h"
#include "api/request_params.h"
#include "api/routes.h"
#include "api/series_params.h"

namespace zhizao::api {
namespace {

constexpr int64_t kMaxTagPage = 100'000;

Result<catalog::TagFilter> TagFilterOf(catalog::Catalog& catalog, const HttpRequest& request) {
  catalog::TagFilter filter;
  if (auto asset = request.Query("asset")) {
    ZZ_ASSIGN_OR_RETURN(catalog::Asset found, ResolveAsset(catalog, *asset));
    filter.asset_id = found.id;
  }
  if (auto glob = request.Query("path")) filter.path_glob = std::string(*glob);
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntParam(request, "limit", 1, kMaxTagPage));
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> offset, IntParam(request, "offset", 0, INT64_MAX));
  filter.limit = static_cast<size_t>(limit.value_or(kMaxTagPage));
  filter.offset = static_cast<size_t>(offset.value_or(0));
  return filter;
}

HttpResponse ListAssets(catalog::Catalog& catalog) {
  Result<std::vector<catalog::Asset>> assets = catalog.ListAssets();
  if (!assets.ok()) return ErrorResponse(assets.status());
  nlohmann::json body = {{"assets", AssetTreeToJson(*assets)}, {"count", assets->size()}};
  return HttpResponse::Json(body.dump());
}

HttpResponse ListTags(catalog::Catalog& catalog, const HttpRequest& request) {
  Result<catalog::TagFilter> filter = TagFilterOf(catalog, request);
  if (!filter.ok()) return ErrorResponse(filter.status());
  Result<std::vector<catalog::Tag>> tags = catalog.ListTags(*filter);
  if (!tags.ok()) return ErrorResponse(tags.status());
  nlohmann::json list = nlohmann::json::array();
  for (const catalog::Tag& tag : *tags) list.push_back(TagToJson(tag));
  nlohmann::json body = {{"tags", std::move(list)}, {"count", tags->size()}, {"offset", filter->offset}};
  return HttpResponse::Json(body.dump());
}

HttpResponse GetTag(catalog::Catalog& catalog, const HttpRequest& request) {
  Result<int64_t> id = ParseInt(request.PathParam("id"), "tag id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (*id <= 0 || *id > UINT32_MAX) return ErrorResponse(Status::NotFound("no tag with id " + std::to_string(*id)));
  Result<catalog::Tag> tag = catalog.GetTag(static_cast<TagId>(*id));
  if (!tag.ok()) return ErrorResponse(tag.status());
  return HttpResponse::Json(TagToJson(*tag).dump());
}

}  // namespace

void AddCatalogRoutes(Router& router, const ApiServices& services) {
  catalog::Catalog* catalog = services.catalog;
  router.Add({.method = "GET",
              .pattern = "/api/v1/assets",
              .resource_kind = "assets",
              .summary = "The ISA-95 asset tree: enterprise, site, area, line, cell, equipment.",
              .handler = [catalog](RequestContext&) { return ListAssets(*catalog); }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/tags",
              .resource_kind = "tags",
              .summary = "Tags, filtered by ?asset= (id or path, with its subtree) and ?path= (glob), paged by "
                         "?limit= and ?offset=.",
              .handler = [catalog](RequestContext& c) { return ListTags(*catalog, c.request); }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/tags/{id}",
              .resource_kind = "tags",
              .summary = "One tag by id.",
              .handler = [catalog](RequestContext& c) { return GetTag(*catalog, c.request); }});
  AddCatalogWriteRoutes(router, services);
}

}  // namespace zhizao::api
