// The catalog's tags under InfluxDB's names (database, measurement, tag set, field), in memory:
// what a line-protocol write resolves its points through, and what InfluxQL lists and selects.
//
// A tag that line protocol made keeps the name it was written with (Catalog::CreateSeries).
// Every other tag is answered under a name derived from its path: database = its root asset,
// measurement = the rest of its asset's path, no tags, field = its own name. The simulated
// plant's "demo/plant1/utilities/air01/header_pressure" is database "demo", measurement
// "plant1/utilities/air01", field "header_pressure".
//
// Thread-safe. Readers share a lock and never wait for the catalog: Create() writes SQLite
// first, outside the lock, and takes the lock alone only to link what it made.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/model.h"
#include "common/batch.h"
#include "common/status.h"

namespace zhizao::catalog {

// InfluxDB's name of a field type: "float", "integer", "boolean" or "string".
std::string_view InfluxTypeName(DataType type);

class SeriesIndex {
 public:
  struct Field {
    std::string name;
    TagId id = 0;
    DataType type = DataType::kFloat64;
  };

  // One tag set of one measurement, and the fields written to it.
  struct Series {
    std::string measurement;
    std::vector<std::pair<std::string, std::string>> tags;  // sorted by key
    std::string key;                                          // escaped, as SHOW SERIES prints it
    std::vector<Field> fields;                                // in the order they were made

    // The field called `name`, or null. Lines repeat their fields in one order, so the caller
    // passes the position the previous line found it at and a hit costs one comparison.
    const Field* FindField(std::string_view name, size_t hint) const;
  };

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Series by key, sorted as InfluxDB lists them.
  using SeriesByKey = std::map<std::string_view, const Series*>;

  // Orders (measurement, tag key, tag value) triples of strings, views or references alike, so
  // that a lookup copies nothing. (Comparing tuples of different element types directly is not
  // portable across standard libraries.)
  struct TagTripleLess {
    using is_transparent = void;
    using View = std::tuple<std::string_view, std::string_view, std::string_view>;
    template <typename T>
    static View AsView(const T& t) {
      return View(std::get<0>(t), std::get<1>(t), std::get<2>(t));
    }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return AsView(a) < AsView(b);
    }
  };

  struct Database {
    // measurement -> (series key -> series), both sorted as InfluxDB lists them.
    std::map<std::string, SeriesByKey, std::less<>> measurements;
    // (measurement, tag key, tag value) -> the series that have that tag: what InfluxQL's
    // WHERE key = 'value' selects, without walking every series of the measurement.
    std::map<std::tuple<std::string, std::string, std::string>, SeriesByKey, TagTripleLess> series_by_tag;
    std::unordered_map<std::string_view, Series*, StringHash, std::equal_to<>> by_key;
    // measurement -> field name -> how many of its series have that field: whether a name is a
    // field of a measurement without walking its series (InfluxQL's WHERE asks per query).
    std::map<std::string, std::map<std::string, size_t, std::less<>>, std::less<>> field_counts;
    std::deque<Series> series;  // owns the series; a deque never moves them

    // The series of `measurement` with tag `key` = `value` (not empty); null when none has it.
    const SeriesByKey* SeriesWithTag(std::string_view measurement, std::string_view key, std::string_view value) const;
  };

  using Databases = std::map<std::string, Database, std::less<>>;

  // Reads every root asset (a database each), tag and series name of `catalog`. REQUIRES: catalog outlives the index.
  static Result<std::unique_ptr<SeriesIndex>> Load(Catalog& catalog);

  // Calls read(const Databases&) under the shared lock and returns what it returns. Pointers
  // into the databases are valid only inside `read`.
  template <typename F>
  auto Read(F&& read) const {
    std::shared_lock lock(mu_);
    return read(static_cast<const Databases&>(databases_));
  }

  // Makes catalog tags for the fields of `series` (see CatalogPathFor) and indexes them;
  // returns their ids, field by field across the series in order. A field that exists by the
  // time this runs keeps its tag (and its type: the caller checks types). Errors:
  // InvalidArgument for a database name that is not a valid asset name; the catalog's errors.
  Result<std::vector<TagId>> Create(std::vector<NewSeries> series);

  // Makes the database (a root asset, an enterprise) if it does not exist, so that it is listed
  // before anything is written to it. Errors: InvalidArgument for an invalid name; the
  // catalog's errors; FailedPrecondition when the root asset exists but is not listed as one
  // (it cannot be: every root is a database).
  Status CreateDatabase(const std::string& name);

  // Indexes tags made through the catalog directly (not by Create), under their derived names.
  void AddTags(std::span<const Tag> tags);

  // Follows a tag the catalog changed (its path, say). A tag line protocol made keeps the name
  // it was written with, which is what its clients query by; any other is indexed again under
  // the name derived from its new path.
  void UpdateTag(const Tag& tag);

  // Forgets the field of tag `id` (after the catalog deleted the tag); a series left without fields is no longer listed, and a measurement without
  // series neither. Databases stay: they are root assets. Costs a walk over every field, which
  // a catalog edit can afford. The Series object itself stays allocated until the index is
  // reloaded (the deque cannot release it without moving the others). False when no field had
  // the id.
  bool RemoveTag(TagId id);

  // The catalog path of the tag that line protocol makes for `name`:
  // "<database>/<measurement>/<series>/<field>", or "<database>/<measurement>/<field>" for a
  // series without tags. A series is an asset of its own (a device, say), named
  // "<k>-<v>.<k>-<v>" after its tags, and each of its fields a tag of that asset: a plant's
  // 10,000 devices are 10,000 assets of 10 tags each, not 100,000 tags of one asset, and the
  // tags' long names are not repeated in every field's row and index entry. Each part is used
  // as it is when its keys, values or field are letters, digits and '_' and it fits in 64
  // characters; otherwise it is "<the text sanitized and cut>.<16 hex digits of a hash of the
  // series key (and field)>". A measurement that is not a valid name is sanitized and hashed the
  // same way. Tags made before 2026-12-01 keep their earlier names ("<k>-<v>.<k>-<v>.<field>"
  // below the measurement). Errors: InvalidArgument for an invalid database name.
  static Result<std::string> CatalogPathFor(const SeriesName& name);

 private:
  explicit SeriesIndex(Catalog& catalog) : catalog_(catalog) {}
  // REQUIRES: mu_ held exclusively.
  static Series& SeriesFor(Database& db, const std::string& measurement,
                           const std::vector<std::pair<std::string, std::string>>& tags, const std::string& key);
  static void AddFieldLocked(Database& db, Series& series, const std::string& field, TagId id, DataType type);
  void AddLocked(const SeriesName& name, TagId id, DataType type);
  void AddDerivedLocked(const Tag& tag);
  bool RemoveLocked(TagId id);

  Catalog& catalog_;
  std::mutex create_mu_;  // one Create at a time, so two writers never race to make one tag
  mutable std::shared_mutex mu_;
  Databases databases_;  // GUARDED_BY(mu_)
  std::unordered_set<TagId> written_;  // GUARDED_BY(mu_): the tags indexed under a line-protocol name
};

}  // namespace zhizao::catalog
