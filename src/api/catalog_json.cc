#include "api/catalog_json.h"

#include <unordered_map>

#include "api/json_body.h"

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
            {"hihi", Optional(tag.limits.hihi)},
            {"alarm_state", tag.limits.alarm_state ? nlohmann::json(*tag.limits.alarm_state) : nlohmann::json()}}},
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

namespace {

// A value the model refuses ("level: 'x' is not ...") becomes a 422 naming the JSON path.
Status Invalid(const std::string& path, const Status& status) {
  return Status::OutOfRange(path + ": " + status.message());
}

Status ReadDescription(JsonFields& fields, std::string& zh, std::string& en) {
  ZZ_ASSIGN_OR_RETURN(std::optional<JsonFields> description, fields.Object("description"));
  if (!description) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> z, description->String("zh"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> e, description->String("en"));
  zh = z.value_or("");
  en = e.value_or("");
  return description->CheckNoOtherFields();
}

// "name", when given with "path", must be the path's last segment.
Status CheckNameOfPath(const JsonFields& fields, const std::string& path, const std::optional<std::string>& name) {
  if (!name || path.substr(path.rfind('/') + 1) == *name) return Status::Ok();
  return Status::OutOfRange(fields.PathOf("name") + ": '" + *name + "' is not the last segment of path '" + path + "'");
}

Status ReadRange(JsonFields& fields, catalog::Tag& tag) {
  ZZ_ASSIGN_OR_RETURN(std::optional<JsonFields> range, fields.Object("range"));
  if (!range) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(tag.range_lo, range->Number("lo"));
  ZZ_ASSIGN_OR_RETURN(tag.range_hi, range->Number("hi"));
  return range->CheckNoOtherFields();
}

Status ReadLimits(JsonFields& fields, catalog::Tag& tag) {
  ZZ_ASSIGN_OR_RETURN(std::optional<JsonFields> limits, fields.Object("limits"));
  if (!limits) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(tag.limits.lolo, limits->Number("lolo"));
  ZZ_ASSIGN_OR_RETURN(tag.limits.lo, limits->Number("lo"));
  ZZ_ASSIGN_OR_RETURN(tag.limits.hi, limits->Number("hi"));
  ZZ_ASSIGN_OR_RETURN(tag.limits.hihi, limits->Number("hihi"));
  ZZ_ASSIGN_OR_RETURN(tag.limits.alarm_state, limits->Bool("alarm_state"));
  return limits->CheckNoOtherFields();
}

// The enumerated fields of a tag: data type and classification.
Status ReadTagKinds(JsonFields& fields, catalog::Tag& tag) {
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> type, fields.String("data_type"));
  if (type) {
    Result<DataType> parsed = ParseDataType(*type);
    if (!parsed.ok()) return Invalid(fields.PathOf("data_type"), parsed.status());
    tag.data_type = *parsed;
  }
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> classification, fields.String("classification"));
  if (classification) {
    Result<catalog::Classification> parsed = catalog::ParseClassification(*classification);
    if (!parsed.ok()) return Invalid(fields.PathOf("classification"), parsed.status());
    tag.classification = *parsed;
  }
  return Status::Ok();
}

}  // namespace

Result<AssetBody> AssetFromJson(const nlohmann::json& value, const std::string& path) {
  ZZ_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(value, path));
  AssetBody body;
  ZZ_ASSIGN_OR_RETURN(body.id, fields.Integer("id", 1, INT64_MAX));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> asset_path, fields.String("path"));
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> parent_id, fields.Integer("parent_id", 1, INT64_MAX));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> name, fields.String("name"));
  body.has_position = asset_path || parent_id || name;
  if (asset_path) {
    ZZ_RETURN_IF_ERROR(CheckNameOfPath(fields, *asset_path, name));
    body.asset.path = *asset_path;
    body.parent_id = parent_id;
  } else {
    body.asset.parent_id = parent_id.value_or(0);
    body.asset.name = name.value_or("");
    body.asset.path = body.asset.name;  // a root's path is its name; a child's is derived
  }
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> level, fields.String("level"));
  if (!level) return Status::OutOfRange(fields.PathOf("level") + ": required (enterprise, site, area, line, cell or equipment)");
  Result<catalog::AssetLevel> parsed = catalog::ParseAssetLevel(*level);
  if (!parsed.ok()) return Invalid(fields.PathOf("level"), parsed.status());
  body.asset.level = *parsed;
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> kind, fields.String("kind"));
  body.asset.kind = kind.value_or("");
  ZZ_RETURN_IF_ERROR(ReadDescription(fields, body.asset.description_zh, body.asset.description_en));
  // "children" is what the tree listing adds; a body may carry it back, and it changes nothing.
  ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<const nlohmann::json*>> children, fields.Array("children"));
  (void)children;
  ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
  return body;
}

Result<TagBody> TagFromJson(const nlohmann::json& value, const std::string& path) {
  ZZ_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(value, path));
  TagBody body;
  catalog::Tag& tag = body.tag;
  ZZ_ASSIGN_OR_RETURN(body.id, fields.Integer("id", 1, UINT32_MAX));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> tag_path, fields.String("path"));
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> asset_id, fields.Integer("asset_id", 1, INT64_MAX));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> name, fields.String("name"));
  body.has_position = tag_path || asset_id || name;
  if (tag_path) {
    ZZ_RETURN_IF_ERROR(CheckNameOfPath(fields, *tag_path, name));
    tag.path = *tag_path;
    body.asset_id = asset_id;
  } else {
    tag.asset_id = asset_id.value_or(0);
    tag.name = name.value_or("");
  }
  ZZ_RETURN_IF_ERROR(ReadTagKinds(fields, tag));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> unit, fields.String("unit"));
  tag.unit = unit.value_or("");
  ZZ_RETURN_IF_ERROR(ReadRange(fields, tag));
  ZZ_RETURN_IF_ERROR(ReadLimits(fields, tag));
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> period_ms, fields.Integer("period_ms", 1, INT64_MAX));
  tag.period_ms = period_ms.value_or(1000);
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> retention, fields.Integer("retention_days", 0, 1'000'000));
  tag.retention_days = retention.value_or(0);
  ZZ_ASSIGN_OR_RETURN(std::optional<bool> writable, fields.Bool("writable"));
  tag.writable = writable.value_or(false);
  ZZ_RETURN_IF_ERROR(ReadDescription(fields, tag.description_zh, tag.description_en));
  ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
  return body;
}

}  // namespace zhizao::api
