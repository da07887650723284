// Reading chart configurations back from JSON: the Phase I limits and parameters a caller
// stored (the output of json.h) or an API client sent, so a live chart can be rebuilt after
// a restart without re-estimating. The inverse of the to_json functions for these types.
//
// Every field is checked: a missing or mistyped field, an unknown kind or rule, a non-finite
// number or an out-of-domain value (sigma <= 0, lambda outside (0, 1], a run length outside
// 2..15) is an InvalidArgument naming the field. Never throws.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/spc/cusum.h"
#include "analytics/spc/ewma.h"
#include "analytics/spc/rules.h"
#include "analytics/spc/shewhart.h"
#include "common/status.h"

namespace zhizao::analytics::spc {

// {"kind":"i_mr"|"xbar_r"|"xbar_s","center":x,"sigma":s,"subgroup_size":n,"baseline_count":m}
Result<ShewhartLimits> ParseShewhartLimits(const nlohmann::json& j);
// {"target":x,"sigma":s,"lambda":l,"width":L,"exact_limits":bool}; width and exact_limits optional.
Result<EwmaParams> ParseEwmaParams(const nlohmann::json& j);
// {"target":x,"sigma":s,"k":k,"h":h}; k and h optional (defaults 0.5 and 5).
Result<CusumParams> ParseCusumParams(const nlohmann::json& j);
// "nelson" | "western_electric" | {"rules":[1,2,...],"run_length":n}
Result<RuleSet> ParseRuleSet(const nlohmann::json& j);

void to_json(nlohmann::json& j, const RuleSet& rules);

}  // namespace zhizao::analytics::spc
