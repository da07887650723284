#include "common/batch.h"

#include <algorithm>
#include <limits>

namespace zhizao {

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kFloat64: return "float64";
    case DataType::kInt64: return "int64";
    case DataType::kBool: return "bool";
    case DataType::kString: return "string";
  }
  return "unknown";
}

Result<DataType> ParseDataType(std::string_view name) {
  for (DataType t : {DataType::kFloat64, DataType::kInt64, DataType::kBool, DataType::kString}) {
    if (name == DataTypeName(t)) return t;
  }
  return Status::InvalidArgument("unknown data type '" + std::string(name) +
                                 "' (expected float64, int64, bool or string)");
}

std::string_view QualitySeverityName(QualitySeverity severity) {
  switch (severity) {
    case QualitySeverity::kGood: return "good";
    case QualitySeverity::kUncertain: return "uncertain";
    case QualitySeverity::kBad: return "bad";
  }
  return "bad";
}

double Value::AsDouble() const {
  switch (type_) {
    case DataType::kFloat64: return f64();
    case DataType::kInt64: return static_cast<double>(i64());
    case DataType::kBool: return boolean() ? 1.0 : 0.0;
    case DataType::kString: break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

void Batch::AddString(TagId tag, int64_t ts_ns, std::string v, uint32_t status) {
  points.push_back({tag, status, ts_ns, Value::StringAt(static_cast<uint32_t>(strings.size()))});
  strings.push_back(std::move(v));
}

void SortByTag(Batch& batch) {
  std::vector<Point>& points = batch.points;
  if (points.size() < 2) return;
  // LSD radix sort on the tag id, 16 bits a pass: linear and stable. The high pass is needed
  // only past 65,535 tags.
  TagId max_tag = 0;
  for (const Point& p : points) max_tag = std::max(max_tag, p.tag);
  std::vector<Point> scratch(points.size());
  for (int shift : {0, 16}) {
    if (shift > 0 && (max_tag >> shift) == 0) break;
    std::vector<uint32_t> offset(65537, 0);
    for (const Point& p : points) ++offset[((p.tag >> shift) & 0xFFFF) + 1];
    for (size_t i = 1; i < offset.size(); ++i) offset[i] += offset[i - 1];
    for (const Point& p : points) scratch[offset[(p.tag >> shift) & 0xFFFF]++] = p;
    points.swap(scratch);
  }
}

}  // namespace zhizao
