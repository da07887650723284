#include "storage/encoding/chunk_summary.h"

#include <bit>
#include <cmath>

#include "common/batch.h"
#include "storage/encoding/bits.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::storage {
namespace {

double ValueAsDouble(const SeriesSamples& s, size_t i) {
  return s.type == DataType::kFloat64 ? s.f64[i] : static_cast<double>(s.i64[i]);
}

// Folds `b` (samples later than all of `a`'s) into `a`: counts add, m2 by Chan, Golub and
// LeVeque's pairwise formula, which stays accurate where a sum of squares would cancel.
void MergeInto(ChunkSummary& a, const ChunkSummary& b) {
  a.samples += b.samples;
  a.uncertain += b.uncertain;
  a.bad += b.bad;
  if (b.count == 0) return;
  if (a.count == 0) {
    const uint32_t samples = a.samples, uncertain = a.uncertain, bad = a.bad;
    a = b;
    a.samples = samples, a.uncertain = uncertain, a.bad = bad;
    return;
  }
  const double n_a = a.count, n_b = b.count;
  const double delta = b.sum / n_b - a.sum / n_a;
  a.m2 += b.m2 + delta * delta * n_a * n_b / (n_a + n_b);
  a.sum += b.sum;
  a.count += b.count;
  if (b.min < a.min) a.min = b.min, a.min_ts = b.min_ts;
  if (b.max > a.max) a.max = b.max, a.max_ts = b.max_ts;
  a.last = b.last, a.last_ts = b.last_ts;
}

}  // namespace

void ChunkSummary::Add(const SeriesSamples& s, size_t begin, size_t end) {
  ChunkSummary part;
  for (size_t i = begin; i < end; ++i) {
    ++part.samples;
    const QualitySeverity severity = SeverityOf(s.status[i]);
    if (severity == QualitySeverity::kUncertain) ++part.uncertain;
    if (severity == QualitySeverity::kBad) {
      ++part.bad;
      continue;
    }
    const double x = ValueAsDouble(s, i);
    if (std::isnan(x)) continue;
    const int64_t ts = s.ts_ns[i];
    if (part.count == 0) {
      part.min = part.max = part.first = x;
      part.min_ts = part.max_ts = part.first_ts = ts;
    }
    if (x < part.min) part.min = x, part.min_ts = ts;
    if (x > part.max) part.max = x, part.max_ts = ts;
    part.last = x, part.last_ts = ts;
    part.sum += x;
    ++part.count;
  }
  if (part.count > 1) {
    const double mean = part.sum / part.count;
    for (size_t i = begin; i < end; ++i) {
      const double x = ValueAsDouble(s, i);
      if (SeverityOf(s.status[i]) != QualitySeverity::kBad && !std::isnan(x)) part.m2 += (x - mean) * (x - mean);
    }
  }
  MergeInto(*this, part);
}

namespace encoding {

void EncodeSummary(const ChunkSummary& summary, int64_t chunk_first_ts, int64_t chunk_last_ts, std::string* out) {
  PutVarint(out, summary.uncertain);
  PutVarint(out, summary.bad);
  PutVarint(out, summary.count);
  if (summary.count == 0) return;
  for (double v : {summary.sum, summary.m2, summary.min, summary.max, summary.first, summary.last}) {
    PutFixed64(out, std::bit_cast<uint64_t>(v));
  }
  // first_ts and last_ts are usually the chunk's ends: each is written as its distance from
  // its end (one byte when zero); min_ts and max_ts as offsets from the start.
  PutVarint(out, static_cast<uint64_t>(WrapSub(summary.first_ts, chunk_first_ts)));
  PutVarint(out, static_cast<uint64_t>(WrapSub(chunk_last_ts, summary.last_ts)));
  PutVarint(out, static_cast<uint64_t>(WrapSub(summary.min_ts, chunk_first_ts)));
  PutVarint(out, static_cast<uint64_t>(WrapSub(summary.max_ts, chunk_first_ts)));
}

Status DecodeSummary(std::string_view bytes, uint32_t chunk_count, int64_t chunk_first_ts, int64_t chunk_last_ts,
                     ChunkSummary* summary) {
  ByteReader in(bytes);
  uint64_t uncertain = 0, bad = 0, count = 0;
  if (!in.GetVarint(&uncertain) || !in.GetVarint(&bad) || !in.GetVarint(&count) || uncertain > chunk_count ||
      bad > chunk_count - uncertain || count > chunk_count - bad) {
    return Status::Corruption("malformed chunk summary counts");
  }
  ChunkSummary s;
  s.samples = chunk_count;
  s.uncertain = static_cast<uint32_t>(uncertain);
  s.bad = static_cast<uint32_t>(bad);
  s.count = static_cast<uint32_t>(count);
  if (count > 0) {
    uint64_t bits[6];
    for (uint64_t& b : bits) {
      if (!in.GetFixed64(&b)) return Status::Corruption("truncated chunk summary values");
    }
    s.sum = std::bit_cast<double>(bits[0]), s.m2 = std::bit_cast<double>(bits[1]);
    s.min = std::bit_cast<double>(bits[2]), s.max = std::bit_cast<double>(bits[3]);
    s.first = std::bit_cast<double>(bits[4]), s.last = std::bit_cast<double>(bits[5]);
    const uint64_t span = static_cast<uint64_t>(chunk_last_ts) - static_cast<uint64_t>(chunk_first_ts);
    uint64_t offsets[4];
    for (uint64_t& offset : offsets) {
      if (!in.GetVarint(&offset) || offset > span) return Status::Corruption("chunk summary time outside the chunk");
    }
    s.first_ts = WrapAdd(chunk_first_ts, static_cast<int64_t>(offsets[0]));
    s.last_ts = WrapSub(chunk_last_ts, static_cast<int64_t>(offsets[1]));
    s.min_ts = WrapAdd(chunk_first_ts, static_cast<int64_t>(offsets[2]));
    s.max_ts = WrapAdd(chunk_first_ts, static_cast<int64_t>(offsets[3]));
    if (s.first_ts > s.min_ts || s.first_ts > s.max_ts || s.min_ts > s.last_ts || s.max_ts > s.last_ts ||
        (count == 1) != (s.first_ts == s.last_ts)) {
      return Status::Corruption("chunk summary times are inconsistent");
    }
  }
  if (in.remaining() != 0) return Status::Corruption("bytes after the chunk summary");
  *summary = s;
  return Status::Ok();
}

}  // namespace encoding
}  // namespace zhizao::storage
