// What every read of the query module shares: which samples count (quality), how much a query
// may cost (limits), how it reads (slices), and what it did (stats).
#pragma once

#include <cstdint>
#include <string>

#include "common/batch.h"
#include "common/status.h"

namespace zhizao::query {

// Which samples feed value aggregates (mean, min, ..., decimation). Every sample, whatever its
// quality, is counted in WindowState::samples, and every sample that is not Good in
// WindowState::non_good, so a result always says how much of it rests on doubtful data.
enum class QualityPolicy : uint8_t {
  // Good and Uncertain samples; Bad ones are excluded. OPC UA Part 13's default (Bad values
  // never enter a calculation, TreatUncertainAsBad = false): a failed sensor's 0 or frozen
  // value would otherwise pull a mean, while a "last usable value" is still a reading.
  kGoodAndUncertain = 0,
  kGoodOnly = 1,  // Part 13 with TreatUncertainAsBad = true
  kAll = 2,       // every sample, as InfluxDB would (it has no quality)
};

// "good_and_uncertain", "good_only" or "all"; InvalidArgument otherwise.
Result<QualityPolicy> ParseQualityPolicy(std::string_view name);
std::string_view QualityPolicyName(QualityPolicy policy);

inline bool Includes(QualityPolicy policy, uint32_t status) {
  switch (policy) {
    case QualityPolicy::kGoodAndUncertain: return SeverityOf(status) != QualitySeverity::kBad;
    case QualityPolicy::kGoodOnly: return SeverityOf(status) == QualitySeverity::kGood;
    case QualityPolicy::kAll: return true;
  }
  return true;
}

struct QueryOptions {
  // Default: kGoodAndUncertain.
  QualityPolicy quality = QualityPolicy::kGoodAndUncertain;

  // A query that would read more samples from the source than this fails with
  // ResourceExhausted "query would scan more than N points (max_points_scanned)". Counted as
  // slices are read, so a streaming caller may already hold rows when the error comes.
  // Default: 100,000,000 (three years of one tag at 1 s).
  int64_t max_points_scanned = 100'000'000;
  // A query whose answer could hold more rows (aggregates: windows × output series;
  // decimation: buckets × 4; raw reads: the page limit) fails before reading anything with
  // ResourceExhausted "query would return more than N points (max_points_returned)".
  // Default: 1,000,000.
  int64_t max_points_returned = 1'000'000;

  // Reads go to the source in time slices sized to hold about this many samples of one
  // series, so memory stays bounded whatever the range: the first slice spans
  // first_slice_ns, each next one is scaled by the density just seen (at most 64x longer).
  // Default: 65,536 samples, first slice 1 h.
  int64_t slice_points = 65'536;
  int64_t first_slice_ns = int64_t{3600} * 1'000'000'000;
};

// What a query did; for metrics, logs and tests.
struct QueryStats {
  int64_t points_scanned = 0;     // samples the source returned (the limit counts these)
  int64_t points_summarized = 0;  // samples folded from chunk summaries or rollups, never decoded
  int64_t summaries = 0;          // chunk summaries folded
  int64_t rollup_buckets = 0;     // 1-minute rollup buckets folded
  int64_t reads = 0;              // calls to SampleSource::Read
  int64_t largest_read = 0;       // the most samples one Read returned
  int64_t rows_returned = 0;
};

// ResourceExhausted "query would <verb> more than <limit> points (<name>)".
Status LimitExceeded(std::string_view verb, int64_t limit, std::string_view name);

}  // namespace zhizao::query
