#include "analytics/spc/config_json.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace zhizao::analytics::spc {
namespace {

Status Bad(const std::string& what) { return Status::InvalidArgument("invalid SPC configuration: " + what); }

Result<double> Number(const nlohmann::json& j, const char* key, std::optional<double> fallback = std::nullopt) {
  if (!j.is_object()) return Bad("expected an object");
  auto it = j.find(key);
  if (it == j.end()) {
    if (fallback) return *fallback;
    return Bad(std::string("missing field '") + key + "'");
  }
  if (!it->is_number()) return Bad(std::string("field '") + key + "' must be a number");
  const double v = it->get<double>();
  if (!std::isfinite(v)) return Bad(std::string("field '") + key + "' must be finite");
  return v;
}

Result<ShewhartKind> Kind(const nlohmann::json& j) {
  auto it = j.find("kind");
  if (it == j.end() || !it->is_string()) return Bad("field 'kind' must be a string");
  for (ShewhartKind k : {ShewhartKind::kIndividualsMovingRange, ShewhartKind::kXbarR, ShewhartKind::kXbarS}) {
    if (it->get<std::string>() == ShewhartKindName(k)) return k;
  }
  return Bad("unknown chart kind '" + it->get<std::string>() + "'");
}

}  // namespace

Result<ShewhartLimits> ParseShewhartLimits(const nlohmann::json& j) {
  if (!j.is_object()) return Bad("expected an object");
  ShewhartLimits l;
  ZZ_ASSIGN_OR_RETURN(l.kind, Kind(j));
  ZZ_ASSIGN_OR_RETURN(l.center, Number(j, "center"));
  ZZ_ASSIGN_OR_RETURN(l.sigma, Number(j, "sigma"));
  ZZ_ASSIGN_OR_RETURN(double size, Number(j, "subgroup_size", 1.0));
  ZZ_ASSIGN_OR_RETURN(double count, Number(j, "baseline_count", 0.0));
  if (!(l.sigma > 0)) return Bad("sigma must be > 0");
  if (size < 1 || size > 1000 || size != std::floor(size)) return Bad("subgroup_size must be an integer in 1..1000");
  if (count < 0 || count > 1e15 || count != std::floor(count)) return Bad("baseline_count must be a count");
  l.subgroup_size = static_cast<int>(size);
  l.baseline_count = static_cast<std::size_t>(count);
  return l;
}

Result<EwmaParams> ParseEwmaParams(const nlohmann::json& j) {
  EwmaParams p;
  ZZ_ASSIGN_OR_RETURN(p.target, Number(j, "target"));
  ZZ_ASSIGN_OR_RETURN(p.sigma, Number(j, "sigma"));
  ZZ_ASSIGN_OR_RETURN(p.lambda, Number(j, "lambda"));
  ZZ_ASSIGN_OR_RETURN(p.width, Number(j, "width", 3.0));
  auto exact = j.find("exact_limits");
  if (exact != j.end()) {
    if (!exact->is_boolean()) return Bad("field 'exact_limits' must be true or false");
    p.exact_limits = exact->get<bool>();
  }
  ZZ_RETURN_IF_ERROR(Validate(p));
  return p;
}

Result<CusumParams> ParseCusumParams(const nlohmann::json& j) {
  CusumParams p;
  ZZ_ASSIGN_OR_RETURN(p.target, Number(j, "target"));
  ZZ_ASSIGN_OR_RETURN(p.sigma, Number(j, "sigma"));
  ZZ_ASSIGN_OR_RETURN(p.k, Number(j, "k", 0.5));
  ZZ_ASSIGN_OR_RETURN(p.h, Number(j, "h", 5.0));
  ZZ_RETURN_IF_ERROR(Validate(p));
  return p;
}

Result<RuleSet> ParseRuleSet(const nlohmann::json& j) {
  if (j.is_string()) {
    if (j.get<std::string>() == "nelson") return RuleSet::Nelson();
    if (j.get<std::string>() == "western_electric") return RuleSet::WesternElectric();
    return Bad("unknown rule set '" + j.get<std::string>() + "'");
  }
  if (!j.is_object()) return Bad("rules must be a name or an object");
  auto list = j.find("rules");
  if (list == j.end() || !list->is_array()) return Bad("field 'rules' must be an array of rule numbers 1..8");
  RuleSet set;
  for (const auto& r : *list) {
    const std::int64_t n = r.is_number_integer() ? r.get<std::int64_t>() : 0;
    if (n < 1 || n > 8) return Bad("rule numbers must be integers 1..8");
    set.rules.push_back(static_cast<Rule>(n));
  }
  ZZ_ASSIGN_OR_RETURN(double run, Number(j, "run_length", 9.0));
  if (run < 2 || run > 15 || run != std::floor(run)) return Bad("run_length must be an integer in 2..15");
  set.run_length = static_cast<int>(run);
  return set;
}

void to_json(nlohmann::json& j, const RuleSet& rules) {
  j = nlohmann::json::object();
  j["rules"] = nlohmann::json::array();
  for (Rule r : rules.rules) j["rules"].push_back(static_cast<int>(r));
  j["run_length"] = rules.run_length;
}

}  // namespace zhizao::analytics::spc
