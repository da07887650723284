// The data model every module shares: points of tags, gathered in batches.
//
// A Batch is what a connector or an API decoder hands to ingest. It is a plain value:
// not thread-safe, moved between threads whole.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zhizao {

// Identifies a tag (a series) of the catalog. 0 is never a valid id.
using TagId = uint32_t;

enum class DataType : uint8_t { kFloat64 = 0, kInt64 = 1, kBool = 2, kString = 3 };

std::string_view DataTypeName(DataType type);  // "float64", "int64", "bool", "string"
Result<DataType> ParseDataType(std::string_view name);

// Quality travels with every sample as an OPC UA StatusCode (Part 4, 7.39): the top two
// bits give the severity, the rest say why. 0 is Good. Sources that are not OPC UA use
// the codes below so a reason survives all the way to a chart.
enum class QualitySeverity : uint8_t { kGood = 0, kUncertain = 1, kBad = 2 };

inline QualitySeverity SeverityOf(uint32_t status) {
  uint32_t bits = status >> 30;
  if (bits == 0) return QualitySeverity::kGood;
  if (bits == 1) return QualitySeverity::kUncertain;
  return QualitySeverity::kBad;
}
std::string_view QualitySeverityName(QualitySeverity severity);  // "good", "uncertain", "bad"

namespace status_codes {
inline constexpr uint32_t kGood = 0x00000000;
inline constexpr uint32_t kUncertain = 0x40000000;
inline constexpr uint32_t kUncertainLastUsableValue = 0x40900000;
inline constexpr uint32_t kUncertainSensorNotAccurate = 0x40930000;
inline constexpr uint32_t kBad = 0x80000000;
inline constexpr uint32_t kBadSensorFailure = 0x808C0000;
inline constexpr uint32_t kBadDeviceFailure = 0x808B0000;
inline constexpr uint32_t kBadCommunicationError = 0x80050000;
inline constexpr uint32_t kBadNoCommunication = 0x80310000;
inline constexpr uint32_t kBadOutOfService = 0x808D0000;
}  // namespace status_codes

// One value of any DataType in 16 bytes. A string is an index into its Batch's strings.
class Value {
 public:
  Value() = default;  // float64 0.0
  static Value Float64(double v) { return Value(DataType::kFloat64, std::bit_cast<uint64_t>(v)); }
  static Value Int64(int64_t v) { return Value(DataType::kInt64, static_cast<uint64_t>(v)); }
  static Value Bool(bool v) { return Value(DataType::kBool, v ? 1 : 0); }
  static Value StringAt(uint32_t index) { return Value(DataType::kString, index); }

  DataType type() const { return type_; }
  // REQUIRES: type() is the one asked for.
  double f64() const { return std::bit_cast<double>(bits_); }
  int64_t i64() const { return static_cast<int64_t>(bits_); }
  bool boolean() const { return bits_ != 0; }
  uint32_t string_index() const { return static_cast<uint32_t>(bits_); }

  // The numeric reading of a float64, int64 or bool (true = 1); NaN for a string.
  double AsDouble() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  Value(DataType type, uint64_t bits) : type_(type), bits_(bits) {}
  DataType type_ = DataType::kFloat64;
  uint64_t bits_ = 0;
};

struct Point {
  TagId tag = 0;
  uint32_t status = status_codes::kGood;
  int64_t ts_ns = 0;  // nanoseconds since the Unix epoch, UTC
  Value value;
};
static_assert(sizeof(Point) == 32, "Point is kept small: batches hold millions");

struct Batch {
  std::vector<Point> points;
  std::vector<std::string> strings;  // payloads of string values, by Value::string_index()

  void AddFloat64(TagId tag, int64_t ts_ns, double v, uint32_t status = status_codes::kGood) {
    points.push_back({tag, status, ts_ns, Value::Float64(v)});
  }
  void AddInt64(TagId tag, int64_t ts_ns, int64_t v, uint32_t status = status_codes::kGood) {
    points.push_back({tag, status, ts_ns, Value::Int64(v)});
  }
  void AddBool(TagId tag, int64_t ts_ns, bool v, uint32_t status = status_codes::kGood) {
    points.push_back({tag, status, ts_ns, Value::Bool(v)});
  }
  void AddString(TagId tag, int64_t ts_ns, std::string v, uint32_t status = status_codes::kGood);

  // REQUIRES: v.type() == DataType::kString and v came from this batch.
  std::string_view StringOf(const Value& v) const { return strings[v.string_index()]; }

  size_t size() const { return points.size(); }
  bool empty() const { return points.empty(); }
  void Clear() {
    points.clear();
    strings.clear();
  }
};

// Orders the batch's points by tag, stably: each tag's points keep their order, so a later write
// of a timestamp stays later. Storage applies a sorted batch one series at a time, which keeps a
// series' head in cache across its points instead of touching every series once per line.
void SortByTag(Batch& batch);

}  // namespace zhizao
