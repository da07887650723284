// The body of the chunk decoder fuzz target, shared by the libFuzzer binary (clang) and
// a gtest that runs it on random and mutated inputs (any compiler).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::storage {

// Decodes `data` as a sealed chunk, as a range, and as unsealed blocks of every type.
// Aborts (ZZ_CHECK) only if a decoder accepts bytes and returns inconsistent samples.
void FuzzChunkDecode(const uint8_t* data, size_t size);

}  // namespace zhizao::storage
