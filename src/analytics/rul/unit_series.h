// Rows grouped per unit and checked: the shape every later stage of the RUL pipeline reads.
// Internal to analytics/rul (tests include it too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "analytics/rul/rul_row.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

// One unit's rows, in increasing cycle order. settings/sensors are row-major.
struct UnitSeries {
  int64_t unit = 0;
  std::vector<int64_t> cycles;
  std::vector<std::vector<double>> settings;
  std::vector<std::vector<double>> sensors;
  std::vector<double> labels;  // as given in the rows (NaN when absent)

  size_t size() const { return cycles.size(); }
};

struct GroupOptions {
  bool require_labels = false;     // every row needs a finite label (quality prediction)
  size_t expected_settings = 0;    // 0: take the first row's width
  size_t expected_sensors = 0;     // 0: take the first row's width
};

// Groups rows by unit (units ordered by id, rows by cycle). Errors (kInvalidArgument) name the
// unit and cycle: no rows, a width different from the first row's (or the expected one), a
// non-finite setting/sensor value, a missing label when required, a cycle repeated in a unit.
Result<std::vector<UnitSeries>> GroupUnits(std::span<const Row> rows, const GroupOptions& options);

}  // namespace zhizao::analytics::rul
