// The body of the InfluxQL parser fuzzer, shared by the libFuzzer binary (clang) and a gtest
// that feeds it random and mutated queries under any compiler.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::query::influxql {

// Parses `data` as a query and checks, aborting via ZZ_CHECK when one breaks: an error is
// InvalidArgument with the "error parsing query: " prefix; a success prints (ToString) to text
// that parses to as many statements and prints the same again, so the printer and the parser
// agree on every tree the parser can build; DefaultColumnName names every field.
void FuzzInfluxQL(const uint8_t* data, size_t size);

}  // namespace zhizao::query::influxql
