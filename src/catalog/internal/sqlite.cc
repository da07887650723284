#include "catalog/internal/sqlite.h"

#include <sqlite3.h>

#include <mutex>

#include "common/check.h"

namespace zhizao::catalog::internal {

Statement::Statement(Db& db, CacheEntry& entry) : db_(&db), entry_(&entry) {
  ZZ_CHECK(!entry.in_use, "the same SQL is prepared twice while its first use is alive");
  entry.in_use = true;
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), entry_(std::exchange(other.entry_, nullptr)), bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (entry_ == nullptr) return;
  // Resetting ends the statement's implicit read transaction, so WAL checkpoints can proceed.
  // sqlite3_reset repeats the last step's error, which Step() has already reported.
  sqlite3_reset(entry_->stmt);
  sqlite3_clear_bindings(entry_->stmt);
  entry_->in_use = false;
}

void Statement::BindInt(int index, int64_t v) {
  int rc = sqlite3_bind_int64(entry_->stmt, index, v);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindDouble(int index, double v) {
  int rc = sqlite3_bind_double(entry_->stmt, index, v);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindOptDouble(int index, std::optional<double> v) {
  if (v) return BindDouble(index, *v);
  int rc = sqlite3_bind_null(entry_->stmt, index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindOptInt(int index, std::optional<int64_t> v) {
  if (v) return BindInt(index, *v);
  int rc = sqlite3_bind_null(entry_->stmt, index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindText(int index, std::string_view v) {
  int rc = sqlite3_bind_text64(entry_->stmt, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindBlob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(entry_->stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) {
    return StatusFromSqlite(bind_error_,
                            std::string("cannot bind parameter: ") + sqlite3_errstr(bind_error_));
  }
  int rc = sqlite3_step(entry_->stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc);
}

Status Statement::Run() {
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(entry_->stmt, col); }

std::optional<double> Statement::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return sqlite3_column_double(entry_->stmt, col);
}

std::string Statement::Text(int col) const {
  const unsigned char* text = sqlite3_column_text(entry_->stmt, col);
  if (text == nullptr) return {};
  auto size = static_cast<size_t>(sqlite3_column_bytes(entry_->stmt, col));
  return {reinterpret_cast<const char*>(text), size};
}

std::string Statement::Blob(int col) const {
  const void* bytes = sqlite3_column_blob(entry_->stmt, col);
  if (bytes == nullptr) return {};
  auto size = static_cast<size_t>(sqlite3_column_bytes(entry_->stmt, col));
  return {static_cast<const char*>(bytes), size};
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(entry_->stmt, col) == SQLITE_NULL; }

namespace {

// SQLite counts every allocation under one process-wide mutex unless told not to, and nothing
// here reads those counts: the lock and unlock were ~5 % of registering 100,000 new series. Only
// possible before SQLite initialises; afterwards the call is refused (SQLITE_MISUSE) and changes
// nothing, which is harmless.
void StopMemoryStatistics() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  StopMemoryStatistics();
  sqlite3* handle = nullptr;
  // NOMUTEX: the Catalog serializes all use of the connection with its own mutex.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    // SQLite hands back a handle even on failure, to carry the message; it must still be closed.
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return StatusFromSqlite(rc, std::move(message));
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<Db>(new Db(handle));
}

Db::~Db() {
  for (auto& [sql, entry] : cache_) sqlite3_finalize(entry->stmt);
  sqlite3_close_v2(handle_);
}

Status Db::Exec(const std::string& sql) {
  int rc = sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc);
}

Result<Statement> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto entry = std::make_unique<Statement::CacheEntry>();
    int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &entry->stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc);
    it = cache_.emplace(std::string(sql), std::move(entry)).first;
  }
  return Statement(*this, *it->second);
}

int64_t Db::Changes() const { return sqlite3_changes64(handle_); }

int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(handle_); }

bool Db::InMemory() const {
  const char* file = sqlite3_db_filename(handle_, "main");
  return file == nullptr || *file == '\0';
}

Status Db::Error(int rc) const { return StatusFromSqlite(rc, sqlite3_errmsg(handle_)); }

Status StatusFromSqlite(int rc, std::string message) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Status::AlreadyExists(std::move(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Status::FailedPrecondition(std::move(message));
    default:
      break;
  }
  switch (rc & 0xff) {  // the primary code of an extended one
    case SQLITE_CONSTRAINT:
      return Status::InvalidArgument(std::move(message));
    // A malformed statement or missing table: our SQL is wrong, or the schema is not ours.
    case SQLITE_ERROR:
      return Status::Internal(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(message));
    default:
      return Status::IOError(std::move(message));
  }
}

Result<Transaction> Transaction::Begin(Db& db) {
  ZZ_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Transaction::~Transaction() {
  // ROLLBACK fails only when no transaction is active any more (SQLite ends one by itself after
  // some errors), so its Status carries nothing to act on.
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  ZZ_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  db_ = nullptr;
  return Status::Ok();
}

}  // namespace zhizao::catalog::internal
