// DecodeRollup: parses bytes read back from disk, so every field is checked against the chunk
// it belongs to before it is trusted, and arithmetic is done wide enough not to overflow.
#include <algorithm>
#include <cmath>

#include "common/crc32c.h"
#include "storage/encoding/bits.h"
#include "storage/encoding/float_codec.h"
#include "storage/encoding/int_codec.h"
#include "storage/encoding/rollup.h"

namespace zhizao::storage::encoding {
namespace {

// Wide enough that sums and deltas of mantissas (< 2^53) and of up to 2^32 samples cannot
// overflow.
__extension__ typedef __int128 Int128;

// Version 1 had no `bad` column (docs/formats/rollup.md); it is still read.
constexpr uint8_t kRollupVersion = 2;
constexpr uint8_t kXorValues = 0xff;
constexpr uint64_t kMaxBuckets = 1024;
constexpr Int128 kMaxMantissa = Int128{1} << 53;

Status Bad(const std::string& what) { return Status::Corruption("rollup record: " + what); }

int64_t BucketOf(int64_t ts) {
  const int64_t q = ts / kRollupBucketNs;
  return (ts % kRollupBucketNs != 0 && ts < 0) ? q - 1 : q;
}

// Reads the columns of the record in order.
class Columns {
 public:
  explicit Columns(std::string_view bytes) : in_(bytes) {}
  ByteReader& in() { return in_; }

  Status Ints(size_t n, std::vector<int64_t>* v) {
    v->assign(n, 0);
    if (n == 0) return Status::Ok();
    std::string_view block;
    ZZ_RETURN_IF_ERROR(Block(&block));
    IntHistory history;
    uint8_t scale = 0;
    ZZ_RETURN_IF_ERROR(DecodeInts(block, n, &history, &scale, v->data()));
    return scale == 0 ? Status::Ok() : Bad("integer column with a scale");
  }
  Status Doubles(size_t n, std::vector<double>* v) {
    v->assign(n, 0);
    if (n == 0) return Status::Ok();
    std::string_view block;
    ZZ_RETURN_IF_ERROR(Block(&block));
    return DecodeXor(block, n, v->data());
  }

