#include "query/internal/slicer.h"

#include <algorithm>

#include "query/window.h"

namespace zhizao::query::internal {
namespace {

// A slice grows at most this much over the previous one, so that one sparse slice before a
// dense stretch cannot make the next read huge.
constexpr double kMaxGrowth = 64;

}  // namespace

Slicer::Slicer(int64_t from_ns, int64_t to_ns, const QueryOptions& options)
    : next_from_(from_ns),
      to_(to_ns),
      target_points_(std::max<int64_t>(1, options.slice_points)),
      span_ns_(static_cast<double>(std::max<int64_t>(1, options.first_slice_ns))) {}

std::pair<int64_t, int64_t> Slicer::Next(int64_t densest) {
  if (!first_) {
    double scale = densest == 0 ? kMaxGrowth : static_cast<double>(target_points_) / static_cast<double>(densest);
    span_ns_ = std::clamp(span_ns_ * std::min(scale, kMaxGrowth), 1.0, static_cast<double>(kMaxAbsTimestampNs));
  }
  first_ = false;
  const int64_t from = next_from_;
  // Both ends are within ±kMaxAbsTimestampNs, so neither the difference nor the sum overflows.
  const int64_t span = static_cast<int64_t>(span_ns_);
  const int64_t to = to_ - from < span ? to_ : from + span - 1;
  next_from_ = to + 1;
  return {from, to};
}

namespace {

Status Count(const QueryOptions& options, QueryStats& stats, const storage::SeriesSamples* out) {
  const auto n = static_cast<int64_t>(out->size());
  ++stats.reads;
  stats.points_scanned += n;
  stats.largest_read = std::max(stats.largest_read, n);
  if (stats.points_scanned > options.max_points_scanned) {
    return LimitExceeded("scan", options.max_points_scanned, "max_points_scanned");
  }
  return Status::Ok();
}

}  // namespace

Status ReadCounted(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns,
                   const QueryOptions& options, QueryStats& stats, storage::SeriesSamples* out) {
  out->Clear();
  out->type = DataType::kFloat64;
  ZZ_RETURN_IF_ERROR(source.Read(tag, from_ns, to_ns, out));
  return Count(options, stats, out);
}

Status ReadCountedSummarized(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns,
                             const storage::SummaryFilter& take, const QueryOptions& options, QueryStats& stats,
                             storage::SeriesSamples* out, std::vector<storage::SummarizedChunk>* summaries,
                             const storage::RollupFilter* take_buckets, std::vector<storage::RollupBucket>* buckets) {
  out->Clear();
  out->type = DataType::kFloat64;
  summaries->clear();
  if (take_buckets == nullptr) {
    ZZ_RETURN_IF_ERROR(source.ReadSummarized(tag, from_ns, to_ns, take, out, summaries));
  } else {
    buckets->clear();
    ZZ_RETURN_IF_ERROR(source.ReadRollups(tag, from_ns, to_ns, take, *take_buckets, out, summaries, buckets));
    for (const storage::RollupBucket& b : *buckets) stats.points_summarized += b.samples;
    stats.rollup_buckets += static_cast<int64_t>(buckets->size());
  }
  for (const storage::SummarizedChunk& c : *summaries) stats.points_summarized += c.summary.samples;
  stats.summaries += static_cast<int64_t>(summaries->size());
  return Count(options, stats, out);
}

}  // namespace zhizao::query::internal
