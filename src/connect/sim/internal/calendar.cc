#include "connect/sim/internal/calendar.h"

#include "common/clock.h"

namespace zhizao::connect::sim {
namespace {

constexpr int64_t kNanosPerDay = 86400 * kNanosPerSecond;
constexpr double kBreakStartHours = 4.0;
constexpr double kBreakHours = 0.5;

// 1970-01-01 was a Thursday.
int WeekdayOf(int64_t local_day) { return static_cast<int>((local_day + 3) % 7); }

// The night shift belongs to the day it starts on.
bool NightShiftRuns(int start_weekday) { return start_weekday <= 4 || start_weekday == 6; }

Shift ShiftAt(double hour, int weekday, double& hours_into_shift) {
  if (hour >= 6 && hour < 14) {
    hours_into_shift = hour - 6;
    return weekday <= 5 ? Shift::kEarly : Shift::kNone;
  }
  if (hour >= 14 && hour < 22) {
    hours_into_shift = hour - 14;
    return weekday <= 5 ? Shift::kLate : Shift::kNone;
  }
  const bool before_midnight = hour >= 22;
  hours_into_shift = before_midnight ? hour - 22 : hour + 2;
  const int start_weekday = before_midnight ? weekday : (weekday + 6) % 7;
  return NightShiftRuns(start_weekday) ? Shift::kNight : Shift::kNone;
}

}  // namespace

PlantTime MakePlantTime(int64_t ns, int utc_offset_minutes) {
  PlantTime t;
  t.ns = ns;
  const int64_t local_ns = ns + static_cast<int64_t>(utc_offset_minutes) * 60 * kNanosPerSecond;
  t.local_day = local_ns / kNanosPerDay;
  t.hour = static_cast<double>(local_ns % kNanosPerDay) / (3600.0 * kNanosPerSecond);
  t.weekday = WeekdayOf(t.local_day);
  double hours_into_shift = 0;
  t.shift = ShiftAt(t.hour, t.weekday, hours_into_shift);
  if (t.shift == Shift::kNone) return t;
  t.minutes_into_shift = hours_into_shift * 60;
  t.on_break = hours_into_shift >= kBreakStartHours && hours_into_shift < kBreakStartHours + kBreakHours;
  const double weekday_factor = t.weekday == 5 ? 0.8 : 1.0;
  t.production = (t.on_break ? 0.3 : 1.0) * weekday_factor;
  return t;
}

}  // namespace zhizao::connect::sim
