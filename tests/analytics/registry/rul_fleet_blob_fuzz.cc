// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/<clang build>/tests/analytics/registry/rul_fleet_blob_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "rul_fleet_blob_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::analytics::registry::FuzzRulFleetBlob(data, size);
  return 0;
}
