// The body of POST /api/v1/models with "method": "rul": a fleet of assets, the input tag names
// under each, a cycle, the range and the failures maintenance recorded (docs/analytics/registry.md).
//
//   {"id", "method": "rul", "assets": [path|id, ...], "tags": [name, ...], "from", "to",
//    "cycle": "1h" | seconds, "failures": [{"asset": path|id, "at": time}, ...],
//    "window"?: cycles, "rul_cap"?: cycles, "card"?}
#pragma once

#include <nlohmann/json.hpp>

#include "analytics/registry/rul_trainer.h"
#include "catalog/catalog.h"
#include "common/status.h"

namespace zhizao::api {

// Errors: OutOfRange (422) naming the field for a body of the wrong shape, an unknown asset or
// tag of the fleet, a failure of an asset not in the fleet, a bad time, cycle or window.
Result<analytics::registry::RulTrainSpec> RulTrainSpecOf(catalog::Catalog& catalog, const nlohmann::json& in,
                                                         const std::string& who, int64_t now_ns);

}  // namespace zhizao::api
