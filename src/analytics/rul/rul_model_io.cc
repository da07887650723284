// Model::Save and Model::Load: the blob of model_blob.h around XGBoost's own saved members.
#include <optional>
#include <string>

#include "analytics/rul/model_blob.h"
#include "analytics/rul/model_impl.h"
#include "analytics/rul/rul_model.h"

namespace zhizao::analytics::rul {
namespace {

// No index (versions 1 and 2, or a model whose members all read the features alone), or one
// over exactly the blob's features.
Result<std::optional<HealthIndex>> LoadHealthIndex(HealthIndexParts parts, size_t base_features) {
  if (parts.coef.empty()) return std::optional<HealthIndex>();
  if (parts.coef.size() != base_features) {
    return Status::Corruption("model blob's health index has " + std::to_string(parts.coef.size()) +
                              " coefficients; the blob's sensors give " + std::to_string(base_features) + " features");
  }
  ZZ_ASSIGN_OR_RETURN(auto index, HealthIndex::FromParts(std::move(parts)));
  return std::optional<HealthIndex>(std::move(index));
}

}  // namespace

Result<std::string> Model::Save() const {
  ModelBlobContents contents{.target = static_cast<uint8_t>(impl_->info.target == Target::kLabel ? 1 : 0),
                             .rul_cap = impl_->info.rul_cap,
                             .features = impl_->features,
                             .smooth = impl_->smooth,
                             .setting_count = static_cast<uint32_t>(impl_->info.setting_count),
                             .sensor_count = static_cast<uint32_t>(impl_->info.sensor_count),
                             .regimes = impl_->normalizer.parts()};
  if (impl_->health_index.has_value()) contents.health_index = impl_->health_index->parts();
  std::lock_guard lock(impl_->mu);
  for (const auto& member : impl_->members) {
    ZZ_ASSIGN_OR_RETURN(auto bytes, member.booster.Save());
    contents.members.push_back(std::move(bytes));
    contents.reads_index.push_back(member.reads_index ? 1 : 0);
  }
  return EncodeModelBlob(contents);
}

Result<Model> Model::Load(std::string_view blob) {
  ZZ_ASSIGN_OR_RETURN(auto contents, DecodeModelBlob(blob));
  if (contents.regimes.sensor_mean.front().size() != contents.sensor_count) {
    return Status::Corruption("model blob's sensor count disagrees with its regime parameters");
  }
  ZZ_ASSIGN_OR_RETURN(auto normalizer, RegimeNormalizer::FromParts(std::move(contents.regimes)));
  const size_t base_features = FeatureNames(normalizer.kept_sensors(), contents.features).size();
  ZZ_ASSIGN_OR_RETURN(auto index, LoadHealthIndex(std::move(contents.health_index), base_features));
  std::vector<Member> members;
  for (size_t i = 0; i < contents.members.size(); ++i) {
    auto booster = Booster::Load(contents.members[i]);
    if (!booster.ok()) return booster.status().WithContext("model blob member " + std::to_string(i));
    const bool reads_index = contents.reads_index[i] == 1;
    const size_t expected = base_features + (reads_index ? 1 : 0);
    ZZ_ASSIGN_OR_RETURN(size_t features, booster->FeatureCount());
    if (features != expected) {
      return Status::Corruption("model blob member " + std::to_string(i) + " expects " + std::to_string(features) +
                                " features; the blob's sensors and index give " + std::to_string(expected));
    }
    members.push_back({std::move(booster).value(), reads_index});
  }
  const Target target = contents.target == 1 ? Target::kLabel : Target::kRemainingLife;
  ModelInfo info = MakeInfo(target, contents.rul_cap, contents.features, contents.smooth, normalizer, members.size());
  return Model(std::make_unique<ModelImpl>(std::move(info), contents.features, contents.smooth, std::move(normalizer),
                                           std::move(index), std::move(members)));
}

}  // namespace zhizao::analytics::rul
