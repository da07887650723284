#include "rul_blob_fuzz_target.h"

#include <cstring>
#include <string>
#include <string_view>

#include "analytics/rul/model_blob.h"
#include "analytics/rul/rul_model.h"
#include "common/check.h"
#include "common/crc32c.h"

namespace zhizao::analytics::rul {

void FuzzModelBlob(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto loaded = Model::Load(raw);
  ZZ_CHECK(loaded.ok() || loaded.status().code() == StatusCode::kCorruption, "Load fails only with kCorruption");

  // The same bytes as the payload of every version this build reads, behind a valid header and
  // checksum (so the payload decoder is reached).
  for (uint32_t version = kOldestModelBlobVersion; version <= kModelBlobVersion; ++version) {
    std::string blob(kModelBlobMagic, sizeof(kModelBlobMagic));
    const uint64_t payload_size = size;
    blob.append(reinterpret_cast<const char*>(&version), sizeof(version));
    blob.append(reinterpret_cast<const char*>(&payload_size), sizeof(payload_size));
    blob.append(raw);
    const uint32_t crc = crc32c::Value(blob);
    blob.append(reinterpret_cast<const char*>(&crc), sizeof(crc));
    auto decoded = DecodeModelBlob(blob);
    ZZ_CHECK(decoded.ok() || decoded.status().code() == StatusCode::kCorruption, "Decode fails only with kCorruption");
    if (decoded.ok()) {
      ZZ_CHECK(EncodeModelBlob(*decoded) == blob, "a decoded blob must encode back to the same bytes");
    }
  }
}

}  // namespace zhizao::analytics::rul
