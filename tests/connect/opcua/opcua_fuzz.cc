// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/opcua-fuzz/tests/connect/opcua/opcua_fuzz -max_len=8192 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "opcua_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::connect::opcua::FuzzOpcUa(data, size);
  return 0;
}
