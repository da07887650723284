// Reading CSV (RFC 4180) into typed rows: what `zhizao import` turns into line protocol.
//
// Two layers. CsvReader splits text into records: cells separated by ',', records by LF or
// CRLF, a cell in '"' may hold ',', CR, LF and '""' (one quote). CsvTable reads the first
// record as a header that names and types the columns, and decodes every later record.
//
// A header cell is `name` or `name|kind`, kind one of
//   time         the timestamp: RFC 3339, or an integer epoch in CsvOptions' unit
//   measurement  the measurement of the row
//   tag          a tag (InfluxDB's sense: a string that is part of the series key)
//   float        a float field (the default kind)
//   int, uint    an integer field; bool (true/false, t/f, 1/0 case-insensitive); string
// Without `|kind`, a column named "time" is the time and one named "measurement" the
// measurement; every other column is a float field.
//
// Rows are numbered as records from 1, the header; a record spanning lines inside quotes is
// one row. Columns are numbered from 1. An empty cell is no value: the tag or field is left
// out, the time too. A UTF-8 byte-order mark before the header is skipped.
//
//   ZZ_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Open(text, {.ns_per_unit = 1'000'000'000}));
//   CsvRow row;
//   while (true) {
//     ZZ_ASSIGN_OR_RETURN(bool more, table.Next(row));
//     if (!more) break;
//     ... row.values[i] belongs to table.columns()[i]
//   }
//
// Not thread-safe. REQUIRES: the text outlives the reader or table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace zhizao::connect::csv {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // Reads the next record into *cells (a blank line is one empty cell). Returns false at the
  // end. Errors, InvalidArgument, after which the reader stays at the end:
  // "row <r>: a quoted cell is not closed" and
  // "row <r>, column <c>: a quote inside a cell that is not quoted" (or after its closing quote).
  Result<bool> Next(std::vector<std::string>* cells);

  // The row of the record last read: 1 for the first.
  int64_t row() const { return row_; }

 private:
  Status ReadQuoted(std::string* cell, size_t column);
  Status ReadPlain(std::string* cell, size_t column);

  std::string_view text_;
  size_t pos_ = 0;
  int64_t row_ = 0;
  bool failed_ = false;
};

enum class CsvKind : uint8_t { kTime, kMeasurement, kTag, kFloat, kInt, kUint, kBool, kString };

// "time", "measurement", "tag", "float", "int", "uint", "bool" or "string".
std::string_view CsvKindName(CsvKind kind);

struct CsvColumn {
  std::string name;
  CsvKind kind = CsvKind::kFloat;
  bool kind_given = false;  // the header said `name|kind`
};

struct CsvOptions {
  // Nanoseconds in one unit of an integer epoch in the time column. Default: 1 (ns).
  int64_t ns_per_unit = 1;
};

// A decoded cell: no value (empty cell, or the time column), or the column's type. Tags,
// measurements and string fields are strings.
using CsvValue = std::variant<std::monostate, double, int64_t, uint64_t, bool, std::string>;

struct CsvRow {
  int64_t row = 0;
  std::optional<int64_t> ts_ns;  // none when the row has no time column or an empty time
  std::vector<CsvValue> values;  // one per column
};

// The value of a field cell of `kind` (float, int, uint, bool or string), or InvalidArgument
// "\"<cell>\" is not a number" (an integer, ...). REQUIRES: cell is not empty.
Result<CsvValue> ParseFieldCell(CsvKind kind, const std::string& cell);

class CsvTable {
 public:
  // Reads the header. Errors, InvalidArgument "row 1, column <c>: ...": an empty name, a
  // name given twice, an unknown kind, a second time or measurement column; "row 1: no header"
  // for empty text; and CsvReader's errors.
  static Result<CsvTable> Open(std::string_view text, const CsvOptions& options);

  const std::vector<CsvColumn>& columns() const { return columns_; }

  // Decodes `column` as `kind` from now on: for a reader that learns a column's type from
  // elsewhere (a catalog tag's). REQUIRES: column < columns().size(); kind is a field kind
  // (float, int, uint, bool or string).
  void SetKind(size_t column, CsvKind kind) { columns_[column].kind = kind; }

  // Decodes the next record that is not a blank line into *row. Returns false at the end.
  // Errors, InvalidArgument: "row <r>: <n> cells, the header has <m>", "row <r>, column <c>
  // (<name>): "<cell>" is not a number" (an integer, an unsigned integer, a boolean, an RFC
  // 3339 time or an integer epoch), and CsvReader's errors.
  Result<bool> Next(CsvRow* row);

 private:
  CsvTable(CsvReader reader, std::vector<CsvColumn> columns, const CsvOptions& options)
      : reader_(reader), columns_(std::move(columns)), options_(options) {}
  Status Decode(size_t column, const std::string& cell, CsvRow* row) const;

  CsvReader reader_;
  std::vector<CsvColumn> columns_;
  CsvOptions options_;
  std::vector<std::string> cells_;
};

}  // namespace zhizao::connect::csv
