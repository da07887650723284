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
#pragma once

#include <chrono>
#include <cstdint>
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
  // `event_template` gives the fields every event of this source shares: asset, source, model.
  AlarmTracker(catalog::Event event_template, AlarmPolicy policy);

  // Feeds one observation; returns the change to write, if any. Observations older than the
  // last one seen are ignored (a late sample cannot reopen or clear an event).
  std::optional<EventChange> Observe(const Observation& observation);
  // The id the catalog gave the event last opened.
  void SetEventId(catalog::EventId id) { event_.id = id; }
  // Lets a restarted tracker continue an event stored as still active.
  void Resume(const catalog::Event& active_event);

  bool active() const { return state_ == State::kActive; }
  const catalog::Event& event() const { return event_; }

 private:
  enum class State { kIdle, kActive, kCleared };

  std::optional<EventChange> OnAlarm(const Observation& o);
  std::optional<EventChange> OnQuiet(const Observation& o);
  EventChange Open(const Observation& o);
  void TakePeak(const Observation& o);

  catalog::Event template_;
  AlarmPolicy policy_;
  State state_ = State::kIdle;
  catalog::Event event_;
  int64_t last_ts_ns_ = INT64_MIN;
  std::optional<int64_t> quiet_since_ns_;  // when the score last fell below the clear level
};

}  // namespace zhizao::analytics::alerts
