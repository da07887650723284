// Where the query module reads samples from: the historian, or a test double that counts
// what it is asked for. Query code depends on this interface, not on storage::Engine, so that
// tests can observe the reads and a later rollup store can stand beside the engine.
#pragma once

#include <optional>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "storage/encoding/series_samples.h"
#include "storage/engine.h"

namespace zhizao::query {

// Implementations must be thread-safe: one source serves many concurrent queries.
class SampleSource {
 public:
  virtual ~SampleSource() = default;

  // Appends to `out` the samples of `tag` with from_ns <= ts <= to_ns, in time order, one per
  // timestamp; `out` takes the series' type. An unknown tag reads as empty.
  [[nodiscard]] virtual Status Read(TagId tag, int64_t from_ns, int64_t to_ns,
                                    storage::SeriesSamples* out) const = 0;

  // Read, except that the source may hand over stretches of samples as their summaries
  // (storage::Engine::ReadSummarized states when): the samples of each summarized chunk are
  // absent from `out`, no sample of `out` falls in its range, and `take` accepted it.
  // Default: a plain Read, no summaries (a source whose reads filter or transform samples
  // must keep this).
  [[nodiscard]] virtual Status ReadSummarized(TagId tag, int64_t from_ns, int64_t to_ns,
                                              const storage::SummaryFilter& take, storage::SeriesSamples* out,
                                              std::vector<storage::SummarizedChunk>* summaries) const {
    (void)take;
    (void)summaries;
    return Read(tag, from_ns, to_ns, out);
  }

  // ReadSummarized, except that the source may also hand over stretches of samples as their
  // 1-minute rollup buckets (storage::Engine::ReadRollups states when): no sample of `out`
  // falls in a taken bucket, and `take_buckets` accepted it. Default: ReadSummarized, no
  // buckets (a source whose reads filter or transform samples must keep this).
  [[nodiscard]] virtual Status ReadRollups(TagId tag, int64_t from_ns, int64_t to_ns,
                                           const storage::SummaryFilter& take,
                                           const storage::RollupFilter& take_buckets, storage::SeriesSamples* out,
                                           std::vector<storage::SummarizedChunk>* summaries,
                                           std::vector<storage::RollupBucket>* buckets) const {
    (void)take_buckets;
    (void)buckets;
    return ReadSummarized(tag, from_ns, to_ns, take, out, summaries);
  }

  // The newest sample of `tag`, if it has any.
  virtual Result<std::optional<storage::LastSample>> Last(TagId tag) const = 0;
};

// Reads the historian. Thread-safe (the engine is). REQUIRES: `engine` outlives this.
class EngineSource final : public SampleSource {
 public:
  explicit EngineSource(const storage::Engine& engine) : engine_(engine) {}

  Status Read(TagId tag, int64_t from_ns, int64_t to_ns, storage::SeriesSamples* out) const override {
    return engine_.Read(tag, from_ns, to_ns, out);
  }
  Status ReadSummarized(TagId tag, int64_t from_ns, int64_t to_ns, const storage::SummaryFilter& take,
                        storage::SeriesSamples* out, std::vector<storage::SummarizedChunk>* summaries) const override {
    return engine_.ReadSummarized(tag, from_ns, to_ns, take, out, summaries);
  }
  Status ReadRollups(TagId tag, int64_t from_ns, int64_t to_ns, const storage::SummaryFilter& take,
                     const storage::RollupFilter& take_buckets, storage::SeriesSamples* out,
                     std::vector<storage::SummarizedChunk>* summaries,
                     std::vector<storage::RollupBucket>* buckets) const override {
    return engine_.ReadRollups(tag, from_ns, to_ns, take, take_buckets, out, summaries, buckets);
  }
  Result<std::optional<storage::LastSample>> Last(TagId tag) const override { return engine_.Last(tag); }

 private:
  const storage::Engine& engine_;
};

}  // namespace zhizao::query
