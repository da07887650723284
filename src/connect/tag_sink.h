// Where connectors hand what they read: the catalog for tags they discover, ingest for samples.
#pragma once

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/series_index.h"
#include "common/batch.h"
#include "common/status.h"
#include "ingest/ingest.h"

namespace zhizao::connect {

// A tag a connector reads, as its definition (or the peer, for Sparkplug BIRTHs and OPC UA
// browsing) describes it.
struct TagSpec {
  std::string path;  // catalog path: asset path + "/" + tag name
  DataType type = DataType::kFloat64;
  std::string unit;
  bool writable = false;
  std::optional<double> range_lo;  // for a writable tag: the write gate's limits
  std::optional<double> range_hi;
  int64_t period_ms = 1000;
  std::string description;
};

class TagSink {
 public:
  virtual ~TagSink() = default;

  // The ids of the tags at the specs' paths, in order, creating the assets and tags that the
  // catalog does not have yet (in one transaction). A tag that exists keeps its definition,
  // but its data type must be the spec's: FailedPrecondition naming the tag otherwise.
  // InvalidArgument for a path that is not a valid catalog path.
  virtual Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) = 0;

  // Stores the batch through ingest: durable per the storage policy when Ok.
  virtual Status Write(const Batch& batch) = 0;
};

// The TagSink of a running server. Thread-safe: connectors call it from their own threads.
class CatalogTagSink final : public TagSink {
 public:
  // REQUIRES: all three outlive this.
  CatalogTagSink(catalog::Catalog& catalog, catalog::SeriesIndex& series, ingest::Ingest& ingest)
      : catalog_(catalog), series_(series), ingest_(ingest) {}

  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override;
  Status Write(const Batch& batch) override { return ingest_.Write(batch); }

 private:
  Result<catalog::AssetId> EnsureAssetLocked(std::string_view asset_path);

  catalog::Catalog& catalog_;
  catalog::SeriesIndex& series_;
  ingest::Ingest& ingest_;
  std::mutex mu_;  // one EnsureTags at a time, so two connectors never race to create an asset
};

}  // namespace zhizao::connect
