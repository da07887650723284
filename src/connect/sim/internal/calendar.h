// The plant's production calendar: local time, three shifts, breaks and weekends.
//
// Shifts: early 06-14, late 14-22, night 22-06, each with a 30 min break four hours in.
// Monday to Friday run three shifts; the night shift starting Sunday 22:00 opens the week,
// the one starting Friday 22:00 closes it; Saturday runs early and late at 80% output;
// Saturday night and Sunday day are off.
#pragma once

#include <cstdint>

namespace zhizao::connect::sim {

enum class Shift : uint8_t { kNone = 0, kEarly = 1, kLate = 2, kNight = 3 };

struct PlantTime {
  int64_t ns = 0;         // UTC ns
  double hour = 0;        // local hour of day, [0, 24)
  int weekday = 0;        // local, 0 = Monday ... 6 = Sunday
  int64_t local_day = 0;  // local days since 1970-01-01
  Shift shift = Shift::kNone;
  bool on_break = false;
  double minutes_into_shift = 0;  // 0 when no shift runs
  double production = 0;          // planned output, 0..1 (0 off shift, reduced on breaks)
};

// REQUIRES: ns >= 0.
PlantTime MakePlantTime(int64_t ns, int utc_offset_minutes);

}  // namespace zhizao::connect::sim
