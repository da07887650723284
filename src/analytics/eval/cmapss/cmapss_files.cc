#include "analytics/eval/cmapss/cmapss_files.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace zhizao::analytics::eval::cmapss {
namespace {

// Splits on spaces and tabs (the files have trailing spaces) and parses every field.
Result<std::vector<double>> ParseNumbers(const std::string& line, const std::string& where) {
  std::vector<double> values;
  std::istringstream fields(line);
  std::string field;
  while (fields >> field) {
    double value = 0;
    auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc() || end != field.data() + field.size() || !std::isfinite(value)) {
      return Status::InvalidArgument(where + ": '" + field + "' is not a finite number");
    }
    values.push_back(value);
  }
  return values;
}

template <typename Handle>
Result<size_t> ForEachLine(const std::string& path, Handle handle) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::string line;
  size_t number = 0, rows = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = path + ":" + std::to_string(number);
    ZZ_ASSIGN_OR_RETURN(auto values, ParseNumbers(line, where));
    if (values.empty()) continue;
    ZZ_RETURN_IF_ERROR(handle(values, where));
    ++rows;
  }
  if (rows == 0) return Status::InvalidArgument(path + " has no rows");
  return rows;
}

bool IsInteger(double v) { return v == std::floor(v) && std::abs(v) < 9e15; }

}  // namespace

Result<std::vector<rul::Row>> ReadCmapssRows(const std::string& path) {
  std::vector<rul::Row> rows;
  auto read = ForEachLine(path, [&](const std::vector<double>& v, const std::string& where) -> Status {
    if (v.size() != kCmapssColumns) {
      return Status::InvalidArgument(where + ": expected " + std::to_string(kCmapssColumns) + " columns, found " +
                                     std::to_string(v.size()));
    }
    if (!IsInteger(v[0]) || !IsInteger(v[1])) return Status::InvalidArgument(where + ": unit and cycle must be integers");
    rows.push_back({.unit = static_cast<int64_t>(v[0]), .cycle = static_cast<int64_t>(v[1]),
                    .settings = {v.begin() + 2, v.begin() + 5}, .sensors = {v.begin() + 5, v.end()}});
    return Status::Ok();
  });
  if (!read.ok()) return read.status();
  return rows;
}

Result<std::vector<double>> ReadCmapssRul(const std::string& path) {
  std::vector<double> truth;
  auto read = ForEachLine(path, [&](const std::vector<double>& v, const std::string& where) -> Status {
    if (v.size() != 1) return Status::InvalidArgument(where + ": expected 1 column, found " + std::to_string(v.size()));
    truth.push_back(v[0]);
    return Status::Ok();
  });
  if (!read.ok()) return read.status();
  return truth;
}

}  // namespace zhizao::analytics::eval::cmapss
