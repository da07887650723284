// LimitAlarm: the absolute alarms a person configured on one tag, judged on each of its values.
//
// A value above the tag's hi limit alarms "hi", above hihi "hihi" (likewise lo and lolo, after
// ISA-18.2's names); a value outside the tag's range (range_lo, range_hi) by more than an
// instrument's allowed over- and under-range (NAMUR NE 43: 3.125 % of the span above, 1.25 %
// below, where both ends are known) is no true reading and is "out of range". hihi and lolo come
// first (a saturated reading past hihi is still hihi's emergency), then the range, then hi and
// lo. A bool tag with an alarm state (a discrete alarm: a leak detector's true, a quality gate's
// false) is "alarm_state" while it reads that state; a bool is judged on nothing else. Nothing is
// learnt: the alarms hold from the first value.
//
// Chattering: an alarm returns to normal only once the value is back inside its limit by the
// deadband. The deadband is a share of the tag's span that depends on what the unit measures,
// the starting values of ISA-18.2's alarm-design report (TR2): 1 % for temperatures, 2 % for
// pressures, 5 % for flows, 2 % for anything else. The span is the tag's range, else the spread of
// its limits, else the size of its one limit. It is at most a quarter of the gap between two
// neighbouring limits (no value is held beyond two of them at once) and of the gap between the
// innermost limit of each side and the far end of the range (every held alarm can clear within
// the range). The range has no deadband: its tolerance keeps a reading at its end from chattering.
//
// Not thread-safe: one per tag, one caller at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/model.h"

namespace zhizao::analytics::alerts {

enum class LimitState : uint8_t { kNormal, kLo, kLoLo, kHi, kHiHi, kBelowRange, kAboveRange, kAlarmState };

// "normal", "lo", "lolo", "hi", "hihi", "below_range", "above_range", "alarm_state".
const char* LimitStateName(LimitState state);

// The detector an event of `state` names: "limit_lo" ... "limit_hihi", "out_of_range" for either
// end of the range (the name the streaming detectors give it too), "discrete_alarm".
// REQUIRES: state is not kNormal.
std::string LimitDetectorName(LimitState state);
// The limit state a "limit_*" detector stands for (to resume its deadband after a restart);
// nullopt for any other detector.
std::optional<LimitState> LimitStateOfDetector(std::string_view detector);
// Whether an event of `detector` is an alarm a person configured (a limit, the range, a discrete
// alarm) rather than a learnt judgement.
bool IsConfiguredAlarm(std::string_view detector);

class LimitAlarm {
 public:
  LimitAlarm() = default;  // no limits: every value is normal
  explicit LimitAlarm(const catalog::Tag& tag) { Configure(tag); }

  // Takes the tag's limits, range and unit (a person edited the tag); the state is kept, and the
  // next value is judged against the new limits.
  void Configure(const catalog::Tag& tag);

  // The state after `value` (finite; a bool as 0 or 1), remembered for the deadband of the next.
  LimitState Update(double value);
  LimitState state() const { return state_; }
  // Takes `state` as the current one, as if the last value had been in it: an event of this
  // alarm resumed after a restart keeps its deadband.
  void Resume(LimitState state) { state_ = state; }
  double deadband() const { return deadband_; }

  // "value 97.2 degC above the hi limit 95 degC"; "reads true, its alarm state"; "value 3 within
  // limits" when normal.
  std::string Explain(double value) const;

 private:
  // How far beyond: 2 for the outer limit (hihi, lolo), 1 for the inner one, 0 for neither.
  int HighLevel(double value) const;
  int LowLevel(double value) const;
  std::optional<double> LimitOf(LimitState state) const;
  bool OutsideRange(double value) const;

  catalog::AlarmLimits limits_;
  std::optional<bool> alarm_state_;  // a bool tag's
  std::optional<double> range_lo_, range_hi_;
  double below_range_ = 0, above_range_ = 0;  // the readings past each end that are still valid
  std::string unit_;
  double deadband_ = 0;
  LimitState state_ = LimitState::kNormal;
};

}  // namespace zhizao::analytics::alerts
