#include "query/internal/window_folder.h"

#include <algorithm>

#include "common/check.h"

namespace zhizao::query::internal {

WindowFolder::WindowFolder(int64_t first_index, int64_t last_index, bool keep_values, bool emit_empty)
    : next_(first_index), last_(last_index), closed_(first_index - 1), keep_values_(keep_values),
      emit_empty_(emit_empty) {}

WindowState& WindowFolder::StateAt(int64_t index) {
  ZZ_CHECK(index >= next_ && index <= last_, "a run must fall in an open window of the query");
  if (states_.empty()) base_ = index;
  // Several tags feed one combined folder, each from the start of the slice: a later tag may
  // reach back to windows before the first one an earlier tag opened.
  for (; index < base_; --base_) {
    states_.emplace_front();
    if (keep_values_) values_.emplace_front();
  }
  while (index >= base_ + static_cast<int64_t>(states_.size())) {
    states_.emplace_back();
    if (keep_values_) values_.emplace_back();
  }
  return states_[static_cast<size_t>(index - base_)];
}

void WindowFolder::Merge(int64_t index, const WindowState& run, std::span<const double> values) {
  StateAt(index).Merge(run);
  if (keep_values_) {
    std::vector<double>& kept = values_[static_cast<size_t>(index - base_)];
    kept.insert(kept.end(), values.begin(), values.end());
  }
}

bool WindowFolder::Pop(int64_t* index, WindowState* state, std::vector<double>* values) {
  const int64_t limit = std::min(closed_, last_);
  while (next_ <= limit) {
    if (!states_.empty() && base_ == next_) {
      *index = next_++;
      *state = std::move(states_.front());
      states_.pop_front();
      ++base_;
      if (keep_values_) {
        *values = std::move(values_.front());
        values_.pop_front();
      }
      if (state->samples > 0 || emit_empty_) return true;
      continue;
    }
    if (emit_empty_) {
      *index = next_++;
      *state = WindowState();
      values->clear();
      return true;
    }
    // Skip the stretch without samples in one step: it may be millions of windows long.
    next_ = states_.empty() ? limit + 1 : std::min(base_, limit + 1);
  }
  return false;
}

}  // namespace zhizao::query::internal
