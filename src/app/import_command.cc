// `zhizao import`: a CSV file to a server's POST /write, as line protocol. Three shapes:
// - line protocol's names: a measurement (--measurement or a column) and fields and tags by
//   their columns (connect/csv/csv_reader.h has the header's kinds);
// - catalog tags by path, one column each: "time,demo/plant1/air01/header_pressure,...";
// - export's long CSV, "time,tag,value": each row names its tag by path.
// A tag named by path is written under the InfluxDB name it answers to (the server tells:
// app/export_source.h), its cells read as its type.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "app/client_common.h"
#include "app/commands.h"
#include "app/export_source.h"
#include "app/line_poster.h"
#include "connect/csv/csv_reader.h"
#include "connect/lineproto/line_writer.h"
#include "connect/lineproto/precision.h"

namespace zhizao::app {
namespace {

namespace csv = connect::csv;
namespace lp = connect::lineproto;

struct LpLine {
  std::string database;  // empty: --db
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

std::string LineText(std::string_view measurement, std::vector<lp::Tag> tags, const std::vector<lp::Field>& fields,
                     std::optional<int64_t> ts_ns) {
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
                  .ts_ns = ts_ns.value_or(0)},
                 &text);
  // Without a time the line has none, and the server stamps it on receipt.
  if (!ts_ns) text.erase(text.rfind(' '));
  return text;
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
  return LineText(measurement, std::move(tags), fields, row.ts_ns);
}

// The line of one sample of a catalog tag, under its InfluxDB name.
std::string TagLine(const ExportTag& tag, const csv::CsvValue& value, std::optional<int64_t> ts_ns) {
  std::vector<lp::Tag> tags;
  for (const auto& [key, v] : tag.name.tags) tags.push_back({key, v});
  return LineText(tag.name.measurement, std::move(tags), {{tag.name.field, FieldValueOf(value)}}, ts_ns);
}

csv::CsvKind KindOf(const std::string& data_type) {
  if (data_type == "int64") return csv::CsvKind::kInt;
  if (data_type == "bool") return csv::CsvKind::kBool;
  if (data_type == "string") return csv::CsvKind::kString;
  return csv::CsvKind::kFloat;
}

// Catalog tags by path, asked of the server once per database (its root asset).
class TagsByPath {
 public:
  explicit TagsByPath(HttpClient& client) : client_(client) {}

  Result<const ExportTag*> Find(const std::string& path) {
    const std::string db = path.substr(0, path.find('/'));
    auto tags = databases_.find(db);
    if (tags == databases_.end()) {
      ZZ_ASSIGN_OR_RETURN(auto listed, ExportTagsOf(client_, db));
      tags = databases_.emplace(db, std::move(listed)).first;
    }
    auto found = tags->second.find(path);
    if (found == tags->second.end()) return Status::NotFound("no tag " + path);
    return &found->second;
  }

