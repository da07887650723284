#include "tag_monitor_fuzz_target.h"

#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

#include "analytics/detect/tag_monitor.h"
#include "common/check.h"
#include "common/crc32c.h"

namespace zhizao::analytics::detect {

namespace {

void LoadAndScore(std::string_view blob, const TagMonitorOptions& options) {
  TagMonitor monitor(options);
  if (!monitor.Load(blob).ok()) return;
  // A blob that passes the checksum may still hold odd numbers: scoring must stay in range.
  for (int i = 0; i < 64; ++i) {
    const Verdict v = monitor.Update(1'000'000'000LL * (i + 1), std::sin(i) * 10);
    ZZ_CHECK(v.score >= 0 && v.score <= 1, "score out of [0, 1] after Load");
    ZZ_CHECK(v.onset >= 0 && v.onset <= 1, "onset out of [0, 1] after Load");
  }
}

// The defaults, and a smaller context table (its states are as long as the table).
void LoadAndScore(std::string_view blob) {
  TagMonitorOptions small_table;
  small_table.context.table_bits = 10;
  for (const TagMonitorOptions& options : {TagMonitorOptions{}, small_table}) LoadAndScore(blob, options);
}

}  // namespace

void FuzzTagMonitorLoad(const uint8_t* data, size_t size) {
  const std::string blob(reinterpret_cast<const char*>(data), size);
  LoadAndScore(blob);
  // Again with the checksum made right, so that the payload parser is reached too.
  if (size < 4) return;
  std::string fixed = blob;
  const uint32_t crc = crc32c::Value(fixed.data(), fixed.size() - 4);
  std::memcpy(fixed.data() + fixed.size() - 4, &crc, sizeof crc);
  LoadAndScore(fixed);
}

}  // namespace zhizao::analytics::detect
