// JSON shapes of catalog records in the API.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "catalog/model.h"

namespace zhizao::api {

nlohmann::json AssetToJson(const catalog::Asset& asset);
nlohmann::json TagToJson(const catalog::Tag& tag);
// Nests assets under their parents: [{..., "children": [...]}, ...].
// REQUIRES: `assets` ordered so that parents come first (ListAssets() orders by path).
nlohmann::json AssetTreeToJson(const std::vector<catalog::Asset>& assets);

}  // namespace zhizao::api
