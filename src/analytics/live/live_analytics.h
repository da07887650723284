// Watches every numeric tag as its samples arrive: each tag's streaming detectors
// (detect::TagMonitor) score every sample, an AlarmTracker turns scores into events, and the
// events go to the catalog (and to whoever listens: the live stream).
//
// Defaults chosen on the simulated plant (docs/analytics/sim_eval.md): DSPOT, CUSUM and the
// sensor-fault rules raise events on float64 tags; int64 tags (counters, state codes) only for
// values that cannot be right (invalid, out of range); a tag raises nothing during its warm-up,
// and an event opens only after an on-delay of several alarming samples.
//
// The alarm limits a person set on a tag (hi, hihi, lo, lolo) and its instrument range alarm on
// every numeric tag, with no warm-up, whatever the detectors or models learnt; so does a bool
// tag's alarm state (a discrete alarm, the only bool tags watched) (alerts/limit_alarm.h). An
// edit of the tag in the catalog takes effect at the next poll.
//
// The model registry's active versions run here too (active_models.h), on the same samples; and
// this thread keeps the active RUL versions' estimates fresh (registry/rul_refresher.h), so that
// GET /api/v1/health answers from health_board() without computing on the request.
//
// Learned state survives restarts: the detectors' state is saved to a file every save_every and
// at Stop(), and events still active in the catalog are resumed, not opened again.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "analytics/alerts/alarm_group.h"
#include "analytics/alerts/alarm_tracker.h"
#include "analytics/alerts/limit_alarm.h"
#include "analytics/alerts/on_delay.h"
#include "analytics/detect/tag_monitor.h"
#include "analytics/live/active_models.h"
#include "analytics/live/asset_models.h"
#include "analytics/registry/rul_refresher.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "query/sample_source.h"
#include "stream/hub.h"

