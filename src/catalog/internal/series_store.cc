#include "catalog/internal/series_store.h"

#include <charconv>
#include <string>

#include "catalog/internal/asset_store.h"
#include "catalog/internal/paths.h"
#include "catalog/internal/tag_store.h"

namespace zhizao::catalog::internal {
namespace {

constexpr std::string_view kInsertName = R"sql(
INSERT INTO series_names (tag_id, database, measurement, series_key, tags, field)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";

constexpr std::string_view kSelectName = R"sql(
SELECT database, series_key, field FROM series_names WHERE tag_id = ?1)sql";

// Creates the asset at `path` when missing: a root as an enterprise, anything deeper one level
// below its parent. An asset already there is left as it is.
Status EnsureAsset(Db& db, const std::string& path) {
  Result<Asset> found = FindAsset(db, path);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) return found.status();
  SplitPath split = SplitLast(path);
  Asset asset{.level = AssetLevel::kEnterprise, .name = split.name, .path = path, .kind = "influx"};
  if (!split.parent.empty()) {
    ZZ_RETURN_IF_ERROR(EnsureAsset(db, split.parent));
    ZZ_ASSIGN_OR_RETURN(Asset parent, FindAsset(db, split.parent));
    if (parent.level == AssetLevel::kEquipment) {
      return Status::InvalidArgument("cannot place '" + path + "' below equipment '" + split.parent + "'");
    }
    asset.parent_id = parent.id;
    asset.level = static_cast<AssetLevel>(static_cast<int>(parent.level) + 1);
  }
  return UpsertAsset(db, asset).status();
}

// True when the tag `id` was made for `name`.
Result<bool> NamedAs(Db& db, TagId id, const SeriesName& name) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectName));
  stmt.BindInt(1, id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && stmt.Text(0) == name.database && stmt.Text(1) == name.series_key && stmt.Text(2) == name.field;
}

// The id of the tag for `name`: the one already at tag.path when it was made for the same name
// (another writer got there first), else a new one.
Result<TagId> CreateOne(Db& db, const Tag& tag, const SeriesName& name) {
  Result<Tag> existing = FindTag(db, tag.path);
  if (existing.ok()) {
    ZZ_ASSIGN_OR_RETURN(bool same, NamedAs(db, existing->id, name));
    if (same) return existing->id;
    return Status::AlreadyExists("tag path '" + tag.path + "' for series '" + name.series_key + "' field '" +
                                 name.field + "' is taken by another tag");
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  ZZ_RETURN_IF_ERROR(EnsureAsset(db, SplitLast(tag.path).parent));
  ZZ_ASSIGN_OR_RETURN(TagId id, UpsertTag(db, tag));
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertName));
  insert.BindInt(1, id);
  insert.BindText(2, name.database);
  insert.BindText(3, name.measurement);
  insert.BindText(4, name.series_key);
  insert.BindText(5, EncodeSeriesTags(name.tags));
  insert.BindText(6, name.field);
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("series '" + name.series_key + "' field '" + name.field + "' of database '" +
                                 name.database + "' already has a tag");
  }
  ZZ_RETURN_IF_ERROR(inserted);
  return id;
}

}  // namespace

std::string EncodeSeriesTags(const std::vector<std::pair<std::string, std::string>>& tags) {
  std::string out;
  for (const auto& [key, value] : tags) {
    for (const std::string* s : {&key, &value}) {
      out += std::to_string(s->size());
      out += ':';
      out += *s;
    }
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> DecodeSeriesTags(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> tags;
  std::string parts[2];
  int part = 0;
  while (!text.empty()) {
    size_t length = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    size_t digits = static_cast<size_t>(end - text.data());
    if (ec != std::errc() || digits == text.size() || *end != ':' || length > text.size() - digits - 1) {
      return Status::Corruption("series_names.tags is not a list of <length>:<text>");
    }
    parts[part] = std::string(text.substr(digits + 1, length));
    text.remove_prefix(digits + 1 + length);
    if (part == 1) tags.emplace_back(std::move(parts[0]), std::move(parts[1]));
    part ^= 1;
  }
  if (part != 0) return Status::Corruption("series_names.tags holds a key without a value");
  return tags;
}

Result<std::vector<TagId>> CreateSeries(Db& db, std::span<const Tag> tags, std::span<const SeriesName> names) {
  if (tags.size() != names.size()) return Status::InvalidArgument("CreateSeries needs one name per tag");
  std::vector<TagId> ids;
  ids.reserve(tags.size());
  for (size_t i = 0; i < tags.size(); ++i) {
    ZZ_ASSIGN_OR_RETURN(TagId id, CreateOne(db, tags[i], names[i]));
    ids.push_back(id);
  }
  return ids;
}

Result<std::vector<std::pair<TagId, SeriesName>>> ListSeriesNames(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT tag_id, database, measurement, series_key, tags, field "
                                                 "FROM series_names ORDER BY tag_id"));
  std::vector<std::pair<TagId, SeriesName>> out;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    SeriesName name{.database = stmt.Text(1), .measurement = stmt.Text(2), .field = stmt.Text(5),
                    .series_key = stmt.Text(3)};
    ZZ_ASSIGN_OR_RETURN(name.tags, DecodeSeriesTags(stmt.Text(4)));
    out.emplace_back(static_cast<TagId>(stmt.Int(0)), std::move(name));
  }
}

}  // namespace zhizao::catalog::internal
