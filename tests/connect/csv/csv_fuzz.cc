// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/fuzz/tests/connect/csv/csv_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "csv_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::connect::csv::FuzzCsv(data, size);
  return 0;
}
