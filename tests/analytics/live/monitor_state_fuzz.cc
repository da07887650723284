// libFuzzer entry point: clang only, see CMakeLists.txt.
#include <cstddef>
#include <cstdint>

#include "monitor_state_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::analytics::live::FuzzMonitorStates(data, size);
  return 0;
}
