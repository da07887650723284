// libFuzzer entry point for Model::Load: clang only, see CMakeLists.txt. Run with
//   build/mv-fuzz/tests/analytics/multivariate/multivariate_model_fuzz -max_len=8192 corpus_dir/
#include <cstddef>
#include <cstdint>

#include "model_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::analytics::multivariate::FuzzModelLoad(data, size);
  return 0;
}
