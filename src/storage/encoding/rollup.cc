#include "storage/encoding/rollup.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/batch.h"
#include "common/crc32c.h"
#include "storage/encoding/bits.h"
#include "storage/encoding/float_codec.h"
#include "storage/encoding/int_codec.h"

namespace zhizao::storage::encoding {
namespace {

// Wide enough that sums and deltas of mantissas (< 2^53) and of up to 2^32 samples cannot
// overflow.
__extension__ typedef __int128 Int128;

constexpr uint8_t kRollupVersion = 2;
constexpr uint8_t kXorValues = 0xff;  // the value mode of chunks whose values are not decimal
constexpr size_t kMaxBuckets = 1024;  // one integer block per column
constexpr size_t kMinSamplesPerBucket = 4;

int64_t BucketOf(int64_t ts) {
  const int64_t q = ts / kRollupBucketNs;
  return (ts % kRollupBucketNs != 0 && ts < 0) ? q - 1 : q;
}

// A bucket while encoding: its statistics as sample indices into the chunk.
struct Building {
  int64_t index = 0;
  uint32_t samples = 0, non_good = 0, bad = 0, count = 0;
  size_t first = 0, last = 0, min = 0, max = 0;
};

// The chunk's values as doubles: a float64 chunk's own column, or *copy of an integer one.
const double* AsDoubles(const SeriesSamples& s, std::vector<double>* copy) {
  if (s.type == DataType::kFloat64) return s.f64.data();
  copy->assign(s.i64.begin(), s.i64.end());
  return copy->data();
}

bool Folds(const SeriesSamples& s, const double* v, size_t i) {
  return SeverityOf(s.status[i]) != QualitySeverity::kBad && !std::isnan(v[i]);
}

std::vector<Building> Bucket(const SeriesSamples& s, const double* v) {
  std::vector<Building> out;
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    // One division per minute, not per sample; unsigned, so that the distance from the
    // minute's start cannot overflow.
    Building b{BucketOf(s.ts_ns[i])};
    const uint64_t start = static_cast<uint64_t>(b.index) * static_cast<uint64_t>(kRollupBucketNs);
    double lo = 0, hi = 0;
    for (; i < n && static_cast<uint64_t>(s.ts_ns[i]) - start < static_cast<uint64_t>(kRollupBucketNs); ++i) {
      ++b.samples;
      const QualitySeverity severity = SeverityOf(s.status[i]);
      if (severity != QualitySeverity::kGood) ++b.non_good;
      if (severity == QualitySeverity::kBad) ++b.bad;
      if (!Folds(s, v, i)) continue;
      if (b.count++ == 0) b.first = b.min = b.max = i, lo = hi = v[i];
      if (v[i] < lo) lo = v[i], b.min = i;
      if (v[i] > hi) hi = v[i], b.max = i;
      b.last = i;
    }
    out.push_back(b);
  }
  return out;
}

// The greatest common divisor of the samples' offsets from the first: times are stored in
// these ticks (1 s for 1 s data), which keeps them a few bits each.
int64_t TickOf(const SeriesSamples& s) {
  // The gcd of the offsets is that of the steps between samples, which repeat in regular data:
  // one gcd per new step, not per sample.
  uint64_t g = 0, step = 0;
  for (size_t i = 1; i < s.size() && g != 1; ++i) {
    const uint64_t d = static_cast<uint64_t>(s.ts_ns[i]) - static_cast<uint64_t>(s.ts_ns[i - 1]);
    if (d != step) g = std::gcd(g, step = d);
  }
  return g == 0 || g > static_cast<uint64_t>(INT64_MAX) ? 1 : static_cast<int64_t>(g);
}

void PutColumn(const std::vector<int64_t>& v, std::string* out) {
  if (v.empty()) return;
  std::string block;
  IntHistory history;
  EncodeInts(v.data(), v.size(), 0, &history, &block);
  PutVarint(out, block.size());
  out->append(block);
}

void PutXorColumn(const std::vector<double>& v, std::string* out) {
  if (v.empty()) return;
  std::string block;
  EncodeXor(v.data(), v.size(), &block);
  PutVarint(out, block.size());
  out->append(block);
}

// The mantissas of values[0, n) under one decimal scale, or false. The scale of a short prefix
// comes first, as the hint for all: the full search tries every exponent over every value,
// several times the cost of one pass.
bool ToOneScale(const double* values, size_t n, DecimalScale* scale, int64_t* m) {
  DecimalScale hint;
  if (!ToDecimal(values, std::min<size_t>(n, 64), DecimalScale{}, &hint, m)) return false;
  return ToDecimal(values, n, hint, scale, m);
}

// The mantissas of the folded values under one decimal scale (0 for the others), or false.
bool Mantissas(const SeriesSamples& s, const double* v, size_t folded_count, DecimalScale* scale,
               std::vector<int64_t>* m) {
  m->assign(s.size(), 0);
  if (folded_count == 0) return true;
  if (folded_count == s.size()) return ToOneScale(v, s.size(), scale, m->data());
  std::vector<double> folded;
  std::vector<size_t> at;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Folds(s, v, i)) folded.push_back(v[i]), at.push_back(i);
  }
  std::vector<int64_t> packed(folded.size());
  if (!ToOneScale(folded.data(), folded.size(), scale, packed.data())) return false;
  for (size_t k = 0; k < at.size(); ++k) (*m)[at[k]] = packed[k];
  return true;
}

