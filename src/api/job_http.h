// Jobs over HTTP: their JSON, and the answer of a request that started one (RFC 7240's Prefer).
#pragma once

#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "api/http.h"
#include "api/job_runner.h"
#include "api/prefer.h"

namespace zhizao::api {

// {"id", "kind", "subject", "state", "submitted_by", "submitted_at", "started_at", "finished_at",
//  "location", "result", "error": {"code", "message", "status"}}: times RFC 3339 (null until
// then); "location" and "result" (the body the request would have answered) once succeeded;
// "error" once failed or cancelled, with the HTTP status the request would have answered.
nlohmann::json JobToJson(const Job& job);

// The answer to a request that started job `id`, now as `job` (nullopt: forgotten): a finished
// job answers as the request would have (201 with its Location, or its error); an unfinished
// one 202 with the job, Location /api/v1/jobs/{id}.
HttpResponse JobAnswer(uint64_t id, const std::optional<Job>& job, const Preference& preference);

}  // namespace zhizao::api
