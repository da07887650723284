#include "common/batch.h"

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

}  // namespace zhizao
