#include "connect/csv/csv_writer.h"

namespace zhizao::connect::csv {

void AppendCsvCell(std::string_view cell, std::string* out) {
  // Spaces at the edges are data in RFC 4180, but spreadsheets trim them unless quoted.
  bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) {
    out->append(cell);
    return;
  }
  *out += '"';
  for (char c : cell) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

void AppendCsvRecord(std::span<const std::string> cells, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) *out += ',';
    AppendCsvCell(cells[i], out);
  }
  *out += '\n';
}

}  // namespace zhizao::connect::csv
