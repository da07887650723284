// The blob of a registry RUL version: the fleet it serves around a saved rul::Model.
//
//   "ZZRULFLT"  u32 format (1)  u32 tags_per_asset  u32 assets
//   assets x i64 run_start_ns   u64 model_size  model_size bytes (rul::Model::Save, own checksum)
// little-endian, nothing after. The version's inputs are the assets' tag paths, asset by asset
// (tags_per_asset each); run_start_ns is where the asset's current run began as training saw it
// (its last failure in the training request, else the range start): serving reads from there.
//
// Pure functions, thread-safe. Decode checks every count against the bytes left first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zhizao::analytics::registry {

inline constexpr uint32_t kRulFleetBlobVersion = 1;
inline constexpr uint32_t kMaxRulFleetAssets = 10'000;
inline constexpr uint32_t kMaxRulFleetTags = 4'096;

struct RulFleetBlob {
  uint32_t tags_per_asset = 0;
  std::vector<int64_t> run_start_ns;  // one per asset, in the inputs' asset order
  std::string model;                  // rul::Model::Save()
};

std::string EncodeRulFleetBlob(const RulFleetBlob& blob);
// Corruption naming what is wrong: magic, format, counts out of bounds, a short or long blob.
// The model bytes are not checked here (rul::Model::Load does).
Result<RulFleetBlob> DecodeRulFleetBlob(std::string_view bytes);

}  // namespace zhizao::analytics::registry
