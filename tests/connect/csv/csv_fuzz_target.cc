#include "csv_fuzz_target.h"

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "connect/csv/csv_reader.h"
#include "connect/csv/csv_writer.h"

namespace zhizao::connect::csv {
namespace {

// What AppendCsvRecord writes must read back as the same cells.
void CheckRoundTrip(const std::vector<std::string>& cells) {
  std::string text;
  AppendCsvRecord(cells, &text);
  CsvReader again(text);
  std::vector<std::string> copy;
  Result<bool> read = again.Next(&copy);
  ZZ_CHECK(read.ok() && *read, "a written record must read back");
  // A record of one empty cell that starts with a byte-order mark loses it: only the header may.
  if (!cells[0].starts_with("\xEF\xBB\xBF")) ZZ_CHECK(copy == cells, "round trip changed the cells");
  Result<bool> end = again.Next(&copy);
  ZZ_CHECK(end.ok() && !*end, "a written record must be exactly one record");
}

void FuzzRecords(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> cells;
  int64_t last_row = 0;
  while (true) {
    Result<bool> more = reader.Next(&cells);
    if (!more.ok()) {
      ZZ_CHECK(more.status().message().starts_with("row "), "an error names its row");
      ZZ_CHECK(!*reader.Next(&cells), "a reader stays at the end after an error");
      return;
    }
    if (!*more) return;
    ZZ_CHECK(reader.row() == last_row + 1, "rows count records");
    last_row = reader.row();
    ZZ_CHECK(!cells.empty(), "a record has a cell");
    CheckRoundTrip(cells);
  }
}

bool KindHolds(CsvKind kind, const CsvValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return true;
  switch (kind) {
    case CsvKind::kTime: return false;  // the time is in CsvRow::ts_ns
    case CsvKind::kMeasurement:
    case CsvKind::kTag:
    case CsvKind::kString: return std::holds_alternative<std::string>(value);
    case CsvKind::kFloat: return std::holds_alternative<double>(value) && std::isfinite(std::get<double>(value));
    case CsvKind::kInt: return std::holds_alternative<int64_t>(value);
    case CsvKind::kUint: return std::holds_alternative<uint64_t>(value);
    case CsvKind::kBool: return std::holds_alternative<bool>(value);
  }
  return false;
}

void FuzzTable(std::string_view text, int64_t ns_per_unit) {
  Result<CsvTable> table = CsvTable::Open(text, {.ns_per_unit = ns_per_unit});
  if (!table.ok()) {
    ZZ_CHECK(table.status().message().starts_with("row 1"), "a header error names row 1");
    return;
  }
  ZZ_CHECK(!table->columns().empty(), "a header has a column");
  CsvRow row;
  int64_t last_row = 1;
  while (true) {
    Result<bool> more = table->Next(&row);
    if (!more.ok()) {
      ZZ_CHECK(more.status().message().starts_with("row "), "an error names its row");
      return;
    }
    if (!*more) return;
    ZZ_CHECK(row.row > last_row, "rows increase");
    last_row = row.row;
    ZZ_CHECK(row.values.size() == table->columns().size(), "a value per column");
    for (size_t i = 0; i < row.values.size(); ++i) {
      ZZ_CHECK(KindHolds(table->columns()[i].kind, row.values[i]), "a value has its column's kind");
    }
  }
}

}  // namespace

void FuzzCsv(const uint8_t* data, size_t size) {
  if (size == 0) return;
  static constexpr int64_t kUnits[] = {1, 1'000, 1'000'000, 1'000'000'000};
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  FuzzRecords(text);
  FuzzTable(text, kUnits[data[0] % 4]);
}

}  // namespace zhizao::connect::csv
