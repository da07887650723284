// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/fuzz/tests/api/json_body_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "json_body_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::api::FuzzJsonBody(data, size);
  return 0;
}
