// Replays a registered model version over a stored range of its inputs: the events it would
// have raised there, computed by the same ModelMonitor as live scoring, and not stored.
#pragma once

#include <cstdint>
#include <vector>

#include "analytics/registry/model_monitor.h"
#include "catalog/event.h"
#include "catalog/model_version.h"
#include "common/status.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

struct ReplayResult {
  // In the order they opened; each with id 0 (never stored), end_ns 0 if still active at `to`.
  std::vector<catalog::Event> events;
  uint64_t rows_scored = 0;
};

// `version` must carry its blob and card; `inputs` as for ModelMonitor::Create. Reads
// from_ns <= ts < to_ns. Errors: those of ModelMonitor::Create (no card, wrong inputs),
// InvalidArgument for from >= to, and the history source's.
Result<ReplayResult> ReplayModel(const query::SampleSource& history, const catalog::ModelVersion& version,
                                 std::vector<TagId> inputs, int64_t from_ns, int64_t to_ns,
                                 const MonitorPolicy& policy);

}  // namespace zhizao::analytics::registry
