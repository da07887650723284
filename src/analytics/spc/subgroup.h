// Forming rational subgroups from raw samples: by part key, or by fixed time window.
//
// Thread safety: pure functions. Errors: InvalidArgument for a non-finite value (naming its
// position), a window width <= 0, or an empty input.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace zhizao::analytics::spc {

// One measurement as it arrives from a quality tag.
struct Sample {
  std::int64_t ts_ns = 0;  // Unix time, nanoseconds
  double value = 0.0;
  std::string key;         // part / batch identifier; empty when subgrouping by time
};

// A rational subgroup: the values measured together.
struct Subgroup {
  std::string label;            // the key, or the window start in ns as decimal text
  std::int64_t start_ts_ns = 0; // first sample's time (key) or window start (time)
  std::vector<double> values;
};

// Groups samples that share a key. Subgroups are ordered by the first appearance of their
// key; values keep their input order.
Result<std::vector<Subgroup>> SubgroupByKey(std::span<const Sample> samples);

// Groups samples into windows [origin + k·width, origin + (k+1)·width). Empty windows are
// skipped (no point is plotted for them); subgroups come out in time order.
Result<std::vector<Subgroup>> SubgroupByTimeWindow(std::span<const Sample> samples, std::int64_t width_ns,
                                                   std::int64_t origin_ns = 0);

// Checks that every value is finite. `what` names the input in the error.
Status CheckFinite(std::span<const double> values, const char* what);

}  // namespace zhizao::analytics::spc
