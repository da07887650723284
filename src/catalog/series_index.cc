#include "catalog/series_index.h"

#include <algorithm>
#include <cstdio>

namespace zhizao::catalog {
namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kHashedPrefix = kMaxName - 17;  // room for ".<16 hex digits>"

bool IsWord(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// FNV-1a: stable across platforms and releases, unlike std::hash, because it names catalog rows.
uint64_t StableHash(std::string_view a, std::string_view b) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  };
  mix(a);
  mix(std::string_view("\n", 1));
  mix(b);
  return h;
}

// Letters, digits and '_' of `text` (others become '_'), cut short, then the hash: never
// containing '-', so it cannot equal a readable "<k>-<v>..." name.
std::string Hashed(std::string_view text, uint64_t hash) {
  std::string out;
  for (char c : text.substr(0, kHashedPrefix)) out += IsWord(std::string_view(&c, 1)) ? c : '_';
  char hex[18];
  std::snprintf(hex, sizeof hex, ".%016llx", static_cast<unsigned long long>(hash));
  return out + hex;
}

std::string MeasurementAssetName(std::string_view measurement) {
  if (measurement.size() <= kMaxName && ValidateName(measurement).ok()) return std::string(measurement);
  return Hashed(measurement, StableHash(measurement, ""));
}

using SeriesTags = std::vector<std::pair<std::string, std::string>>;

// The asset of one series, below its measurement's: "<k>-<v>.<k>-<v>" when every key and value
// is a word and the name fits, else the same text sanitized and cut, and a hash of the series key.
std::string SeriesAssetName(const SeriesTags& tags, std::string_view series_key) {
  bool readable = true;
  std::string out;
  for (const auto& [key, value] : tags) {
    readable = readable && IsWord(key) && IsWord(value);
    if (!out.empty()) out += '.';
    out += key + "-" + value;
  }
  if (readable && out.size() <= kMaxName) return out;
  return Hashed(out, StableHash(series_key, ""));
}

// "<measurement asset>[/<series asset>]/<field>": a series with tags is an asset of its own,
// holding a tag per field; the field's name is hashed as the asset's when it is not a word.
std::string TagPathOf(const std::string& measurement_asset, const SeriesTags& tags, const std::string& field,
                      std::string_view series_key) {
  std::string path = measurement_asset + "/";
  if (!tags.empty()) path += SeriesAssetName(tags, series_key) + "/";
  if (IsWord(field) && field.size() <= kMaxName) return path + field;
  return path + Hashed(field, StableHash(series_key, field));
}

// The derived name of a tag that line protocol did not make: see series_index.h.
SeriesName DerivedName(const Tag& tag) {
  std::string_view path = tag.path;
  size_t last = path.rfind('/');
  std::string_view asset = path.substr(0, last == std::string_view::npos ? 0 : last);
  size_t first = asset.find('/');
  SeriesName name;
  name.database = std::string(asset.substr(0, first));
  name.measurement = first == std::string_view::npos ? name.database : std::string(asset.substr(first + 1));
  name.field = std::string(last == std::string_view::npos ? path : path.substr(last + 1));
  name.series_key = name.measurement;  // path names hold no character that needs escaping
  return name;
}

}  // namespace

std::string_view InfluxTypeName(DataType type) {
  switch (type) {
    case DataType::kFloat64: return "float";
    case DataType::kInt64: return "integer";
    case DataType::kBool: return "boolean";
    case DataType::kString: return "string";
  }
  return "float";
}

