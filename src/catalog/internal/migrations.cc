#include "catalog/internal/migrations.h"

#include <string>

namespace zhizao::catalog::internal {
namespace {

// Enumerations are stored by name, not number, so the sqlite3 shell shows what a row means and
// reordering an enum in C++ cannot silently change the data. Their CHECKs chain '=' with OR
// because "x IN (list)" builds a temporary index on every insert, which made bulk registration of
// tags several times slower. AUTOINCREMENT keeps ids of deleted rows from being reused: a TagId
// names one series for the life of the database.
constexpr std::string_view kCreateAssetsAndTags = R"sql(
CREATE TABLE assets (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id      INTEGER REFERENCES assets(id),
  level          TEXT NOT NULL CHECK (level = 'enterprise' OR level = 'site' OR level = 'area' OR
                                      level = 'line' OR level = 'cell' OR level = 'equipment'),
  name           TEXT NOT NULL,
  path           TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL DEFAULT '',
  description_zh TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assets_by_parent ON assets(parent_id);

CREATE TABLE tags (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  asset_id       INTEGER NOT NULL REFERENCES assets(id),
  name           TEXT NOT NULL,
  path           TEXT NOT NULL UNIQUE,
  data_type      TEXT NOT NULL CHECK (data_type = 'float64' OR data_type = 'int64' OR
                                      data_type = 'bool' OR data_type = 'string'),
  unit           TEXT NOT NULL DEFAULT '',
  range_lo       REAL,
  range_hi       REAL,
  lolo           REAL,
  lo             REAL,
  hi             REAL,
  hihi           REAL,
  period_ms      INTEGER NOT NULL CHECK (period_ms > 0),
  classification TEXT NOT NULL CHECK (classification = 'general' OR classification = 'important' OR
                                      classification = 'core'),
  retention_days INTEGER NOT NULL CHECK (retention_days >= 0),
  writable       INTEGER NOT NULL CHECK (writable = 0 OR writable = 1),
  description_zh TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tags_by_asset ON tags(asset_id);
)sql";

// Line protocol names a series by database, measurement, tag set and field; this keeps that
// name beside the tag it created. Tags are stored length-prefixed ("6:device6:d00042"): keys and
// values may hold any character, so no separator would be safe.
constexpr std::string_view kCreateSeriesNames = R"sql(
CREATE TABLE series_names (
  tag_id      INTEGER PRIMARY KEY REFERENCES tags(id) ON DELETE CASCADE,
  database    TEXT NOT NULL,
  measurement TEXT NOT NULL,
  series_key  TEXT NOT NULL,
  tags        TEXT NOT NULL,
  field       TEXT NOT NULL,
  UNIQUE (database, series_key, field)
);
)sql";

// Events outlive the assets and tags they name: asset_id is cleared when the asset goes, and the
// paths stay as text. Contributions are rows, not a JSON column, so the sqlite3 shell and a join
// can read them.
constexpr std::string_view kCreateEvents = R"sql(
CREATE TABLE events (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  asset_id         INTEGER REFERENCES assets(id) ON DELETE SET NULL,
  asset_path       TEXT NOT NULL,
  source           TEXT NOT NULL,
  detector         TEXT NOT NULL,
  model_id         TEXT NOT NULL DEFAULT '',
  model_version    INTEGER NOT NULL DEFAULT 0,
  severity         TEXT NOT NULL CHECK (severity = 'low' OR severity = 'medium' OR
                                        severity = 'high' OR severity = 'critical'),
  score            REAL NOT NULL,
  threshold        REAL NOT NULL,
  start_ns         INTEGER NOT NULL,
  end_ns           INTEGER NOT NULL DEFAULT 0,
  last_ns          INTEGER NOT NULL,
  returns          INTEGER NOT NULL DEFAULT 0,
  message          TEXT NOT NULL DEFAULT '',
  acknowledged_ns  INTEGER NOT NULL DEFAULT 0,
  acknowledged_by  TEXT NOT NULL DEFAULT '',
  shelved_until_ns INTEGER NOT NULL DEFAULT 0,
  shelved_by       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_start ON events(start_ns);
CREATE INDEX events_by_source ON events(source, start_ns);
CREATE INDEX events_active ON events(end_ns) WHERE end_ns = 0;

CREATE TABLE event_contributions (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  rank     INTEGER NOT NULL,
  tag_id   INTEGER NOT NULL,
  path     TEXT NOT NULL,
  weight   REAL NOT NULL,
  PRIMARY KEY (event_id, rank)
);
)sql";

// The model registry. A version is immutable but for its card and activation. blob is the last
// column: SQLite walks a row's overflow pages only to reach a column stored after a large value,
// so listing versions without their blobs never reads the blobs. Inputs and metrics are rows, so
// the sqlite3 shell and a join can read them. The partial unique index holds the rule "at most
// one active version per model id" even against a bug in the code that writes it.
constexpr std::string_view kCreateModels = R"sql(
CREATE TABLE models (
  model_id          TEXT NOT NULL,
  version           INTEGER NOT NULL CHECK (version > 0),
  asset_id          INTEGER REFERENCES assets(id) ON DELETE SET NULL,
  asset_path        TEXT NOT NULL,
  kind              TEXT NOT NULL,
  train_from_ns     INTEGER NOT NULL,
  train_to_ns       INTEGER NOT NULL,
  step_ns           INTEGER NOT NULL,
  data_sha256       TEXT NOT NULL DEFAULT '',
  training_rows     INTEGER NOT NULL DEFAULT 0,
  has_card          INTEGER NOT NULL DEFAULT 0 CHECK (has_card = 0 OR has_card = 1),
  card_intended_use TEXT NOT NULL DEFAULT '',
  card_limitations  TEXT NOT NULL DEFAULT '',
  card_evaluation   TEXT NOT NULL DEFAULT '',
  card_owner        TEXT NOT NULL DEFAULT '',
  created_ns        INTEGER NOT NULL,
  created_by        TEXT NOT NULL DEFAULT '',
  active            INTEGER NOT NULL DEFAULT 0 CHECK (active = 0 OR active = 1),
  activated_ns      INTEGER NOT NULL DEFAULT 0,
  activated_by      TEXT NOT NULL DEFAULT '',
  blob              BLOB NOT NULL,
  PRIMARY KEY (model_id, version)
);
CREATE UNIQUE INDEX models_one_active ON models(model_id) WHERE active = 1;
CREATE INDEX models_by_asset_path ON models(asset_path);

CREATE TABLE model_inputs (
  model_id TEXT NOT NULL,
  version  INTEGER NOT NULL,
  position INTEGER NOT NULL,
  path     TEXT NOT NULL,
  PRIMARY KEY (model_id, version, position),
  FOREIGN KEY (model_id, version) REFERENCES models(model_id, version) ON DELETE CASCADE
);

CREATE TABLE model_metrics (
  model_id TEXT NOT NULL,
  version  INTEGER NOT NULL,
  name     TEXT NOT NULL,
  value    REAL NOT NULL,
  PRIMARY KEY (model_id, version, name),
  FOREIGN KEY (model_id, version) REFERENCES models(model_id, version) ON DELETE CASCADE
);

CREATE TABLE model_activations (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  model_id TEXT NOT NULL,
  version  INTEGER NOT NULL,
  action   TEXT NOT NULL CHECK (action = 'activate' OR action = 'rollback' OR action = 'deactivate'),
  by_whom  TEXT NOT NULL,
  at_ns    INTEGER NOT NULL,
  FOREIGN KEY (model_id, version) REFERENCES models(model_id, version)
);
CREATE INDEX model_activations_by_model ON model_activations(model_id, seq);
)sql";

// Fields of one series shared its key and tags in every row of series_names: ten fields, ten
// copies, 38 of the 39 MB of a catalog of 100,000 line-protocol series (docs/benchmarks.md,
// wide workload). A series is now a row of its own, and a field names it. A series whose last
// field goes (its tag deleted) goes with it.
constexpr std::string_view kShareSeriesNames = R"sql(
CREATE TABLE series (
  id          INTEGER PRIMARY KEY,
  database    TEXT NOT NULL,
  measurement TEXT NOT NULL,
  series_key  TEXT NOT NULL,
  tags        TEXT NOT NULL,
  UNIQUE (database, series_key)
);
INSERT INTO series (database, measurement, series_key, tags)
  SELECT database, measurement, series_key, tags FROM series_names
  GROUP BY database, series_key ORDER BY min(tag_id);

CREATE TABLE series_fields (
  tag_id    INTEGER PRIMARY KEY REFERENCES tags(id) ON DELETE CASCADE,
  series_id INTEGER NOT NULL REFERENCES series(id),
  field     TEXT NOT NULL,
  UNIQUE (series_id, field)
);
INSERT INTO series_fields (tag_id, series_id, field)
  SELECT n.tag_id, s.id, n.field FROM series_names n
  JOIN series s ON s.database = n.database AND s.series_key = n.series_key;
DROP TABLE series_names;

CREATE TRIGGER series_without_fields AFTER DELETE ON series_fields
WHEN NOT EXISTS (SELECT 1 FROM series_fields WHERE series_id = OLD.series_id)
BEGIN
  DELETE FROM series WHERE id = OLD.series_id;
END;
)sql";

