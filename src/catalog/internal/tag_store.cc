#include "catalog/internal/tag_store.h"

#include <limits>
#include <string>

#include "catalog/internal/asset_store.h"
#include "catalog/internal/paths.h"

namespace zhizao::catalog::internal {
namespace {

// What every tag query selects, in ReadTag()'s order: a tag's path is not stored but is its
// asset's path and its name (schema 6). Macros so SQL stays literal.
#define ZZ_TAG_COLUMNS                                                                                       \
  "t.id, t.asset_id, t.name, a.path || '/' || t.name, t.data_type, t.unit, t.range_lo, t.range_hi, t.lolo, " \
  "t.lo, t.hi, t.hihi, t.period_ms, t.classification, t.retention_days, t.writable, t.description_zh, "      \
  "t.description_en, t.alarm_state"
#define ZZ_TAGS_WITH_ASSETS " FROM tags t JOIN assets a ON a.id = t.asset_id"

// Parameters ?1 to ?16 and ?18 are bound by BindTagFields(). Upserts look the tag up and then insert
// or update rather than use INSERT ... ON CONFLICT ... RETURNING: RETURNING builds a temporary
// table on every execution, which made registering 100,000 tags several times slower.
constexpr std::string_view kInsertTag = R"sql(
INSERT INTO tags (asset_id, name, data_type, unit, range_lo, range_hi, lolo, lo, hi, hihi,
                  period_ms, classification, retention_days, writable, description_zh, description_en,
                  alarm_state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?18))sql";

constexpr std::string_view kUpdateTag = R"sql(
UPDATE tags SET asset_id = ?1, name = ?2, data_type = ?3, unit = ?4,
  range_lo = ?5, range_hi = ?6, lolo = ?7, lo = ?8, hi = ?9, hihi = ?10, period_ms = ?11,
  classification = ?12, retention_days = ?13, writable = ?14,
  description_zh = ?15, description_en = ?16, alarm_state = ?18
WHERE id = ?17)sql";

void BindTagFields(Statement& stmt, const Tag& tag) {
  stmt.BindInt(1, tag.asset_id);
  stmt.BindText(2, tag.name);
  stmt.BindText(3, DataTypeName(tag.data_type));
  stmt.BindText(4, tag.unit);
  stmt.BindOptDouble(5, tag.range_lo);
  stmt.BindOptDouble(6, tag.range_hi);
  stmt.BindOptDouble(7, tag.limits.lolo);
  stmt.BindOptDouble(8, tag.limits.lo);
  stmt.BindOptDouble(9, tag.limits.hi);
  stmt.BindOptDouble(10, tag.limits.hihi);
  stmt.BindInt(11, tag.period_ms);
  stmt.BindText(12, ClassificationName(tag.classification));
  stmt.BindInt(13, tag.retention_days);
  stmt.BindInt(14, tag.writable ? 1 : 0);
  stmt.BindText(15, tag.description_zh);
  stmt.BindText(16, tag.description_en);
  stmt.BindOptInt(18, tag.limits.alarm_state ? std::optional<int64_t>(*tag.limits.alarm_state ? 1 : 0) : std::nullopt);
}

Result<Tag> ReadTag(const Statement& row) {
  Tag tag;
  tag.id = static_cast<TagId>(row.Int(0));
  tag.asset_id = row.Int(1);
  tag.name = row.Text(2);
  tag.path = row.Text(3);
  Result<DataType> type = ParseDataType(row.Text(4));
  Result<Classification> classification = ParseClassification(row.Text(13));
  if (!type.ok() || !classification.ok()) {
    return Status::Corruption("tag row '" + tag.path + "' holds an unknown data type or classification");
  }
  tag.data_type = *type;
  tag.unit = row.Text(5);
  tag.range_lo = row.OptDouble(6);
  tag.range_hi = row.OptDouble(7);
  tag.limits = {row.OptDouble(8), row.OptDouble(9), row.OptDouble(10), row.OptDouble(11)};
  if (!row.IsNull(18)) tag.limits.alarm_state = row.Int(18) != 0;
  tag.period_ms = row.Int(12);
  tag.classification = *classification;
  tag.retention_days = row.Int(14);
  tag.writable = row.Int(15) != 0;
  tag.description_zh = row.Text(16);
  tag.description_en = row.Text(17);
  return tag;
}

Result<std::vector<Tag>> ReadTags(Statement& stmt) {
  std::vector<Tag> tags;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return tags;
    ZZ_ASSIGN_OR_RETURN(Tag tag, ReadTag(stmt));
    tags.push_back(std::move(tag));
  }
}