const SeriesIndex::Field* SeriesIndex::Series::FindField(std::string_view name, size_t hint) const {
  if (hint < fields.size() && fields[hint].name == name) return &fields[hint];
  for (const Field& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

Result<std::unique_ptr<SeriesIndex>> SeriesIndex::Load(Catalog& catalog) {
  std::unique_ptr<SeriesIndex> index(new SeriesIndex(catalog));
  ZZ_ASSIGN_OR_RETURN(auto named, catalog.ListSeriesNames());
  ZZ_ASSIGN_OR_RETURN(std::vector<Tag> tags, catalog.ListTags({}));
  ZZ_ASSIGN_OR_RETURN(std::vector<Asset> assets, catalog.ListAssets());
  std::unordered_map<TagId, const SeriesName*> name_of;
  for (const auto& [id, name] : named) name_of.emplace(id, &name);
  std::unique_lock lock(index->mu_);
  for (const Asset& asset : assets) {
    if (asset.parent_id == 0) index->databases_[asset.name];
  }
  for (const Tag& tag : tags) {
    auto it = name_of.find(tag.id);
    if (it == name_of.end()) {
      index->AddDerivedLocked(tag);
    } else {
      index->AddLocked(*it->second, tag.id, tag.data_type);
      index->written_.insert(tag.id);
    }
  }
  return index;
}

namespace {

Status ValidateDatabaseName(const std::string& name) {
  if (name.size() <= kMaxName && ValidateName(name).ok()) return Status::Ok();
  return Status::InvalidArgument("database name '" + name + "' must be 1-64 letters, digits, '_', '-' or '.'");
}

// "<database>/<measurement asset>": the asset of the tags line protocol makes for a series.
Result<std::string> AssetPathOf(const std::string& database, std::string_view measurement) {
  ZZ_RETURN_IF_ERROR(ValidateDatabaseName(database));
  return database + "/" + MeasurementAssetName(measurement);
}

}  // namespace

Status SeriesIndex::CreateDatabase(const std::string& name) {
  ZZ_RETURN_IF_ERROR(ValidateDatabaseName(name));
  std::lock_guard creating(create_mu_);
  Result<Asset> root = catalog_.FindAsset(name);
  if (root.status().code() == StatusCode::kNotFound) {
    ZZ_RETURN_IF_ERROR(catalog_.UpsertAsset({.level = AssetLevel::kEnterprise, .name = name, .path = name, .kind = "influx"}).status());
  } else if (!root.ok()) {
    return root.status();
  }
  std::unique_lock lock(mu_);
  databases_[name];
  return Status::Ok();
}

Result<std::string> SeriesIndex::CatalogPathFor(const SeriesName& name) {
  ZZ_ASSIGN_OR_RETURN(std::string asset, AssetPathOf(name.database, name.measurement));
  return TagPathOf(asset, name.tags, name.field, name.series_key);
}

Result<std::vector<TagId>> SeriesIndex::Create(std::vector<NewSeries> series) {
  std::lock_guard creating(create_mu_);
  std::vector<TagId> ids;  // field by field, 0 until made
  std::vector<size_t> made;  // where in `ids` each field left in `series` goes
  std::vector<std::string> paths;  // of the fields left in `series`
  {
    std::shared_lock lock(mu_);
    for (NewSeries& one : series) {
      const Series* known = nullptr;
      if (auto db = databases_.find(one.database); db != databases_.end()) {
        auto found = db->second.by_key.find(std::string_view(one.series_key));
        if (found != db->second.by_key.end()) known = found->second;
      }
      ZZ_ASSIGN_OR_RETURN(std::string asset, AssetPathOf(one.database, one.measurement));
      // Fields made since the caller looked are dropped from `one`; the rest are made.
      auto kept = one.fields.begin();
      for (NewSeries::Field& field : one.fields) {
        const Field* existing = known != nullptr ? known->FindField(field.name, 0) : nullptr;
        ids.push_back(existing != nullptr ? existing->id : 0);
        if (existing != nullptr) continue;
        paths.push_back(TagPathOf(asset, one.tags, field.name, one.series_key));
        made.push_back(ids.size() - 1);
        if (&*kept != &field) *kept = std::move(field);  // a string moved onto itself is left empty
        ++kept;
      }
      one.fields.erase(kept, one.fields.end());
    }
  }
  if (made.empty()) return ids;
  // No description on the tags: the series name (series, series_fields) says what they were
  // written as.
  ZZ_ASSIGN_OR_RETURN(std::vector<TagId> created, catalog_.CreateSeries(series, paths));
  std::unique_lock lock(mu_);
  size_t next = 0;
  for (const NewSeries& one : series) {
    if (one.fields.empty()) continue;
    Database& db = databases_[one.database];
    Series& indexed = SeriesFor(db, one.measurement, one.tags, one.series_key);
    for (const NewSeries::Field& field : one.fields) {
      TagId id = created[next];
      ids[made[next++]] = id;
      AddFieldLocked(db, indexed, field.name, id, field.type);
      written_.insert(id);
    }
  }
  return ids;
}

void SeriesIndex::AddTags(std::span<const Tag> tags) {
  std::unique_lock lock(mu_);
  for (const Tag& tag : tags) AddDerivedLocked(tag);
}

void SeriesIndex::UpdateTag(const Tag& tag) {
  std::unique_lock lock(mu_);
  if (written_.contains(tag.id)) return;
  RemoveLocked(tag.id);
  AddDerivedLocked(tag);
}

bool SeriesIndex::RemoveTag(TagId id) {
  std::unique_lock lock(mu_);
  written_.erase(id);
  return RemoveLocked(id);
}

bool SeriesIndex::RemoveLocked(TagId id) {
  for (auto& [db_name, db] : databases_) {
    for (auto it = db.by_key.begin(); it != db.by_key.end(); ++it) {
      Series& series = *it->second;
      auto field = std::find_if(series.fields.begin(), series.fields.end(), [id](const Field& f) { return f.id == id; });
      if (field == series.fields.end()) continue;
      auto counts = db.field_counts.find(series.measurement);
      auto count = counts->second.find(field->name);
      if (--count->second == 0) counts->second.erase(count);
      if (counts->second.empty()) db.field_counts.erase(counts);
      series.fields.erase(field);
      if (series.fields.empty()) {
        auto measurement = db.measurements.find(series.measurement);
        measurement->second.erase(std::string_view(series.key));
        if (measurement->second.empty()) db.measurements.erase(measurement);
        for (const auto& [key, value] : series.tags) {
          auto posting = db.series_by_tag.find(std::tie(series.measurement, key, value));
          if (posting == db.series_by_tag.end()) continue;  // a key repeated in a stored name: gone already
          posting->second.erase(std::string_view(series.key));
          if (posting->second.empty()) db.series_by_tag.erase(posting);
        }
        db.by_key.erase(it);
      }
      return true;
    }
  }
  return false;
}

SeriesIndex::Series& SeriesIndex::SeriesFor(Database& db, const std::string& measurement, const SeriesTags& tags,
                                             const std::string& key) {
  auto found = db.by_key.find(std::string_view(key));
  if (found != db.by_key.end()) return *found->second;
  Series& series = db.series.emplace_back(Series{measurement, tags, key, {}});
  db.by_key.emplace(series.key, &series);
  db.measurements[series.measurement].emplace(series.key, &series);
  for (const auto& [tag_key, value] : series.tags) {
    db.series_by_tag[std::tuple(series.measurement, tag_key, value)].emplace(series.key, &series);
  }
  return series;
}

const SeriesIndex::SeriesByKey* SeriesIndex::Database::SeriesWithTag(std::string_view measurement, std::string_view key,
                                                                     std::string_view value) const {
  auto found = series_by_tag.find(std::tuple(measurement, key, value));
  return found == series_by_tag.end() ? nullptr : &found->second;
}

void SeriesIndex::AddLocked(const SeriesName& name, TagId id, DataType type) {
  Database& db = databases_[name.database];
  AddFieldLocked(db, SeriesFor(db, name.measurement, name.tags, name.series_key), name.field, id, type);
}

void SeriesIndex::AddFieldLocked(Database& db, Series& series, const std::string& field, TagId id, DataType type) {
  // Two writes of one new field in one Create yield one tag; index it once.
  if (series.FindField(field, 0) != nullptr) return;
  series.fields.push_back({field, id, type});
  ++db.field_counts[series.measurement][field];
}

void SeriesIndex::AddDerivedLocked(const Tag& tag) { AddLocked(DerivedName(tag), tag.id, tag.data_type); }

}  // namespace zhizao::catalog