 private:
  HttpClient& client_;
  std::map<std::string, std::map<std::string, ExportTag>> databases_;
};

enum class Shape { kLineProtocol, kTagColumns, kTagRows };

Result<Shape> ShapeOf(const std::vector<csv::CsvColumn>& columns, const ImportFlags& flags) {
  auto is = [&](csv::CsvKind kind) {
    return std::any_of(columns.begin(), columns.end(), [&](const auto& c) { return c.kind == kind; });
  };
  if (!flags.measurement.empty() || is(csv::CsvKind::kMeasurement)) {
    if (flags.db.empty()) return Status::InvalidArgument("give --db (or ZHIZAO_DB): the database to write to");
    return Shape::kLineProtocol;
  }
  if (columns.size() == 3 && columns[0].name == "time" && columns[1].name == "tag" && columns[2].name == "value" &&
      !columns[1].kind_given && !columns[2].kind_given) {
    return Shape::kTagRows;
  }
  bool all_paths = std::all_of(columns.begin(), columns.end(), [](const csv::CsvColumn& c) {
    return c.kind == csv::CsvKind::kTime || (c.kind != csv::CsvKind::kTag && c.name.find('/') != std::string::npos);
  });
  if (all_paths && columns.size() > (is(csv::CsvKind::kTime) ? 1u : 0u)) return Shape::kTagColumns;
  return Status::InvalidArgument(
      "the header names no measurement and no catalog tags: give --measurement or a measurement column (line "
      "protocol's names), or name tags by path (\"time,demo/plant1/air01/pressure\" or \"time,tag,value\")");
}

std::string WithRow(int64_t row, const Status& status) {
  return "row " + std::to_string(row) + ": " + status.message();
}

// The whole file as lines, so that a malformed row or an unknown tag stops the import before
// anything is sent.
Result<std::vector<LpLine>> Convert(const std::string& text, const ImportFlags& flags, HttpClient& client) {
  ZZ_ASSIGN_OR_RETURN(lp::Precision precision, lp::ParsePrecision(flags.precision));
  ZZ_ASSIGN_OR_RETURN(csv::CsvTable table, csv::CsvTable::Open(text, {.ns_per_unit = lp::NanosPerUnit(precision)}));
  ZZ_ASSIGN_OR_RETURN(Shape shape, ShapeOf(table.columns(), flags));
  TagsByPath tags(client);
  std::vector<const ExportTag*> column_tags(table.columns().size(), nullptr);
  if (shape == Shape::kTagColumns) {
    for (size_t i = 0; i < table.columns().size(); ++i) {
      const csv::CsvColumn& column = table.columns()[i];
      if (column.kind == csv::CsvKind::kTime) continue;
      Result<const ExportTag*> tag = tags.Find(column.name);
      if (!tag.ok()) return Status(tag.status().code(), "row 1, column " + std::to_string(i + 1) + ": " + tag.status().message());
      column_tags[i] = *tag;
      if (!column.kind_given) table.SetKind(i, KindOf((*tag)->data_type));
    }
  }
  if (shape == Shape::kTagRows) {
    table.SetKind(1, csv::CsvKind::kString);
    table.SetKind(2, csv::CsvKind::kString);  // read as its row's tag's type
  }
  std::vector<LpLine> lines;
  csv::CsvRow row;
  while (true) {
    ZZ_ASSIGN_OR_RETURN(bool more, table.Next(&row));
    if (!more) return lines;
    if (shape == Shape::kLineProtocol) {
      ZZ_ASSIGN_OR_RETURN(std::string line, LineOf(table.columns(), row, flags.measurement));
      if (!line.empty()) lines.push_back({"", std::move(line), row.row});
      continue;
    }
    if (shape == Shape::kTagColumns) {
      for (size_t i = 0; i < column_tags.size(); ++i) {
        if (column_tags[i] == nullptr || std::holds_alternative<std::monostate>(row.values[i])) continue;
        lines.push_back({column_tags[i]->name.database, TagLine(*column_tags[i], row.values[i], row.ts_ns), row.row});
      }
      continue;
    }
    const auto* path = std::get_if<std::string>(&row.values[1]);
    const auto* cell = std::get_if<std::string>(&row.values[2]);
    if (path == nullptr || cell == nullptr) continue;  // no tag or no value: nothing to write
    Result<const ExportTag*> tag = tags.Find(*path);
    if (!tag.ok()) return Status(tag.status().code(), WithRow(row.row, tag.status()));
    Result<csv::CsvValue> value = csv::ParseFieldCell(KindOf((*tag)->data_type), *cell);
    if (!value.ok()) return Status::InvalidArgument(WithRow(row.row, value.status()) + " (tag " + *path + ")");
    lines.push_back({(*tag)->name.database, TagLine(**tag, *value, row.ts_ns), row.row});
  }
}

}  // namespace

int RunImport(const ImportFlags& flags) {
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report("import", client.status(), kExitUsage);
  Result<std::string> text = ReadInput(flags.file);
  if (!text.ok()) return Report("import", text.status(), kExitUsage);
  Result<std::vector<LpLine>> lines = Convert(*text, flags, **client);
  if (!lines.ok()) return Report("import", lines.status().WithContext(flags.file), kExitFailure);
  // One poster per database: tags named by path may live in several.
  std::map<std::string, LinePoster> posters;
  auto poster_of = [&](const std::string& database) -> LinePoster& {
    const std::string& db = database.empty() ? flags.db : database;
    auto found = posters.find(db);
    if (found != posters.end()) return found->second;
    return posters.try_emplace(db, **client, LinePosterOptions{.database = db,
                                                               .precision = "ns",
                                                               .batch_bytes = static_cast<size_t>(flags.batch_bytes),
                                                               .gzip = flags.gzip,
                                                               .source_unit = "row"})
        .first->second;
  };
  Status sent = Status::Ok();
  for (const LpLine& line : *lines) {
    sent = poster_of(line.database).Add(line.text, line.row);
    if (!sent.ok()) break;
  }
  int64_t written = 0, rejected = 0;
  std::string databases;
  for (auto& [db, poster] : posters) {
    if (sent.ok()) sent = poster.Flush();
    for (const std::string& error : poster.line_errors()) {
      std::fprintf(stderr, "%s: %s\n", flags.file.c_str(), error.c_str());
    }
    written += poster.points_written();
    rejected += poster.lines_rejected();
    databases += (databases.empty() ? "" : ", ") + db;
  }
  if (!sent.ok()) return Report("import", sent, kExitFailure);
  std::printf("%lld points written to %s\n", static_cast<long long>(written),
              databases.empty() ? flags.db.c_str() : databases.c_str());
  if (rejected == 0) return kExitOk;
  std::fprintf(stderr, "zhizao: import: partial write: %lld rows rejected\n", static_cast<long long>(rejected));
  return kExitFailure;
}

}  // namespace zhizao::app
