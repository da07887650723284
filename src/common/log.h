// Structured logging set-up. Modules log through spdlog's default logger
// (spdlog::info(...)); this decides where it goes and in which shape.
#pragma once

#include <string_view>

#include "common/status.h"

namespace zhizao {

enum class LogFormat { kText, kJson };

Result<LogFormat> ParseLogFormat(std::string_view name);  // "text" or "json"

// Sends logs to stderr as text ("2026-11-28T10:00:00.123Z info  serve: listening on …") or
// as one JSON object per line ({"ts":…,"level":…,"logger":…,"msg":…}).
// level: trace, debug, info, warn, error, critical or off.
// Call once at start, before other threads log.
Status InitLogging(LogFormat format, std::string_view level);

}  // namespace zhizao
