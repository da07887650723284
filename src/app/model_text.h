// The text that `zhizao model` and `zhizao analyze` print for a plant engineer, made from the
// server's JSON (the ModelVersion, ModelActivation and Event schemas of src/api/openapi.json).
// Pure functions of their input; a member the server left out prints as "-" rather than failing.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace zhizao::app {

// A table of versions, one row each: id, version, kind, asset, training rows, holdout alarm rate,
// whether it has a card, whether it is active. Ends with a newline; "no models\n" for none.
std::string ModelTableText(const nlohmann::json& versions);

// One version in a few lines: what it watches, its training data and metrics, its card, and what
// to do next when it cannot run yet (no card) or is not active.
std::string ModelVersionText(const nlohmann::json& version);

// GET /api/v1/models/{id}: its versions as a table, then its activation history, oldest first.
std::string ModelHistoryText(const nlohmann::json& model);

// One event in one line: start, end (or "active"), peak score, the top contributing tags with
// their share (paths shortened to below the event's asset), and the message.
std::string EventLineText(const nlohmann::json& event);

}  // namespace zhizao::app
