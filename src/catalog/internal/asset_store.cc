#include "catalog/internal/asset_store.h"

#include <optional>
#include <string>

#include "catalog/internal/paths.h"

namespace zhizao::catalog::internal {
namespace {

// The column list every asset query reads, in ReadAsset()'s order. A macro so SQL stays literal.
#define ZZ_ASSET_COLUMNS "id, parent_id, level, name, path, kind, description_zh, description_en"

Result<AssetLevel> LevelColumn(const Statement& row, int col) {
  std::string text = row.Text(col);
  Result<AssetLevel> level = ParseAssetLevel(text);
  if (!level.ok()) return Status::Corruption("asset row holds unknown level '" + text + "'");
  return level;
}

Result<Asset> ReadAsset(const Statement& row) {
  Asset asset;
  asset.id = row.Int(0);
  asset.parent_id = row.Int(1);  // NULL, a root's, reads as 0
  ZZ_ASSIGN_OR_RETURN(asset.level, LevelColumn(row, 2));
  asset.name = row.Text(3);
  asset.path = row.Text(4);
  asset.kind = row.Text(5);
  asset.description_zh = row.Text(6);
  asset.description_en = row.Text(7);
  return asset;
}

// An asset with its name, parent_id and path filled in, and its parent's level (none for a root).
struct Placed {
  Asset asset;
  std::optional<AssetLevel> parent_level;
};

Result<Placed> Place(Db& db, Asset asset) {
  std::string parent_path;
  if (asset.parent_id == 0 && !asset.path.empty()) {
    SplitPath split = SplitLast(asset.path);
    if (!asset.name.empty() && asset.name != split.name) {
      return Status::InvalidArgument("asset path '" + asset.path + "' does not end in its name '" +
                                     asset.name + "'");
    }
    asset.name = std::move(split.name);
    parent_path = std::move(split.parent);
  }
  ZZ_RETURN_IF_ERROR(ValidateName(asset.name).WithContext("asset"));
  if (asset.parent_id == 0 && asset.path.find('/') == std::string::npos) {
    asset.path = asset.name;
    return Placed{std::move(asset), std::nullopt};
  }
  Result<Asset> parent = asset.parent_id != 0 ? GetAsset(db, asset.parent_id) : FindAsset(db, parent_path);
  if (!parent.ok()) return parent.status().WithContext("cannot place asset '" + asset.name + "'");
  asset.parent_id = parent->id;
  asset.path = JoinPath(parent->path, asset.name);
  return Placed{std::move(asset), parent->level};
}

Status CheckLevel(const Asset& asset, std::optional<AssetLevel> parent_level) {
  std::string level(AssetLevelName(asset.level));
  if (!parent_level) {
    if (asset.level == AssetLevel::kEnterprise) return Status::Ok();
    return Status::InvalidArgument("asset '" + asset.path +
                                   "' has no parent, so its level must be 'enterprise', not '" + level + "'");
  }
  if (asset.level > *parent_level) return Status::Ok();
  return Status::InvalidArgument("asset '" + asset.path + "' at level '" + level +
                                 "' cannot sit under a parent at level '" +
                                 std::string(AssetLevelName(*parent_level)) +
                                 "' (levels deepen: enterprise, site, area, line, cell, equipment)");
}

// An upsert may change an existing asset's level; its children must still sit deeper.
Status CheckChildrenStayDeeper(Db& db, AssetId id, const Asset& asset) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT path, level FROM assets WHERE parent_id = ?1"));
  stmt.BindInt(1, id);
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    ZZ_ASSIGN_OR_RETURN(AssetLevel child, LevelColumn(stmt, 1));
    if (child <= asset.level) {
      return Status::InvalidArgument(
          "asset '" + asset.path + "' cannot become level '" + std::string(AssetLevelName(asset.level)) +
          "': its child '" + stmt.Text(0) + "' is at level '" + std::string(AssetLevelName(child)) + "'");
    }
  }
}

