// Writing RFC 4180 CSV: the counterpart of csv_reader.h. Thread-safe (stateless).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace zhizao::connect::csv {

// Appends `cell` to *out, quoted (with '"' doubled) when it holds a comma, a quote, CR or LF,
// or starts or ends with a space; otherwise as is.
void AppendCsvCell(std::string_view cell, std::string* out);

// Appends the cells separated by commas, then "\n".
void AppendCsvRecord(std::span<const std::string> cells, std::string* out);

}  // namespace zhizao::connect::csv
