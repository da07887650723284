#include "connect/csv/csv_reader.h"

#include <array>
#include <charconv>
#include <cmath>

#include "common/time_format.h"

namespace zhizao::connect::csv {
namespace {

std::string RowColumn(int64_t row, size_t column) {
  return "row " + std::to_string(row) + ", column " + std::to_string(column);
}

template <typename T>
bool ParseWhole(std::string_view text, T& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// InfluxDB's spellings of a boolean field, and 1/0 as spreadsheets write them.
std::optional<bool> ParseBool(std::string_view text) {
  std::string lower = Lower(text);
  if (lower == "true" || lower == "t" || lower == "1") return true;
  if (lower == "false" || lower == "f" || lower == "0") return false;
  return std::nullopt;
}

// An integer epoch in units of ns_per_unit, or an RFC 3339 time.
std::optional<int64_t> ParseTime(std::string_view text, int64_t ns_per_unit) {
  int64_t units = 0;
  if (ParseWhole(text, units)) {
    int64_t ns = 0;
    if (__builtin_mul_overflow(units, ns_per_unit, &ns)) return std::nullopt;
    return ns;
  }
  Result<int64_t> ts = ParseRfc3339(text);
  return ts.ok() ? std::optional<int64_t>(*ts) : std::nullopt;
}

std::optional<CsvKind> KindNamed(std::string_view name) {
  static constexpr std::array<CsvKind, 8> kKinds = {CsvKind::kTime, CsvKind::kMeasurement, CsvKind::kTag,
                                                    CsvKind::kFloat, CsvKind::kInt, CsvKind::kUint,
                                                    CsvKind::kBool, CsvKind::kString};
  for (CsvKind kind : kKinds) {
    if (CsvKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Result<CsvColumn> ParseHeaderCell(std::string_view cell, size_t column) {
  size_t bar = cell.rfind('|');
  CsvColumn out{.name = std::string(cell.substr(0, bar))};
  if (bar != std::string_view::npos) {
    std::optional<CsvKind> kind = KindNamed(cell.substr(bar + 1));
    if (!kind) {
      return Status::InvalidArgument(RowColumn(1, column) + ": unknown kind \"" + std::string(cell.substr(bar + 1)) +
                                     "\" (use time, measurement, tag, float, int, uint, bool or string)");
    }
    out.kind = *kind;
    out.kind_given = true;
  } else if (out.name == "time") {
    out.kind = CsvKind::kTime;
  } else if (out.name == "measurement") {
    out.kind = CsvKind::kMeasurement;
  }
  if (out.name.empty()) return Status::InvalidArgument(RowColumn(1, column) + ": empty column name");
  return out;
}

Status CheckHeader(const std::vector<CsvColumn>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (columns[j].name == columns[i].name) {
        return Status::InvalidArgument(RowColumn(1, i + 1) + ": column \"" + columns[i].name + "\" is named twice");
      }
      bool unique_kind = columns[i].kind == CsvKind::kTime || columns[i].kind == CsvKind::kMeasurement;
      if (unique_kind && columns[j].kind == columns[i].kind) {
        return Status::InvalidArgument(RowColumn(1, i + 1) + ": a second " + std::string(CsvKindName(columns[i].kind)) +
                                       " column");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view CsvKindName(CsvKind kind) {
  switch (kind) {
    case CsvKind::kTime: return "time";
    case CsvKind::kMeasurement: return "measurement";
    case CsvKind::kTag: return "tag";
    case CsvKind::kFloat: return "float";
    case CsvKind::kInt: return "int";
    case CsvKind::kUint: return "uint";
    case CsvKind::kBool: return "bool";
    case CsvKind::kString: return "string";
  }
  return "float";
}

CsvReader::CsvReader(std::string_view text) : text_(text) {
  // Spreadsheets write a byte-order mark before UTF-8 CSV.
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

Result<bool> CsvReader::Next(std::vector<std::string>* cells) {
  cells->clear();
  if (failed_ || pos_ >= text_.size()) return false;
  ++row_;
  while (true) {
    std::string& cell = cells->emplace_back();
    Status read = pos_ < text_.size() && text_[pos_] == '"' ? ReadQuoted(&cell, cells->size())
                                                            : ReadPlain(&cell, cells->size());
    if (!read.ok()) {
      failed_ = true;
      return read;
    }
    if (pos_ >= text_.size()) return true;
    char separator = text_[pos_++];
    if (separator == '\n') return true;
    if (separator == '\r') {  // ReadPlain and ReadQuoted stop at CR only before LF
      ++pos_;
      return true;
    }
  }
}

// Stops at ',', CRLF, LF or the end; a lone CR is data.
Status CsvReader::ReadPlain(std::string* cell, size_t column) {
  size_t start = pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ',' || c == '\n' || (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) break;
    if (c == '"') {
      return Status::InvalidArgument(RowColumn(row_, column) + ": a quote inside a cell that is not quoted");
    }
    ++pos_;
  }
  cell->assign(text_.substr(start, pos_ - start));
  return Status::Ok();
}

Status CsvReader::ReadQuoted(std::string* cell, size_t column) {
  const int64_t first_row = row_;
  ++pos_;  // the opening quote
  while (true) {
    size_t quote = text_.find('"', pos_);
    if (quote == std::string_view::npos) {
      pos_ = text_.size();
      return Status::InvalidArgument("row " + std::to_string(first_row) + ": a quoted cell is not closed");
    }
    cell->append(text_.substr(pos_, quote - pos_));
    pos_ = quote + 1;
    if (pos_ < text_.size() && text_[pos_] == '"') {  // "" is one quote
      *cell += '"';
      ++pos_;
      continue;
    }
    break;
  }
  bool at_end = pos_ >= text_.size() || text_[pos_] == ',' || text_[pos_] == '\n' ||
                (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  if (!at_end) return Status::InvalidArgument(RowColumn(row_, column) + ": text after the closing quote of a cell");
  return Status::Ok();
}

Result<CsvTable> CsvTable::Open(std::string_view text, const CsvOptions& options) {
  CsvReader reader(text);
  std::vector<std::string> cells;
  ZZ_ASSIGN_OR_RETURN(bool any, reader.Next(&cells));
  if (!any) return Status::InvalidArgument("row 1: no header");
  std::vector<CsvColumn> columns;
  for (size_t i = 0; i < cells.size(); ++i) {
    ZZ_ASSIGN_OR_RETURN(CsvColumn column, ParseHeaderCell(cells[i], i + 1));
    columns.push_back(std::move(column));
  }
  ZZ_RETURN_IF_ERROR(CheckHeader(columns));
  return CsvTable(reader, std::move(columns), options);
}

Result<bool> CsvTable::Next(CsvRow* row) {
  do {
    ZZ_ASSIGN_OR_RETURN(bool more, reader_.Next(&cells_));
    if (!more) return false;
  } while (cells_.size() == 1 && cells_[0].empty() && columns_.size() > 1);
  row->row = reader_.row();
  if (cells_.size() != columns_.size()) {
    return Status::InvalidArgument("row " + std::to_string(row->row) + ": " + std::to_string(cells_.size()) +
                                   " cells, the header has " + std::to_string(columns_.size()));
  }
  row->ts_ns.reset();
  row->values.assign(columns_.size(), std::monostate{});
  for (size_t i = 0; i < columns_.size(); ++i) ZZ_RETURN_IF_ERROR(Decode(i, cells_[i], row));
  return true;
}

namespace {

// What a cell of `kind` must be, for the error that says it is not.
std::string_view Expected(CsvKind kind) {
  switch (kind) {
    case CsvKind::kTime: return "an RFC 3339 time or an integer epoch";
    case CsvKind::kInt: return "an integer";
    case CsvKind::kUint: return "an unsigned integer";
    case CsvKind::kBool: return "a boolean (true or false)";
    default: return "a number";
  }
}

std::string NotA(CsvKind kind, const std::string& cell) {
  constexpr size_t kMaxShown = 64;
  std::string shown = cell.size() <= kMaxShown ? cell : cell.substr(0, kMaxShown) + "...";
  return "\"" + shown + "\" is not " + std::string(Expected(kind));
}

}  // namespace

Result<CsvValue> ParseFieldCell(CsvKind kind, const std::string& cell) {
  switch (kind) {
    case CsvKind::kFloat: {
      double x = 0;
      if (ParseWhole(cell, x) && std::isfinite(x)) return CsvValue(x);
      break;
    }
    case CsvKind::kInt: {
      int64_t x = 0;
      if (ParseWhole(cell, x)) return CsvValue(x);
      break;
    }
    case CsvKind::kUint: {
      uint64_t x = 0;
      if (ParseWhole(cell, x)) return CsvValue(x);
      break;
    }
    case CsvKind::kBool: {
      if (std::optional<bool> x = ParseBool(cell)) return CsvValue(*x);
      break;
    }
    default: return CsvValue(cell);
  }
  return Status::InvalidArgument(NotA(kind, cell));
}

Status CsvTable::Decode(size_t column, const std::string& cell, CsvRow* row) const {
  if (cell.empty()) return Status::Ok();
  const CsvKind kind = columns_[column].kind;
  auto refuse = [&] {
    return Status::InvalidArgument(RowColumn(row->row, column + 1) + " (" + columns_[column].name + "): " +
                                   NotA(kind, cell));
  };
  if (kind == CsvKind::kTime) {
    row->ts_ns = ParseTime(cell, options_.ns_per_unit);
    return row->ts_ns ? Status::Ok() : refuse();
  }
  Result<CsvValue> value = ParseFieldCell(kind, cell);
  if (!value.ok()) return refuse();
  row->values[column] = std::move(value).value();
  return Status::Ok();
}

}  // namespace zhizao::connect::csv