Status Update(Db& db, AssetId id, const Asset& asset) {
  ZZ_RETURN_IF_ERROR(CheckChildrenStayDeeper(db, id, asset));
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("UPDATE assets SET level = ?1, kind = ?2, description_zh = ?3, "
                                 "description_en = ?4 WHERE id = ?5"));
  stmt.BindText(1, AssetLevelName(asset.level));
  stmt.BindText(2, asset.kind);
  stmt.BindText(3, asset.description_zh);
  stmt.BindText(4, asset.description_en);
  stmt.BindInt(5, id);
  return stmt.Run();
}

Result<AssetId> Insert(Db& db, const Asset& asset) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("INSERT INTO assets (parent_id, level, name, path, kind, "
                                                 "description_zh, description_en) "
                                                 "VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7)"));
  stmt.BindInt(1, asset.parent_id);
  stmt.BindText(2, AssetLevelName(asset.level));
  stmt.BindText(3, asset.name);
  stmt.BindText(4, asset.path);
  stmt.BindText(5, asset.kind);
  stmt.BindText(6, asset.description_zh);
  stmt.BindText(7, asset.description_en);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  return db.LastInsertId();
}

Result<int64_t> CountOf(Db& db, std::string_view sql, int64_t param) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  stmt.BindInt(1, param);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

}  // namespace

Result<AssetId> UpsertAsset(Db& db, const Asset& asset) {
  ZZ_ASSIGN_OR_RETURN(Placed placed, Place(db, asset));
  ZZ_RETURN_IF_ERROR(CheckLevel(placed.asset, placed.parent_level));
  Result<Asset> existing = FindAsset(db, placed.asset.path);
  if (existing.ok()) {
    ZZ_RETURN_IF_ERROR(Update(db, existing->id, placed.asset));
    return existing->id;
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  return Insert(db, placed.asset);
}

Result<std::vector<AssetId>> UpsertAssets(Db& db, std::span<const Asset> assets) {
  std::vector<AssetId> ids;
  ids.reserve(assets.size());
  for (const Asset& asset : assets) {
    ZZ_ASSIGN_OR_RETURN(AssetId id, UpsertAsset(db, asset));
    ids.push_back(id);
  }
  return ids;
}

Result<Asset> GetAsset(Db& db, AssetId id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT " ZZ_ASSET_COLUMNS " FROM assets WHERE id = ?1"));
  stmt.BindInt(1, id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no asset with id " + std::to_string(id));
  return ReadAsset(stmt);
}

Result<Asset> FindAsset(Db& db, std::string_view path) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT " ZZ_ASSET_COLUMNS " FROM assets WHERE path = ?1"));
  stmt.BindText(1, path);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no asset with path '" + std::string(path) + "'");
  return ReadAsset(stmt);
}

Result<std::vector<Asset>> ListAssets(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT " ZZ_ASSET_COLUMNS " FROM assets ORDER BY path"));
  std::vector<Asset> assets;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return assets;
    ZZ_ASSIGN_OR_RETURN(Asset asset, ReadAsset(stmt));
    assets.push_back(std::move(asset));
  }
}

Status DeleteAsset(Db& db, AssetId id) {
  ZZ_ASSIGN_OR_RETURN(Asset asset, GetAsset(db, id));
  ZZ_ASSIGN_OR_RETURN(int64_t children, CountOf(db, "SELECT COUNT(*) FROM assets WHERE parent_id = ?1", id));
  ZZ_ASSIGN_OR_RETURN(int64_t tags, CountOf(db, "SELECT COUNT(*) FROM tags WHERE asset_id = ?1", id));
  if (children > 0 || tags > 0) {
    return Status::FailedPrecondition("cannot delete asset '" + asset.path + "': it still has " +
                                      std::to_string(children) + " child assets and " + std::to_string(tags) +
                                      " tags");
  }
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("DELETE FROM assets WHERE id = ?1"));
  stmt.BindInt(1, id);
  return stmt.Run();
}

#undef ZZ_ASSET_COLUMNS

}  // namespace zhizao::catalog::internal
