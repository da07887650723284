// GET /api/v1/jobs and /api/v1/jobs/{id}: what the background jobs (job_runner.h) are doing and
// what they did.
#include <nlohmann/json.hpp>

#include "api/job_http.h"
#include "api/request_params.h"
#include "api/routes.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

HttpResponse ListJobs(const JobRunner& jobs) {
  json list = json::array();
  for (const Job& job : jobs.List()) list.push_back(JobToJson(job));
  return HttpResponse::Json(json{{"jobs", std::move(list)}}.dump());
}

HttpResponse GetJob(const JobRunner& jobs, const HttpRequest& request) {
  const std::string_view text = request.PathParam("id");
  Result<int64_t> id = ParseInt(text, "id");
  std::optional<Job> job = id.ok() && *id > 0 ? jobs.Get(static_cast<uint64_t>(*id)) : std::nullopt;
  if (!job) {
    return ErrorResponse(Status::NotFound("no job '" + std::string(text) +
                                          "' (jobs are remembered until the server restarts)"));
  }
  return HttpResponse::Json(JobToJson(*job).dump());
}

}  // namespace

void AddJobRoutes(Router& router, const ApiServices& services) {
  auto add = [&](std::string pattern, std::string summary, std::function<HttpResponse(RequestContext&)> handler) {
    router.Add({.method = "GET",
                .pattern = std::move(pattern),
                .action = security::Action::kRead,
                .resource_kind = "jobs",
                .summary = std::move(summary),
                .handler = std::move(handler)});
  };
  auto unavailable = [] { return ErrorResponse(Status::Unavailable("background jobs are not available")); };
  add("/api/v1/jobs", "The background jobs (model training), newest first", [services, unavailable](RequestContext&) {
    return services.jobs != nullptr ? ListJobs(*services.jobs) : unavailable();
  });
  add("/api/v1/jobs/{id}", "One background job: its state, and its result or error once finished",
      [services, unavailable](RequestContext& c) {
        return services.jobs != nullptr ? GetJob(*services.jobs, c.request) : unavailable();
      });
}

}  // namespace zhizao::api