 private:
  Status Block(std::string_view* block) {
    uint64_t len = 0;
    if (!in_.GetVarint(&len) || len > in_.remaining() || !in_.GetBytes(len, block)) return Bad("truncated column");
    return Status::Ok();
  }
  ByteReader in_;
};

struct Head {
  uint8_t version = 0;
  uint8_t mode = 0;
  int64_t tick = 1;
  uint64_t buckets = 0;
  uint64_t folded = 0;
};

Status ReadHead(ByteReader& in, Head* h) {
  uint64_t tick = 0;
  if (!in.GetByte(&h->version) || !in.GetByte(&h->mode) || !in.GetVarint(&tick) || !in.GetVarint(&h->buckets) ||
      !in.GetVarint(&h->folded)) {
    return Bad("truncated head");
  }
  if (h->version == 0 || h->version > kRollupVersion) return Bad("unknown version " + std::to_string(h->version));
  DecimalScale scale;
  if (h->mode != kXorValues && !DecimalScale::FromCode(h->mode, &scale)) return Bad("unknown value mode");
  if (tick == 0 || tick > static_cast<uint64_t>(INT64_MAX)) return Bad("tick out of range");
  if (h->buckets == 0 || h->buckets > kMaxBuckets || h->folded > h->buckets) return Bad("bucket counts out of range");
  h->tick = static_cast<int64_t>(tick);
  return Status::Ok();
}

// Fills start, samples, non_good, bad and count of every bucket.
Status ReadCounts(Columns& cols, const Head& h, uint32_t chunk_count, int64_t chunk_first_ts, int64_t chunk_last_ts,
                  std::vector<RollupBucket>* buckets) {
  std::vector<int64_t> gap, samples, non_good, bad, unfolded;
  const bool has_bad = h.version >= 2;
  for (auto* c : {&gap, &samples, &non_good}) ZZ_RETURN_IF_ERROR(cols.Ints(h.buckets, c));
  // Version 2 leaves the column out when every bucket is Good only (bad <= non_good).
  if (has_bad && std::any_of(non_good.begin(), non_good.end(), [](int64_t n) { return n != 0; })) {
    ZZ_RETURN_IF_ERROR(cols.Ints(h.buckets, &bad));
  } else {
    bad.assign(h.buckets, 0);
  }
  ZZ_RETURN_IF_ERROR(cols.Ints(h.buckets, &unfolded));
  const int64_t last_index = BucketOf(chunk_last_ts);
  int64_t index = BucketOf(chunk_first_ts);
  uint64_t total = 0, folded = 0;
  buckets->resize(h.buckets);
  for (size_t i = 0; i < h.buckets; ++i) {
    if (gap[i] < 0 || (i == 0 && gap[i] != 0) || gap[i] > last_index - index) return Bad("bucket out of range");
    index += i == 0 ? 0 : gap[i] + 1;
    if (index > last_index) return Bad("bucket out of range");
    if (samples[i] <= 0 || samples[i] > chunk_count || non_good[i] < 0 || non_good[i] > samples[i] || bad[i] < 0 ||
        bad[i] > non_good[i] || unfolded[i] < bad[i] || unfolded[i] > samples[i]) {
      return Bad("bucket counts out of range");
    }
    RollupBucket& b = (*buckets)[i];
    b.start_ns = index * kRollupBucketNs;
    b.samples = static_cast<uint32_t>(samples[i]);
    b.non_good = static_cast<uint32_t>(non_good[i]);
    b.bad = static_cast<uint32_t>(bad[i]);
    b.bad_counted = has_bad || b.non_good == 0;
    b.count = static_cast<uint32_t>(samples[i] - unfolded[i]);
    total += b.samples;
    folded += b.count > 0 ? 1 : 0;
  }
  if (index != last_index || total != chunk_count || folded != h.folded) return Bad("counts disagree with the chunk");
  return Status::Ok();
}

// Fills the times of the folded buckets, in ticks from the chunk's first sample.
Status ReadTimes(Columns& cols, const Head& h, int64_t chunk_first_ts, int64_t chunk_last_ts,
                 const std::vector<RollupBucket*>& folded) {
  std::vector<int64_t> first_gap, last_span, min_off, max_off;
  for (auto* c : {&first_gap, &last_span, &min_off, &max_off}) ZZ_RETURN_IF_ERROR(cols.Ints(h.folded, c));
  const Int128 span = Int128{chunk_last_ts} - chunk_first_ts;
  Int128 prev_last = -1;
  auto time = [&](Int128 ticks) { return static_cast<int64_t>(chunk_first_ts + ticks * h.tick); };
  for (size_t j = 0; j < folded.size(); ++j) {
    if (first_gap[j] < 0 || last_span[j] < 0 || min_off[j] < 0 || max_off[j] < 0 || min_off[j] > last_span[j] ||
        max_off[j] > last_span[j]) {
      return Bad("times out of order");
    }
    const Int128 first = prev_last + 1 + first_gap[j], last = first + last_span[j];
    if (last > span / h.tick) return Bad("time past the chunk");
    RollupBucket& b = *folded[j];
    b.first_ts = time(first), b.last_ts = time(last);
    b.min_ts = time(first + min_off[j]), b.max_ts = time(first + max_off[j]);
    if (b.first_ts < b.start_ns || b.last_ts - b.start_ns >= kRollupBucketNs) return Bad("time outside its bucket");
    if (b.count == 1 && last != first) return Bad("one folded sample at two times");
    prev_last = last;
  }
  return Status::Ok();
}

Status ReadDecimalValues(Columns& cols, const Head& h, const std::vector<RollupBucket*>& folded) {
  std::vector<int64_t> first_d, last_d, min_d, max_d, residual;
  for (auto* c : {&first_d, &last_d, &min_d, &max_d, &residual}) ZZ_RETURN_IF_ERROR(cols.Ints(h.folded, c));
  DecimalScale scale;
  DecimalScale::FromCode(h.mode, &scale);
  Int128 prev_last = 0;
  for (size_t j = 0; j < folded.size(); ++j) {
    const Int128 first = prev_last + first_d[j], last = first + last_d[j];
    const Int128 lo = std::min(first, last) - min_d[j], hi = std::max(first, last) + max_d[j];
    const Int128 twice_sum = residual[j] + Int128{folded[j]->count} * (first + last);
    if (min_d[j] < 0 || max_d[j] < 0 || lo <= -kMaxMantissa || hi >= kMaxMantissa || twice_sum % 2 != 0 ||
        twice_sum / 2 > INT64_MAX || twice_sum / 2 < INT64_MIN) {
      return Bad("values out of range");
    }
    const int64_t m[5] = {static_cast<int64_t>(first), static_cast<int64_t>(last), static_cast<int64_t>(lo),
                          static_cast<int64_t>(hi), static_cast<int64_t>(twice_sum / 2)};
    double v[5];
    FromDecimal(m, 5, scale, v);
    RollupBucket& b = *folded[j];
    b.first = v[0], b.last = v[1], b.min = v[2], b.max = v[3], b.sum = v[4];
    prev_last = last;
  }
  return Status::Ok();
}

Status ReadXorValues(Columns& cols, const Head& h, const std::vector<RollupBucket*>& folded) {
  std::vector<double> first, last, min, max, sum;
  for (auto* c : {&first, &last, &min, &max, &sum}) ZZ_RETURN_IF_ERROR(cols.Doubles(h.folded, c));
  for (size_t j = 0; j < folded.size(); ++j) {
    // Written by comparisons that NaN fails, so a NaN here is damage (but a sum of +Inf and
    // -Inf is NaN).
    if (!(min[j] <= first[j] && min[j] <= last[j] && max[j] >= first[j] && max[j] >= last[j])) {
      return Bad("values out of order");
    }
    RollupBucket& b = *folded[j];
    b.first = first[j], b.last = last[j], b.min = min[j], b.max = max[j], b.sum = sum[j];
  }
  return Status::Ok();
}

Status Parse(std::string_view bytes, uint32_t chunk_count, int64_t chunk_first_ts, int64_t chunk_last_ts,
             std::vector<RollupBucket>* buckets) {
  if (bytes.size() < 4) return Bad("truncated");
  const std::string_view body = bytes.substr(0, bytes.size() - 4);
  uint32_t crc = 0;
  ByteReader tail(bytes.substr(body.size()));
  tail.GetFixed32(&crc);
  if (crc != crc32c::Value(body)) return Bad("checksum mismatch");
  if (chunk_first_ts > chunk_last_ts) return Bad("empty chunk range");
  Columns cols(body);
  Head h;
  ZZ_RETURN_IF_ERROR(ReadHead(cols.in(), &h));
  ZZ_RETURN_IF_ERROR(ReadCounts(cols, h, chunk_count, chunk_first_ts, chunk_last_ts, buckets));
  std::vector<RollupBucket*> folded;
  for (RollupBucket& b : *buckets) {
    if (b.count > 0) folded.push_back(&b);
  }
  ZZ_RETURN_IF_ERROR(ReadTimes(cols, h, chunk_first_ts, chunk_last_ts, folded));
  ZZ_RETURN_IF_ERROR(h.mode == kXorValues ? ReadXorValues(cols, h, folded) : ReadDecimalValues(cols, h, folded));
  return cols.in().remaining() == 0 ? Status::Ok() : Bad("trailing bytes");
}

}  // namespace

Status DecodeRollup(std::string_view bytes, uint32_t chunk_count, int64_t chunk_first_ts, int64_t chunk_last_ts,
                    std::vector<RollupBucket>* buckets) {
  buckets->clear();
  Status parsed = Parse(bytes, chunk_count, chunk_first_ts, chunk_last_ts, buckets);
  if (!parsed.ok()) buckets->clear();
  return parsed;
}

}  // namespace zhizao::storage::encoding
