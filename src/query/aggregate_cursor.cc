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
  s.count = c.count;
  if (c.count == 0) return s;
  s.sum = c.sum, s.m2 = c.m2, s.min = c.min, s.max = c.max, s.first = c.first, s.last = c.last;
  s.min_ts = c.min_ts, s.max_ts = c.max_ts, s.first_ts = c.first_ts, s.last_ts = c.last_ts;
  return s;
}

}  // namespace

AggregateCursor::Impl::Impl(const SampleSource& source, AggregateQuery query, const QueryOptions& options)
    : source_(source),
      query_(std::move(query)),
      options_(options),
      need_m2_(Needs(query_, {AggregateFn::kStddev})),
      keep_values_(Needs(query_, {AggregateFn::kMedian, AggregateFn::kPercentile})),
      use_summaries_(!keep_values_),
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

Status AggregateCursor::Impl::ReadTag(TagId tag) {
  if (!use_summaries_) {
    summaries_.clear();
    return internal::ReadCounted(source_, tag, slice_from_, slice_to_, options_, stats_, &samples_);
  }
  const storage::SummaryFilter take = [this](int64_t first_ts, int64_t last_ts, const storage::ChunkSummary& summary) {
    return TakesSummary(first_ts, last_ts, summary);
  };
  return internal::ReadCountedSummarized(source_, tag, slice_from_, slice_to_, take, options_, stats_, &samples_,
                                         &summaries_);
}

Status AggregateCursor::Impl::FoldTag(size_t i) {
  const TagId tag = query_.tags[i];
  ZZ_RETURN_IF_ERROR(ReadTag(tag));
  // Summarized samples count for the slice's density too, so that slices keep their size.
  int64_t density = static_cast<int64_t>(samples_.size());
  for (const storage::SummarizedChunk& c : summaries_) density += c.summary.samples;
  densest_ = std::max(densest_, density);
  if (samples_.size() > 0 || !summaries_.empty()) ZZ_RETURN_IF_ERROR(CheckType(tag, samples_.type));
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
  // Runs and summaries are merged in time order, so that ties resolve as in one pass.
  size_t i = 0, k = 0;
  while (i < ts.size() || k < summaries_.size()) {
    if (k < summaries_.size() && (i == ts.size() || summaries_[k].first_ts < ts[i])) {
      const int64_t index = query_.window.IndexOf(summaries_[k].first_ts);
      const WindowState run = FromSummary(summaries_[k++].summary);
      if (per_series != nullptr) per_series->Merge(index, run, {});
      if (combined != nullptr) combined->Merge(index, run, {});
      continue;
    }
    const int64_t index = query_.window.IndexOf(ts[i]);
    int64_t end = query_.window.StartOf(index) + query_.window.width_ns;
    if (k < summaries_.size()) end = std::min(end, summaries_[k].first_ts);
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
