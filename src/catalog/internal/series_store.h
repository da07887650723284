// Rows of the series and series_fields tables: the line-protocol names of the tags that line
// protocol made (a series row per database and series key, a field row per tag).
//
// REQUIRES: external synchronization (the Catalog's mutex); writers run inside the caller's
// transaction. Semantics and errors: see catalog.h.
#pragma once

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "catalog/internal/sqlite.h"
#include "catalog/model.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

Result<std::vector<TagId>> CreateSeries(Db& db, std::span<const NewSeries> series, std::span<const std::string> paths);
Result<std::vector<std::pair<TagId, SeriesName>>> ListSeriesNames(Db& db);
Result<std::optional<SeriesName>> GetSeriesName(Db& db, TagId tag);

// The tags column's encoding: "<len>:<key><len>:<value>..." with byte lengths in decimal.
std::string EncodeSeriesTags(const std::vector<std::pair<std::string, std::string>>& tags);
Result<std::vector<std::pair<std::string, std::string>>> DecodeSeriesTags(std::string_view text);

}  // namespace zhizao::catalog::internal
