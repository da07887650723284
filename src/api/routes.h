// The routes of zhizao's HTTP API, grouped by what they serve.
#pragma once

#include <functional>
#include <string>

#include "api/router.h"
#include "catalog/catalog.h"
#include "catalog/series_index.h"
#include "common/metrics.h"
#include "connect/lineproto/line_ingest.h"
#include "connect/sim/sim_runner.h"
#include "ingest/ingest.h"
#include "query/influxql_exec.h"
#include "query/query_options.h"
#include "query/sample_source.h"
#include "storage/engine.h"
#include "stream/hub.h"

namespace zhizao::connect {
class ConnectorManager;
class WriteGate;
}  // namespace zhizao::connect

namespace zhizao::analytics::registry {
class HealthBoard;
}  // namespace zhizao::analytics::registry

namespace zhizao::api {

class JobRunner;

// What the routes read and act on. REQUIRES: everything here outlives the router.
struct ApiServices {
  catalog::Catalog* catalog = nullptr;            // required
  connect::sim::SimRunner* simulator = nullptr;   // null when the simulator is off
  storage::Engine* engine = nullptr;              // required
  MetricsRegistry* metrics = nullptr;             // required
  catalog::SeriesIndex* series = nullptr;         // required
  connect::lineproto::LineIngest* lines = nullptr;  // required
  query::influxql::Executor* influxql = nullptr;   // required
  // What the series routes read; null reads `engine` directly.
  const query::SampleSource* source = nullptr;
  // Where the catalog write routes register the tags they make or change, so that ingest
  // accepts their points at once. Null: it accepts them after its next RefreshTags() (a restart).
  ingest::Ingest* ingest = nullptr;
  // The connectors and the one way to write to equipment. Null: those routes answer 503.
  connect::ConnectorManager* connectors = nullptr;
  connect::WriteGate* write_gate = nullptr;
  // Live samples for /api/v1/stream. Null: it answers 503.
  stream::Hub* live = nullptr;
  // Called after a model version is activated, rolled back or deactivated, so that the live
  // analytics run what the registry now says. Default: none.
  std::function<void()> on_models_changed;
  // Where model training runs (and /api/v1/jobs looks). Null: those routes answer 503.
  JobRunner* jobs = nullptr;
  // The live analytics' latest health per asset, for /api/v1/health. Null: it answers 503.
  const analytics::registry::HealthBoard* health = nullptr;
  // Limits and quality policy of the series routes. Default: QueryOptions' defaults.
  query::QueryOptions query_options;
  connect::lineproto::SeriesPolicy series_policy = connect::lineproto::SeriesPolicy::kAuto;
  size_t max_body_bytes = 32 << 20;               // of a request body after decompression
  std::string version;
};

// GET /healthz, GET /metrics (both public), GET /api/v1/version.
void AddSystemRoutes(Router& router, const ApiServices& services);
// GET / and GET /console/{file}: the web console (public; it reads everything through /api/v1).
void AddConsoleRoutes(Router& router);
// GET /api/v1/assets (the ISA-95 tree), GET /api/v1/tags (filter by asset and path glob),
// GET /api/v1/tags/{id}; and the write routes below.
void AddCatalogRoutes(Router& router, const ApiServices& services);
// The write routes among those: POST /api/v1/assets and /api/v1/tags, PUT and DELETE of
// /api/v1/assets/{id} and /api/v1/tags/{id}.
void AddCatalogWriteRoutes(Router& router, const ApiServices& services);
// GET /api/v1/sim/episodes, POST /api/v1/sim/faults.
void AddSimRoutes(Router& router, const ApiServices& services);
// POST /api/v1/admin/flush.
void AddStorageRoutes(Router& router, const ApiServices& services);
// GET /api/v1/series/last, /api/v1/series/range and /api/v1/series/aggregate.
void AddSeriesRoutes(Router& router, const ApiServices& services);
// /api/v1/connectors (list, create, get, update, delete, start, stop, browse) and
// POST /api/v1/writes (to equipment, through the write gate).
void AddConnectorRoutes(Router& router, const ApiServices& services);
// GET /api/v1/events, GET /api/v1/events/{id}, POST /api/v1/events/{id}/acknowledge and /shelve.
void AddEventRoutes(Router& router, const ApiServices& services);
// GET /api/v1/spc (a control chart of a quality tag, rule violations, capability).
void AddSpcRoutes(Router& router, const ApiServices& services);
// /api/v1/models: train, list, read, write a card, activate, roll back, deactivate, analyze.
void AddModelRoutes(Router& router, const ApiServices& services);
// GET /api/v1/jobs and /api/v1/jobs/{id}: the background jobs (model training).
void AddJobRoutes(Router& router, const ApiServices& services);
// GET /api/v1/health: each watched asset's latest health from its active model.
void AddHealthRoutes(Router& router, const ApiServices& services);
// GET /api/v1/stream (WebSocket: live samples by tag pattern).
void AddStreamRoutes(Router& router, const ApiServices& services);
// GET /api/v1/openapi.json (public: it is documentation).
void AddOpenApiRoutes(Router& router);

// POST /write (InfluxDB 1.x), POST /api/v2/write (2.x), GET and HEAD /ping.
void AddInfluxWriteRoutes(Router& router, const ApiServices& services);

// GET and POST /query (InfluxQL, InfluxDB 1.x's answers).
void AddInfluxQueryRoutes(Router& router, const ApiServices& services);

inline void AddAllRoutes(Router& router, const ApiServices& services) {
  AddSystemRoutes(router, services);
  AddConsoleRoutes(router);
  AddCatalogRoutes(router, services);
  AddSimRoutes(router, services);
  AddStorageRoutes(router, services);
  AddSeriesRoutes(router, services);
  AddConnectorRoutes(router, services);
  AddEventRoutes(router, services);
  AddSpcRoutes(router, services);
  AddModelRoutes(router, services);
  AddJobRoutes(router, services);
  AddHealthRoutes(router, services);
  AddStreamRoutes(router, services);
  AddOpenApiRoutes(router);
  AddInfluxWriteRoutes(router, services);
  AddInfluxQueryRoutes(router, services);
}

}  // namespace zhizao::api
