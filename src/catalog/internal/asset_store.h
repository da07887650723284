// Rows of the assets table; the Catalog's asset calls, minus locking and transactions.
//
// REQUIRES: external synchronization (the Catalog's mutex). Writers run inside a transaction the
// caller holds, so that a batch commits whole. Semantics and errors: see catalog.h.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "catalog/internal/sqlite.h"
#include "catalog/model.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

Result<AssetId> UpsertAsset(Db& db, const Asset& asset);
Result<std::vector<AssetId>> UpsertAssets(Db& db, std::span<const Asset> assets);
Result<Asset> GetAsset(Db& db, AssetId id);
Result<Asset> FindAsset(Db& db, std::string_view path);
Result<std::vector<Asset>> ListAssets(Db& db);
Status DeleteAsset(Db& db, AssetId id);

}  // namespace zhizao::catalog::internal
