#include "api/routes.h"

namespace zhizao::api {
namespace {

HttpResponse Flush(storage::Engine& engine, catalog::Catalog& catalog, const HttpRequest& request) {
  Status flushed = engine.Flush();
  if (flushed.ok()) flushed = catalog.Checkpoint();
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
              .summary = "Seals every head chunk into the chunk store, checkpoints the WAL and the catalog's; "
                         "with ?compact=true also compacts, before measuring disk use.",
              .handler = [engine = services.engine, catalog = services.catalog](RequestContext& c) {
                return Flush(*engine, *catalog, c.request);
              }});
}

}  // namespace zhizao::api