// Fills in tags' asset_id, name and path from whichever the caller set, and validates them.
// Remembers the last asset it looked up: the tags of a batch arrive grouped by asset.
class TagResolver {
 public:
  explicit TagResolver(Db& db) : db_(db) {}

  Result<Tag> Resolve(Tag tag) {
    if (tag.asset_id != 0) {
      tag.path.clear();  // derived below; a stale one must not name the tag in errors
      ZZ_RETURN_IF_ERROR(ValidateTag(tag));
      ZZ_RETURN_IF_ERROR(LookUpId(tag.asset_id).WithContext("cannot place tag '" + tag.name + "'"));
      tag.path = JoinPath(last_.path, tag.name);
      return tag;
    }
    if (tag.path.find('/') == std::string::npos) {
      return Status::InvalidArgument("tag '" + (tag.path.empty() ? tag.name : tag.path) +
                                     "' names no asset: set asset_id, or a path '<asset path>/<name>'");
    }
    SplitPath split = SplitLast(tag.path);
    if (!tag.name.empty() && tag.name != split.name) {
      return Status::InvalidArgument("tag path '" + tag.path + "' does not end in its name '" + tag.name +
                                     "'");
    }
    tag.name = std::move(split.name);
    ZZ_RETURN_IF_ERROR(ValidateTag(tag));
    ZZ_RETURN_IF_ERROR(LookUpPath(split.parent).WithContext("cannot place tag '" + tag.path + "'"));
    tag.asset_id = last_.id;
    return tag;
  }

 private:
  Status LookUpId(AssetId id) { return id == last_.id ? Status::Ok() : Remember(GetAsset(db_, id)); }

  Status LookUpPath(const std::string& path) {
    return last_.id != 0 && path == last_.path ? Status::Ok() : Remember(FindAsset(db_, path));
  }

  Status Remember(Result<Asset> asset) {
    if (!asset.ok()) return asset.status();
    last_ = std::move(asset).value();
    return Status::Ok();
  }

  Db& db_;
  Asset last_;  // id 0 until the first lookup; asset ids are never 0
};

Result<TagId> ToTagId(int64_t id, const Tag& tag) {
  if (id > std::numeric_limits<TagId>::max()) {
    return Status::ResourceExhausted("cannot add tag '" + tag.path + "': all 32-bit tag ids are used");
  }
  return static_cast<TagId>(id);
}

// Replaces the fields of the tag with id tag.id. Errors: NotFound when there is none.
Status Update(Db& db, const Tag& tag) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kUpdateTag));
  BindTagFields(stmt, tag);
  stmt.BindInt(17, tag.id);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  if (db.Changes() == 0) return Status::NotFound("no tag with id " + std::to_string(tag.id));
  return Status::Ok();
}

}  // namespace

Result<int64_t> TagIdAt(Db& db, AssetId asset_id, const std::string& name) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT id FROM tags WHERE asset_id = ?1 AND name = ?2"));
  stmt.BindInt(1, asset_id);
  stmt.BindText(2, name);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

namespace {

// Refuses a change of data type: the history keeps each series in one type.
Status CheckSameType(const Tag& current, DataType wanted) {
  if (current.data_type == wanted) return Status::Ok();
  return Status::FailedPrecondition("cannot change the data type of tag '" + current.path + "' from " +
                                    std::string(DataTypeName(current.data_type)) + " to " +
                                    std::string(DataTypeName(wanted)) + ": its history keeps the old type; " +
                                    "create a new tag");
}

Result<TagId> Insert(Db& db, const Tag& tag) {
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertTag));
  BindTagFields(insert, tag);
  ZZ_RETURN_IF_ERROR(insert.Run());
  return ToTagId(db.LastInsertId(), tag);
}

// Inserts the resolved tag, or updates the one already at its path (counted in `edited` when
// its fields change); returns its id.
Result<TagId> Write(Db& db, Tag tag, size_t& edited) {
  ZZ_ASSIGN_OR_RETURN(int64_t existing, TagIdAt(db, tag.asset_id, tag.name));
  if (existing != 0) {
    tag.id = static_cast<TagId>(existing);
    ZZ_ASSIGN_OR_RETURN(Tag current, GetTag(db, tag.id));
    ZZ_RETURN_IF_ERROR(CheckSameType(current, tag.data_type));
    if (current == tag) return tag.id;  // a connector registering its tags again at a reconnect
    ZZ_RETURN_IF_ERROR(Update(db, tag));
    ++edited;
    return tag.id;
  }
  ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare(kInsertTag));
  BindTagFields(insert, tag);
  ZZ_RETURN_IF_ERROR(insert.Run());
  return ToTagId(db.LastInsertId(), tag);
}

}  // namespace

