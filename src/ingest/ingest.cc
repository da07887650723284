#include "ingest/ingest.h"

namespace zhizao::ingest {
namespace {

const char* Article(DataType type) { return type == DataType::kInt64 ? "an " : "a "; }

}  // namespace

Ingest::Ingest(catalog::Catalog& catalog, storage::Engine& engine, MetricsRegistry& metrics, stream::Hub* live)
    : catalog_(catalog),
      engine_(engine),
      live_(live),
      accepted_(metrics.GetCounter("zhizao_ingest_points_total", "Samples accepted by ingest, by outcome.",
                                   {{"outcome", "stored"}})),
      rejected_(metrics.GetCounter("zhizao_ingest_points_total", "Samples accepted by ingest, by outcome.",
                                   {{"outcome", "rejected"}})),
      catalog_tags_(metrics.GetGauge("zhizao_catalog_tags", "Tags in the catalog, as ingest last loaded them.")) {}

Status Ingest::RefreshTags() {
  ZZ_ASSIGN_OR_RETURN(std::vector<catalog::Tag> tags, catalog_.ListTags({}));
  std::vector<std::optional<DataType>> types;
  for (const catalog::Tag& tag : tags) {
    if (tag.id >= types.size()) types.resize(tag.id + 1);
    types[tag.id] = tag.data_type;
  }
  catalog_tags_.Set(static_cast<double>(tags.size()));
  std::lock_guard lock(mu_);
  types_ = std::move(types);
  return Status::Ok();
}

void Ingest::AddTag(TagId id, DataType type) {
  std::lock_guard lock(mu_);
  if (id >= types_.size()) types_.resize(id + 1);
  if (!types_[id]) catalog_tags_.Add(1);
  types_[id] = type;
}

void Ingest::RemoveTag(TagId id) {
  std::lock_guard lock(mu_);
  if (id >= types_.size() || !types_[id]) return;
  types_[id].reset();
  catalog_tags_.Add(-1);
}

Status Ingest::ValidateLocked(const Batch& batch) const {
  for (size_t i = 0; i < batch.points.size(); ++i) {
    const Point& p = batch.points[i];
    if (p.tag >= types_.size() || !types_[p.tag]) {
      return Status::InvalidArgument("point " + std::to_string(i) + ": no tag with id " + std::to_string(p.tag));
    }
    if (*types_[p.tag] != p.value.type()) {
      return Status::InvalidArgument("point " + std::to_string(i) + " of tag " + std::to_string(p.tag) + ": a " +
                                     std::string(DataTypeName(p.value.type())) + " value for " +
                                     Article(*types_[p.tag]) + std::string(DataTypeName(*types_[p.tag])) + " tag");
    }
  }
  return Status::Ok();
}

Status Ingest::Write(const Batch& batch) {
  {
    std::lock_guard lock(mu_);
    Status valid = ValidateLocked(batch);
    if (!valid.ok()) {
      rejected_.Increment(batch.size());
      return valid;
    }
  }
  Status stored = engine_.Append(batch);
  (stored.ok() ? accepted_ : rejected_).Increment(batch.size());
  if (stored.ok() && live_ != nullptr) live_->Publish(batch);
  return stored;
}

}  // namespace zhizao::ingest
