// The body of the OPC UA fuzzer, shared by the libFuzzer binary (clang) and a gtest that feeds
// it random and mutated inputs under any compiler.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::connect::opcua {

// The first byte picks what the rest is: a service response body (Read, Browse, BrowseNext,
// Publish, GetEndpoints, CreateSession, ActivateSession, CreateMonitoredItems, ...), the body of
// a UA-TCP Error message, a connector definition (JSON), a Variant or DataValue, or a sequence of
// length-prefixed chunks for the ChunkAssembler, a chunk for ChunkSecurity::Unseal (as is,
// or a sealed chunk with bits flipped), or a padded chunk end. Checks, aborting via ZZ_CHECK when one
// breaks, that a decoded value re-encodes to bytes that decode to the same encoding, and
// that a reassembled message respects the assembler's limits, and that a tampered sealed chunk
// never unseals to anything but its plain text.
void FuzzOpcUa(const uint8_t* data, size_t size);

}  // namespace zhizao::connect::opcua
