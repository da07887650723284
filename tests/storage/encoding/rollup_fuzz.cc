// libFuzzer entry point: clang only (see CMakeLists.txt). The body is shared with
// rollup_test.cc.
#include <cstddef>
#include <cstdint>

#include "rollup_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::storage::FuzzRollupDecode(data, size);
  return 0;
}
