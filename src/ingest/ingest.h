// The one entrance of samples: every batch, whatever brought it, is checked against the
// catalog here before it reaches storage.
//
// Checks: the tag exists, and the value's type is the tag's data type. A batch is stored all
// or nothing: the error names the first bad point.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "catalog/catalog.h"
#include "common/batch.h"
#include "common/metrics.h"
#include "common/status.h"
#include "storage/engine.h"
#include "stream/hub.h"

namespace zhizao::ingest {

// Thread-safe.
class Ingest {
 public:
  // REQUIRES: catalog, engine and live (when given) outlive this.
  Ingest(catalog::Catalog& catalog, storage::Engine& engine, MetricsRegistry& metrics, stream::Hub* live = nullptr);

  // Loads the data types of every tag of the catalog; call after tags are added.
  [[nodiscard]] Status RefreshTags();

  // Accepts points of a tag made since the last RefreshTags (e.g. by a line-protocol write).
  void AddTag(TagId id, DataType type);

  // Refuses points of a tag deleted from the catalog.
  void RemoveTag(TagId id);

  // Validates and stores the batch, then offers it to the live subscribers. Durable per the
  // storage policy when Ok.
  // InvalidArgument naming the point for an unknown tag or a wrong type; the storage
  // engine's errors otherwise.
  [[nodiscard]] Status Write(const Batch& batch);

 private:
  Status ValidateLocked(const Batch& batch) const;

  catalog::Catalog& catalog_;
  storage::Engine& engine_;
  stream::Hub* const live_;
  Counter& accepted_;
  Counter& rejected_;
  Gauge& catalog_tags_;

  mutable std::mutex mu_;
  // The data type of each tag, by TagId; a tag not in the catalog has none.
  std::vector<std::optional<DataType>> types_;  // GUARDED_BY(mu_)
};

}  // namespace zhizao::ingest
