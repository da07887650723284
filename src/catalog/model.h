// The catalog's plain records: ISA-95 assets and the tags (series) they carry.
//
// Paths are '/'-separated names from the enterprise down: an asset "acme/sh/pumping/ps1/P101",
// a tag "acme/sh/pumping/ps1/P101/flow" (its asset's path, then the tag's own name).
// Names are 1-64 characters of letters, digits, '_', '-' and '.'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/batch.h"
#include "common/status.h"

namespace zhizao::catalog {

using AssetId = int64_t;

// ISA-95 equipment hierarchy levels, outermost first.
enum class AssetLevel : uint8_t { kEnterprise = 0, kSite, kArea, kLine, kCell, kEquipment };
std::string_view AssetLevelName(AssetLevel level);  // "enterprise", "site", ...
Result<AssetLevel> ParseAssetLevel(std::string_view name);

// Data classification and grading (数据分类分级): 一般 / 重要 / 核心.
enum class Classification : uint8_t { kGeneral = 0, kImportant = 1, kCore = 2 };
std::string_view ClassificationName(Classification c);  // "general", "important", "core"
Result<Classification> ParseClassification(std::string_view name);

struct Asset {
  AssetId id = 0;         // assigned by the catalog
  AssetId parent_id = 0;  // 0 for an enterprise (a root)
  AssetLevel level = AssetLevel::kEquipment;
  std::string name;       // last path segment
  std::string path;       // derived: parent's path + "/" + name
  std::string kind;       // free-form equipment class, e.g. "centrifugal_pump"; may be empty
  std::string description_zh;
  std::string description_en;
};

// Alarm limits after ISA-18.2: lolo < lo < hi < hihi where present, on numeric tags; on a bool
// tag, the state that is an alarm (a discrete alarm: a leak detector's true, a quality gate's
// false).
struct AlarmLimits {
  std::optional<double> lolo;
  std::optional<double> lo;
  std::optional<double> hi;
  std::optional<double> hihi;
  std::optional<bool> alarm_state;  // bool tags only
  bool operator==(const AlarmLimits&) const = default;
};

struct Tag {
  TagId id = 0;             // assigned by the catalog
  AssetId asset_id = 0;
  std::string name;         // last path segment
  std::string path;         // derived: asset path + "/" + name
  DataType data_type = DataType::kFloat64;
  std::string unit;         // engineering unit, UCUM-like ("m3/h", "degC", "kW", "mm/s")
  std::optional<double> range_lo;  // expected physical range
  std::optional<double> range_hi;
  AlarmLimits limits;
  int64_t period_ms = 1000;        // nominal sample period
  Classification classification = Classification::kGeneral;
  int64_t retention_days = 0;      // 0: keep the default for its classification
  bool writable = false;           // may the connectors' write gate write it
  std::string description_zh;
  std::string description_en;
  bool operator==(const Tag&) const = default;
};

// A tag's name in InfluxDB's data model (database, measurement, tag set, field), kept for
// the tags that line protocol created, so that InfluxQL finds them under the names they were
// written with. Tags made any other way are answered under names derived from their paths
// (see series_index.h).
struct SeriesName {
  std::string database;
  std::string measurement;
  // Sorted by key, keys unique; keys and values are not empty.
  std::vector<std::pair<std::string, std::string>> tags;
  std::string field;
  // The measurement and tags as line protocol writes them, escaped: "cpu,host=a,region=eu".
  std::string series_key;
};

// One line-protocol series and the fields of it to make tags for (Catalog::CreateSeries): a
// series' name is given once, however many of its fields are new.
struct NewSeries {
  std::string database;
  std::string measurement;
  std::vector<std::pair<std::string, std::string>> tags;  // as SeriesName::tags
  std::string series_key;                                 // as SeriesName::series_key
  struct Field {
    std::string name;
    DataType type = DataType::kFloat64;
  };
  std::vector<Field> fields;  // names unique
};

// Days of history kept for `tag`: its own retention_days when set, else the default of its
// classification (by Classification value: general, important, core). 0 means forever.
int64_t RetentionDays(const Tag& tag, const int64_t (&class_defaults)[3]);

// Checks a tag's own fields (name, ranges ordered, limits ordered, period > 0).
Status ValidateTag(const Tag& tag);
// Checks an asset name.
Status ValidateName(std::string_view name);

}  // namespace zhizao::catalog
