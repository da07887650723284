#include "analytics/alerts/limit_alarm.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

namespace zhizao::analytics::alerts {
namespace {

template <size_t N>
bool OneOf(std::string_view unit, const std::array<std::string_view, N>& units) {
  return std::find(units.begin(), units.end(), unit) != units.end();
}

// ISA-18.2 TR2's starting deadbands, as a share of the span, by what the unit measures.
double DeadbandShare(std::string_view unit) {
  static constexpr std::array<std::string_view, 6> kTemperature = {"degC", "°C", "K", "degF", "°F", "Cel"};
  static constexpr std::array<std::string_view, 10> kPressure = {"bar", "mbar", "barg", "bar(g)", "Pa",
                                                                 "kPa", "MPa",  "hPa",  "psi",    "psig"};
  static constexpr std::array<std::string_view, 16> kFlow = {"m3/h", "m3/min", "m3/s", "Nm3/h", "L/h",   "L/min",
                                                             "L/s",  "l/h",    "l/min", "l/s",   "kg/h",  "kg/min",
                                                             "kg/s", "t/h",    "gpm",   "m3/d"};
  if (OneOf(unit, kTemperature)) return 0.01;
  if (OneOf(unit, kPressure)) return 0.02;
  if (OneOf(unit, kFlow)) return 0.05;
  return 0.02;
}

std::string Number(double value, const std::string& unit) {
  return unit.empty() ? fmt::format("{:.6g}", value) : fmt::format("{:.6g} {}", value, unit);
}

// ValidateTag keeps limits and range finite and ordered; a tag stored before it checked
// finiteness could hold an infinity, which is taken as no bound at all.
std::optional<double> Finite(std::optional<double> bound) {
  return bound && std::isfinite(*bound) ? bound : std::nullopt;
}

constexpr std::string_view kLimitPrefix = "limit_";
constexpr std::string_view kOutOfRange = "out_of_range";
constexpr std::string_view kDiscreteAlarm = "discrete_alarm";

}  // namespace

const char* LimitStateName(LimitState state) {
  switch (state) {
    case LimitState::kNormal: return "normal";
    case LimitState::kLo: return "lo";
    case LimitState::kLoLo: return "lolo";
    case LimitState::kHi: return "hi";
    case LimitState::kHiHi: return "hihi";
    case LimitState::kBelowRange: return "below_range";
    case LimitState::kAboveRange: return "above_range";
    case LimitState::kAlarmState: return "alarm_state";
  }
  return "unknown";
}

std::string LimitDetectorName(LimitState state) {
  switch (state) {
    case LimitState::kBelowRange:
    case LimitState::kAboveRange: return std::string(kOutOfRange);
    case LimitState::kAlarmState: return std::string(kDiscreteAlarm);
    default: return std::string(kLimitPrefix) + LimitStateName(state);
  }
}

std::optional<LimitState> LimitStateOfDetector(std::string_view detector) {
  if (detector.rfind(kLimitPrefix, 0) != 0) return std::nullopt;
  detector.remove_prefix(kLimitPrefix.size());
  for (LimitState state : {LimitState::kLo, LimitState::kLoLo, LimitState::kHi, LimitState::kHiHi}) {
    if (detector == LimitStateName(state)) return state;
  }
  return std::nullopt;
}

bool IsConfiguredAlarm(std::string_view detector) {
  return LimitStateOfDetector(detector).has_value() || detector == kOutOfRange || detector == kDiscreteAlarm;
}

void LimitAlarm::Configure(const catalog::Tag& tag) {
  const bool boolean = tag.data_type == DataType::kBool;  // judged on its alarm state alone
  limits_ = boolean ? catalog::AlarmLimits{}
                    : catalog::AlarmLimits{Finite(tag.limits.lolo), Finite(tag.limits.lo), Finite(tag.limits.hi),
                                           Finite(tag.limits.hihi)};
  alarm_state_ = boolean ? tag.limits.alarm_state : std::nullopt;
  range_lo_ = boolean ? std::nullopt : Finite(tag.range_lo);
  range_hi_ = boolean ? std::nullopt : Finite(tag.range_hi);
  unit_ = tag.unit;
  const bool spanned = range_lo_ && range_hi_ && *range_hi_ > *range_lo_;
  const double range_span = spanned ? *range_hi_ - *range_lo_ : 0;
  below_range_ = 0.0125 * range_span;
  above_range_ = 0.03125 * range_span;
  std::vector<double> set;  // ordered, as ValidateTag makes them
  for (const std::optional<double>& limit : {limits_.lolo, limits_.lo, limits_.hi, limits_.hihi}) {
    if (limit) set.push_back(*limit);
  }
  deadband_ = 0;
  if (set.empty()) return;
  double span = range_span;
  if (!spanned) span = set.size() > 1 ? set.back() - set.front() : std::fabs(set.front());
  deadband_ = DeadbandShare(unit_) * span;
  for (size_t i = 1; i < set.size(); ++i) deadband_ = std::min(deadband_, (set[i] - set[i - 1]) / 4);
  const std::optional<double> inner_high = limits_.hi ? limits_.hi : limits_.hihi;
  const std::optional<double> inner_low = limits_.lo ? limits_.lo : limits_.lolo;
  if (inner_high && range_lo_) deadband_ = std::min(deadband_, (*inner_high - *range_lo_) / 4);
  if (inner_low && range_hi_) deadband_ = std::min(deadband_, (*range_hi_ - *inner_low) / 4);
  deadband_ = std::max(deadband_, 0.0);
}

bool LimitAlarm::OutsideRange(double value) const {
  return (range_hi_ && value > *range_hi_ + above_range_) || (range_lo_ && value < *range_lo_ - below_range_);
}

int LimitAlarm::HighLevel(double value) const {
  const bool held_outer = state_ == LimitState::kHiHi;
  const bool held_inner = held_outer || state_ == LimitState::kHi;
  if (limits_.hihi && value > *limits_.hihi - (held_outer ? deadband_ : 0)) return 2;
  if (limits_.hi && value > *limits_.hi - (held_inner ? deadband_ : 0)) return 1;
  return 0;
}

int LimitAlarm::LowLevel(double value) const {
  const bool held_outer = state_ == LimitState::kLoLo;
  const bool held_inner = held_outer || state_ == LimitState::kLo;
  if (limits_.lolo && value < *limits_.lolo + (held_outer ? deadband_ : 0)) return 2;
  if (limits_.lo && value < *limits_.lo + (held_inner ? deadband_ : 0)) return 1;
  return 0;
}

LimitState LimitAlarm::Update(double value) {
  if (alarm_state_) return state_ = (value != 0) == *alarm_state_ ? LimitState::kAlarmState : LimitState::kNormal;
  // A value held on one side is not judged on the other (the deadband keeps them apart anyway).
  const int high = HighLevel(value), low = high > 0 ? 0 : LowLevel(value);
  if (high == 2) return state_ = LimitState::kHiHi;
  if (low == 2) return state_ = LimitState::kLoLo;
  if (OutsideRange(value)) {
    return state_ = range_hi_ && value > *range_hi_ ? LimitState::kAboveRange : LimitState::kBelowRange;
  }
  if (high == 1) return state_ = LimitState::kHi;
  if (low == 1) return state_ = LimitState::kLo;
  return state_ = LimitState::kNormal;
}

std::optional<double> LimitAlarm::LimitOf(LimitState state) const {
  switch (state) {
    case LimitState::kNormal: return std::nullopt;
    case LimitState::kLo: return limits_.lo;
    case LimitState::kLoLo: return limits_.lolo;
    case LimitState::kHi: return limits_.hi;
    case LimitState::kHiHi: return limits_.hihi;
    case LimitState::kBelowRange: return range_lo_;
    case LimitState::kAboveRange: return range_hi_;
    case LimitState::kAlarmState: return std::nullopt;
  }
  return std::nullopt;
}

std::string LimitAlarm::Explain(double value) const {
  if (state_ == LimitState::kAlarmState) return fmt::format("reads {}, its alarm state", value != 0);
  const std::optional<double> limit = LimitOf(state_);
  if (!limit) return fmt::format("value {} within limits", Number(value, unit_));
  switch (state_) {
    case LimitState::kBelowRange:
    case LimitState::kAboveRange:
      return fmt::format("value {} {} the instrument's range, which ends at {}: no true reading",
                         Number(value, unit_), state_ == LimitState::kAboveRange ? "above" : "below",
                         Number(*limit, unit_));
    default: break;
  }
  const bool high = state_ == LimitState::kHi || state_ == LimitState::kHiHi;
  if (high ? value > *limit : value < *limit) {
    return fmt::format("value {} {} the {} limit {}{}", Number(value, unit_), high ? "above" : "below",
                       LimitStateName(state_), Number(*limit, unit_),
                       OutsideRange(value) ? ", past the end of the instrument's range" : "");
  }
  return fmt::format("value {} still within the deadband ({}) of the {} limit {}", Number(value, unit_),
                     Number(deadband_, unit_), LimitStateName(state_), Number(*limit, unit_));
}

}  // namespace zhizao::analytics::alerts
