// libFuzzer entry point: clang only, see CMakeLists.txt. Run with
//   build/fuzz/tests/query/influxql_fuzz -max_len=4096 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "influxql_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::query::influxql::FuzzInfluxQL(data, size);
  return 0;
}
