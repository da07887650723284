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

// True when the tag `id` was made for `name`.
Result<bool> NamedAs(Db& db, TagId id, const SeriesName& name) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectName));
  stmt.BindInt(1, id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && stmt.Text(0) == name.database && stmt.Text(1) == name.series_key && stmt.Text(2) == name.field;
}

// The id of the series row of `name`, made if missing. `last` remembers the previous answer:
// a line's fields come one after another.
Result<int64_t> SeriesId(Db& db, const SeriesName& name, std::pair<const SeriesName*, int64_t>& last) {
  if (last.first != nullptr && last.first->database == name.database && last.first->series_key == name.series_key) {
    return last.second;
  }
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertSeries));
  insert.BindText(1, name.database);
  insert.BindText(2, name.measurement);
  insert.BindText(3, name.series_key);
  insert.BindText(4, EncodeSeriesTags(name.tags));
  ZZ_RETURN_IF_ERROR(insert.Run());
  ZZ_ASSIGN_OR_RETURN(Statement select, db.Prepare(kSelectSeries));
  select.BindText(1, name.database);
  select.BindText(2, name.series_key);
  ZZ_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return Status::Internal("series '" + name.series_key + "' is missing right after its insert");
  last = {&name, select.Int(0)};
  return last.second;
}

// The id of the tag for `name`: the one already at tag.path when it was made for the same name
// (another writer got there first), else a new one.
Result<TagId> CreateOne(Db& db, const Tag& tag, const SeriesName& name, AssetsByPath& assets,
                        std::pair<const SeriesName*, int64_t>& last_series) {
  SplitPath split = SplitLast(tag.path);
  ZZ_ASSIGN_OR_RETURN(Asset asset, assets.Ensure(split.parent));
  ZZ_ASSIGN_OR_RETURN(int64_t existing, TagIdAt(db, asset.id, split.name));
  if (existing != 0) {
    ZZ_ASSIGN_OR_RETURN(bool same, NamedAs(db, static_cast<TagId>(existing), name));
    if (same) return static_cast<TagId>(existing);
    return Status::AlreadyExists("tag path '" + tag.path + "' for series '" + name.series_key + "' field '" +
                                 name.field + "' is taken by another tag");
  }
  Tag placed = tag;
  placed.asset_id = asset.id;
  placed.name = std::move(split.name);
  ZZ_ASSIGN_OR_RETURN(TagId id, InsertTag(db, placed));
  ZZ_ASSIGN_OR_RETURN(int64_t series_id, SeriesId(db, name, last_series));
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertField));
  insert.BindInt(1, id);
  insert.BindInt(2, series_id);
  insert.BindText(3, name.field);
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

Result<std::vector<TagId>> CreateSeries(Db& db, std::span<const Tag> tags, std::span<const SeriesName> names) {
  if (tags.size() != names.size()) return Status::InvalidArgument("CreateSeries needs one name per tag");
  std::vector<TagId> ids;
  ids.reserve(tags.size());
  std::pair<const SeriesName*, int64_t> last_series{nullptr, 0};
  AssetsByPath assets(db);
  for (size_t i = 0; i < tags.size(); ++i) {
    ZZ_ASSIGN_OR_RETURN(TagId id, CreateOne(db, tags[i], names[i], assets, last_series));
    ids.push_back(id);
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
