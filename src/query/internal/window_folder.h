// The open windows of one output series (a tag, or the combination of all tags): runs are merged
// into them as slices are read, and closed windows are popped in time order.
// Not thread-safe; owned by one cursor.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "query/window.h"

namespace zhizao::query::internal {

class WindowFolder {
 public:
  // Windows first_index..last_index exist; `keep_values` keeps each window's folded values
  // (median, percentile); `emit_empty` makes Pop() return windows without samples too.
  WindowFolder(int64_t first_index, int64_t last_index, bool keep_values, bool emit_empty);

  // Merges a run of samples of window `index` (with its folded values, if kept).
  // REQUIRES: index is not closed yet.
  void Merge(int64_t index, const WindowState& run, std::span<const double> values);

  // No more samples will arrive for windows up to `index`.
  void CloseThrough(int64_t index) { closed_ = std::max(closed_, index); }

  // The next closed window to report, oldest first; false when there is none yet.
  bool Pop(int64_t* index, WindowState* state, std::vector<double>* values);

 private:
  WindowState& StateAt(int64_t index);

  int64_t next_;    // the oldest window not yet popped
  int64_t last_;
  int64_t closed_;  // windows up to here are complete
  int64_t base_ = 0;  // the index of states_.front()
  bool keep_values_;
  bool emit_empty_;
  std::deque<WindowState> states_;
  std::deque<std::vector<double>> values_;  // parallel to states_ when keep_values_
};

}  // namespace zhizao::query::internal
