// The JSON of an event (the Event schema of openapi.json), shared by /api/v1/events and the
// live stream's event notices.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "catalog/event.h"

namespace zhizao::api {

nlohmann::json EventToJson(const catalog::Event& event);

// What /api/v1/stream sends to clients that asked for events:
//   {"type": "event", "change": "opened" | "updated" | "cleared" | "reopened", "event": {...}}
std::string EventNotice(std::string_view change, const catalog::Event& event);

}  // namespace zhizao::api
