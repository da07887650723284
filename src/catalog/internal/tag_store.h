// Rows of the tags table; the Catalog's tag calls, minus locking and transactions.
//
// REQUIRES: external synchronization (the Catalog's mutex). Writers run inside a transaction the
// caller holds, so that a batch commits whole. Semantics and errors: see catalog.h.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/internal/sqlite.h"
#include "catalog/model.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

Result<TagId> UpsertTag(Db& db, const Tag& tag);
Result<std::vector<TagId>> UpsertTags(Db& db, std::span<const Tag> tags);
Result<Tag> GetTag(Db& db, TagId id);
Result<Tag> FindTag(Db& db, std::string_view path);
Result<std::vector<Tag>> ListTags(Db& db, const TagFilter& filter);
Status UpdateTag(Db& db, const Tag& tag);
Status DeleteTag(Db& db, TagId id);
Result<int64_t> CountTags(Db& db);

}  // namespace zhizao::catalog::internal
