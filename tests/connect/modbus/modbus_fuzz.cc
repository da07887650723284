// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/modbus-fuzz/tests/connect/modbus/modbus_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "modbus_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::connect::modbus::FuzzModbus(data, size);
  return 0;
}
