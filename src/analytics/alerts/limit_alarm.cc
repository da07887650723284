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
  }
  return "unknown";
}

void LimitAlarm::Configure(const catalog::Tag& tag) {
  limits_ = tag.limits;
  range_lo_ = tag.range_lo;
  range_hi_ = tag.range_hi;
  unit_ = tag.unit;
  std::vector<double> set;
  for (const std::optional<double>& limit : {limits_.lolo, limits_.lo, limits_.hi, limits_.hihi}) {
    if (limit && std::isfinite(*limit)) set.push_back(*limit);
  }
  deadband_ = 0;
  if (set.empty()) return;
  double span = 0;
  if (range_lo_ && range_hi_ && *range_hi_ > *range_lo_) {
    span = *range_hi_ - *range_lo_;
  } else if (set.size() > 1) {
    span = set.back() - set.front();  // ordered, as ValidateTag makes them
  } else {
    span = std::fabs(set.front());
  }
  deadband_ = DeadbandShare(unit_) * span;
  for (size_t i = 1; i < set.size(); ++i) deadband_ = std::min(deadband_, (set[i] - set[i - 1]) / 4);
  deadband_ = std::max(deadband_, 0.0);
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
  if (range_hi_ && value > *range_hi_) return state_ = LimitState::kAboveRange;
  if (range_lo_ && value < *range_lo_) return state_ = LimitState::kBelowRange;
  // The deadband keeps at most one side held (a quarter of the gap between limits), so at most
  // one of the two is non-zero.
  if (const int high = HighLevel(value); high > 0) return state_ = high == 2 ? LimitState::kHiHi : LimitState::kHi;
  if (const int low = LowLevel(value); low > 0) return state_ = low == 2 ? LimitState::kLoLo : LimitState::kLo;
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
  }
  return std::nullopt;
}

std::string LimitAlarm::Explain(double value) const {
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
    return fmt::format("value {} {} the {} limit {}", Number(value, unit_), high ? "above" : "below",
                       LimitStateName(state_), Number(*limit, unit_));
  }
  return fmt::format("value {} still within the deadband ({}) of the {} limit {}", Number(value, unit_),
                     Number(deadband_, unit_), LimitStateName(state_), Number(*limit, unit_));
}

}  // namespace zhizao::analytics::alerts
