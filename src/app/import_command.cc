// `zhizao import`: a CSV file (see connect/csv/csv_reader.h for its header) to a server's
// POST /write, as line protocol.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "app/client_common.h"
#include "app/commands.h"
#include "app/line_poster.h"
#include "connect/csv/csv_reader.h"
#include "connect/lineproto/line_writer.h"
#include "connect/lineproto/precision.h"

namespace zhizao::app {
namespace {

namespace csv = connect::csv;
namespace lp = connect::lineproto;

struct LpLine {
  std::string text;
  int64_t row = 0;
};

lp::FieldValue FieldValueOf(const csv::CsvValue& value) {
  return std::visit(
      [](const auto& v) -> lp::FieldValue {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) return std::string_view(v);
        else if constexpr (std::is_same_v<T, std::monostate>) return false;  // not reached: empty cells are left out
        else return v;
      },
      value);
}

// One row as a line of line protocol, or "" for a row without a field value.
Result<std::string> LineOf(const std::vector<csv::CsvColumn>& columns, const csv::CsvRow& row,
                           const std::string& fixed_measurement) {
  std::string_view measurement = fixed_measurement;
  std::vector<lp::Tag> tags;
  std::vector<lp::Field> fields;
  for (size_t i = 0; i < columns.size(); ++i) {
    const csv::CsvValue& value = row.values[i];
    if (std::holds_alternative<std::monostate>(value)) continue;
    switch (columns[i].kind) {
      case csv::CsvKind::kTime: break;
      case csv::CsvKind::kMeasurement:
        if (fixed_measurement.empty()) measurement = std::get<std::string>(value);
        break;
      case csv::CsvKind::kTag: tags.push_back({columns[i].name, std::get<std::string>(value)}); break;
      default: fields.push_back({columns[i].name, FieldValueOf(value)});
    }
  }
  if (fields.empty()) return std::string();
  if (measurement.empty()) return Status::InvalidArgument("row " + std::to_string(row.row) + ": no measurement");
  std::sort(tags.begin(), tags.end(), [](const lp::Tag& a, const lp::Tag& b) { return a.key < b.key; });
  std::string key;
  lp::AppendEscapedMeasurement(measurement, &key);
  for (const lp::Tag& tag : tags) {
    key += ',';
    lp::AppendEscapedName(tag.key, &key);
    key += '=';
    lp::AppendEscapedName(tag.value, &key);
  }
  std::string text;
  lp::AppendLine({.measurement = measurement, .tags = tags, .fields = fields, .series_key = key,
                  .ts_ns = row.ts_ns.value_or(0)},
                 &text);
  // Without a time the line has none, and the server stamps it on receipt.
  if (!row.ts_ns) text.erase(text.rfind(' '));
  return text;
}

// The whole file as lines, so that a malformed row stops the import before anything is sent.
Result<std::vector<LpLine>> Convert(const std::string& text, const ImportFlags& flags) {
  ZZ_ASSIGN_OR_RETURN(lp::Precision precision, lp::ParsePrecision(flags.precision));
  ZZ_ASSIGN_OR_RETURN(csv::CsvTable table, csv::CsvTable::Open(text, {.ns_per_unit = lp::NanosPerUnit(precision)}));
  const auto& columns = table.columns();
  bool has_measurement = !flags.measurement.empty() || std::any_of(columns.begin(), columns.end(), [](const auto& c) {
                           return c.kind == csv::CsvKind::kMeasurement;
                         });
  if (!has_measurement) return Status::InvalidArgument("give --measurement, or a column named measurement");
  std::vector<LpLine> lines;
  csv::CsvRow row;
  while (true) {
    ZZ_ASSIGN_OR_RETURN(bool more, table.Next(&row));
    if (!more) return lines;
    ZZ_ASSIGN_OR_RETURN(std::string line, LineOf(columns, row, flags.measurement));
    if (!line.empty()) lines.push_back({std::move(line), row.row});
  }
}

}  // namespace

int RunImport(const ImportFlags& flags) {
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report("import", client.status(), kExitUsage);
  Result<std::string> text = ReadInput(flags.file);
  if (!text.ok()) return Report("import", text.status(), kExitUsage);
  Result<std::vector<LpLine>> lines = Convert(*text, flags);
  if (!lines.ok()) return Report("import", lines.status().WithContext(flags.file), kExitFailure);
  LinePoster poster(**client, {.database = flags.db,
                               .precision = "ns",
                               .batch_bytes = static_cast<size_t>(flags.batch_bytes),
                               .gzip = flags.gzip,
                               .source_unit = "row"});
  Status sent = Status::Ok();
  for (const LpLine& line : *lines) {
    sent = poster.Add(line.text, line.row);
    if (!sent.ok()) break;
  }
  if (sent.ok()) sent = poster.Flush();
  for (const std::string& error : poster.line_errors()) {
    std::fprintf(stderr, "%s: %s\n", flags.file.c_str(), error.c_str());
  }
  if (!sent.ok()) return Report("import", sent, kExitFailure);
  std::printf("%lld points written to %s\n", static_cast<long long>(poster.points_written()), flags.db.c_str());
  if (poster.lines_rejected() == 0) return kExitOk;
  std::fprintf(stderr, "zhizao: import: partial write: %lld rows rejected\n",
               static_cast<long long>(poster.lines_rejected()));
  return kExitFailure;
}

}  // namespace zhizao::app