// A tag's path is its asset's path, '/', its name: storing it again (with a unique index) was
// 125 of the 275 bytes per tag of a 100,000-series catalog. The pair (asset, name) is the unique
// key now, and its index serves the lookups by asset as tags_by_asset did. Rebuilt as SQLite's
// ALTER TABLE documentation describes (foreign keys off: see Migration::rebuilds_tables), the
// ids and the AUTOINCREMENT high mark kept.
constexpr std::string_view kTagsWithoutPath = R"sql(
CREATE TABLE tags_without_path (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  asset_id       INTEGER NOT NULL REFERENCES assets(id),
  name           TEXT NOT NULL,
  data_type      TEXT NOT NULL CHECK (data_type = 'float64' OR data_type = 'int64' OR
                                      data_type = 'bool' OR data_type = 'string'),
  unit           TEXT NOT NULL DEFAULT '',
  range_lo       REAL,
  range_hi       REAL,
  lolo           REAL,
  lo             REAL,
  hi             REAL,
  hihi           REAL,
  period_ms      INTEGER NOT NULL CHECK (period_ms > 0),
  classification TEXT NOT NULL CHECK (classification = 'general' OR classification = 'important' OR
                                      classification = 'core'),
  retention_days INTEGER NOT NULL CHECK (retention_days >= 0),
  writable       INTEGER NOT NULL CHECK (writable = 0 OR writable = 1),
  description_zh TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  UNIQUE (asset_id, name)
);
INSERT INTO tags_without_path (id, asset_id, name, data_type, unit, range_lo, range_hi, lolo, lo, hi, hihi,
                               period_ms, classification, retention_days, writable, description_zh, description_en)
  SELECT id, asset_id, name, data_type, unit, range_lo, range_hi, lolo, lo, hi, hihi,
         period_ms, classification, retention_days, writable, description_zh, description_en FROM tags;
