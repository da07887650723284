// The samples of one series in columns: what the head buffers, chunks encode and decodes
// produce. A plain value; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/batch.h"

namespace zhizao::storage {

// Columns of equal length in time order; only the value column of `type` is used:
// f64 for kFloat64, i64 for kInt64 and kBool (0 or 1), str for kString.
struct SeriesSamples {
  DataType type = DataType::kFloat64;
  std::vector<int64_t> ts_ns;
  std::vector<uint32_t> status;  // OPC UA status codes, 0 = Good
  std::vector<double> f64;
  std::vector<int64_t> i64;
  std::vector<std::string> str;

  size_t size() const { return ts_ns.size(); }
  void Clear() {
    ts_ns.clear();
    status.clear();
    f64.clear();
    i64.clear();
    str.clear();
  }
};

}  // namespace zhizao::storage
