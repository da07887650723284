// JSON forms of the SPC results, for the API and the console (nlohmann::json, by ADL:
// `nlohmann::json j = report;`). Field names are snake_case copies of the struct members;
// enums are strings (ChartTypeName, RuleName, ShewhartKindName); an absent optional value
// (Cp with a one-sided spec, say) is written as null so the console can show "n/a".
// Non-finite numbers do not occur in these structs (inputs are validated).
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/spc/capability.h"
#include "analytics/spc/constants.h"
#include "analytics/spc/cusum.h"
#include "analytics/spc/ewma.h"
#include "analytics/spc/shewhart.h"
#include "analytics/spc/stream.h"
#include "analytics/spc/types.h"

namespace zhizao::analytics::spc {

void to_json(nlohmann::json& j, const ChartPoint& p);
void to_json(nlohmann::json& j, const RuleViolation& v);
void to_json(nlohmann::json& j, const ChartSeries& s);
void to_json(nlohmann::json& j, const ShewhartLimits& l);
void to_json(nlohmann::json& j, const ShewhartChart& c);
void to_json(nlohmann::json& j, const ChartUpdate& u);
void to_json(nlohmann::json& j, const EwmaParams& p);
void to_json(nlohmann::json& j, const CusumParams& p);
void to_json(nlohmann::json& j, const ControlConstants& k);
void to_json(nlohmann::json& j, const Interval& i);
void to_json(nlohmann::json& j, const Index& i);
void to_json(nlohmann::json& j, const SpecLimits& s);
void to_json(nlohmann::json& j, const NormalityCheck& c);
void to_json(nlohmann::json& j, const Histogram& h);
void to_json(nlohmann::json& j, const CapabilityReport& r);

}  // namespace zhizao::analytics::spc
