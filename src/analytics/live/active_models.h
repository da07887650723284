// The registry's active model versions, running live: each one's ModelMonitor is fed the
// samples of its input tags as they arrive, and its event changes go to the caller to store.
//
// Reload() reads the registry again: monitors of versions still active keep their state, new
// ones start (resuming their model's event if one is still active in the catalog), and a
// version no longer active has its open event cleared at its last alarming row. A version that
// cannot run (no card, an input tag gone, a damaged blob) is logged and left out.
// RUL versions (kind "rul") are not monitors and are skipped: the health endpoint serves them
// (analytics/registry/rul_estimator.h).
//
// Not thread-safe: owned by the analytics thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/alerts/alarm_tracker.h"
#include "analytics/registry/health_board.h"
#include "analytics/registry/model_monitor.h"
#include "catalog/catalog.h"
#include "common/batch.h"

namespace zhizao::analytics::live {

class ActiveModels {
 public:
  // Stores one event change; returns the id of an opened event (0 if it could not be stored).
  using Recorder = std::function<catalog::EventId(const std::string& what, alerts::EventChange change)>;

  // REQUIRES: catalog and board outlive this. The board receives every scored row's health.
  ActiveModels(catalog::Catalog& catalog, registry::MonitorPolicy policy, Recorder record,
               registry::HealthBoard& board);
  ~ActiveModels();

  void Reload();
  // One good numeric sample; feeds every active model that reads the tag.
  void Add(TagId tag, int64_t ts_ns, double value);

  size_t running() const { return monitors_.size(); }

 private:
  void Start(const catalog::ModelVersion& listed);
  void Retire(registry::ModelMonitor& monitor);
  void Index();

  catalog::Catalog& catalog_;
  registry::MonitorPolicy policy_;
  Recorder record_;
  registry::HealthBoard& board_;
  // By model id; one running version per id, as the registry keeps one active.
  std::unordered_map<std::string, std::unique_ptr<registry::ModelMonitor>> monitors_;
  // Which monitors read a tag, and as which column.
  std::unordered_map<TagId, std::vector<std::pair<registry::ModelMonitor*, size_t>>> readers_;
};

}  // namespace zhizao::analytics::live
