// The payload of a WAL record that carries a Batch. Byte layout: docs/formats/wal.md.
//
// Compact and fast: tag ids and timestamps are zigzag varint deltas from the previous point,
// a status costs a byte only when it is not Good, float64 values are stored raw (the head
// compresses them later; the WAL must keep up with ingest). Thread-safe (stateless).
#pragma once

#include <string>
#include <string_view>

#include "common/batch.h"
#include "common/status.h"

namespace zhizao::storage {

// Appends the encoding of `batch` to *out.
// REQUIRES: every string value's index is < batch.strings.size().
void EncodeBatch(const Batch& batch, std::string* out);

// Replaces *out with the batch encoded in `payload`.
// Returns Corruption ("cannot decode WAL batch: ...", with the byte offset) for a truncated,
// oversized or malformed payload, including trailing bytes and string indexes out of range.
// Hostile input is safe: it never reads out of bounds, and every count is checked against
// the bytes left before anything is allocated, so memory stays proportional to the input.
// On error *out is left in an unspecified but valid state.
[[nodiscard]] Status DecodeBatch(std::string_view payload, Batch* out);

}  // namespace zhizao::storage
