// The body of the rollup decoder fuzz target, shared by the libFuzzer binary (clang) and a
// gtest that runs it on random and mutated records (any compiler).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::storage {

// Decodes `data` as a rollup record (its last 4 bytes replaced by their checksum, so that the
// codec's own checks are reached) for a chunk taken from its first bytes. Aborts (ZZ_CHECK)
// only if the decoder accepts bytes and returns buckets inconsistent with the chunk.
void FuzzRollupDecode(const uint8_t* data, size_t size);

}  // namespace zhizao::storage
