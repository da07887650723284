// The body of the modbus_fuzz target, shared with the in-build replay test.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::connect::modbus {

// The first byte picks what the rest feeds, by its remainder modulo 3. 0: register words decoded
// as every type and order (what a peer sends), checked to encode back to the same words. 1: a
// connector definition as JSON (what the API receives), checked to plan polls that cover every
// tag once within limits. 2: a reply frame to a pipelined read (internal/mbap.h).
void FuzzModbus(const uint8_t* data, size_t size);

}  // namespace zhizao::connect::modbus
