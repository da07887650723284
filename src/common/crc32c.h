// CRC-32C (Castagnoli), the checksum of WAL records and stored chunks.
//
// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise; both give the
// same values (RFC 3720, B.4). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zhizao::crc32c {

// Extends `crc` (the value of an earlier Extend or Value, 0 to start) with `size` bytes.
uint32_t Extend(uint32_t crc, const void* data, size_t size);

inline uint32_t Value(const void* data, size_t size) { return Extend(0, data, size); }
inline uint32_t Value(std::string_view bytes) { return Extend(0, bytes.data(), bytes.size()); }

}  // namespace zhizao::crc32c
