// The timestamp precision of a line-protocol write: the `precision` query parameter of
// InfluxDB's /write (1.x) and /api/v2/write (2.x). Thread-safe (stateless).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace zhizao::connect::lineproto {

enum class Precision : uint8_t { kNanosecond, kMicrosecond, kMillisecond, kSecond, kMinute, kHour };

// InfluxDB's accepted time range: timestamps outside it are rejected, whatever the precision.
inline constexpr int64_t kMinTimestampNs = INT64_MIN + 2;  // -9223372036854775806
inline constexpr int64_t kMaxTimestampNs = INT64_MAX - 1;  //  9223372036854775806

// Accepts the union of InfluxDB 1.x and 2.x spellings: "" (the default), "n" and "ns";
// "u" and "us"; "ms"; "s"; "m"; "h". Case-sensitive, like InfluxDB.
// Returns InvalidArgument `invalid precision "<text>" (use ns, us, ms, s, m or h)` otherwise.
Result<Precision> ParsePrecision(std::string_view text);

// "ns", "us", "ms", "s", "m" or "h".
std::string_view PrecisionName(Precision precision);

// Nanoseconds in one unit of `precision`: 1 for kNanosecond ... 3.6e12 for kHour.
int64_t NanosPerUnit(Precision precision);

}  // namespace zhizao::connect::lineproto
