// The body of the CSV fuzzer, shared by the libFuzzer binary (clang) and a gtest that feeds it
// seed, mutated and random inputs under any compiler.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::connect::csv {

// Reads `data` (the first byte picks the epoch unit) with CsvReader and CsvTable and checks,
// aborting via ZZ_CHECK when one breaks: rows increase, every record written back with
// AppendCsvRecord reads back equal, every decoded row has one value per column of the kind of
// its column, and every error names its row.
void FuzzCsv(const uint8_t* data, size_t size);

}  // namespace zhizao::connect::csv
