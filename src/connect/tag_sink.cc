#include "connect/tag_sink.h"

namespace zhizao::connect {

// Makes the assets of `asset_path` that do not exist yet, each one level deeper than its
// parent (a root is an enterprise), and returns the last one's id.
Result<catalog::AssetId> CatalogTagSink::EnsureAssetLocked(std::string_view asset_path) {
  Result<catalog::Asset> found = catalog_.FindAsset(asset_path);
  if (found.ok()) return found->id;
  if (found.status().code() != StatusCode::kNotFound) return found.status();
  size_t slash = asset_path.rfind('/');
  catalog::Asset asset;
  asset.name = std::string(slash == std::string_view::npos ? asset_path : asset_path.substr(slash + 1));
  asset.level = catalog::AssetLevel::kEnterprise;
  if (slash != std::string_view::npos) {
    ZZ_ASSIGN_OR_RETURN(asset.parent_id, EnsureAssetLocked(asset_path.substr(0, slash)));
    ZZ_ASSIGN_OR_RETURN(catalog::Asset parent, catalog_.GetAsset(asset.parent_id));
    if (parent.level == catalog::AssetLevel::kEquipment) {
      return Status::InvalidArgument("cannot make asset '" + std::string(asset_path) + "': its parent '" +
                                     parent.path + "' is equipment, the deepest ISA-95 level");
    }
    asset.level = static_cast<catalog::AssetLevel>(static_cast<int>(parent.level) + 1);
  }
  return catalog_.UpsertAsset(asset);
}

Result<std::vector<TagId>> CatalogTagSink::EnsureTags(std::span<const TagSpec> specs) {
  std::lock_guard lock(mu_);
  std::vector<TagId> ids(specs.size(), 0);
  std::vector<catalog::Tag> made;
  std::vector<size_t> made_at;
  for (size_t i = 0; i < specs.size(); ++i) {
    const TagSpec& spec = specs[i];
    Result<catalog::Tag> existing = catalog_.FindTag(spec.path);
    if (existing.ok()) {
      if (existing->data_type != spec.type) {
        return Status::FailedPrecondition("tag '" + spec.path + "' is " + std::string(DataTypeName(existing->data_type)) +
                                          " in the catalog, but the connector reads " +
                                          std::string(DataTypeName(spec.type)));
      }
      ids[i] = existing->id;
      continue;
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
    size_t slash = spec.path.rfind('/');
    if (slash == std::string::npos || slash == 0) {
      return Status::InvalidArgument("tag path '" + spec.path + "' names no asset: write it as asset/path/tag");
    }
    catalog::Tag tag;
    ZZ_ASSIGN_OR_RETURN(tag.asset_id, EnsureAssetLocked(std::string_view(spec.path).substr(0, slash)));
    tag.name = spec.path.substr(slash + 1);
    tag.path = spec.path;  // what UpsertTags derives; the series index needs it
    tag.data_type = spec.type;
    tag.unit = spec.unit;
    tag.writable = spec.writable;
    tag.range_lo = spec.range_lo;
    tag.range_hi = spec.range_hi;
    tag.period_ms = spec.period_ms;
    tag.description_en = spec.description;
    made.push_back(std::move(tag));
    made_at.push_back(i);
  }
  if (made.empty()) return ids;
  ZZ_ASSIGN_OR_RETURN(std::vector<TagId> made_ids, catalog_.UpsertTags(made));
  for (size_t k = 0; k < made.size(); ++k) {
    made[k].id = made_ids[k];
    ids[made_at[k]] = made_ids[k];
    ingest_.AddTag(made_ids[k], made[k].data_type);
  }
  series_.AddTags(made);
  return ids;
}

}  // namespace zhizao::connect