DELETE FROM sqlite_sequence WHERE name = 'tags_without_path';
INSERT INTO sqlite_sequence (name, seq) SELECT 'tags_without_path', seq FROM sqlite_sequence WHERE name = 'tags';
DROP TABLE tags;
ALTER TABLE tags_without_path RENAME TO tags;
)sql";

// A bool tag's alarm state (a discrete alarm: a leak detector, a trip contact, a quality gate),
// NULL for none; 0 or 1, as the writable column.
constexpr std::string_view kTagAlarmState = R"sql(
ALTER TABLE tags ADD COLUMN alarm_state INTEGER CHECK (alarm_state = 0 OR alarm_state = 1);
)sql";

constexpr Migration kMigrations[] = {
    {"create assets and tags", kCreateAssetsAndTags},
    {"create series names", kCreateSeriesNames},
    {"create events", kCreateEvents},
    {"create models", kCreateModels},
    {"share series names", kShareSeriesNames},
    {"tags without path", kTagsWithoutPath, /*rebuilds_tables=*/true},
    {"tag alarm state", kTagAlarmState},
};

Result<bool> ForeignKeysOn(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("PRAGMA foreign_keys"));
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && stmt.Int(0) != 0;
}

// Fails when a rebuilt table left a reference dangling (checked before the commit).
Status CheckForeignKeys(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("PRAGMA foreign_key_check"));
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (row) {
    const std::string table = stmt.Text(0), rowid = stmt.Text(1), parent = stmt.Text(2);
    return Status::FailedPrecondition("row " + rowid + " of table '" + table + "' refers to a missing row of '" +
                                      parent + "' (deleted with foreign keys off, as the sqlite3 shell has them): " +
                                      "delete it (DELETE FROM " + table + " WHERE rowid = " + rowid +
                                      ") and start again");
  }
  return Status::Ok();
}

