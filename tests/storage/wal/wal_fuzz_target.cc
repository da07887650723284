#include "wal_fuzz_target.h"

#include <string>
#include <string_view>

#include "common/check.h"
#include "storage/wal/batch_codec.h"
#include "storage/wal/internal/record.h"

namespace zhizao::storage {
namespace {

void CheckBatchSurvivesReencoding(const Batch& batch) {
  std::string encoded;
  EncodeBatch(batch, &encoded);
  Batch again;
  ZZ_CHECK(DecodeBatch(encoded, &again).ok(), "a decoded batch must re-encode to a valid payload");
  ZZ_CHECK(again.strings == batch.strings && again.points.size() == batch.points.size(), "round trip changed sizes");
  for (size_t i = 0; i < batch.points.size(); ++i) {
    const Point& a = batch.points[i];
    const Point& b = again.points[i];
    ZZ_CHECK(a.tag == b.tag && a.status == b.status && a.ts_ns == b.ts_ns && a.value == b.value,
             "round trip changed a point");
  }
}

void FuzzBatch(std::string_view payload) {
  Batch batch;
  if (DecodeBatch(payload, &batch).ok()) CheckBatchSurvivesReencoding(batch);
}

}  // namespace

void FuzzWalInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  wal_internal::RecordReader reader(input);
  std::string_view payload;
  while (reader.Next(&payload)) {
    ZZ_CHECK(reader.valid_end() <= size, "reader ran past the input");
    FuzzBatch(payload);
  }
  FuzzBatch(input);
}

}  // namespace zhizao::storage
