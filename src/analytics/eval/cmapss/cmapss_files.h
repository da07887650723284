// Readers for NASA C-MAPSS files (train_FD00x.txt, test_FD00x.txt, RUL_FD00x.txt).
//
// A data row is 26 space-separated numbers: unit, cycle, 3 operating settings, 21 sensors.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <vector>

#include "analytics/rul/rul_row.h"
#include "common/status.h"

namespace zhizao::analytics::eval::cmapss {

inline constexpr size_t kCmapssColumns = 26;

// kNotFound when the file cannot be opened; kInvalidArgument "<path>:<line>: ..." for a row
// with another column count, a non-number, a non-integer unit or cycle, or a non-finite value;
// kInvalidArgument for a file with no rows.
Result<std::vector<rul::Row>> ReadCmapssRows(const std::string& path);

// One true RUL per line, in test-unit order. Same error policy.
Result<std::vector<double>> ReadCmapssRul(const std::string& path);

}  // namespace zhizao::analytics::eval::cmapss
