// The state machine behind AggregateCursor: for each slice of the range, read and fold each tag
// in turn (handing out that tag's closed windows before reading the next tag, so only one
// series' slice is held), then hand out the combined windows the slice closed.
// Not thread-safe.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "query/aggregate.h"
#include "query/internal/slicer.h"
#include "query/internal/window_folder.h"

namespace zhizao::query {

class AggregateCursor::Impl {
 public:
  // REQUIRES: the query passed validation and its range is clamped.
  Impl(const SampleSource& source, AggregateQuery query, const QueryOptions& options);

  Result<bool> Next(WindowRow* row);
  const QueryStats& stats() const { return stats_; }

 private:
  Result<bool> Advance(WindowRow* row);
  void StartSlice();
  Status FoldTag(size_t i);
  Status ReadTag(TagId tag);
  Status CheckType(TagId tag, DataType type);
  void FoldRuns(internal::WindowFolder* per_series, internal::WindowFolder* combined);
  // Whether a chunk over [first_ts, last_ts] may be folded from its summary: it lies in one
  // window and its quality counts show the summary covers the samples the policy folds.
  bool TakesSummary(int64_t first_ts, int64_t last_ts, const storage::ChunkSummary& summary) const;
  // Whether rollup buckets may stand for their samples: their quality counts show that they
  // fold what the policy folds.
  bool TakesBuckets(std::span<const storage::RollupBucket> buckets) const;
  // Gathers summaries_ and buckets_ into pieces_, in time order.
  void GatherPieces();
  void FillRow(int64_t index, WindowRow* row);

  const SampleSource& source_;
  const AggregateQuery query_;
  const QueryOptions options_;
  const bool need_m2_;
  const bool keep_values_;
  // Chunk summaries stand in for samples unless median or percentile needs the values.
  const bool use_summaries_;
  // So do rollup buckets, when every bucket lies in one window and stddev needs no m2.
  const bool use_rollups_;
  const int64_t last_index_;
  QueryStats stats_;
  internal::Slicer slicer_;

  int64_t slice_from_ = 0;
  int64_t slice_to_ = 0;
  int64_t closed_ = 0;   // the last window complete once the current slice is folded
  int64_t densest_ = 0;  // the most samples one tag had in the current slice
  size_t next_tag_;      // the next tag to read in the current slice
  bool combined_pending_ = false;

  std::vector<internal::WindowFolder> per_series_;  // one per tag, if query_.per_series
  std::optional<internal::WindowFolder> combined_;
  internal::WindowFolder* draining_ = nullptr;
  TagId draining_tag_ = 0;
  std::optional<bool> text_;  // whether the tags hold strings, once a sample was seen
  bool failed_ = false;

  storage::SeriesSamples samples_;  // the current slice of the current tag
  std::vector<storage::SummarizedChunk> summaries_;  // its chunks folded from summaries, in time order
  std::vector<storage::RollupBucket> buckets_;       // its rollup buckets folded instead of samples
  // Summaries and buckets as states, at the time of their first sample, in time order.
  struct Piece {
    int64_t at = 0;
    WindowState state;
  };
  std::vector<Piece> pieces_;
  std::vector<double> numeric_;     // its int64/bool values as doubles
  std::vector<double> kept_;        // the folded values of one run
  std::vector<double> values_;      // the folded values of the window being reported
};

}  // namespace zhizao::query
