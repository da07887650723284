#include "api/catalog_json.h"

#include <unordered_map>

namespace zhizao::api {
namespace {

nlohmann::json Optional(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

nlohmann::json AssetToJson(const catalog::Asset& asset) {
  return {{"id", asset.id},
          {"parent_id", asset.parent_id == 0 ? nlohmann::json() : nlohmann::json(asset.parent_id)},
          {"level", catalog::AssetLevelName(asset.level)},
          {"name", asset.name},
          {"path", asset.path},
          {"kind", asset.kind},
          {"description", {{"zh", asset.description_zh}, {"en", asset.description_en}}}};
}

nlohmann::json TagToJson(const catalog::Tag& tag) {
  return {{"id", tag.id},
          {"asset_id", tag.asset_id},
          {"name", tag.name},
          {"path", tag.path},
          {"data_type", DataTypeName(tag.data_type)},
          {"unit", tag.unit},
          {"range", {{"lo", Optional(tag.range_lo)}, {"hi", Optional(tag.range_hi)}}},
          {"limits",
           {{"lolo", Optional(tag.limits.lolo)},
            {"lo", Optional(tag.limits.lo)},
            {"hi", Optional(tag.limits.hi)},
            {"hihi", Optional(tag.limits.hihi)}}},
          {"period_ms", tag.period_ms},
          {"classification", catalog::ClassificationName(tag.classification)},
          {"retention_days", tag.retention_days},
          {"writable", tag.writable},
          {"description", {{"zh", tag.description_zh}, {"en", tag.description_en}}}};
}

nlohmann::json AssetTreeToJson(const std::vector<catalog::Asset>& assets) {
  // Build bottom-up: children are attached to parents after the children are complete.
  std::unordered_map<catalog::AssetId, std::vector<size_t>> children;
  for (size_t i = 0; i < assets.size(); ++i) children[assets[i].parent_id].push_back(i);
  std::vector<nlohmann::json> nodes(assets.size());
  for (size_t i = assets.size(); i-- > 0;) {
    nodes[i] = AssetToJson(assets[i]);
    nlohmann::json kids = nlohmann::json::array();
    for (size_t child : children[assets[i].id]) kids.push_back(std::move(nodes[child]));
    nodes[i]["children"] = std::move(kids);
  }
  nlohmann::json roots = nlohmann::json::array();
  for (size_t root : children[0]) roots.push_back(std::move(nodes[root]));
  return roots;
}

}  // namespace zhizao::api
