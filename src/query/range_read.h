// Raw samples of one series, a page at a time: what /api/v1/series/range returns.
#pragma once

#include <cstdint>
#include <optional>

#include "common/batch.h"
#include "common/status.h"
#include "query/query_options.h"
#include "query/sample_source.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::query {

struct RangePage {
  // In time order, every quality (a chart shows bad samples as such; nothing is filtered).
  storage::SeriesSamples samples;
  // Set when the page filled up before the range ended: the from_ns of the next page (the last
  // returned timestamp + 1). The next page may turn out empty.
  std::optional<int64_t> next_from_ns;
};

// Reads up to `limit` samples of `tag` with from_ns <= ts <= to_ns, slice by slice, so that at
// most the page and one slice are in memory. InvalidArgument for tag 0, limit < 1 or
// from_ns > to_ns; ResourceExhausted when limit exceeds options.max_points_returned or the
// scan options.max_points_scanned. `stats`, if not null, receives what the read did.
// Thread-safe if the source is.
Result<RangePage> ReadRange(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns, int64_t limit,
                            const QueryOptions& options, QueryStats* stats = nullptr);

}  // namespace zhizao::query
