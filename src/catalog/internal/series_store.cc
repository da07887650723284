#include "catalog/internal/series_store.h"

#include <charconv>
#include <string>
#include <unordered_map>

#include "catalog/internal/asset_store.h"
#include "catalog/internal/paths.h"
#include "catalog/internal/tag_store.h"

namespace zhizao::catalog::internal {
namespace {

constexpr std::string_view kInsertSeries = R"sql(
INSERT INTO series (database, measurement, series_key, tags) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (database, series_key) DO NOTHING)sql";

constexpr std::string_view kSelectSeries = R"sql(
SELECT id FROM series WHERE database = ?1 AND series_key = ?2)sql";

constexpr std::string_view kInsertField = R"sql(
INSERT INTO series_fields (tag_id, series_id, field) VALUES (?1, ?2, ?3))sql";

constexpr std::string_view kSelectName = R"sql(
SELECT s.database, s.series_key, f.field FROM series_fields f JOIN series s ON s.id = f.series_id
WHERE f.tag_id = ?1)sql";

// The assets of one CreateSeries call by path, made when missing: a root as an enterprise,
// anything deeper one level below its parent; an asset already there is left as it is. A
// batch's fields come series by series under a handful of assets, so each is looked up once.
class AssetsByPath {
 public:
  explicit AssetsByPath(Db& db) : db_(db) {}

  Result<Asset> Ensure(const std::string& path) {
    auto known = known_.find(path);
    if (known != known_.end()) return known->second;
    Result<Asset> found = FindAsset(db_, path);
    if (!found.ok() && found.status().code() != StatusCode::kNotFound) return found.status();
    if (!found.ok()) {
      SplitPath split = SplitLast(path);
      Asset asset{.level = AssetLevel::kEnterprise, .name = split.name, .path = path, .kind = "influx"};
      if (!split.parent.empty()) {
        ZZ_ASSIGN_OR_RETURN(Asset parent, Ensure(split.parent));
        if (parent.level == AssetLevel::kEquipment) {
          return Status::InvalidArgument("cannot place '" + path + "' below equipment '" + split.parent + "'");
        }
        asset.parent_id = parent.id;
        asset.level = static_cast<AssetLevel>(static_cast<int>(parent.level) + 1);
      }
      ZZ_ASSIGN_OR_RETURN(asset.id, UpsertAsset(db_, asset));
      found = std::move(asset);
    }
    return known_.emplace(path, std::move(found).value()).first->second;
  }

 private:
  Db& db_;
  std::unordered_map<std::string, Asset> known_;
};

// True when the tag `id` was made for field `field` of `series`.
Result<bool> NamedAs(Db& db, TagId id, const NewSeries& series, const std::string& field) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectName));
  stmt.BindInt(1, id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && stmt.Text(0) == series.database && stmt.Text(1) == series.series_key && stmt.Text(2) == field;
}

// The id of the series row of `series`, made if missing.
Result<int64_t> SeriesId(Db& db, const NewSeries& series) {
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertSeries));
  insert.BindText(1, series.database);
  insert.BindText(2, series.measurement);
  insert.BindText(3, series.series_key);
  insert.BindText(4, EncodeSeriesTags(series.tags));
  ZZ_RETURN_IF_ERROR(insert.Run());
  if (db.Changes() == 1) return db.LastInsertId();
  ZZ_ASSIGN_OR_RETURN(Statement select, db.Prepare(kSelectSeries));
  select.BindText(1, series.database);
  select.BindText(2, series.series_key);
  ZZ_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return Status::Internal("series '" + series.series_key + "' is missing right after its insert");
  return select.Int(0);
}

