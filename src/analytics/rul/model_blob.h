// The byte format of a saved RUL model (spec: docs/analytics/rul.md, "Model blob").
// Internal to analytics/rul; the fuzz target drives DecodeModelBlob directly.
//
// Pure functions, thread-safe. Decode never trusts a length: every count is bounded and checked
// against the bytes left before anything is allocated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/rul/regime_normalizer.h"
#include "analytics/rul/window_features.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

inline constexpr char kModelBlobMagic[8] = {'Z', 'Z', 'R', 'U', 'L', 'M', 'D', 'L'};
inline constexpr uint32_t kModelBlobVersion = 1;

struct ModelBlobContents {
  uint8_t target = 0;  // 0 remaining life, 1 label
  double rul_cap = 0;
  FeatureOptions features;
  uint32_t setting_count = 0;
  uint32_t sensor_count = 0;
  RegimeParts regimes;
  std::vector<std::string> members;  // XGBoost UBJSON models
};

std::string EncodeModelBlob(const ModelBlobContents& contents);

// kCorruption naming the problem: too short, bad magic, other version (with both numbers),
// checksum mismatch, a count out of bounds, truncated or trailing bytes.
Result<ModelBlobContents> DecodeModelBlob(std::string_view blob);

}  // namespace zhizao::analytics::rul
