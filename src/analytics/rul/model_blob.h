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

#include "analytics/rul/health_index.h"
#include "analytics/rul/regime_normalizer.h"
#include "analytics/rul/window_features.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

inline constexpr char kModelBlobMagic[8] = {'Z', 'Z', 'R', 'U', 'L', 'M', 'D', 'L'};
// Version 2 added i32 long_window and i32 smooth after the sensor count; version 1 blobs still load (as
// long_window 0, smooth 1). Version 3 added the health index after smooth and a u8 per member
// (reads the index); versions 1 and 2 load with no index.
inline constexpr uint32_t kModelBlobVersion = 3;
inline constexpr uint32_t kOldestModelBlobVersion = 1;

struct ModelBlobContents {
  uint32_t version = kModelBlobVersion;  // the format written by Encode / read by Decode
  uint8_t target = 0;  // 0 remaining life, 1 label
  double rul_cap = 0;
  FeatureOptions features;
  int32_t smooth = 1;
  uint32_t setting_count = 0;
  uint32_t sensor_count = 0;
  HealthIndexParts health_index;      // coef empty: none
  RegimeParts regimes;
  std::vector<std::string> members;   // XGBoost UBJSON models
  std::vector<uint8_t> reads_index;   // per member, 0 or 1
};

// REQUIRES: contents.version in [kOldestModelBlobVersion, kModelBlobVersion]; version 1 only with
// long_window 0 and smooth 1 (it has no place for them); versions 1 and 2 only without a health
// index; reads_index.size() == members.size().
std::string EncodeModelBlob(const ModelBlobContents& contents);

// kCorruption naming the problem: too short, bad magic, unknown version (with the numbers read),
// checksum mismatch, a count out of bounds, truncated or trailing bytes.
Result<ModelBlobContents> DecodeModelBlob(std::string_view blob);

}  // namespace zhizao::analytics::rul
