// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/<clang-build>/tests/analytics/detect/tag_monitor_fuzz -max_len=65536 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "tag_monitor_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::analytics::detect::FuzzTagMonitorLoad(data, size);
  return 0;
}
