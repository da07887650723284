#include "connect/sim/internal/plant_builder.h"

#include "common/check.h"

namespace zhizao::connect::sim {

std::string PlantBuilder::AddAsset(std::string_view parent_path, catalog::AssetLevel level, std::string_view name,
                                   std::string_view kind, std::string_view en, std::string_view zh) {
  catalog::Asset asset;
  asset.level = level;
  asset.name = std::string(name);
  asset.path = parent_path.empty() ? asset.name : std::string(parent_path) + "/" + asset.name;
  asset.kind = std::string(kind);
  asset.description_en = std::string(en);
  asset.description_zh = std::string(zh);
  assets_.push_back(asset);
  return assets_.back().path;
}

std::string PlantBuilder::TagPath(const std::string& asset_path, std::string_view name) {
  return asset_path + "/" + std::string(name);
}

uint32_t PlantBuilder::AddTag(const std::string& asset_path, const TagSpec& spec) {
  ZZ_CHECK(spec.on_event || spec.period_ms % tick_ms_ == 0, "a tag's period must be whole ticks");
  catalog::Tag tag;
  tag.name = std::string(spec.name);
  tag.path = TagPath(asset_path, spec.name);
  tag.data_type = spec.type;
  tag.unit = std::string(spec.unit);
  tag.range_lo = spec.lo;
  tag.range_hi = spec.hi;
  tag.limits = spec.limits;
  tag.period_ms = spec.period_ms;
  tag.classification = spec.classification;
  tag.writable = spec.writable;
  tag.description_en = std::string(spec.en);
  tag.description_zh = std::string(spec.zh);

  Channel channel;
  channel.value = spec.initial;
  channel.noise_sigma = spec.noise;
  channel.resolution = spec.resolution;
  channel.lo = spec.lo;
  channel.hi = spec.hi;
  channel.period_ticks = spec.on_event ? 0 : static_cast<int32_t>(spec.period_ms / tick_ms_);
  channel.id = static_cast<TagId>(tags_.size() + 1);
  channel.type = spec.type;
  channel.noise = Rng(seed_, tag.path);

  tags_.push_back(std::move(tag));
  tag_asset_paths_.push_back(asset_path);
  return bank_.Add(channel);
}

}  // namespace zhizao::connect::sim