namespace zhizao::analytics::live {

// The detectors that raise events live (a DetectorBit set), chosen on the simulated plant, seed 1
// (docs/analytics/sim_eval.md): DSPOT, CUSUM and the sensor-fault rules. The contextual detector
// (tuned for NAB) is left out: on the plant it fired on normal operation far more than on faults.
uint32_t LiveDetectors();
// TagMonitor defaults with enabled = LiveDetectors().
detect::TagMonitorOptions LiveMonitorOptions();
// AlarmPolicy defaults with a rearm window long enough to fold a cycling condition (a compressor
// loading and unloading) into one event.
alerts::AlarmPolicy LiveAlarmPolicy();

struct LiveAnalyticsOptions {
  // Where the detectors' state is kept; empty keeps none. Default: none.
  std::string state_path;
  // A sample whose detector score reaches this raises (or holds) an event. Each detector maps its
  // own alarm level to 0.5; above it, the score grows with how extreme the sample is.
  // Default: 0.5.
  double event_threshold = 0.5;
  alerts::AlarmPolicy policy = LiveAlarmPolicy();
  // The events of an asset's tags (of a line-protocol series' fields, for the tags line protocol
  // made) that start alarming within group_window of each other are one event
  // (alerts::AlarmGroup), named after the first to alarm and listing the others; false
  // gives every tag events of its own. Sensor health events (a failed or silent sensor) are
  // always the tag's own. Default: true, within 30 s (one cause moves its tags within seconds;
  // on the simulated plant 30, 60 and 120 s grouped alike on seed 1, and 120 s hid one of nine
  // faults of seed 2 in an older event: docs/analytics/sim_eval.md).
  bool group_by_asset = true;
  std::chrono::seconds group_window = std::chrono::seconds(30);
  detect::TagMonitorOptions monitor = LiveMonitorOptions();
  // A tag raises no event until this long after its first sample in this process (a tag whose
  // learned state was restored is warmed up already), so that no event says "expected range
  // not learnt yet". Default: 30 min.
  std::chrono::seconds warmup = std::chrono::minutes(30);
  // Where a tag with no learned state learns first: before its first live sample is scored, its
  // detectors take its stored good samples of the `warmup` before it (raising nothing), and when
  // those cover most of that span the tag is warm at once. Null, or too little history: the tag
  // learns live and raises nothing for `warmup`. Default: none.
  const query::SampleSource* history = nullptr;
  // An event opens (or reopens) only when at least confirm_samples samples reached the
  // threshold within confirm_window: one stray sample is not an alert (an on-delay after
  // ISA-18.2). Once open, the event follows every sample. Default: 5 within 120 s.
  int confirm_samples = 5;
  std::chrono::seconds confirm_window = std::chrono::seconds(120);
  // Off by default: a model per asset (asset_models.h), learnt from `history` when it holds
  // enough, else live; its alarms as events of source "asset:<path>" (not resumed after a
  // restart). UseAssetModels() turns it on.
  AssetModelOptions asset_models;
  // How often the thread takes what arrived. Default: 200 ms.
  std::chrono::milliseconds poll = std::chrono::milliseconds(200);
  // How often the detectors' state is saved. Default: 60 s.
  std::chrono::seconds save_every = std::chrono::seconds(60);
  // Samples queued for the analytics before the oldest are dropped (and counted). Default: 1 M.
  size_t max_queued = 1 << 20;
  // How often the active RUL versions' estimates are computed again from `history`, on this
  // thread (also at once after ReloadModels()). Zero, or no history: none are computed, and
  // health_board() holds no RUL estimates. Default: 60 s.
  std::chrono::seconds rul_refresh = std::chrono::seconds(60);
  // The wall clock that says which RUL cycles are complete and when a refresh is due.
  // Default (null): the system clock.
  const Clock* clock = nullptr;
  // Called on the analytics thread after each event change is stored. Default: none.
  std::function<void(const alerts::EventChange&)> on_change;
};

// Per-asset models on with `method`. Once an asset's model scores, the tags it judges keep only
// their detectors' sensor-fault rules (stuck, dropout, out of range, invalid value) and their
// configured limits, and process changes come from the model; until then, and for every tag it
// does not judge (integer tags, setpoints read as inputs, columns constant in training), the
// tags' detectors judge everything.
void UseAssetModels(LiveAnalyticsOptions& options, multivariate::Method method);

// Thread-safe: Start() makes a thread of its own that owns every monitor and tracker;
// ProcessQueued() is for tests that run without it.
class LiveAnalytics {
 public:
  // REQUIRES: catalog, hub and metrics outlive the returned object.
  // Errors: from reading the catalog's active events. A missing or corrupt state file is not an
  // error: the detectors start fresh, and a corrupt file is logged and kept aside as <path>.bad.
  static Result<std::unique_ptr<LiveAnalytics>> Open(catalog::Catalog& catalog, stream::Hub& hub,
                                                     MetricsRegistry& metrics, LiveAnalyticsOptions options);
  ~LiveAnalytics();
  LiveAnalytics(const LiveAnalytics&) = delete;
  LiveAnalytics& operator=(const LiveAnalytics&) = delete;

  // Runs the analytics thread until Stop().
  void Start();
  // Stops the thread, scores what is queued and saves the state (no RUL pass: its estimates
  // would be dropped with the board).
  void Stop();

  // Scores everything queued now and refreshes the RUL estimates when due, on the caller's
  // thread. REQUIRES: Start() was not called.
  void ProcessQueued();
  // Writes the detectors' state file now. REQUIRES: Start() was not called, or from the thread.
  Status SaveState();

  // Reads the model registry's active versions again before the next samples are scored (after
  // an activation, rollback or deactivation). Thread-safe.
  void ReloadModels() { reload_models_.store(true, std::memory_order_relaxed); }

  size_t watched_tags() const { return watched_.load(std::memory_order_relaxed); }
  // The latest health of every asset an active model watches, and the RUL estimates as of the
  // last refresh. Thread-safe.
  const registry::HealthBoard& health_board() const { return health_board_; }

 private:
  struct Watched;
  struct AssetAlarm;

