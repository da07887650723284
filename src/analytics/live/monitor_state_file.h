// The saved state of every tag's detectors, in one file, so that a restart does not begin
// learning each tag's normal behaviour again.
//
// Format (little-endian): "ZZMS" | u32 version (1) | u32 count | count × (u32 tag id | u32 size |
// size bytes of TagMonitor::Save()) | u32 CRC-32C of everything before it. Spec:
// docs/analytics/detectors.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/batch.h"
#include "common/status.h"

namespace zhizao::analytics::live {

using MonitorStates = std::vector<std::pair<TagId, std::string>>;

std::string EncodeMonitorStates(const MonitorStates& states);

// Errors: Corruption naming what is wrong (magic, version, truncation, checksum, a duplicate tag).
Result<MonitorStates> DecodeMonitorStates(std::string_view bytes);

}  // namespace zhizao::analytics::live
