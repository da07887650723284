// RFC 3339 timestamps for the API and the logs, at nanosecond precision.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao {

// "2026-11-28T10:00:00.123Z": fraction trimmed of trailing zeros, none when whole seconds.
std::string FormatRfc3339(int64_t ts_ns);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", fraction up to 9 digits. InvalidArgument for
// malformed text; OutOfRange for a time outside int64 nanoseconds (1677-09-21 to 2262-04-11).
Result<int64_t> ParseRfc3339(std::string_view text);

}  // namespace zhizao
