#include "api/openapi.h"

#include "api/routes.h"

namespace zhizao::embedded {
extern const std::string_view kOpenApiJson;
}  // namespace zhizao::embedded

namespace zhizao::api {

std::string_view OpenApiDocument() { return embedded::kOpenApiJson; }

void AddOpenApiRoutes(Router& router) {
  // Public: it describes the API and holds no data, and clients fetch it before they have a token.
  router.Add({.method = "GET",
              .pattern = "/api/v1/openapi.json",
              .is_public = true,
              .summary = "This API's OpenAPI 3.1 document.",
              .handler = [](RequestContext&) { return HttpResponse::Json(std::string(OpenApiDocument())); }});
}

}  // namespace zhizao::api
