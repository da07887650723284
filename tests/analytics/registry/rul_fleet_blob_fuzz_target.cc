#include "rul_fleet_blob_fuzz_target.h"

#include <string_view>

#include "analytics/registry/rul_fleet_blob.h"
#include "common/check.h"

namespace zhizao::analytics::registry {

void FuzzRulFleetBlob(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  Result<RulFleetBlob> decoded = DecodeRulFleetBlob(raw);
  ZZ_CHECK(decoded.ok() || decoded.status().code() == StatusCode::kCorruption, "Decode fails only with kCorruption");
  if (decoded.ok()) ZZ_CHECK(EncodeRulFleetBlob(*decoded) == raw, "a decoded blob must encode back to the same bytes");
}

}  // namespace zhizao::analytics::registry
