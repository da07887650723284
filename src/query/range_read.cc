#include "query/range_read.h"

#include <algorithm>

#include "query/internal/slicer.h"

namespace zhizao::query {
namespace {

void AppendPrefix(const storage::SeriesSamples& from, size_t n, storage::SeriesSamples& to) {
  if (n == 0) return;  // an empty slice reads as float64: it must not retype a page of strings
  to.type = from.type;
  to.ts_ns.insert(to.ts_ns.end(), from.ts_ns.begin(), from.ts_ns.begin() + static_cast<std::ptrdiff_t>(n));
  to.status.insert(to.status.end(), from.status.begin(), from.status.begin() + static_cast<std::ptrdiff_t>(n));
  auto append = [n](const auto& src, auto& dst) {
    if (!src.empty()) dst.insert(dst.end(), src.begin(), src.begin() + static_cast<std::ptrdiff_t>(n));
  };
  append(from.f64, to.f64);
  append(from.i64, to.i64);
  append(from.str, to.str);
}

}  // namespace

Result<RangePage> ReadRange(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns, int64_t limit,
                            const QueryOptions& options, QueryStats* stats) {
  if (tag == 0) return Status::InvalidArgument("tag id 0 is not valid");
  if (limit < 1) return Status::InvalidArgument("the page limit must be at least 1, not " + std::to_string(limit));
  if (from_ns > to_ns) return Status::InvalidArgument("the range starts after it ends");
  if (limit > options.max_points_returned) {
    return LimitExceeded("return", options.max_points_returned, "max_points_returned");
  }
  QueryStats local;
  QueryStats& counted = stats != nullptr ? *stats : local;
  RangePage page;
  storage::SeriesSamples slice;
  // A short page needs no long slices once the density is known.
  QueryOptions sliced = options;
  sliced.slice_points = std::min(options.slice_points, limit);
  internal::Slicer slicer(from_ns, to_ns, sliced);
  int64_t densest = 0;
  while (!slicer.done() && static_cast<int64_t>(page.samples.size()) < limit) {
    auto [lo, hi] = slicer.Next(densest);
    ZZ_RETURN_IF_ERROR(internal::ReadCounted(source, tag, lo, hi, options, counted, &slice));
    const size_t got = slice.size();
    densest = static_cast<int64_t>(got);
    const auto room = static_cast<size_t>(limit) - page.samples.size();
    if (page.samples.size() == 0 && got <= room) {
      std::swap(page.samples, slice);  // the common one-slice page: no copy
    } else {
      AppendPrefix(slice, std::min(room, got), page.samples);
    }
    if (got > room || (got == room && hi < to_ns)) {
      page.next_from_ns = page.samples.ts_ns.back() + 1;
    }
  }
  counted.rows_returned += static_cast<int64_t>(page.samples.size());
  return page;
}

}  // namespace zhizao::query
