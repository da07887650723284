#include "rollup_fuzz_body.h"

#include <cstring>
#include <string>
#include <vector>

#include "common/check.h"
#include "common/crc32c.h"
#include "storage/encoding/bits.h"
#include "storage/encoding/rollup.h"

namespace zhizao::storage {

void FuzzRollupDecode(const uint8_t* data, size_t size) {
  // The chunk: count, first_ts and a span from the first 16 bytes.
  if (size < 16) return;
  uint32_t count = 0, span_s = 0;
  int64_t first = 0;
  std::memcpy(&count, data, 4);
  std::memcpy(&first, data + 4, 8);
  std::memcpy(&span_s, data + 12, 4);
  const int64_t last = first > INT64_MAX - int64_t{span_s} * 1'000'000 ? INT64_MAX : first + int64_t{span_s} * 1'000'000;
  std::string record(reinterpret_cast<const char*>(data + 16), size - 16);
  if (record.size() >= 4) {
    record.resize(record.size() - 4);
    encoding::PutFixed32(&record, crc32c::Value(record));
  }
  std::vector<RollupBucket> buckets;
  if (!encoding::DecodeRollup(record, count, first, last, &buckets).ok()) {
    ZZ_CHECK(buckets.empty(), "a failed decode leaves no buckets");
    return;
  }
  uint64_t samples = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    const RollupBucket& b = buckets[i];
    ZZ_CHECK(i == 0 || buckets[i - 1].start_ns < b.start_ns, "buckets in time order");
    ZZ_CHECK(b.count <= b.samples && b.non_good <= b.samples, "counts within the bucket");
    ZZ_CHECK(b.bad <= b.non_good && b.bad <= b.samples - b.count, "bad samples are non-good and never folded");
    ZZ_CHECK(b.bad_counted || (b.bad == 0 && b.non_good > 0), "an uncounted bad is 0, in a bucket with non-good");
    samples += b.samples;
    if (b.count == 0) continue;
    ZZ_CHECK(b.first_ts <= b.min_ts && b.min_ts <= b.last_ts && b.first_ts <= b.max_ts && b.max_ts <= b.last_ts,
             "times in order");
    ZZ_CHECK(b.first_ts >= first && b.last_ts <= last, "times in the chunk");
    ZZ_CHECK(b.min <= b.first && b.min <= b.last && b.max >= b.first && b.max >= b.last, "values in order");
  }
  ZZ_CHECK(samples == count, "buckets hold the chunk's samples");
}

}  // namespace zhizao::storage
