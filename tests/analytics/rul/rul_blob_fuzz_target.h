// The body of the RUL model-blob fuzzer, shared by the libFuzzer entry point (clang only) and a
// gtest that runs it on a few inputs in every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::analytics::rul {

// Feeds `data` to Model::Load as is, then wraps it as the payload of a well-formed header and
// checksum so that the payload decoder is reached too. Aborts (ZZ_CHECK) on a broken invariant.
void FuzzModelBlob(const uint8_t* data, size_t size);

}  // namespace zhizao::analytics::rul
