// Runs one registered model version on its asset's samples: aligns them on the model's grid
// (row_grid.h), scores each row (multivariate::Scorer), and turns the scores into events with
// the alarm hygiene of live tag monitoring (on-delay, hysteresis, rearm). Live scoring and
// replay (`zhizao analyze`) both run this class, so the same samples give the same events.
//
// Events are of source "model:<id>", carry the model's id and version, its method as detector,
// and the three tags that contribute most (reconstruction-based contributions, re-weighted to
// sum to 1).
//
// Not thread-safe: one owner (the analytics thread, or a replay).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "analytics/alerts/alarm_tracker.h"
#include "analytics/alerts/on_delay.h"
#include "analytics/multivariate/model.h"
#include "analytics/registry/health_board.h"
#include "analytics/registry/row_grid.h"
#include "catalog/model_version.h"
#include "common/batch.h"
#include "common/status.h"

namespace zhizao::analytics::registry {

struct MonitorPolicy {
  // A row whose score (0.5 at the model's limit) reaches this raises or holds an event. Default: 0.5.
  double event_threshold = 0.5;
  // An event opens only when this many rows within confirm_window reached the threshold.
  // Default: 5 within 120 s, as live tag monitoring.
  int confirm_rows = 5;
  std::chrono::seconds confirm_window = std::chrono::seconds(120);
  alerts::AlarmPolicy alarm;
};

// How stale a tag's last sample may be and still fill a row: ten steps, at least 10 s, so that
// tags polled slower than the grid still count.
int64_t MaxSampleAgeNs(int64_t step_ns);

class ModelMonitor {
 public:
  // `version` must carry its blob; `inputs[i]` is the tag of version.inputs[i] as resolved now.
  // Errors: FailedPrecondition when the version has no model card (inference is refused for a
  // model nobody has described); InvalidArgument when the inputs do not match the model's
  // columns; Corruption from a damaged blob.
  static Result<std::unique_ptr<ModelMonitor>> Create(const catalog::ModelVersion& version,
                                                      std::vector<TagId> inputs, MonitorPolicy policy);
  ~ModelMonitor();

  // The model's column for a tag, if it is one of the inputs.
  std::optional<size_t> ColumnOf(TagId tag) const;
  // Receives each event change as it happens and returns the id the catalog gave an opened
  // event (0 for the other kinds, or when it could not be stored): one sample may let several
  // rows through, and a change after an opening must already carry the event's id.
  using ChangeSink = std::function<catalog::EventId(alerts::EventChange change)>;
  // One good sample of inputs[column]; the event changes it causes go to `sink`.
  void Add(size_t column, int64_t ts_ns, double value, const ChangeSink& sink);
  // Continues an event stored as active (after a restart).
  void Resume(const catalog::Event& active) { tracker_.Resume(active); }

  // The event open now, if any.
  const catalog::Event* active_event() const { return tracker_.active() ? &tracker_.event() : nullptr; }
  const catalog::ModelVersion& version() const { return version_; }
  const std::vector<TagId>& inputs() const { return inputs_; }
  const std::string& source() const { return source_; }  // "model:<id>"
  uint64_t rows_scored() const { return rows_scored_; }
  // The last scored row (model fields set; ts_ns 0 before the first).
  const AssetHealth& last_health() const { return last_; }

 private:
  ModelMonitor(catalog::ModelVersion version, std::vector<TagId> inputs, MonitorPolicy policy,
               multivariate::Model model);
  void OnRow(const GridRow& row);
  void RecordHealth(int64_t ts_ns, const multivariate::Score& score);

  catalog::ModelVersion version_;  // without its blob
  std::string source_;
  std::vector<TagId> inputs_;
  MonitorPolicy policy_;
  multivariate::Scorer scorer_;
  alerts::AlarmTracker tracker_;
  alerts::OnDelay on_delay_;
  RowGrid grid_;
  const ChangeSink* sink_ = nullptr;  // set during Add
  uint64_t rows_scored_ = 0;
  AssetHealth last_;
};

}  // namespace zhizao::analytics::registry
