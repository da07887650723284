// One observation of one unit (an engine, a machine, a batch) at one cycle: the input of the
// remaining-useful-life and quality models.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace zhizao::analytics::rul {

// Settings describe the operating condition (altitude, load, speed set point, recipe); sensors
// are the measurements the model learns from. All rows of a data set carry the same number of
// each, in the same order.
struct Row {
  int64_t unit = 0;   // the unit's id; rows of one unit need not be contiguous
  int64_t cycle = 0;  // strictly increasing within a unit (any start, gaps allowed)
  std::vector<double> settings;
  std::vector<double> sensors;
  // Only for Target::kLabel (quality prediction): the measured label of this row. Ignored
  // for Target::kRemainingLife, whose label is derived from the unit's last cycle.
  double label = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace zhizao::analytics::rul
