#include "catalog/catalog.h"

#include "catalog/internal/asset_store.h"
#include "catalog/internal/event_store.h"
#include "catalog/internal/migrations.h"
#include "catalog/internal/model_store.h"
#include "catalog/internal/series_store.h"
#include "catalog/internal/sqlite.h"
#include "catalog/internal/tag_store.h"

namespace zhizao::catalog {
namespace {

using internal::InTransaction;

// WAL lets readers (the sqlite3 shell, a backup) run beside the writer, and with it NORMAL
// synchronisation may lose the last commits on power loss but never corrupts the file. The busy
// timeout covers another process (the shell, a second zhizao command) briefly holding the lock.
Status Configure(internal::Db& db) {
  ZZ_ASSIGN_OR_RETURN(internal::Statement wal, db.Prepare("PRAGMA journal_mode = WAL"));
  ZZ_ASSIGN_OR_RETURN(bool row, wal.Step());
  std::string mode = row ? wal.Text(0) : "";
  if (!db.InMemory() && mode != "wal") {
    return Status::FailedPrecondition("journal mode is '" + mode + "', not 'wal'");
  }
  return db.Exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000");
}

Result<std::unique_ptr<internal::Db>> OpenDb(const std::string& db_path) {
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<internal::Db> db, internal::Db::Open(db_path));
  ZZ_RETURN_IF_ERROR(Configure(*db));
  ZZ_RETURN_IF_ERROR(internal::Migrate(*db, internal::CatalogMigrations()));
  return db;
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& db_path) {
  Result<std::unique_ptr<internal::Db>> db = OpenDb(db_path);
  if (!db.ok()) return db.status().WithContext("cannot open catalog " + db_path);
  return std::unique_ptr<Catalog>(new Catalog(std::move(db).value()));
}

Catalog::Catalog(std::unique_ptr<internal::Db> db) : db_(std::move(db)) {}

Catalog::~Catalog() = default;

Result<AssetId> Catalog::UpsertAsset(const Asset& asset) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::UpsertAsset(*db_, asset); });
}

Result<std::vector<AssetId>> Catalog::UpsertAssets(std::span<const Asset> assets) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::UpsertAssets(*db_, assets); });
}

Result<Asset> Catalog::GetAsset(AssetId id) {
  std::lock_guard lock(mu_);
  return internal::GetAsset(*db_, id);
}

Result<Asset> Catalog::FindAsset(std::string_view path) {
  std::lock_guard lock(mu_);
  return internal::FindAsset(*db_, path);
}

Result<std::vector<Asset>> Catalog::ListAssets() {
  std::lock_guard lock(mu_);
  return internal::ListAssets(*db_);
}

Status Catalog::DeleteAsset(AssetId id) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::DeleteAsset(*db_, id); });
}

Result<TagId> Catalog::UpsertTag(const Tag& tag) {
  std::lock_guard lock(mu_);
  size_t edited = 0;
  Result<TagId> done = InTransaction(*db_, [&] { return internal::UpsertTag(*db_, tag, edited); });
  if (done.ok() && edited > 0) tag_edits_.fetch_add(1, std::memory_order_release);
  return done;
}

Result<std::vector<TagId>> Catalog::UpsertTags(std::span<const Tag> tags) {
  std::lock_guard lock(mu_);
  size_t edited = 0;
  Result<std::vector<TagId>> done = InTransaction(*db_, [&] { return internal::UpsertTags(*db_, tags, edited); });
  if (done.ok() && edited > 0) tag_edits_.fetch_add(1, std::memory_order_release);
  return done;
}

Result<Tag> Catalog::GetTag(TagId id) {
  std::lock_guard lock(mu_);
  return internal::GetTag(*db_, id);
}

Result<Tag> Catalog::FindTag(std::string_view path) {
  std::lock_guard lock(mu_);
  return internal::FindTag(*db_, path);
}

Result<std::vector<Tag>> Catalog::ListTags(const TagFilter& filter) {
  std::lock_guard lock(mu_);
  return internal::ListTags(*db_, filter);
}

