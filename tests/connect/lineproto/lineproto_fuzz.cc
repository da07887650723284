// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/fuzz/tests/connect/lineproto/lineproto_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "lineproto_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::connect::lineproto::FuzzLineProtocol(data, size);
  return 0;
}
