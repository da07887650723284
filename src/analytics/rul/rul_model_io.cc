// Model::Save and Model::Load: the blob of model_blob.h around XGBoost's own saved members.
#include <string>

#include "analytics/rul/model_blob.h"
#include "analytics/rul/model_impl.h"
#include "analytics/rul/rul_model.h"

namespace zhizao::analytics::rul {

Result<std::string> Model::Save() const {
  ModelBlobContents contents{.target = static_cast<uint8_t>(impl_->info.target == Target::kLabel ? 1 : 0),
                             .rul_cap = impl_->info.rul_cap,
                             .features = impl_->features,
                             .smooth = impl_->smooth,
                             .setting_count = static_cast<uint32_t>(impl_->info.setting_count),
                             .sensor_count = static_cast<uint32_t>(impl_->info.sensor_count),
                             .regimes = impl_->normalizer.parts()};
  std::lock_guard lock(impl_->mu);
  for (const auto& member : impl_->members) {
    ZZ_ASSIGN_OR_RETURN(auto bytes, member.Save());
    contents.members.push_back(std::move(bytes));
  }
  return EncodeModelBlob(contents);
}

Result<Model> Model::Load(std::string_view blob) {
  ZZ_ASSIGN_OR_RETURN(auto contents, DecodeModelBlob(blob));
  if (contents.regimes.sensor_mean.front().size() != contents.sensor_count) {
    return Status::Corruption("model blob's sensor count disagrees with its regime parameters");
  }
  ZZ_ASSIGN_OR_RETURN(auto normalizer, RegimeNormalizer::FromParts(std::move(contents.regimes)));
  std::vector<Booster> members;
  for (size_t i = 0; i < contents.members.size(); ++i) {
    auto member = Booster::Load(contents.members[i]);
    if (!member.ok()) return member.status().WithContext("model blob member " + std::to_string(i));
    ZZ_ASSIGN_OR_RETURN(size_t features, member->FeatureCount());
    if (features != FeatureNames(normalizer.kept_sensors(), contents.features).size()) {
      return Status::Corruption("model blob member " + std::to_string(i) + " expects " + std::to_string(features) +
                                " features; the blob's sensors give " +
                                std::to_string(FeatureNames(normalizer.kept_sensors(), contents.features).size()));
    }
    members.push_back(std::move(member).value());
  }
  const Target target = contents.target == 1 ? Target::kLabel : Target::kRemainingLife;
  ModelInfo info = MakeInfo(target, contents.rul_cap, contents.features, contents.smooth, normalizer, members.size());
  return Model(std::make_unique<ModelImpl>(std::move(info), contents.features, contents.smooth, std::move(normalizer),
                                           std::move(members)));
}

}  // namespace zhizao::analytics::rul
