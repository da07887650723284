#include "analytics/registry/replay.h"

#include "analytics/registry/history_reader.h"

namespace zhizao::analytics::registry {

Result<ReplayResult> ReplayModel(const query::SampleSource& history, const catalog::ModelVersion& version,
                                 std::vector<TagId> inputs, int64_t from_ns, int64_t to_ns,
                                 const MonitorPolicy& policy) {
  if (from_ns >= to_ns) return Status::InvalidArgument("the replay range is empty: from must be before to");
  std::vector<TagId> tags = inputs;
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<ModelMonitor> monitor, ModelMonitor::Create(version, std::move(inputs), policy));
  ReplayResult result;
  // Local ids, as the catalog would give them, so that later changes find their event.
  const ModelMonitor::ChangeSink keep = [&](alerts::EventChange change) -> catalog::EventId {
    if (change.kind == alerts::EventChange::Kind::kOpened) {
      result.events.push_back(std::move(change.event));
      return static_cast<catalog::EventId>(result.events.size());
    }
    result.events[static_cast<size_t>(change.event.id) - 1] = std::move(change.event);
    return 0;
  };
  ZZ_RETURN_IF_ERROR(VisitHistory(history, tags, from_ns, to_ns, [&](size_t column, int64_t ts_ns, double value) {
    monitor->Add(column, ts_ns, value, keep);
  }));
  for (catalog::Event& event : result.events) event.id = 0;  // never stored
  result.rows_scored = monitor->rows_scored();
  return result;
}

}  // namespace zhizao::analytics::registry
