// libFuzzer entry point: clang only (see CMakeLists.txt). The body is shared with
// chunk_fuzz_test.cc.
#include <cstddef>
#include <cstdint>

#include "chunk_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::storage::FuzzChunkDecode(data, size);
  return 0;
}