Status ApplyStepInTransaction(Db& db, const Migration& step, int64_t version) {
  return InTransaction(db, [&]() -> Status {
    // Another process may have applied this step between our read of the version and BEGIN.
    ZZ_ASSIGN_OR_RETURN(int64_t current, SchemaVersion(db));
    if (current >= version) return Status::Ok();
    std::string context = "cannot apply schema migration " + std::to_string(version) + " (" +
                          std::string(step.description) + ")";
    ZZ_RETURN_IF_ERROR(db.Exec(std::string(step.sql)).WithContext(context));
    if (step.rebuilds_tables) ZZ_RETURN_IF_ERROR(CheckForeignKeys(db).WithContext(context));
    // PRAGMA takes no bound parameters; the version is our own integer, not outside input.
    return db.Exec("PRAGMA user_version = " + std::to_string(version)).WithContext(context);
  });
}

Status ApplyStep(Db& db, const Migration& step, int64_t version) {
  if (!step.rebuilds_tables) return ApplyStepInTransaction(db, step, version);
  // Dropping a table with foreign keys on deletes its rows first, cascading to the rows that
  // refer to them; the switch is a no-op inside a transaction, so it goes around it.
  ZZ_ASSIGN_OR_RETURN(bool foreign_keys, ForeignKeysOn(db));
  if (foreign_keys) ZZ_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = OFF"));
  Status status = ApplyStepInTransaction(db, step, version);
  if (foreign_keys) {
    Status restored = db.Exec("PRAGMA foreign_keys = ON");
    if (status.ok()) status = restored;
  }
  // The old table's pages would stay in the file as free pages: give them back.
  if (status.ok()) status = db.Exec("VACUUM").WithContext("cannot vacuum the catalog after migration " +
                                                           std::to_string(version));
  return status;
}

}  // namespace

std::span<const Migration> CatalogMigrations() { return kMigrations; }

Result<int64_t> SchemaVersion(Db& db) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("PRAGMA user_version"));
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal("PRAGMA user_version returned no row");
  return stmt.Int(0);
}

Status Migrate(Db& db, std::span<const Migration> steps) {
  ZZ_ASSIGN_OR_RETURN(int64_t version, SchemaVersion(db));
  const auto known = static_cast<int64_t>(steps.size());
  if (version > known) {
    return Status::FailedPrecondition("schema version " + std::to_string(version) +
                                      " is newer than this binary knows (" + std::to_string(known) +
                                      "); use a newer zhizao");
  }
  for (int64_t next = version + 1; next <= known; ++next) {
    ZZ_RETURN_IF_ERROR(ApplyStep(db, steps[static_cast<size_t>(next - 1)], next));
  }
  return Status::Ok();
}

}  // namespace zhizao::catalog::internal