Result<TagId> UpsertTag(Db& db, const Tag& tag, size_t& edited) {
  ZZ_ASSIGN_OR_RETURN(std::vector<TagId> ids, UpsertTags(db, std::span<const Tag>(&tag, 1), edited));
  return ids.front();
}

Result<TagId> InsertTag(Db& db, const Tag& tag) {
  ZZ_RETURN_IF_ERROR(ValidateTag(tag));
  return Insert(db, tag);
}

Result<std::vector<TagId>> UpsertTags(Db& db, std::span<const Tag> tags, size_t& edited) {
  TagResolver resolver(db);
  std::vector<TagId> ids;
  ids.reserve(tags.size());
  for (const Tag& tag : tags) {
    ZZ_ASSIGN_OR_RETURN(Tag resolved, resolver.Resolve(tag));
    ZZ_ASSIGN_OR_RETURN(TagId id, Write(db, std::move(resolved), edited));
    ids.push_back(id);
  }
  return ids;
}

Result<Tag> GetTag(Db& db, TagId id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT " ZZ_TAG_COLUMNS ZZ_TAGS_WITH_ASSETS " WHERE t.id = ?1"));
  stmt.BindInt(1, id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no tag with id " + std::to_string(id));
  return ReadTag(stmt);
}

Result<Tag> FindTag(Db& db, std::string_view path) {
  SplitPath split = SplitLast(path);
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("SELECT " ZZ_TAG_COLUMNS ZZ_TAGS_WITH_ASSETS " WHERE a.path = ?1 AND t.name = ?2"));
  stmt.BindText(1, split.parent);
  stmt.BindText(2, split.name);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no tag with path '" + std::string(path) + "'");
  return ReadTag(stmt);
}

Result<std::vector<Tag>> ListTags(Db& db, const TagFilter& filter) {
  // The SQL is assembled from fixed fragments only; every value is a bound parameter.
  std::string sql = "SELECT " ZZ_TAG_COLUMNS ZZ_TAGS_WITH_ASSETS " WHERE 1";
  // P itself or below it: [P, P0) minus the siblings that sort between P and P/ ("P-2", "P.b").
  if (filter.asset_id) sql += " AND a.path >= ?6 AND a.path < ?2 AND (a.path = ?6 OR a.path >= ?1)";
  if (filter.path_glob) sql += " AND a.path || '/' || t.name GLOB ?3";
  // Asset by asset, each one's tags by name (the assets' path index, then the tags' (asset, name)).
  sql += " ORDER BY a.path, t.name LIMIT ?4 OFFSET ?5";
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  if (filter.asset_id) {
    ZZ_ASSIGN_OR_RETURN(Asset asset, GetAsset(db, *filter.asset_id));
    // '0' follows '/' in ASCII, so [P/, P0) holds exactly the paths of P's descendants, and the
    // range is served by the assets' path index.
    stmt.BindText(6, asset.path);
    stmt.BindText(1, asset.path + "/");
    stmt.BindText(2, asset.path + "0");
  }
  if (filter.path_glob) stmt.BindText(3, *filter.path_glob);
  stmt.BindInt(4, filter.limit == 0 ? -1 : static_cast<int64_t>(filter.limit));
  stmt.BindInt(5, static_cast<int64_t>(filter.offset));
  return ReadTags(stmt);
}

Result<bool> UpdateTag(Db& db, const Tag& tag) {
  TagResolver resolver(db);
  ZZ_ASSIGN_OR_RETURN(Tag resolved, resolver.Resolve(tag));
  ZZ_ASSIGN_OR_RETURN(Tag current, GetTag(db, tag.id));
  ZZ_RETURN_IF_ERROR(CheckSameType(current, resolved.data_type));
  if (current == resolved) return false;
  Status status = Update(db, resolved);
  if (status.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("cannot update tag " + std::to_string(tag.id) + ": another tag has path '" +
                                 resolved.path + "'");
  }
  ZZ_RETURN_IF_ERROR(status);
  return true;
}

Status DeleteTag(Db& db, TagId id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("DELETE FROM tags WHERE id = ?1"));
  stmt.BindInt(1, id);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  if (db.Changes() == 0) return Status::NotFound("no tag with id " + std::to_string(id));
  return Status::Ok();
}

Result<int64_t> CountTags(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT COUNT(*) FROM tags"));
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

#undef ZZ_TAG_COLUMNS
#undef ZZ_TAGS_WITH_ASSETS

}  // namespace zhizao::catalog::internal