  LiveAnalytics(catalog::Catalog& catalog, stream::Hub& hub, MetricsRegistry& metrics, LiveAnalyticsOptions options);
  Status ResumeActiveEvents();
  void LoadState();
  void Run();
  void ScoreQueued();
  void Score(const stream::LiveSample& sample);
  // Feeds the tag's stored samples of the warm-up before first_ts_ns to its detectors.
  void WarmFromHistory(Watched& watched, TagId tag, int64_t first_ts_ns);
  // Whether a tag first seen at first_ts_ns (INT64_MIN + 1: warm already) is past its warm-up at ts_ns.
  bool Warm(int64_t first_ts_ns, int64_t ts_ns) const;
  // The on-delay's window for a source sampled every usual_interval_s (0: the configured one).
  int64_t ConfirmWindowNs(double usual_interval_s) const;
  Watched* WatchedFor(TagId tag);
  // The float64 tags directly under an asset, as its per-asset model's columns.
  std::vector<AssetColumn> AssetColumns(catalog::AssetId asset_id, const std::string& asset_path);
  // The series key (its tag set) of a tag that line protocol made; nullopt for any other.
  std::optional<std::string> SeriesKeyOf(const catalog::Tag& tag);
  // Stores the change (and tells on_change); returns the id of an opened event, 0 otherwise.
  catalog::EventId Record(const std::string& what, alerts::EventChange change);
  void ObserveAsset(const std::string& asset_path, catalog::AssetId asset_id, alerts::Observation observation);
  // Sensor health: a device reporting a failed sensor (bad quality with BadSensorFailure or
  // BadDeviceFailure), and a tag that has gone silent while the rest of its asset reports. Both
  // are events of source "sensor:<tag path>", detectors "sensor_failure" and "dropout", with the
  // on-delay and without the warm-up.
  void ScoreBad(const stream::LiveSample& sample);
  // long_gap: the gap before the tag's new sample would be a dropout.
  void NoteGap(Watched& watched, bool long_gap);
  static bool IsWritersSkew(const Watched& watched, int64_t ts_ns);
  void CheckSilentTags();
  // Gives every watched tag its alarm limits as the catalog now holds them; false when the
  // catalog could not be read (tried again at the next poll).
  bool RefreshLimits();
  void ObserveSensorHealth(Watched& watched, alerts::Observation observation);

  catalog::Catalog& catalog_;
  LiveAnalyticsOptions options_;
  std::shared_ptr<stream::Subscription> subscription_;
  Counter& scored_;
  Counter& dropped_;
  Counter& events_opened_;
  Counter& store_errors_;
  // Owned by the analytics thread (or the caller of ProcessQueued): tags by id, nullptr for a tag
  // that is not numeric or not in the catalog.
  std::unordered_map<TagId, std::unique_ptr<Watched>> watched_tags_;
  std::atomic<size_t> watched_{0};
  std::unique_ptr<AssetModels> asset_models_;  // when options_.asset_models.enabled
  Gauge* asset_models_learning_ = nullptr;  // with asset_models_
  Gauge* asset_models_scoring_ = nullptr;
  Gauge* asset_models_failed_ = nullptr;
  registry::HealthBoard health_board_;         // written by the analytics thread
  std::unique_ptr<ActiveModels> models_;       // the registry's active versions
  std::atomic<bool> reload_models_{true};
  std::unique_ptr<registry::RulRefresher> rul_;  // when history and rul_refresh are set; writes health_board_
  std::unordered_map<std::string, std::unique_ptr<AssetAlarm>> asset_alarms_;
  // The tags' value events by equipment (WatchedFor: the asset's path, and a line-protocol tag's
  // series key after it), or by tag without grouping; Watched points in.
  std::unordered_map<std::string, std::unique_ptr<alerts::AlarmGroup>> alarm_groups_;
  std::chrono::steady_clock::time_point last_save_;
  uint64_t tag_edits_seen_;  // catalog_.tag_edits() when the limits were last read
  bool limits_unread_ = false;  // the last RefreshLimits could not read the catalog
  int64_t newest_ns_ = INT64_MIN;  // the newest good sample time seen, of any tag
  std::unordered_map<std::string, int64_t> asset_newest_ns_;  // by asset path; Watched points in
  int64_t silence_checked_at_ns_ = INT64_MIN;  // newest_ns_ when CheckSilentTags last ran
  // Counts the deliveries that reported samples dropped from the full queue (Watched::missed_epoch),
  // and newest_ns_ after the latest of them: what a tag missed then is no sign of its sensor.
  uint64_t missed_epoch_ = 0;
  int64_t missed_upto_ns_ = INT64_MIN;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace zhizao::analytics::live
