#include "analytics/registry/row_grid.h"

#include <algorithm>

#include "common/check.h"

namespace zhizao::analytics::registry {
namespace {

// The first multiple of step at or after ts (timestamps may be negative).
int64_t GridCeil(int64_t ts_ns, int64_t step_ns) {
  int64_t q = ts_ns / step_ns;
  if (q * step_ns < ts_ns) ++q;
  return q * step_ns;
}

}  // namespace

RowGrid::RowGrid(size_t columns, int64_t step_ns, int64_t max_age_ns, Sink sink)
    : step_ns_(step_ns), max_age_ns_(max_age_ns), sink_(std::move(sink)), columns_(columns), row_(columns, 0.0) {
  ZZ_CHECK(columns > 0 && step_ns > 0 && max_age_ns >= step_ns, "RowGrid needs columns, a step and max_age >= step");
}

void RowGrid::Add(size_t column, int64_t ts_ns, double value) {
  Column& c = columns_[column];
  if (ts_ns <= c.newest_ns) return;
  c.newest_ns = ts_ns;
  newest_ns_ = std::max(newest_ns_, ts_ns);
  if (next_row_ns_ == INT64_MIN) next_row_ns_ = GridCeil(ts_ns, step_ns_);
  if (ts_ns <= next_row_ns_) {
    c.held = {ts_ns, value};
    c.held_valid = true;
  } else {
    c.ahead.push_back({ts_ns, value});
  }
  while (RowReady()) EmitRow();
}

bool RowGrid::RowReady() const {
  // Past max_age, a column that has not reached the row is stale there and waits no longer.
  if (newest_ns_ - next_row_ns_ > max_age_ns_) return true;
  return std::all_of(columns_.begin(), columns_.end(), [](const Column& c) { return !c.ahead.empty(); });
}

void RowGrid::EmitRow() {
  const int64_t g = next_row_ns_;
  bool complete = true, any_fresh = false;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& c = columns_[i];
    const bool fresh = c.held_valid && g - c.held.ts_ns <= max_age_ns_;
    complete &= fresh;
    any_fresh |= fresh;
    row_[i] = fresh ? c.held.value : 0.0;
  }
  sink_(GridRow{.ts_ns = g, .complete = complete, .values = row_});
  int64_t next = g + step_ns_;
  if (!any_fresh) {
    // Every tag is silent here: skip to the first row after the next sample of any tag, so that
    // a day-long gap costs one row, not 86,400.
    int64_t first_ahead = INT64_MAX;
    for (const Column& c : columns_) {
      if (!c.ahead.empty()) first_ahead = std::min(first_ahead, c.ahead.front().ts_ns);
    }
    if (first_ahead != INT64_MAX) next = std::max(next, GridCeil(first_ahead, step_ns_));
  }
  AdvanceTo(next);
}

void RowGrid::AdvanceTo(int64_t row_ns) {
  next_row_ns_ = row_ns;
  for (Column& c : columns_) {
    while (!c.ahead.empty() && c.ahead.front().ts_ns <= row_ns) {
      c.held = c.ahead.front();
      c.held_valid = true;
      c.ahead.pop_front();
    }
  }
}

}  // namespace zhizao::analytics::registry
