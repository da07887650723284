// Versioned schema migrations of the catalog database.
//
// The schema version is SQLite's PRAGMA user_version: 0 for an empty file, N once the first N
// steps are applied. Each step runs in its own transaction together with the version bump, so a
// crash leaves the database at one version or the next, never between.
#pragma once

#include <span>
#include <string_view>

#include "catalog/internal/sqlite.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

struct Migration {
  std::string_view description;  // for error messages, e.g. "create assets and tags"
  std::string_view sql;          // one or more statements
  // The step drops a table that others refer to and renames its rebuilt copy: it runs with
  // foreign keys off, and foreign_key_check must find nothing before it commits.
  bool rebuilds_tables = false;
};

// The catalog's steps, oldest first: step i brings the schema to version i + 1.
// Append only: a released step is never edited, because databases in the field already ran it.
std::span<const Migration> CatalogMigrations();

// Applies the steps beyond the database's version, in order.
// Errors: FailedPrecondition when the database's version is beyond steps.size() (written by a
// newer binary); the step's failure, with its version and description, when one fails (that
// step is rolled back; earlier ones stay).
Status Migrate(Db& db, std::span<const Migration> steps);

// The database's schema version.
Result<int64_t> SchemaVersion(Db& db);

}  // namespace zhizao::catalog::internal
