// Turns a window's state (and its kept values) into the cells the caller asked for.
#pragma once

#include <vector>

#include "query/aggregate.h"

namespace zhizao::query::internal {

// `text`: the series holds strings (first and last read first_str and last_str). `values` holds
// the window's folded values when median or percentile is asked for; it is reordered.
Cell Finalize(const AggregateSpec& spec, const WindowState& state, bool text, std::vector<double>& values);

}  // namespace zhizao::query::internal
