#include "api/job_http.h"

#include <nlohmann/json.hpp>

#include "common/time_format.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

json TimeOrNull(int64_t ns) { return ns == 0 ? json() : json(FormatRfc3339(ns)); }

}  // namespace

json JobToJson(const Job& job) {
  json out = {{"id", job.id},
              {"kind", job.kind},
              {"subject", job.subject},
              {"state", JobStateName(job.state)},
              {"submitted_by", job.submitted_by},
              {"submitted_at", TimeOrNull(job.submitted_ns)},
              {"started_at", TimeOrNull(job.started_ns)},
              {"finished_at", TimeOrNull(job.finished_ns)},
              {"location", nullptr},
              {"result", nullptr},
              {"error", nullptr}};
  if (job.state == JobState::kSucceeded) {
    out["location"] = job.output.location;
    json result = json::parse(job.output.json, nullptr, /*allow_exceptions=*/false);
    if (!result.is_discarded()) out["result"] = std::move(result);
  } else if (job.finished()) {
    out["error"] = {{"code", ErrorCodeName(job.error.code())},
                    {"message", job.error.message()},
                    {"status", HttpStatusFor(job.error.code())}};
  }
  return out;
}

HttpResponse JobAnswer(uint64_t id, const std::optional<Job>& job, const Preference& preference) {
  const std::string location = "/api/v1/jobs/" + std::to_string(id);
  if (!job) return ErrorResponse(Status::NotFound("job " + std::to_string(id) + " is no longer remembered"));
  if (job->state == JobState::kSucceeded) {
    HttpResponse r = HttpResponse::Json(job->output.json, 201);
    r.headers.emplace_back("Location", job->output.location);
    return r;
  }
  if (job->finished()) return ErrorResponse(job->error);
  HttpResponse r = HttpResponse::Json(JobToJson(*job).dump(), 202);
  r.headers.emplace_back("Location", location);
  if (preference.respond_async) r.headers.emplace_back("Preference-Applied", "respond-async");
  return r;
}

}  // namespace zhizao::api
