#include <nlohmann/json.hpp>

#include "api/routes.h"
#include "connect/connector_metrics.h"

namespace zhizao::api {

void AddSystemRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "GET",
              .pattern = "/healthz",
              .is_public = true,
              .summary = "Liveness: 200 with {\"status\":\"ok\"} while the server answers.",
              .handler = [](RequestContext&) { return HttpResponse::Json(R"({"status":"ok"})"); }});
  router.Add({.method = "GET",
              .pattern = "/metrics",
              .is_public = true,
              .summary = "Prometheus text exposition of every module's counters, gauges and histograms, and "
                         "of each connector's status (zhizao_connector_*, labelled by connector).",
              .handler =
                  [metrics = services.metrics, connectors = services.connectors](RequestContext&) {
                    std::string text = metrics->RenderPrometheus();
                    if (connectors != nullptr) text += connect::RenderConnectorMetrics(*connectors);
                    return HttpResponse::Text(text, "text/plain; version=0.0.4");
                  }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/version",
              .action = security::Action::kRead,
              .resource_kind = "system",
              .summary = "The server's version.",
              .handler =
                  [version = services.version](RequestContext&) {
                    return HttpResponse::Json(nlohmann::json{{"version", version}}.dump());
                  }});
}

}  // namespace zhizao::api
