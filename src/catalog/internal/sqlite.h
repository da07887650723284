// A thin RAII layer over the SQLite C API, so the catalog's code reads as SQL plus Status.
//
// Only the catalog includes this: sqlite3 types never leave the module.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace zhizao::catalog::internal {

class Db;

// A prepared statement borrowed from its Db's cache for one use: bind, step, read columns.
// Resets itself and clears its bindings when destroyed, so the cache can hand it out again.
// Not thread-safe; lives no longer than its Db.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Parameters are 1-based, as "?1" in SQL. A failed bind is reported by the next Step().
  void BindInt(int index, int64_t v);
  void BindDouble(int index, double v);
  void BindOptDouble(int index, std::optional<double> v);  // NULL when empty
  void BindOptInt(int index, std::optional<int64_t> v);    // NULL when empty
  void BindText(int index, std::string_view v);
  void BindBlob(int index, std::string_view bytes);  // any bytes, NULs included

  // Advances to the next row: true when there is one, false when the statement is done.
  // Errors: see StatusFromSqlite().
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();

  // Columns of the current row, 0-based. REQUIRES: the last Step() returned true.
  int64_t Int(int col) const;
  std::optional<double> OptDouble(int col) const;  // empty for NULL
  std::string Text(int col) const;
  std::string Blob(int col) const;  // empty for NULL
  bool IsNull(int col) const;

 private:
  friend class Db;
  struct CacheEntry {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;  // a cached statement serves one Statement at a time
  };
  Statement(Db& db, CacheEntry& entry);

  Db* db_;
  CacheEntry* entry_;   // nullptr once moved from
  int bind_error_ = 0;  // the first failed bind's SQLite code, 0 if none
};

// Owns one SQLite connection and a cache of its prepared statements.
// REQUIRES: external synchronization (the Catalog's mutex).
class Db {
 public:
  // Opens or creates the database at path (":memory:" for a private in-memory one).
  // Errors: as StatusFromSqlite(), with SQLite's message.
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs SQL that returns no rows; it may hold several statements (migrations, BEGIN).
  Status Exec(const std::string& sql);
  // Returns the prepared statement for sql, preparing it on first use.
  // REQUIRES: no other live Statement was prepared from the same sql.
  Result<Statement> Prepare(std::string_view sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  // The rowid of the last row inserted.
  int64_t LastInsertId() const;
  // True for ":memory:" and other databases without a file.
  bool InMemory() const;

  // The Status for SQLite result code rc, carrying this connection's last error message.
  Status Error(int rc) const;

 private:
  explicit Db(sqlite3* handle) : handle_(handle) {}

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  sqlite3* handle_;
  std::unordered_map<std::string, std::unique_ptr<Statement::CacheEntry>, StringHash, std::equal_to<>> cache_;
};

// Maps a SQLite result code to a Status code: a UNIQUE violation is AlreadyExists, a foreign key
// violation FailedPrecondition, other constraints InvalidArgument, a generic SQL error Internal,
// BUSY/LOCKED Unavailable, CORRUPT/NOTADB Corruption, the rest IOError.
Status StatusFromSqlite(int rc, std::string message);

// A write transaction (BEGIN IMMEDIATE, so a concurrent writer waits in busy_timeout rather than
// failing at COMMIT). Rolls back when destroyed unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Db& db) : db_(&db) {}
  Db* db_;  // nullptr once committed or moved from
};

// Runs body() (returning a Status or a Result) in one transaction: commits when it succeeds,
// rolls back when it fails.
template <typename F>
auto InTransaction(Db& db, F&& body) -> decltype(body()) {
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  auto result = body();
  if (!result.ok()) return result;
  ZZ_RETURN_IF_ERROR(txn->Commit());
  return result;
}

}  // namespace zhizao::catalog::internal
