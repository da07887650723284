// The body of the spc_config_fuzz target, shared with the in-build replay test.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::analytics::spc {

// Parses the bytes as JSON and feeds every configuration parser (config_json.h). Whatever
// parses must round-trip through to_json unchanged and drive a StreamingChart without error.
void FuzzSpcConfig(const uint8_t* data, size_t size);

}  // namespace zhizao::analytics::spc
