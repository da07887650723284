// The routes of zhizao's HTTP API, grouped by what they serve.
#pragma once

#include <functional>
#include <string>

#include "api/router.h"
#include "catalog/catalog.h"
#include "common/metrics.h"
#include "connect/sim/sim_runner.h"
#include "storage/engine.h"

namespace zhizao::api {

// What the routes read and act on. REQUIRES: everything here outlives the router.
struct ApiServices {
  catalog::Catalog* catalog = nullptr;            // required
  connect::sim::SimRunner* simulator = nullptr;   // null when the simulator is off
  storage::Engine* engine = nullptr;              // required
  MetricsRegistry* metrics = nullptr;             // required
  std::string version;
};

// GET / (the first-look page), GET /healthz, GET /metrics (all public), GET /api/v1/version.
void AddSystemRoutes(Router& router, const ApiServices& services);
// GET /api/v1/assets (the ISA-95 tree), GET /api/v1/tags (filter by asset and path glob),
// GET /api/v1/tags/{id}.
void AddCatalogRoutes(Router& router, const ApiServices& services);
// GET /api/v1/sim/episodes, POST /api/v1/sim/faults.
void AddSimRoutes(Router& router, const ApiServices& services);
// POST /api/v1/admin/flush, GET /api/v1/series/last.
void AddStorageRoutes(Router& router, const ApiServices& services);

inline void AddAllRoutes(Router& router, const ApiServices& services) {
  AddSystemRoutes(router, services);
  AddCatalogRoutes(router, services);
  AddSimRoutes(router, services);
  AddStorageRoutes(router, services);
}

}  // namespace zhizao::api
