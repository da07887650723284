// Aligns the samples of a fixed list of tags onto a time grid, so that a multivariate model sees
// one row per step: the row at grid time g holds each tag's last sample at or before g.
//
// Training, live scoring and replay all build their rows here, which is what makes a replay of
// a past range produce the rows (and so the events) that live scoring produced. A row is emitted
// once every tag has a sample past g, so the rows depend only on each tag's own sequence of
// samples, not on how the tags' samples interleave on arrival. Two exceptions, both decided on
// data time only: a tag more than max_age behind the most advanced one no longer holds rows back
// (its cells go stale), and a stretch where every tag is silent is skipped, not filled.
//
// A cell is stale when its tag has no sample within max_age before g; a row with a stale cell is
// emitted as incomplete (the scorer restarts its window after it).
//
// Not thread-safe: one owner. Memory: the samples of each tag not yet passed by every other tag.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <vector>

namespace zhizao::analytics::registry {

struct GridRow {
  int64_t ts_ns = 0;
  bool complete = false;          // every cell fresh; values are meaningful only then
  std::span<const double> values;  // one per column
};

class RowGrid {
 public:
  using Sink = std::function<void(const GridRow& row)>;

  // REQUIRES: columns > 0, step_ns > 0, max_age_ns >= step_ns.
  RowGrid(size_t columns, int64_t step_ns, int64_t max_age_ns, Sink sink);

  // One sample of a column. Per column, samples must come in time order: an older or repeated
  // timestamp is ignored. Emits every row that this sample lets through.
  void Add(size_t column, int64_t ts_ns, double value);

  // The grid time of the next row to emit; INT64_MIN before the first sample.
  int64_t next_row_ns() const { return next_row_ns_; }

 private:
  struct Sample {
    int64_t ts_ns;
    double value;
  };
  struct Column {
    bool held_valid = false;
    Sample held{};             // the last sample at or before next_row_ns_
    std::deque<Sample> ahead;  // samples after next_row_ns_, in time order
    int64_t newest_ns = INT64_MIN;
  };

  bool RowReady() const;
  // Emits the row at next_row_ns_ (skipping ahead over a stretch where every tag is silent).
  void EmitRow();
  void AdvanceTo(int64_t row_ns);

  int64_t step_ns_;
  int64_t max_age_ns_;
  Sink sink_;
  std::vector<Column> columns_;
  std::vector<double> row_;
  int64_t next_row_ns_ = INT64_MIN;  // the next grid time to emit; set by the first sample
  int64_t newest_ns_ = INT64_MIN;    // the newest sample of any column
};

}  // namespace zhizao::analytics::registry
