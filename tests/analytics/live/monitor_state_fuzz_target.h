// The body of the detector state file's fuzz target, shared by libFuzzer and the test run.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::analytics::live {

// Decodes the bytes as they are, and again with a valid checksum appended, so that the fuzzer
// reaches the entries and not only the checksum test.
void FuzzMonitorStates(const uint8_t* data, size_t size);

}  // namespace zhizao::analytics::live