// The value columns of the folded buckets as deltas of mantissas (first from the previous
// bucket's last, last from first, min and max beyond first and last, the sum from
// count * (first + last) / 2), or false when a residual overflows.
bool PutDecimalValues(const std::vector<Building>& folded, const std::vector<int64_t>& m, std::string* out) {
  std::vector<int64_t> cols[5];
  int64_t prev_last = 0;
  for (const Building& b : folded) {
    const int64_t first = m[b.first], last = m[b.last];
    Int128 sum = 0;
    for (size_t i = b.first; i <= b.last; ++i) sum += m[i];  // unfolded samples hold 0
    const Int128 residual = 2 * sum - Int128{b.count} * (Int128{first} + last);
    if (residual > INT64_MAX || residual < INT64_MIN || sum > INT64_MAX || sum < INT64_MIN) return false;
    cols[0].push_back(first - prev_last);
    cols[1].push_back(last - first);
    cols[2].push_back(std::min(first, last) - m[b.min]);
    cols[3].push_back(m[b.max] - std::max(first, last));
    cols[4].push_back(static_cast<int64_t>(residual));
    prev_last = last;
  }
  for (const auto& c : cols) PutColumn(c, out);
  return true;
}

void PutXorValues(const SeriesSamples& s, const std::vector<Building>& folded, const double* v, std::string* out) {
  std::vector<double> cols[5];
  for (const Building& b : folded) {
    cols[0].push_back(v[b.first]);
    cols[1].push_back(v[b.last]);
    cols[2].push_back(v[b.min]);
    cols[3].push_back(v[b.max]);
    double sum = 0;
    for (size_t i = b.first; i <= b.last; ++i) {
      if (Folds(s, v, i)) sum += v[i];
    }
    cols[4].push_back(sum);
  }
  for (const auto& c : cols) PutXorColumn(c, out);
}

}  // namespace

bool EncodeRollup(const SeriesSamples& chunk, size_t max_bytes, std::string* out) {
  if (chunk.type == DataType::kString || chunk.size() == 0) return false;
  std::vector<double> copy;
  const double* v = AsDoubles(chunk, &copy);
  const std::vector<Building> buckets = Bucket(chunk, v);
  if (buckets.size() > kMaxBuckets || chunk.size() < kMinSamplesPerBucket * buckets.size()) return false;
  std::vector<Building> folded;
  size_t folded_count = 0;
  for (const Building& b : buckets) {
    if (b.count > 0) folded.push_back(b);
    folded_count += b.count;
  }
  DecimalScale scale;
  std::vector<int64_t> m;
  const bool decimal = Mantissas(chunk, v, folded_count, &scale, &m);
  const int64_t tick = TickOf(chunk);
  const int64_t first_ts = chunk.ts_ns[0];

  std::string record;
  record.push_back(static_cast<char>(kRollupVersion));
  record.push_back(static_cast<char>(decimal ? scale.Code() : kXorValues));
  PutVarint(&record, static_cast<uint64_t>(tick));
  PutVarint(&record, buckets.size());
  PutVarint(&record, folded.size());
  std::vector<int64_t> gap, samples, non_good, bad, unfolded;
  for (size_t i = 0; i < buckets.size(); ++i) {
    gap.push_back(i == 0 ? 0 : buckets[i].index - buckets[i - 1].index - 1);
    samples.push_back(buckets[i].samples);
    non_good.push_back(buckets[i].non_good);
    bad.push_back(buckets[i].bad);
    unfolded.push_back(buckets[i].samples - buckets[i].count);
  }
  // Bad <= non_good: a chunk of Good samples only (most) needs no bad column.
  const bool any_non_good = std::any_of(non_good.begin(), non_good.end(), [](int64_t n) { return n != 0; });
  for (const auto* c : {&gap, &samples, &non_good}) PutColumn(*c, &record);
  if (any_non_good) PutColumn(bad, &record);
  PutColumn(unfolded, &record);
  // Times in ticks from the chunk's first sample.
  auto t = [&](size_t i) { return (chunk.ts_ns[i] - first_ts) / tick; };
  std::vector<int64_t> first_gap, last_span, min_off, max_off;
  int64_t prev_last = -1;
  for (const Building& b : folded) {
    first_gap.push_back(t(b.first) - prev_last - 1);
    last_span.push_back(t(b.last) - t(b.first));
    min_off.push_back(t(b.min) - t(b.first));
    max_off.push_back(t(b.max) - t(b.first));
    prev_last = t(b.last);
  }
  for (const auto* c : {&first_gap, &last_span, &min_off, &max_off}) PutColumn(*c, &record);
  const size_t values_at = record.size();
  if (decimal && !PutDecimalValues(folded, m, &record)) {
    record[1] = static_cast<char>(kXorValues);
    record.resize(values_at);
  }
  if (static_cast<uint8_t>(record[1]) == kXorValues) PutXorValues(chunk, folded, v, &record);
  PutFixed32(&record, crc32c::Value(record));
  if (record.size() > max_bytes) return false;
  out->append(record);
  return true;
}

}  // namespace zhizao::storage::encoding
