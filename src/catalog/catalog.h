// The catalog: the plant's ISA-95 asset tree and the tags its equipment carries, kept in SQLite.
//
// Paths are identities (see model.h). An asset is identified by its parent and name and never
// moves, so its path is stable. A tag is identified by its asset and name when upserted; only
// UpdateTag renames or moves one, and it keeps its id. Ids are never reused after a delete, so a
// TagId names one series for the life of the database. Schema and migrations: README.md here.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/event.h"
#include "catalog/model.h"
#include "catalog/model_version.h"
#include "common/status.h"

namespace zhizao::catalog {

namespace internal {
class Db;
}  // namespace internal

// Which tags ListTags returns. All conditions must hold.
struct TagFilter {
  // Only tags of this asset and of every asset below it. Default: any asset.
  std::optional<AssetId> asset_id;
  // Only tags whose path matches this SQLite GLOB pattern: '*', '?', '[...]', case-sensitive,
  // e.g. "*Pump1*". Default: any path.
  std::optional<std::string> path_glob;
  // At most this many tags; 0 for no limit. Default: 0.
  size_t limit = 0;
  // Skips this many matching tags first, for paging. Default: 0.
  size_t offset = 0;
};

// Thread-safe: one SQLite connection behind a mutex, so calls run one at a time.
//
// Errors common to every call: IOError (or Corruption, Unavailable when another process holds the
// database locked past the busy timeout) carrying SQLite's message.
class Catalog {
 public:
  // Opens or creates the catalog database at db_path (":memory:" for a private in-memory one) in
  // WAL mode and brings its schema up to date.
  // Errors read "cannot open catalog <db_path>: <cause>"; FailedPrecondition when the database
  // was written by a newer zhizao (its schema version is beyond this binary's).
  static Result<std::unique_ptr<Catalog>> Open(const std::string& db_path);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // --- Assets ---

  // Creates the asset, or updates the level, kind and descriptions of the one already at its
  // path; returns its id. Its parent is asset.parent_id when nonzero (asset.path is then ignored
  // and derived), otherwise the asset whose path is asset.path minus its last segment (asset.name
  // may then be empty: it is that segment). A one-segment path, or none, makes a root.
  // Errors: InvalidArgument for a bad name, a root that is not an enterprise, a level not deeper
  // than the parent's, or a level change that would leave a child no deeper than the asset;
  // NotFound for a missing parent.
  Result<AssetId> UpsertAsset(const Asset& asset);
  // Upserts assets in order as UpsertAsset does, all or none, in one transaction; returns their
  // ids in the same order. REQUIRES: a parent comes before its children.
  Result<std::vector<AssetId>> UpsertAssets(std::span<const Asset> assets);
  // Errors: NotFound.
  Result<Asset> GetAsset(AssetId id);
  // Errors: NotFound ("no asset with path '<path>'").
  Result<Asset> FindAsset(std::string_view path);
  // Every asset, ordered by path (so each parent precedes its children).
  Result<std::vector<Asset>> ListAssets();
  // Errors: NotFound; FailedPrecondition while the asset still has child assets or tags.
  Status DeleteAsset(AssetId id);

  // --- Tags ---

  // Creates the tag, or updates every field but its identity of the one already at its path;
  // returns its id. Its asset is tag.asset_id when nonzero (tag.path is then ignored and
  // derived), otherwise the asset whose path is tag.path minus its last segment (tag.name may
  // then be empty: it is that segment).
  // Errors: InvalidArgument when ValidateTag() refuses it or it names no asset; NotFound for a
  // missing asset; ResourceExhausted once the 2^32 - 1 tag ids are used up.
  Result<TagId> UpsertTag(const Tag& tag);
  // Upserts tags in order as UpsertTag does, all or none, in one transaction; returns their ids
  // in the same order. Sized for registering a whole plant (100,000 tags) at startup.
  Result<std::vector<TagId>> UpsertTags(std::span<const Tag> tags);
  // Errors: NotFound.
  Result<Tag> GetTag(TagId id);
  // Errors: NotFound ("no tag with path '<path>'").
  Result<Tag> FindTag(std::string_view path);
  // The tags that match filter, asset by asset (ordered by asset path), each asset's by name.
  // Errors: NotFound when filter.asset_id names no asset.
  Result<std::vector<Tag>> ListTags(const TagFilter& filter);
  // Replaces every field of the tag with id tag.id; its asset and path resolve as in UpsertTag,
  // so a tag may be renamed or moved and keep its id.
  // Errors: NotFound for an unknown id or asset; InvalidArgument as UpsertTag; AlreadyExists
  // when another tag has the new path; FailedPrecondition for a change of data type (the
  // history keeps one type per series).
  Status UpdateTag(const Tag& tag);
  // Errors: NotFound.
  Status DeleteTag(TagId id);
  // The number of tags.
  Result<size_t> TagCount();
  // Moves whenever UpsertTag, UpsertTags or UpdateTag changed the fields of tags that existed,
  // so that a reader that keeps tags' fields (the live analytics keep each tag's alarm limits)
  // knows to read them again. New tags (and CreateSeries) do not move it: they are new to every
  // reader; nor does a tag written as it was stored (a connector registering its tags again).
  // Thread-safe.
  uint64_t tag_edits() const { return tag_edits_.load(std::memory_order_acquire); }

