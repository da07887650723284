// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/spc-fuzz/tests/analytics/spc/spc_config_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "spc_config_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::analytics::spc::FuzzSpcConfig(data, size);
  return 0;
}
