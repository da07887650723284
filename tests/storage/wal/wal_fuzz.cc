// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/<dir>/tests/storage/wal/storage_wal_fuzz -max_len=4096
#include <cstddef>
#include <cstdint>

#include "wal_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::storage::FuzzWalInput(data, size);
  return 0;
}