  // Copies SQLite's write-ahead log into the database file and empties it, so that the
  // catalog's size on disk is its data (flushes and maintenance call this).
  Status Checkpoint();

  // --- Events (raised by the analytics; see event.h) ---

  // Stores a new event with its contributions; returns its id. Its acknowledgement and
  // shelving fields are ignored: only the calls below set them.
  // Errors: FailedPrecondition when event.asset_id names no asset.
  Result<EventId> InsertEvent(const Event& event);
  // Replaces what the analytics change while an event lives: detector, severity, score,
  // threshold, end, last sample, returns, message and contributions. Errors: NotFound.
  Status UpdateEvent(const Event& event);
  // Errors: NotFound.
  Result<Event> GetEvent(EventId id);
  // The events that match filter, newest start first. Errors: NotFound for filter.asset_id.
  Result<std::vector<Event>> ListEvents(const EventFilter& filter);
  // Records who acknowledged the event and when; a second acknowledgement keeps the first.
  // Errors: NotFound.
  Status AcknowledgeEvent(EventId id, std::string_view by, int64_t at_ns);
  // Hides the event from lists that hide shelved ones until until_ns (0 unshelves).
  // Errors: NotFound.
  Status ShelveEvent(EventId id, std::string_view by, int64_t until_ns);

  // --- Model registry (see model_version.h) ---

  // Stores a new version of model.model_id and returns its number: 1 + the id's highest (1 for a
  // new id). model.version, active and activated_* are ignored. The asset is model.asset_id (0 for
  // none); when nonzero, asset_path is taken from that asset, else model.asset_path is kept.
  // Errors: InvalidArgument for a bad model id, an empty kind, inputs or blob, an invalid card, or
  // a metric without a name, named twice or NaN; FailedPrecondition when model.asset_id names no
  // asset.
  Result<int64_t> InsertModelVersion(const ModelVersion& model);
  // Version 0 reads the newest. The blob is read only when with_blob is set (it may be large).
  // Errors: NotFound ("no model '<id>'", "model '<id>' has no version <n>").
  Result<ModelVersion> GetModelVersion(std::string_view model_id, int64_t version, bool with_blob);
  // The versions that match filter, without blobs, by model id then newest version first.
  // Inputs are in the model's column order, metrics by name. Errors: NotFound for filter.asset_id.
  Result<std::vector<ModelVersion>> ListModelVersions(const ModelFilter& filter);
  // Errors: NotFound for an unknown id or when no version of it is active.
  Result<ModelVersion> GetActiveModelVersion(std::string_view model_id, bool with_blob);
  // Writes or replaces the version's card. Errors: InvalidArgument as ValidateModelCard; NotFound.
  Status SetModelCard(std::string_view model_id, int64_t version, const ModelCard& card);
  // Makes the version the only active one of its id, records who and when, and appends an
  // "activate" entry to the history. Activating the active version changes nothing.
  // Errors: NotFound; FailedPrecondition when the version has no card.
  Status ActivateModelVersion(std::string_view model_id, int64_t version, std::string_view by, int64_t at_ns);
  // Makes active again the version that ran before the active one and returns it. The history is
  // a stack: an activation pushes, a rollback pops, so v1 -> v2 -> v3 rolls back to v2, then v1.
  // Versions equal to the active one are skipped. Appends a "rollback" entry.
  // Errors: NotFound for an unknown id; FailedPrecondition when no version is active or there is
  // no earlier one to roll back to.
  Result<int64_t> RollBackModel(std::string_view model_id, std::string_view by, int64_t at_ns);
  // Leaves no version of the id active; appends a "deactivate" entry naming the version stopped.
  // A later activation still rolls back to that version.
  // Errors: NotFound for an unknown id; FailedPrecondition when none was active.
  Status DeactivateModel(std::string_view model_id, std::string_view by, int64_t at_ns);
  // The id's activation history, oldest first. Errors: NotFound for an unknown id.
  Result<std::vector<ModelActivation>> ListModelActivations(std::string_view model_id);

  // --- Series names (tags made by line protocol) ---

  // Creates a tag for each field of each series, at paths[k] for the k-th field counted across
  // the series in order, all or none, in one transaction; returns their ids in that order.
  // Assets missing on the way are created (a root as an enterprise, each other one level below
  // its parent) and assets already there are left alone. A tag already at its path keeps its id
  // when it was made for the same name (a concurrent writer made it first).
  // Errors: InvalidArgument as UpsertTag, or when there is not one path per field;
  // AlreadyExists when the path or the name is taken by another tag.
  Result<std::vector<TagId>> CreateSeries(std::span<const NewSeries> series, std::span<const std::string> paths);
  // Every recorded series name with its tag, ordered by tag id.
  Result<std::vector<std::pair<TagId, SeriesName>>> ListSeriesNames();
  // The series name line protocol made `tag` for; none for a tag made any other way (or unknown).
  Result<std::optional<SeriesName>> GetSeriesName(TagId tag);

 private:
  explicit Catalog(std::unique_ptr<internal::Db> db);

  std::mutex mu_;
  std::unique_ptr<internal::Db> db_;  // GUARDED_BY(mu_): the connection and its statement cache
  std::atomic<uint64_t> tag_edits_{0};
};

}  // namespace zhizao::catalog
