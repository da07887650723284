// The body of the WAL fuzzer, shared by the libFuzzer binary (clang) and a gtest that feeds
// it random and mutated inputs under any compiler.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::storage {

// Reads `data` as a segment (every record's payload also as a batch) and as one batch
// payload. Aborts, via a failed check, only when an invariant breaks: a decoded batch that
// does not survive re-encoding, or a reader offset beyond the input.
void FuzzWalInput(const uint8_t* data, size_t size);

}  // namespace zhizao::storage
