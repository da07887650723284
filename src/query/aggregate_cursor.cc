#include <algorithm>
#include <initializer_list>
#include <string>
#include <tuple>

#include "query/internal/aggregate_cursor_impl.h"
#include "query/internal/cells.h"
#include "query/internal/fold.h"

namespace zhizao::query {
namespace {

bool Needs(const AggregateQuery& q, std::initializer_list<AggregateFn> fns) {
  return std::any_of(q.functions.begin(), q.functions.end(), [&](const AggregateSpec& f) {
    return std::find(fns.begin(), fns.end(), f.fn) != fns.end();
  });
}

WindowState FromSummary(const storage::ChunkSummary& c) {
  WindowState s;
  s.samples = c.samples;
  s.non_good = int64_t{c.uncertain} + c.bad;
  s.bad = c.bad;
  s.count = c.count;
  if (c.count == 0) return s;
  s.sum = c.sum, s.m2 = c.m2, s.min = c.min, s.max = c.max, s.first = c.first, s.last = c.last;
  s.min_ts = c.min_ts, s.max_ts = c.max_ts, s.first_ts = c.first_ts, s.last_ts = c.last_ts;
  return s;
}

WindowState FromBucket(const storage::RollupBucket& b) {
  WindowState s;
  s.samples = b.samples;
  s.non_good = b.non_good;
  s.bad = b.bad;
  s.count = b.count;
  if (b.count == 0) return s;
  s.sum = b.sum, s.min = b.min, s.max = b.max, s.first = b.first, s.last = b.last;
  s.min_ts = b.min_ts, s.max_ts = b.max_ts, s.first_ts = b.first_ts, s.last_ts = b.last_ts;
  return s;
}

// Whether every 1-minute rollup bucket of the query's range lies in one window: the windows are
// whole minutes on the minute grid, or the range lies in one window (an aggregate without
// GROUP BY time) and the buckets it cuts are read as samples anyway.
bool OnRollupGrid(const AggregateQuery& q) {
  const WindowSpec& w = q.window;
  if (w.IndexOf(q.from_ns) == w.IndexOf(q.to_ns)) return true;
  return w.width_ns % storage::kRollupBucketNs == 0 && w.StartOf(0) % storage::kRollupBucketNs == 0;
}

}  // namespace

AggregateCursor::Impl::Impl(const SampleSource& source, AggregateQuery query, const QueryOptions& options)
    : source_(source),
      query_(std::move(query)),
      options_(options),
      need_m2_(Needs(query_, {AggregateFn::kStddev})),
      keep_values_(Needs(query_, {AggregateFn::kMedian, AggregateFn::kPercentile})),
      use_summaries_(!keep_values_),
      use_rollups_(use_summaries_ && !need_m2_ && OnRollupGrid(query_)),
      last_index_(query_.window.IndexOf(query_.to_ns)),
      slicer_(query_.from_ns, query_.to_ns, options),
      next_tag_(query_.tags.size()) {
  const int64_t first = query_.window.IndexOf(query_.from_ns);
  if (query_.per_series) {
    per_series_.reserve(query_.tags.size());
    for (size_t i = 0; i < query_.tags.size(); ++i) {
      per_series_.emplace_back(first, last_index_, keep_values_, query_.emit_empty);
    }
  }
  if (query_.combined) combined_.emplace(first, last_index_, keep_values_, query_.emit_empty);
}

Result<bool> AggregateCursor::Impl::Next(WindowRow* row) {
  if (failed_) return Status::FailedPrecondition("the cursor stopped at an earlier error");
  Result<bool> more = Advance(row);
  failed_ = !more.ok();
  return more;
}

Result<bool> AggregateCursor::Impl::Advance(WindowRow* row) {
  int64_t index = 0;
  while (true) {
    if (draining_ != nullptr && draining_->Pop(&index, &row->state, &values_)) {
      FillRow(index, row);
      return true;
    }
    draining_ = nullptr;
    if (next_tag_ < query_.tags.size()) {
      ZZ_RETURN_IF_ERROR(FoldTag(next_tag_++));
    } else if (combined_pending_) {
      combined_pending_ = false;
      combined_->CloseThrough(closed_);
      draining_ = &*combined_;
      draining_tag_ = 0;
    } else if (slicer_.done()) {
      return false;
    } else {
      StartSlice();
    }
  }
}

void AggregateCursor::Impl::StartSlice() {
  std::tie(slice_from_, slice_to_) = slicer_.Next(densest_);
  densest_ = 0;
  next_tag_ = 0;
  combined_pending_ = combined_.has_value();
  closed_ = slice_to_ == query_.to_ns ? last_index_ : query_.window.IndexOf(slice_to_ + 1) - 1;
}

bool AggregateCursor::Impl::TakesSummary(int64_t first_ts, int64_t last_ts, const storage::ChunkSummary& summary) const {
  if (query_.window.IndexOf(first_ts) != query_.window.IndexOf(last_ts)) return false;
  // The summary folds Good and Uncertain samples (storage/encoding/chunk_summary.h).
  switch (options_.quality) {
    case QualityPolicy::kGoodAndUncertain: return true;
    case QualityPolicy::kGoodOnly: return summary.uncertain == 0;
    case QualityPolicy::kAll: return summary.bad == 0;
  }
  return false;
}

bool AggregateCursor::Impl::TakesBuckets(std::span<const storage::RollupBucket> buckets) const {
  // A bucket folds Good and Uncertain samples. One of an old record that counted Uncertain and
  // Bad together cannot give a window its bad count: its samples are read instead.
  const auto takes = [this](const storage::RollupBucket& b) {
    switch (options_.quality) {
      case QualityPolicy::kGoodAndUncertain: return b.bad_counted;
      case QualityPolicy::kGoodOnly: return b.bad_counted && b.non_good == b.bad;  // no Uncertain
      case QualityPolicy::kAll: return b.bad_counted && b.bad == 0;
    }
    return false;
  };
  return std::all_of(buckets.begin(), buckets.end(), takes);
}

Status AggregateCursor::Impl::ReadTag(TagId tag) {
  summaries_.clear();
  buckets_.clear();
  if (!use_summaries_) return internal::ReadCounted(source_, tag, slice_from_, slice_to_, options_, stats_, &samples_);
  const storage::SummaryFilter take = [this](int64_t first_ts, int64_t last_ts, const storage::ChunkSummary& summary) {
    return TakesSummary(first_ts, last_ts, summary);
  };
  const storage::RollupFilter take_buckets = [this](std::span<const storage::RollupBucket> buckets) {
    return TakesBuckets(buckets);
  };
  return internal::ReadCountedSummarized(source_, tag, slice_from_, slice_to_, take, options_, stats_, &samples_,
                                         &summaries_, use_rollups_ ? &take_buckets : nullptr, &buckets_);
}

void AggregateCursor::Impl::GatherPieces() {
  pieces_.clear();
  for (const storage::SummarizedChunk& c : summaries_) pieces_.push_back({c.first_ts, FromSummary(c.summary)});
  // A bucket's samples lie in its chunk's range, which no other source reaches into: its first
  // folded sample orders it among them. One with none folded changes nothing but counts; it goes
  // at its minute's start, or the slice's if later: a chunk's first minute may begin before the
  // range (and, with one window over the range, before the window).
  for (const storage::RollupBucket& b : buckets_) {
    pieces_.push_back({b.count > 0 ? b.first_ts : std::max(b.start_ns, slice_from_), FromBucket(b)});
  }
  // Each kind comes in time order; only both together need ordering.
  if (!buckets_.empty() && !summaries_.empty()) {
    std::sort(pieces_.begin(), pieces_.end(), [](const Piece& a, const Piece& b) { return a.at < b.at; });
  }
}

Status AggregateCursor::Impl::FoldTag(size_t i) {
  const TagId tag = query_.tags[i];
  ZZ_RETURN_IF_ERROR(ReadTag(tag));
  // Summarized samples count for the slice's density too, so that slices keep their size.
  GatherPieces();
  int64_t density = static_cast<int64_t>(samples_.size());
  for (const Piece& p : pieces_) density += p.state.samples;
  densest_ = std::max(densest_, density);
  if (samples_.size() > 0 || !pieces_.empty()) ZZ_RETURN_IF_ERROR(CheckType(tag, samples_.type));
  internal::WindowFolder* per_series = query_.per_series ? &per_series_[i] : nullptr;
  FoldRuns(per_series, combined_ ? &*combined_ : nullptr);
  if (per_series != nullptr) {
    per_series->CloseThrough(closed_);
    draining_ = per_series;
    draining_tag_ = tag;
  }
  return Status::Ok();
}

Status AggregateCursor::Impl::CheckType(TagId tag, DataType type) {
  const bool text = type == DataType::kString;
  if (text_.has_value() && *text_ != text) {
    return Status::InvalidArgument("the tags mix string and numeric series: tag " + std::to_string(tag) +
                                   " holds " + std::string(DataTypeName(type)));
  }
  text_ = text;
  for (const AggregateSpec& f : query_.functions) {
    if (text && !AppliesToStrings(f.fn)) {
      return Status::InvalidArgument("tag " + std::to_string(tag) + " holds strings: " +
                                     std::string(AggregateFnName(f.fn)) +
                                     " needs numbers (count, first and last apply to strings)");
    }
  }
  return Status::Ok();
}

void AggregateCursor::Impl::FoldRuns(internal::WindowFolder* per_series, internal::WindowFolder* combined) {
  const std::vector<int64_t>& ts = samples_.ts_ns;
  const bool text = samples_.type == DataType::kString;
  const double* values = text ? nullptr : internal::NumericValues(samples_, numeric_);
  // Runs and pieces are merged in time order, so that ties resolve as in one pass.
  size_t i = 0, k = 0;
  while (i < ts.size() || k < pieces_.size()) {
    if (k < pieces_.size() && (i == ts.size() || pieces_[k].at < ts[i])) {
      const int64_t index = query_.window.IndexOf(pieces_[k].at);
      const WindowState& run = pieces_[k++].state;
      if (per_series != nullptr) per_series->Merge(index, run, {});
      if (combined != nullptr) combined->Merge(index, run, {});
      continue;
    }
    const int64_t index = query_.window.IndexOf(ts[i]);
    int64_t end = query_.window.StartOf(index) + query_.window.width_ns;
    if (k < pieces_.size()) end = std::min(end, pieces_[k].at);
    const auto j = static_cast<size_t>(std::lower_bound(ts.begin() + static_cast<std::ptrdiff_t>(i), ts.end(), end) -
                                       ts.begin());
    kept_.clear();
    const WindowState run =
        text ? internal::SummarizeStrings(samples_, i, j, options_.quality)
             : internal::SummarizeNumeric({&ts[i], &samples_.status[i], values + i, j - i}, options_.quality,
                                          need_m2_, keep_values_ ? &kept_ : nullptr);
    if (per_series != nullptr) per_series->Merge(index, run, kept_);
    if (combined != nullptr) combined->Merge(index, run, kept_);
    i = j;
  }
}

void AggregateCursor::Impl::FillRow(int64_t index, WindowRow* row) {
  row->tag = draining_tag_;
  row->start_ns = query_.window.StartOf(index);
  row->cells.resize(query_.functions.size());
  for (size_t f = 0; f < query_.functions.size(); ++f) {
    row->cells[f] = internal::Finalize(query_.functions[f], row->state, text_.value_or(false), values_);
  }
  ++stats_.rows_returned;
}

}  // namespace zhizao::query
