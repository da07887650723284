#include "api/rul_train_request.h"

#include "api/json_body.h"
#include "api/model_json.h"
#include "api/series_params.h"

namespace zhizao::api {
namespace {

using nlohmann::json;
namespace registry = analytics::registry;

Status Unprocessable(const Status& status) {
  return status.ok() || status.code() == StatusCode::kOutOfRange ? status : Status::OutOfRange(status.message());
}

Result<std::vector<std::string>> Strings(const std::vector<const json*>& list, const std::string& path) {
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i]->is_string()) return Status::OutOfRange(path + "[" + std::to_string(i) + "]: expected a string");
    out.push_back(list[i]->get<std::string>());
  }
  return out;
}

// The deepest asset above every asset of the fleet (by path); id 0 when they share none.
catalog::Asset CommonParent(catalog::Catalog& catalog, const std::vector<catalog::Asset>& assets) {
  std::string prefix = assets[0].path;
  for (const catalog::Asset& a : assets) {
    while (!prefix.empty() && !(a.path.size() > prefix.size() && a.path.compare(0, prefix.size(), prefix) == 0 &&
                                a.path[prefix.size()] == '/')) {
      const size_t slash = prefix.rfind('/');
      prefix = slash == std::string::npos ? std::string() : prefix.substr(0, slash);
    }
  }
  Result<catalog::Asset> parent = prefix.empty() ? Result<catalog::Asset>(Status::NotFound("")) : catalog.FindAsset(prefix);
  return parent.ok() ? *parent : catalog::Asset{};
}

Status ReadFleet(catalog::Catalog& catalog, const std::vector<std::string>& assets, const std::vector<std::string>& tags,
                 registry::RulTrainSpec& spec) {
  if (assets.empty()) return Status::OutOfRange("$.assets: at least one asset is needed");
  if (tags.empty()) return Status::OutOfRange("$.tags: at least one tag name is needed");
  for (size_t a = 0; a < assets.size(); ++a) {
    Result<catalog::Asset> asset = ResolveAsset(catalog, assets[a]);
    if (!asset.ok()) return Status::OutOfRange("$.assets[" + std::to_string(a) + "]: " + asset.status().message());
    spec.inputs.emplace_back();
    for (const std::string& name : tags) {
      if (name.empty() || name.find('/') != std::string::npos) {
        return Status::OutOfRange("$.tags: '" + name + "' is not a tag name (the same names are read under every asset)");
      }
      Result<catalog::Tag> tag = catalog.FindTag(asset->path + "/" + name);
      if (!tag.ok()) return Status::OutOfRange("$.tags: asset " + asset->path + " has no tag '" + name + "'");
      spec.inputs.back().push_back(std::move(*tag));
    }
    spec.assets.push_back(std::move(*asset));
  }
  spec.group = CommonParent(catalog, spec.assets);
  return Status::Ok();
}

Status ReadFailures(catalog::Catalog& catalog, const std::vector<const json*>& list, int64_t now_ns,
                    registry::RulTrainSpec& spec) {
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = "$.failures[" + std::to_string(i) + "]";
    ZZ_ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(*list[i], path));
    ZZ_ASSIGN_OR_RETURN(std::optional<std::string> asset, f.String("asset"));
    ZZ_ASSIGN_OR_RETURN(std::optional<std::string> at, f.String("at"));
    ZZ_RETURN_IF_ERROR(f.CheckNoOtherFields());
    if (!asset || !at) return Status::OutOfRange(path + ": asset and at are required");
    Result<catalog::Asset> found = ResolveAsset(catalog, *asset);
    if (!found.ok()) return Status::OutOfRange(path + ".asset: " + found.status().message());
    Result<int64_t> at_ns = ParseTimeParam(*at, now_ns, path + ".at");
    if (!at_ns.ok()) return Unprocessable(at_ns.status());
    spec.failures.push_back({found->id, *at_ns});
  }
  return Status::Ok();
}

Result<int64_t> CycleOf(JsonFields& fields, const json& in) {
  if (in.contains("cycle") && in["cycle"].is_number()) {
    ZZ_ASSIGN_OR_RETURN(std::optional<double> seconds, fields.Number("cycle"));
    if (!(*seconds > 0 && *seconds < 1e9)) return Status::OutOfRange("$.cycle: expected a positive number of seconds");
    return static_cast<int64_t>(*seconds * 1e9);
  }
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> text, fields.String("cycle"));
  if (!text) return Status::OutOfRange("$.cycle: the cycle length is required (\"1h\" or seconds)");
  Result<int64_t> ns = ParseDuration(*text, "$.cycle");
  if (!ns.ok()) return Unprocessable(ns.status());
  if (*ns <= 0) return Status::OutOfRange("$.cycle: must be positive");
  return *ns;
}

}  // namespace

Result<registry::RulTrainSpec> RulTrainSpecOf(catalog::Catalog& catalog, const json& in, const std::string& who,
                                              int64_t now_ns) {
  ZZ_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(in, "$"));
  registry::RulTrainSpec spec;
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> id, fields.String("id"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> method, fields.String("method"));  // "rul": the caller's switch
  ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<const json*>> assets, fields.Array("assets"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<const json*>> tags, fields.Array("tags"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> from, fields.String("from"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> to, fields.String("to"));
  ZZ_ASSIGN_OR_RETURN(spec.cycle_ns, CycleOf(fields, in));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<const json*>> failures, fields.Array("failures"));
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> window, fields.Integer("window", 2, 10'000));
  ZZ_ASSIGN_OR_RETURN(std::optional<double> cap, fields.Number("rul_cap"));
  ZZ_ASSIGN_OR_RETURN(std::optional<JsonFields> card, fields.Object("card"));
  ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
  if (!id || !assets || !tags || !from || !to || !failures) {
    return Status::OutOfRange("$: id, assets, tags, from, to, cycle and failures are required for method rul");
  }
  spec.model_id = *id;
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> asset_names, Strings(*assets, "$.assets"));
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> tag_names, Strings(*tags, "$.tags"));
  ZZ_RETURN_IF_ERROR(ReadFleet(catalog, asset_names, tag_names, spec));
  Result<int64_t> from_ns = ParseTimeParam(*from, now_ns, "$.from");
  Result<int64_t> to_ns = ParseTimeParam(*to, now_ns, "$.to");
  if (!from_ns.ok()) return Unprocessable(from_ns.status());
  if (!to_ns.ok()) return Unprocessable(to_ns.status());
  spec.from_ns = *from_ns;
  spec.to_ns = *to_ns;
  ZZ_RETURN_IF_ERROR(ReadFailures(catalog, *failures, now_ns, spec));
  if (window) {
    spec.options.window = static_cast<int>(*window);
    spec.options.baseline = std::min(spec.options.baseline, spec.options.window);
    spec.options.recent = std::min(spec.options.recent, spec.options.window);
  }
  if (cap) {
    if (!(*cap > 0 && *cap <= 1e6)) return Status::OutOfRange("$.rul_cap: expected a number of cycles in (0, 1e6]");
    spec.options.rul_cap = *cap;
  }
  if (card) {
    ZZ_ASSIGN_OR_RETURN(spec.card, ModelCardFromJson(std::move(*card)));
  }
  spec.created_by = who;
  spec.created_ns = now_ns;
  return spec;
}

}  // namespace zhizao::api
