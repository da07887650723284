// Alarm hygiene after ISA-18.2 for one watched source (a tag, a model): turns a stream of scores
// into events that open, update, clear and come back without chattering.
//
//  - Hysteresis: an event opens when the score reaches its threshold and clears only after the
//    score has stayed below threshold * clear_ratio for clear_delay (an off-delay).
//  - Deduplication: one event per source at a time; while it is active, new peaks update it.
//  - No chattering: an event that clears and returns within rearm_window is the same event
//    reopened (its `returns` counts how often), not a new one.
// Shelving and acknowledgement belong to people and live in the catalog (Catalog::ShelveEvent,
// AcknowledgeEvent); the tracker never touches those fields.
//
// There is a tracker per watched tag (two, with its sensor health), and nearly all of them are
// quiet: a quiet tracker holds its source's names and no event; the event lives on the heap
// while it is active or may still come back.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/event.h"

namespace zhizao::analytics::alerts {

struct AlarmPolicy {
  // The score must fall below threshold * clear_ratio to start clearing. Default: 0.8.
  double clear_ratio = 0.8;
  // ... and stay there this long. Default: 10 s.
  std::chrono::nanoseconds clear_delay = std::chrono::seconds(10);
  // A return within this time after clearing reopens the same event. Default: 60 s.
  std::chrono::nanoseconds rearm_window = std::chrono::seconds(60);
  // While active, a new peak is written when it beats the stored one by this much. Default: 0.05.
  double peak_step = 0.05;
};

// One scored sample of the source.
struct Observation {
  int64_t ts_ns = 0;
  double score = 0;      // in [0, 1]
  double threshold = 1;  // the score at which the source alarms
  catalog::Severity severity = catalog::Severity::kMedium;
  std::string detector;
  std::string message;
  std::vector<catalog::Contribution> contributions;
  // A quiet observation from a source that says its condition ended (a device's discrete alarm
  // back to normal, debounced where it was made and perhaps sent once): it clears the event at
  // once, with no off-delay.
  bool ended = false;
};

// What the caller must write: insert `event` (kOpened; then report its id with SetEventId) or
// update it (the others).
struct EventChange {
  enum class Kind { kOpened, kUpdated, kCleared, kReopened };
  Kind kind;
  catalog::Event event;
};
std::string_view ChangeKindName(EventChange::Kind kind);  // "opened", "updated", "cleared", "reopened"

// Not thread-safe: one owner (the analytics thread) per tracker.
class AlarmTracker {
 public:
  // `event_template` gives the fields every event of this source shares: asset_id, asset_path,
  // source, model_id and model_version. Its other fields are not kept: the tracker sets them.
  AlarmTracker(const catalog::Event& event_template, AlarmPolicy policy);

  // Feeds one observation; returns the change to write, if any. Observations older than the
  // last one seen are ignored (a late sample cannot reopen or clear an event).
  std::optional<EventChange> Observe(const Observation& observation);
  // The id the catalog gave the event last opened. Without an event (see event()), does nothing.
  void SetEventId(catalog::EventId id);
  // Lets a restarted tracker continue an event stored as still active.
  void Resume(const catalog::Event& active_event);

  bool active() const { return state_ == State::kActive; }
  // The event last opened or resumed, while it is active or may still come back (cleared, and no
  // quiet sample yet beyond rearm_window); otherwise an empty Event.
  const catalog::Event& event() const;

 private:
  enum class State { kIdle, kActive, kCleared };
  // What the template gives every event of the source.
  struct Source {
    catalog::AssetId asset_id = 0;
    std::string asset_path;
    std::string source;
    std::string model_id;
    int64_t model_version = 0;
  };

  std::optional<EventChange> OnAlarm(const Observation& o);
  std::optional<EventChange> OnQuiet(const Observation& o);
  EventChange Open(const Observation& o);
  void TakePeak(const Observation& o);

  Source source_;
  AlarmPolicy policy_;
  State state_ = State::kIdle;
  std::unique_ptr<catalog::Event> event_;  // null while kIdle
  int64_t last_ts_ns_ = INT64_MIN;
  std::optional<int64_t> quiet_since_ns_;  // when the score last fell below the clear level
};

}  // namespace zhizao::analytics::alerts
