#include "monitor_state_fuzz_target.h"

#include <string>

#include "analytics/live/monitor_state_file.h"
#include "common/check.h"
#include "common/crc32c.h"

namespace zhizao::analytics::live {

void FuzzMonitorStates(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)DecodeMonitorStates(bytes);
  uint32_t crc = crc32c::Value(bytes);
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
  Result<MonitorStates> states = DecodeMonitorStates(bytes);
  // What decodes must encode back to the same bytes: the format has one spelling per content.
  if (states.ok()) ZZ_CHECK(EncodeMonitorStates(*states) == bytes, "state file re-encodes differently");
}

}  // namespace zhizao::analytics::live
