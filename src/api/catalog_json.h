// JSON shapes of catalog records in the API, both ways: records out, request bodies in.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "common/status.h"

namespace zhizao::api {

nlohmann::json AssetToJson(const catalog::Asset& asset);
nlohmann::json TagToJson(const catalog::Tag& tag);
// Nests assets under their parents: [{..., "children": [...]}, ...].
// REQUIRES: `assets` ordered so that parents come first (ListAssets() orders by path).
nlohmann::json AssetTreeToJson(const std::vector<catalog::Asset>& assets);

// An asset as a POST or PUT body gives it: the shape AssetToJson writes, so that what GET
// returns can be sent back. Where it sits: "path", or "parent_id" (absent or null for a root)
// and "name". "level" is required; "kind" and "description": {"zh", "en"} default to empty.
struct AssetBody {
  catalog::Asset asset;            // asset.id is 0; parent_id set only when no path was given
  std::optional<int64_t> id;       // "id", when given
  std::optional<int64_t> parent_id;  // "parent_id", when given alongside "path"
  bool has_position = false;       // "path", "parent_id" or "name" was given
};

// A tag as a POST or PUT body gives it, in the shape TagToJson writes: "path", or "asset_id"
// and "name"; "data_type" (Default: "float64"), "unit", "range": {"lo", "hi"}, "limits":
// {"lolo", "lo", "hi", "hihi", "alarm_state"}, "period_ms" (Default: 1000), "classification" (Default:
// "general"), "retention_days" (Default: 0), "writable" (Default: false), "description".
struct TagBody {
  catalog::Tag tag;                // tag.id is 0; asset_id set only when no path was given
  std::optional<int64_t> id;       // "id", when given
  std::optional<int64_t> asset_id;   // "asset_id", when given alongside "path"
  bool has_position = false;       // "path", "asset_id" or "name" was given
};

// Errors: OutOfRange naming the JSON path under `path` ("$.tags[2].level: ...") for a field of
// the wrong type, an unknown field, a missing required one, an unknown level, data type or
// classification, or a "name" that is not the last segment of "path". The catalog checks the
// rest (names, ranges, levels against the parent).
Result<AssetBody> AssetFromJson(const nlohmann::json& value, const std::string& path = "$");
Result<TagBody> TagFromJson(const nlohmann::json& value, const std::string& path = "$");

}  // namespace zhizao::api