Status Catalog::UpdateTag(const Tag& tag) {
  std::lock_guard lock(mu_);
  Result<bool> changed = InTransaction(*db_, [&] { return internal::UpdateTag(*db_, tag); });
  if (!changed.ok()) return changed.status();
  if (*changed) tag_edits_.fetch_add(1, std::memory_order_release);
  return Status::Ok();
}

Status Catalog::DeleteTag(TagId id) {
  std::lock_guard lock(mu_);
  return internal::DeleteTag(*db_, id);
}

Result<size_t> Catalog::TagCount() {
  std::lock_guard lock(mu_);
  ZZ_ASSIGN_OR_RETURN(int64_t count, internal::CountTags(*db_));
  return static_cast<size_t>(count);
}

Result<EventId> Catalog::InsertEvent(const Event& event) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::InsertEvent(*db_, event); });
}

Status Catalog::UpdateEvent(const Event& event) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::UpdateEvent(*db_, event); });
}

Result<Event> Catalog::GetEvent(EventId id) {
  std::lock_guard lock(mu_);
  return internal::GetEvent(*db_, id);
}

Result<std::vector<Event>> Catalog::ListEvents(const EventFilter& filter) {
  std::lock_guard lock(mu_);
  return internal::ListEvents(*db_, filter);
}

Status Catalog::AcknowledgeEvent(EventId id, std::string_view by, int64_t at_ns) {
  std::lock_guard lock(mu_);
  return internal::AcknowledgeEvent(*db_, id, by, at_ns);
}

Status Catalog::ShelveEvent(EventId id, std::string_view by, int64_t until_ns) {
  std::lock_guard lock(mu_);
  return internal::ShelveEvent(*db_, id, by, until_ns);
}

Result<int64_t> Catalog::InsertModelVersion(const ModelVersion& model) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::InsertModelVersion(*db_, model); });
}

Result<ModelVersion> Catalog::GetModelVersion(std::string_view model_id, int64_t version, bool with_blob) {
  std::lock_guard lock(mu_);
  return internal::GetModelVersion(*db_, model_id, version, with_blob);
}

Result<std::vector<ModelVersion>> Catalog::ListModelVersions(const ModelFilter& filter) {
  std::lock_guard lock(mu_);
  return internal::ListModelVersions(*db_, filter);
}

Result<ModelVersion> Catalog::GetActiveModelVersion(std::string_view model_id, bool with_blob) {
  std::lock_guard lock(mu_);
  return internal::GetActiveModelVersion(*db_, model_id, with_blob);
}

Status Catalog::SetModelCard(std::string_view model_id, int64_t version, const ModelCard& card) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::SetModelCard(*db_, model_id, version, card); });
}

Status Catalog::ActivateModelVersion(std::string_view model_id, int64_t version, std::string_view by,
                                     int64_t at_ns) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::ActivateModelVersion(*db_, model_id, version, by, at_ns); });
}

Result<int64_t> Catalog::RollBackModel(std::string_view model_id, std::string_view by, int64_t at_ns) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::RollBackModel(*db_, model_id, by, at_ns); });
}

Status Catalog::DeactivateModel(std::string_view model_id, std::string_view by, int64_t at_ns) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::DeactivateModel(*db_, model_id, by, at_ns); });
}

Result<std::vector<ModelActivation>> Catalog::ListModelActivations(std::string_view model_id) {
  std::lock_guard lock(mu_);
  return internal::ListModelActivations(*db_, model_id);
}

Status Catalog::Checkpoint() {
  std::lock_guard lock(mu_);
  if (db_->InMemory()) return Status::Ok();
  return db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)").WithContext("cannot checkpoint the catalog");
}

Result<std::vector<TagId>> Catalog::CreateSeries(std::span<const NewSeries> series, std::span<const std::string> paths) {
  std::lock_guard lock(mu_);
  return InTransaction(*db_, [&] { return internal::CreateSeries(*db_, series, paths); });
}

Result<std::vector<std::pair<TagId, SeriesName>>> Catalog::ListSeriesNames() {
  std::lock_guard lock(mu_);
  return internal::ListSeriesNames(*db_);
}

Result<std::optional<SeriesName>> Catalog::GetSeriesName(TagId tag) {
  std::lock_guard lock(mu_);
  return internal::GetSeriesName(*db_, tag);
}

}  // namespace zhizao::catalog
