// Describes the plant while its models are constructed: the assets and tags the catalog will
// hold, and a channel per tag in the ChannelBank. Not thread-safe; used only during Create().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "connect/sim/internal/channel_bank.h"

namespace zhizao::connect::sim {

// One tag as a model declares it. The span (lo, hi) is both the catalog range and where the
// sensor saturates.
struct TagSpec {
  std::string_view name;
  std::string_view unit;
  double lo = 0;
  double hi = 1;
  int64_t period_ms = 1000;  // sample period; for event tags the typical interval between events
  double noise = 0;          // Gaussian sigma, in unit
  double resolution = 0;     // quantisation step, in unit; 0: none
  std::string_view en;
  std::string_view zh;
  catalog::AlarmLimits limits = {};
  DataType type = DataType::kFloat64;
  catalog::Classification classification = catalog::Classification::kGeneral;
  bool on_event = false;  // sampled once per Publish() (a finished part, a shot)
  bool writable = false;  // a setpoint
  double initial = 0;     // true value before the model's first step
};

// Alarm limits (ISA-18.2 order lolo < lo < hi < hihi), one builder per common shape.
inline catalog::AlarmLimits HighAlarms(double hi, std::optional<double> hihi = std::nullopt) {
  catalog::AlarmLimits limits;
  limits.hi = hi;
  limits.hihi = hihi;
  return limits;
}
inline catalog::AlarmLimits LowAlarms(double lo, std::optional<double> lolo = std::nullopt) {
  catalog::AlarmLimits limits;
  limits.lo = lo;
  limits.lolo = lolo;
  return limits;
}
inline catalog::AlarmLimits BandAlarms(double lo, double hi) {
  catalog::AlarmLimits limits;
  limits.lo = lo;
  limits.hi = hi;
  return limits;
}

class PlantBuilder {
 public:
  // REQUIRES: tick_ms divides every periodic tag's period_ms.
  PlantBuilder(uint64_t seed, int64_t tick_ms, ChannelBank& bank) : seed_(seed), tick_ms_(tick_ms), bank_(bank) {}

  // Adds an asset below parent_path ("" for the enterprise) and returns its path.
  std::string AddAsset(std::string_view parent_path, catalog::AssetLevel level, std::string_view name,
                       std::string_view kind, std::string_view en, std::string_view zh);
  // Adds a tag to the asset at asset_path and returns its channel index.
  uint32_t AddTag(const std::string& asset_path, const TagSpec& spec);

  // The path of a tag of an asset.
  static std::string TagPath(const std::string& asset_path, std::string_view name);

  ChannelBank& bank() { return bank_; }
  std::vector<catalog::Asset>& assets() { return assets_; }
  std::vector<catalog::Tag>& tags() { return tags_; }
  std::vector<std::string>& tag_asset_paths() { return tag_asset_paths_; }

 private:
  uint64_t seed_;
  int64_t tick_ms_;
  ChannelBank& bank_;
  std::vector<catalog::Asset> assets_;
  std::vector<catalog::Tag> tags_;
  std::vector<std::string> tag_asset_paths_;  // by tag index
};

}  // namespace zhizao::connect::sim