// The id of the tag for `field` of `series` (series_id its row) at `path`, called `name` in
// `asset`: the one already there when it was made for the same name (another writer got there
// first), else a new one. Inserts first and looks only when the name is taken: a new series is
// the common case, and for it the probe before every insert found nothing.
Result<TagId> CreateField(Db& db, const NewSeries& series, int64_t series_id, const NewSeries::Field& field,
                          const Asset& asset, const std::string& path, std::string name) {
  Tag tag{.asset_id = asset.id, .name = std::move(name), .path = path, .data_type = field.type};
  Result<TagId> made = InsertTag(db, tag);
  if (made.status().code() == StatusCode::kAlreadyExists) {
    ZZ_ASSIGN_OR_RETURN(int64_t existing, TagIdAt(db, asset.id, tag.name));
    if (existing == 0) return made.status();
    ZZ_ASSIGN_OR_RETURN(bool same, NamedAs(db, static_cast<TagId>(existing), series, field.name));
    if (same) return static_cast<TagId>(existing);
    return Status::AlreadyExists("tag path '" + tag.path + "' for series '" + series.series_key + "' field '" +
                                 field.name + "' is taken by another tag");
  }
  ZZ_ASSIGN_OR_RETURN(TagId id, std::move(made));
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertField));
  insert.BindInt(1, id);
  insert.BindInt(2, series_id);
  insert.BindText(3, field.name);
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("series '" + series.series_key + "' field '" + field.name + "' of database '" +
                                 series.database + "' already has a tag");
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
      return Status::Corruption("series.tags is not a list of <length>:<text>");
    }
    parts[part] = std::string(text.substr(digits + 1, length));
    text.remove_prefix(digits + 1 + length);
    if (part == 1) tags.emplace_back(std::move(parts[0]), std::move(parts[1]));
    part ^= 1;
  }
  if (part != 0) return Status::Corruption("series.tags holds a key without a value");
  return tags;
}

Result<std::vector<TagId>> CreateSeries(Db& db, std::span<const NewSeries> series, std::span<const std::string> paths) {
  size_t fields = 0;
  for (const NewSeries& one : series) fields += one.fields.size();
  if (paths.size() != fields) return Status::InvalidArgument("CreateSeries needs one path per field");
  std::vector<TagId> ids;
  ids.reserve(fields);
  AssetsByPath assets(db);
  for (const NewSeries& one : series) {
    if (one.fields.empty()) continue;
    ZZ_ASSIGN_OR_RETURN(int64_t series_id, SeriesId(db, one));
    for (const NewSeries::Field& field : one.fields) {
      const std::string& path = paths[ids.size()];
      SplitPath split = SplitLast(path);
      ZZ_ASSIGN_OR_RETURN(Asset asset, assets.Ensure(split.parent));
      ZZ_ASSIGN_OR_RETURN(TagId id, CreateField(db, one, series_id, field, asset, path, std::move(split.name)));
      ids.push_back(id);
    }
  }
  return ids;
}

namespace {
constexpr const char* kSelectSeriesNames =
    "SELECT f.tag_id, s.database, s.measurement, s.series_key, s.tags, f.field "
    "FROM series_fields f JOIN series s ON s.id = f.series_id";

// The name in the current row of a kSelectSeriesNames statement.
Result<SeriesName> NameInRow(const Statement& stmt) {
  SeriesName name{.database = stmt.Text(1), .measurement = stmt.Text(2), .field = stmt.Text(5),
                  .series_key = stmt.Text(3)};
  ZZ_ASSIGN_OR_RETURN(name.tags, DecodeSeriesTags(stmt.Text(4)));
  return name;
}
}  // namespace

Result<std::vector<std::pair<TagId, SeriesName>>> ListSeriesNames(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(std::string(kSelectSeriesNames) + " ORDER BY f.tag_id"));
  std::vector<std::pair<TagId, SeriesName>> out;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ZZ_ASSIGN_OR_RETURN(SeriesName name, NameInRow(stmt));
    out.emplace_back(static_cast<TagId>(stmt.Int(0)), std::move(name));
  }
}

Result<std::optional<SeriesName>> GetSeriesName(Db& db, TagId tag) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(std::string(kSelectSeriesNames) + " WHERE f.tag_id = ?"));
  stmt.BindInt(1, tag);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<SeriesName>();
  ZZ_ASSIGN_OR_RETURN(SeriesName name, NameInRow(stmt));
  return std::optional<SeriesName>(std::move(name));
}

}  // namespace zhizao::catalog::internal
