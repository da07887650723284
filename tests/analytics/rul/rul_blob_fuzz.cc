// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/rul-fuzz/tests/analytics/rul/rul_blob_fuzz -max_len=65536 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "rul_blob_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::analytics::rul::FuzzModelBlob(data, size);
  return 0;
}
