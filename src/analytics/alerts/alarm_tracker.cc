#include "analytics/alerts/alarm_tracker.h"

#include <algorithm>
#include <utility>

namespace zhizao::analytics::alerts {

using catalog::Event;

std::string_view ChangeKindName(EventChange::Kind kind) {
  switch (kind) {
    case EventChange::Kind::kOpened: return "opened";
    case EventChange::Kind::kUpdated: return "updated";
    case EventChange::Kind::kCleared: return "cleared";
    case EventChange::Kind::kReopened: return "reopened";
  }
  return "unknown";
}

AlarmTracker::AlarmTracker(const Event& event_template, AlarmPolicy policy)
    : source_{.asset_id = event_template.asset_id,
              .asset_path = event_template.asset_path,
              .source = event_template.source,
              .model_id = event_template.model_id,
              .model_version = event_template.model_version},
      policy_(policy) {}

void AlarmTracker::SetEventId(catalog::EventId id) {
  if (event_) event_->id = id;
}

const Event& AlarmTracker::event() const {
  static const Event kNone;
  return event_ ? *event_ : kNone;
}

void AlarmTracker::Resume(const Event& active_event) {
  event_ = std::make_unique<Event>(active_event);
  state_ = active_event.active() ? State::kActive : State::kCleared;
  last_ts_ns_ = active_event.active() ? active_event.last_ns : active_event.end_ns;
}

std::optional<EventChange> AlarmTracker::Observe(const Observation& o) {
  if (o.ts_ns < last_ts_ns_) return std::nullopt;
  last_ts_ns_ = o.ts_ns;
  if (o.score >= o.threshold) return OnAlarm(o);
  return OnQuiet(o);
}

std::optional<EventChange> AlarmTracker::OnAlarm(const Observation& o) {
  quiet_since_ns_.reset();
  switch (state_) {
    case State::kIdle:
      return Open(o);
    case State::kCleared:
      if (o.ts_ns - event_->end_ns > policy_.rearm_window.count()) return Open(o);
      state_ = State::kActive;
      event_->end_ns = 0;
      event_->last_ns = o.ts_ns;
      ++event_->returns;
      TakePeak(o);
      return EventChange{EventChange::Kind::kReopened, *event_};
    case State::kActive:
      event_->last_ns = o.ts_ns;
      // Writing every alarming sample would turn the catalog into a second historian; only a
      // clearly higher peak or a worse severity is news.
      if (o.score < event_->score + policy_.peak_step && o.severity <= event_->severity) return std::nullopt;
      TakePeak(o);
      return EventChange{EventChange::Kind::kUpdated, *event_};
  }
  return std::nullopt;
}

std::optional<EventChange> AlarmTracker::OnQuiet(const Observation& o) {
  if (state_ == State::kCleared && o.ts_ns - event_->end_ns > policy_.rearm_window.count()) {
    state_ = State::kIdle;
    event_.reset();  // it can no longer come back
  }
  if (state_ != State::kActive) return std::nullopt;
  if (o.score >= o.threshold * policy_.clear_ratio) {
    quiet_since_ns_.reset();  // inside the hysteresis band: neither alarming nor clearing
    return std::nullopt;
  }
  if (!quiet_since_ns_) quiet_since_ns_ = o.ts_ns;
  if (!o.ended && o.ts_ns - *quiet_since_ns_ < policy_.clear_delay.count()) return std::nullopt;
  state_ = State::kCleared;
  event_->end_ns = *quiet_since_ns_;
  quiet_since_ns_.reset();
  return EventChange{EventChange::Kind::kCleared, *event_};
}

EventChange AlarmTracker::Open(const Observation& o) {
  state_ = State::kActive;
  event_ = std::make_unique<Event>();
  event_->asset_id = source_.asset_id;
  event_->asset_path = source_.asset_path;
  event_->source = source_.source;
  event_->model_id = source_.model_id;
  event_->model_version = source_.model_version;
  event_->start_ns = o.ts_ns;
  event_->last_ns = o.ts_ns;
  event_->score = -1;  // so that TakePeak takes this one
  event_->severity = o.severity;
  TakePeak(o);
  return EventChange{EventChange::Kind::kOpened, *event_};
}

void AlarmTracker::TakePeak(const Observation& o) {
  // A worse severity names the event too: a hihi limit after a hi one says hihi even when a
  // detector had already scored the hi at the top.
  if (o.score > event_->score || o.severity > event_->severity) {
    event_->score = std::max(event_->score, o.score);
    event_->threshold = o.threshold;
    event_->detector = o.detector;
    event_->message = o.message;
    event_->contributions = o.contributions;
  }
  if (o.severity > event_->severity) event_->severity = o.severity;
}

}  // namespace zhizao::analytics::alerts
