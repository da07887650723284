// The connectors' status as Prometheus text, for /metrics: the figures of GET /api/v1/connectors
// (state, counters, request latency and period jitter) labelled by connector, so that the
// plant's network timing zhizao measures can be scraped and alerted on like any other metric.
// Rendered from the manager's list at each scrape: connectors come and go at run time, and a
// registry entry per connector would outlive a deleted one.
#pragma once

#include <string>

#include "connect/connector_manager.h"

namespace zhizao::connect {

// Thread-safe (the manager is).
std::string RenderConnectorMetrics(const ConnectorManager& connectors);

}  // namespace zhizao::connect
