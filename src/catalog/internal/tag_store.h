// Rows of the tags table; the Catalog's tag calls, minus locking and transactions.
//
// REQUIRES: external synchronization (the Catalog's mutex). Writers run inside a transaction the
// caller holds, so that a batch commits whole. Semantics and errors: see catalog.h.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/internal/sqlite.h"
#include "catalog/model.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

// `edited` counts the existing tags whose fields the call changed (a tag written as it was
// stored is left as it is).
Result<TagId> UpsertTag(Db& db, const Tag& tag, size_t& edited);
// Inserts a new tag under tag.asset_id with tag.name (validated; path and id ignored): for a
// caller that placed it itself and knows no tag holds the name. Errors as UpsertTag's, and
// AlreadyExists when (asset, name) is taken after all.
Result<TagId> InsertTag(Db& db, const Tag& tag);
// The id of the tag `name` of asset `asset_id`, or 0 when there is none.
Result<int64_t> TagIdAt(Db& db, AssetId asset_id, const std::string& name);
Result<std::vector<TagId>> UpsertTags(Db& db, std::span<const Tag> tags, size_t& edited);
Result<Tag> GetTag(Db& db, TagId id);
Result<Tag> FindTag(Db& db, std::string_view path);
Result<std::vector<Tag>> ListTags(Db& db, const TagFilter& filter);
// True when the tag's fields changed.
Result<bool> UpdateTag(Db& db, const Tag& tag);
Status DeleteTag(Db& db, TagId id);
Result<int64_t> CountTags(Db& db);

}  // namespace zhizao::catalog::internal
