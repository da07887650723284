// libFuzzer entry point: clang only, see CMakeLists.txt. The bytes are a Prefer header's value
// (RFC 7240), which any client sends. Run with
//   build/fuzz/tests/api/prefer_fuzz -max_len=512 corpus_dir/
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/prefer.h"
#include "common/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zhizao::api::HttpRequest request;
  request.headers.emplace_back("prefer", std::string(reinterpret_cast<const char*>(data), size));
  const zhizao::api::Preference preference = zhizao::api::PreferenceOf(request);
  ZZ_CHECK(preference.wait.count() >= 0 && preference.wait <= zhizao::api::kMaxPreferredWait,
           "a request waits between 0 and the longest wait");
  return 0;
}
