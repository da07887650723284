// The body of the RUL fleet-blob fuzzer, shared by the libFuzzer entry point (clang only) and a
// gtest that runs it on a few inputs in every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::analytics::registry {

// Decodes `data` as a fleet blob; a decoded blob must encode back to the same bytes. Aborts
// (ZZ_CHECK) on a broken invariant.
void FuzzRulFleetBlob(const uint8_t* data, size_t size);

}  // namespace zhizao::analytics::registry
