// The model registry over HTTP: train a model version on a range of an asset's history, read
// versions with their metrics and cards, write a card, activate, roll back or deactivate (the
// live analytics then run the active versions), and replay a version over any past range.
//
// Answers: 200 (201 for a trained version); 404 for an unknown model, version, asset or tag;
// 400 for a bad parameter; 422 for a body of the wrong shape or a training request the data
// cannot serve (too few rows, a constant tag, too few runs to failure for a RUL model); 409 (FailedPrecondition) for activating or
// replaying a version without a card, or a rollback with nothing to roll back to.
#include <nlohmann/json.hpp>

#include "analytics/registry/replay.h"
#include "analytics/registry/rul_trainer.h"
#include "analytics/registry/trainer.h"
#include "api/event_json.h"
#include "api/job_http.h"
#include "api/json_body.h"
#include "api/model_json.h"
#include "api/request_params.h"
#include "api/routes.h"
#include "api/rul_train_request.h"
#include "api/series_params.h"
#include "common/clock.h"

namespace zhizao::api {
namespace {

using nlohmann::json;
namespace registry = analytics::registry;

// An unprocessable request (422) names its field; the trainer's own refusals say what to change.
Status AsUnprocessable(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ? Status::OutOfRange(status.message()) : status;
}

Result<int64_t> VersionOf(const HttpRequest& request) {
  Result<int64_t> v = ParseInt(request.PathParam("version"), "version");
  if (!v.ok() || *v <= 0) return Status::NotFound("no version '" + std::string(request.PathParam("version")) + "'");
  return *v;
}

// A tag of the request: an id, a path, or a name under the model's asset.
Result<catalog::Tag> InputTag(catalog::Catalog& catalog, const catalog::Asset& asset, const std::string& text) {
  if (text.find('/') == std::string::npos && text.find_first_not_of("0123456789") != std::string::npos) {
    return catalog.FindTag(asset.path + "/" + text);
  }
  return ResolveTag(catalog, text);
}

Result<analytics::multivariate::Method> MethodOf(const std::optional<std::string>& name) {
  using analytics::multivariate::Method;
  if (!name || *name == "pca") return Method::kPca;
  if (*name == "dpca") return Method::kDynamicPca;
  if (*name == "cva") return Method::kCva;
  if (*name == "aakr") return Method::kKernelRegression;
  return Status::OutOfRange("$.method: expected pca, dpca, cva, aakr or rul");
}

// {"id", "asset", "tags": [...], "from", "to", "step"?, "method"?, "confidence"?, "card"?}
Result<registry::TrainSpec> TrainSpecOf(const ApiServices& services, const json& in, const RequestContext& context) {
  const int64_t now_ns = SystemClock::Instance().NowNs();
  ZZ_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(in, "$"));
  registry::TrainSpec spec;
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> id, fields.String("id"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> asset, fields.String("asset"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::vector<const json*>> tags, fields.Array("tags"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> from, fields.String("from"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> to, fields.String("to"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> step, fields.String("step"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> method, fields.String("method"));
  ZZ_ASSIGN_OR_RETURN(std::optional<double> confidence, fields.Number("confidence"));
  ZZ_ASSIGN_OR_RETURN(std::optional<JsonFields> card, fields.Object("card"));
  ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
  if (!id || !asset || !tags || !from || !to) {
    return Status::OutOfRange("$: id, asset, tags, from and to are required");
  }
  spec.model_id = *id;
  ZZ_ASSIGN_OR_RETURN(spec.asset, ResolveAsset(*services.catalog, *asset));
  const std::vector<const json*> tag_list = std::move(tags).value();
  for (size_t i = 0; i < tag_list.size(); ++i) {
    const json& tag = *tag_list[i];
    if (!tag.is_string()) return Status::OutOfRange("$.tags[" + std::to_string(i) + "]: expected a tag path or name");
    ZZ_ASSIGN_OR_RETURN(catalog::Tag found, InputTag(*services.catalog, spec.asset, tag.get<std::string>()));
    spec.inputs.push_back(std::move(found));
  }
  Result<int64_t> from_ns = ParseTimeParam(*from, now_ns, "$.from");
  Result<int64_t> to_ns = ParseTimeParam(*to, now_ns, "$.to");
  if (!from_ns.ok()) return AsUnprocessable(from_ns.status());
  if (!to_ns.ok()) return AsUnprocessable(to_ns.status());
  spec.from_ns = *from_ns;
  spec.to_ns = *to_ns;
  if (step) {
    Result<int64_t> step_ns = ParseDuration(*step, "$.step");
    if (!step_ns.ok()) return AsUnprocessable(step_ns.status());
    spec.step_ns = *step_ns;
  }
  ZZ_ASSIGN_OR_RETURN(spec.method, MethodOf(method));
  if (confidence) {
    if (!(*confidence > 0.5 && *confidence < 1)) return Status::OutOfRange("$.confidence: expected a number in (0.5, 1)");
    spec.confidence = *confidence;
  }
  if (card) {
    ZZ_ASSIGN_OR_RETURN(spec.card, ModelCardFromJson(std::move(*card)));
  }
  spec.created_by = context.who();
  spec.created_ns = now_ns;
  return spec;
}

bool IsRulRequest(const json& in) {
  return in.is_object() && in.contains("method") && in["method"].is_string() && in["method"] == "rul";
}

// A multivariate version of one asset, or a RUL version of a fleet (rul_train_request.h): the
// request checked now, the training to run as a job.
struct Training {
  std::string model_id;
  std::function<Result<catalog::ModelVersion>(const query::SampleSource& history)> run;
};

Result<Training> TrainingOf(const ApiServices& services, const json& in, RequestContext& context) {
  if (IsRulRequest(in)) {
    ZZ_ASSIGN_OR_RETURN(registry::RulTrainSpec spec, RulTrainSpecOf(*services.catalog, in, context.who(),
                                                                     SystemClock::Instance().NowNs()));
    std::string model_id = spec.model_id;
    return Training{std::move(model_id), [spec = std::move(spec)](const query::SampleSource& history) {
                      return registry::TrainRulVersion(history, spec);
                    }};
  }
  ZZ_ASSIGN_OR_RETURN(registry::TrainSpec spec, TrainSpecOf(services, in, context));
  std::string model_id = spec.model_id;
  return Training{std::move(model_id), [spec = std::move(spec)](const query::SampleSource& history) {
                    return registry::TrainModelVersion(history, spec);
                  }};
}

// Trains, stores the version and answers what the synchronous request answered (201).
Result<JobOutput> RunTraining(const ApiServices& services, const Training& training) {
  query::EngineSource engine(*services.engine);
  const query::SampleSource& history = services.source != nullptr ? *services.source : engine;
  Result<catalog::ModelVersion> trained = training.run(history);
  if (!trained.ok()) return AsUnprocessable(trained.status());
  ZZ_ASSIGN_OR_RETURN(trained->version, services.catalog->InsertModelVersion(*trained));
  trained->blob.clear();
  return JobOutput{.json = ModelVersionToJson(*trained).dump(),
                   .location = "/api/v1/models/" + trained->model_id + "/versions/" + std::to_string(trained->version)};
}

// Training takes from a second to minutes: it runs as a job (job_runner.h), and the request
// waits for it as long as its Prefer header allows (RFC 7240: respond-async, wait=<seconds>;
// 5 s by default, 30 s at most). Finished by then: 201 with the version, or the job's refusal
// (422 ...); otherwise 202 with the job, which GET /api/v1/jobs/{id} follows.
HttpResponse Train(const ApiServices& services, RequestContext& context) {
  if (services.jobs == nullptr) return ErrorResponse(Status::Unavailable("background jobs are not available"));
  return WithJsonBody(context.request, services.max_body_bytes, [&](const json& in) {
    Result<Training> training = TrainingOf(services, in, context);
    if (!training.ok()) return ErrorResponse(AsUnprocessable(training.status()));
    const std::string model_id = training->model_id;
    Result<uint64_t> id = services.jobs->Submit("train", model_id, context.who(),
                                                [services, training = std::move(training).value()] {
                                                  return RunTraining(services, training);
                                                });
    if (!id.ok()) return ErrorResponse(id.status());
    const Preference preference = PreferenceOf(context.request);
    return JobAnswer(*id, services.jobs->WaitFor(*id, preference.wait), preference);
  });
}

HttpResponse List(const ApiServices& services, const HttpRequest& request) {
  catalog::ModelFilter filter;
  if (std::optional<std::string_view> asset = request.Query("asset")) {
    Result<catalog::Asset> found = ResolveAsset(*services.catalog, *asset);
    if (!found.ok()) return ErrorResponse(found.status());
    filter.asset_id = found->id;
  }
  Result<bool> active = BoolParam(request, "active", false);
  if (!active.ok()) return ErrorResponse(active.status());
  filter.active_only = *active;
  Result<std::vector<catalog::ModelVersion>> versions = services.catalog->ListModelVersions(filter);
  if (!versions.ok()) return ErrorResponse(versions.status());
  json list = json::array();
  for (const catalog::ModelVersion& v : *versions) list.push_back(ModelVersionToJson(v));
  return HttpResponse::Json(json{{"models", std::move(list)}}.dump());
}

HttpResponse GetModel(const ApiServices& services, const HttpRequest& request) {
  catalog::ModelFilter filter;
  filter.model_id = std::string(request.PathParam("id"));
  Result<std::vector<catalog::ModelVersion>> versions = services.catalog->ListModelVersions(filter);
  if (!versions.ok()) return ErrorResponse(versions.status());
  if (versions->empty()) return ErrorResponse(Status::NotFound("no model '" + *filter.model_id + "'"));
  Result<std::vector<catalog::ModelActivation>> history = services.catalog->ListModelActivations(*filter.model_id);
  if (!history.ok()) return ErrorResponse(history.status());
  json out = {{"id", *filter.model_id}, {"active_version", nullptr}, {"versions", json::array()}, {"activations", json::array()}};
  for (const catalog::ModelVersion& v : *versions) {
    if (v.active) out["active_version"] = v.version;
    out["versions"].push_back(ModelVersionToJson(v));
  }
  for (const catalog::ModelActivation& a : *history) out["activations"].push_back(ModelActivationToJson(a));
  return HttpResponse::Json(out.dump());
}

HttpResponse VersionResponse(const ApiServices& services, std::string_view id, int64_t version) {
  Result<catalog::ModelVersion> v = services.catalog->GetModelVersion(id, version, /*with_blob=*/false);
  if (!v.ok()) return ErrorResponse(v.status());
  return HttpResponse::Json(ModelVersionToJson(*v).dump());
}

HttpResponse GetVersion(const ApiServices& services, const HttpRequest& request) {
  Result<int64_t> version = VersionOf(request);
  if (!version.ok()) return ErrorResponse(version.status());
  return VersionResponse(services, request.PathParam("id"), *version);
}

HttpResponse PutCard(const ApiServices& services, RequestContext& context) {
  Result<int64_t> version = VersionOf(context.request);
  if (!version.ok()) return ErrorResponse(version.status());
  return WithJsonBody(context.request, services.max_body_bytes, [&](const json& in) {
    Result<JsonFields> fields = JsonFields::Of(in, "$");
    if (!fields.ok()) return ErrorResponse(fields.status());
    Result<catalog::ModelCard> card = ModelCardFromJson(std::move(*fields));
    if (!card.ok()) return ErrorResponse(card.status());
    Status done = services.catalog->SetModelCard(context.request.PathParam("id"), *version, *card);
    if (!done.ok()) return ErrorResponse(done);
    return VersionResponse(services, context.request.PathParam("id"), *version);
  });
}

// Activation, rollback and deactivation change what runs on the plant: the live analytics hear of it.
HttpResponse AfterChange(const ApiServices& services, std::string_view id, int64_t version) {
  if (services.on_models_changed) services.on_models_changed();
  return VersionResponse(services, id, version);
}

HttpResponse Activate(const ApiServices& services, RequestContext& context) {
  return WithJsonBody(context.request, services.max_body_bytes, [&](const json& in) {
    Result<JsonFields> fields = JsonFields::Of(in, "$");
    if (!fields.ok()) return ErrorResponse(fields.status());
    Result<std::optional<int64_t>> version = fields->Integer("version", 1, INT64_MAX);
    if (!version.ok()) return ErrorResponse(version.status());
    if (Status other = fields->CheckNoOtherFields(); !other.ok()) return ErrorResponse(other);
    if (!*version) return ErrorResponse(Status::OutOfRange("$.version: the version to activate is required"));
    const std::string_view id = context.request.PathParam("id");
    Status done = services.catalog->ActivateModelVersion(id, **version, context.who(), SystemClock::Instance().NowNs());
    if (!done.ok()) return ErrorResponse(done);
    return AfterChange(services, id, **version);
  });
}

HttpResponse Rollback(const ApiServices& services, RequestContext& context) {
  const std::string_view id = context.request.PathParam("id");
  Result<int64_t> version = services.catalog->RollBackModel(id, context.who(), SystemClock::Instance().NowNs());
  if (!version.ok()) return ErrorResponse(version.status());
  return AfterChange(services, id, *version);
}

HttpResponse Deactivate(const ApiServices& services, RequestContext& context) {
  const std::string_view id = context.request.PathParam("id");
  Result<catalog::ModelVersion> active = services.catalog->GetActiveModelVersion(id, false);
  if (!active.ok()) return ErrorResponse(active.status());
  Status done = services.catalog->DeactivateModel(id, context.who(), SystemClock::Instance().NowNs());
  if (!done.ok()) return ErrorResponse(done);
  return AfterChange(services, id, active->version);
}

// The input tags of a version as they are named now.
Result<std::vector<TagId>> InputsOf(catalog::Catalog& catalog, const catalog::ModelVersion& v) {
  std::vector<TagId> ids;
  for (const std::string& path : v.inputs) {
    Result<catalog::Tag> tag = catalog.FindTag(path);
    if (!tag.ok()) return Status::FailedPrecondition("input tag " + path + " of model '" + v.model_id + "' no longer exists");
    ids.push_back(tag->id);
  }
  return ids;
}

// {"from", "to", "version"?}: the events the version would have raised over [from, to).
HttpResponse Analyze(const ApiServices& services, RequestContext& context) {
  return WithJsonBody(context.request, services.max_body_bytes, [&](const json& in) -> HttpResponse {
    const int64_t now_ns = SystemClock::Instance().NowNs();
    Result<JsonFields> fields = JsonFields::Of(in, "$");
    if (!fields.ok()) return ErrorResponse(fields.status());
    Result<std::optional<std::string>> from = fields->String("from");
    Result<std::optional<std::string>> to = fields->String("to");
    Result<std::optional<int64_t>> version = fields->Integer("version", 1, INT64_MAX);
    for (const Status& s : {from.status(), to.status(), version.status(), fields->CheckNoOtherFields()}) {
      if (!s.ok()) return ErrorResponse(s);
    }
    if (!*from || !*to) return ErrorResponse(Status::OutOfRange("$: from and to are required"));
    Result<int64_t> from_ns = ParseTimeParam(**from, now_ns, "$.from");
    Result<int64_t> to_ns = ParseTimeParam(**to, now_ns, "$.to");
    if (!from_ns.ok() || !to_ns.ok()) return ErrorResponse(AsUnprocessable(!from_ns.ok() ? from_ns.status() : to_ns.status()));
    const std::string_view id = context.request.PathParam("id");
    // Default: the active version, else the newest.
    Result<catalog::ModelVersion> v = *version ? services.catalog->GetModelVersion(id, **version, true)
                                               : services.catalog->GetActiveModelVersion(id, true);
    if (!*version && v.status().code() == StatusCode::kNotFound) v = services.catalog->GetModelVersion(id, 0, true);
    if (!v.ok()) return ErrorResponse(v.status());
    if (v->kind == "rul") {
      return ErrorResponse(Status::OutOfRange("model '" + v->model_id +
                                              "' is a RUL model: it raises no events to replay; GET /api/v1/health serves its estimates"));
    }
    Result<std::vector<TagId>> inputs = InputsOf(*services.catalog, *v);
    if (!inputs.ok()) return ErrorResponse(inputs.status());
    query::EngineSource engine(*services.engine);
    const query::SampleSource& history = services.source != nullptr ? *services.source : engine;
    Result<registry::ReplayResult> replay =
        registry::ReplayModel(history, *v, std::move(*inputs), *from_ns, *to_ns, registry::MonitorPolicy{});
    if (!replay.ok()) return ErrorResponse(AsUnprocessable(replay.status()));
    json events = json::array();
    for (const catalog::Event& e : replay->events) events.push_back(EventToJson(e));
    return HttpResponse::Json(json{{"model", v->model_id},
                                   {"version", v->version},
                                   {"rows_scored", replay->rows_scored},
                                   {"events", std::move(events)}}
                                  .dump());
  });
}

}  // namespace

void AddModelRoutes(Router& router, const ApiServices& services) {
  auto add = [&](std::string method, std::string pattern, security::Action action, std::string summary,
                 std::function<HttpResponse(RequestContext&)> handler) {
    router.Add({.method = std::move(method),
                .pattern = std::move(pattern),
                .action = action,
                .resource_kind = "models",
                .summary = std::move(summary),
                .handler = std::move(handler)});
  };
  using security::Action;
  add("GET", "/api/v1/models", Action::kRead, "Every model version, by id then newest first (?asset=, ?active=true)",
      [services](RequestContext& c) { return List(services, c.request); });
  add("POST", "/api/v1/models", Action::kWrite,
      "Train a new version of a model on a range of history: an asset's multivariate monitor (pca, dpca, cva, aakr) "
      "or a fleet's remaining-useful-life model (rul, from the failures given)",
      [services](RequestContext& c) { return Train(services, c); });
  add("GET", "/api/v1/models/{id}", Action::kRead, "A model's versions and its activation history",
      [services](RequestContext& c) { return GetModel(services, c.request); });
  add("GET", "/api/v1/models/{id}/versions/{version}", Action::kRead, "One version with its metrics and card",
      [services](RequestContext& c) { return GetVersion(services, c.request); });
  add("PUT", "/api/v1/models/{id}/versions/{version}/card", Action::kWrite,
      "Write a version's model card (intended use and limitations are required before it may run)",
      [services](RequestContext& c) { return PutCard(services, c); });
  add("POST", "/api/v1/models/{id}/activate", Action::kWrite,
      "Make a version the one that runs live ({\"version\": n}); it must have a card",
      [services](RequestContext& c) { return Activate(services, c); });
  add("POST", "/api/v1/models/{id}/rollback", Action::kWrite, "Run again the version that ran before the active one",
      [services](RequestContext& c) { return Rollback(services, c); });
  add("POST", "/api/v1/models/{id}/deactivate", Action::kWrite, "Stop running the model live",
      [services](RequestContext& c) { return Deactivate(services, c); });
  add("POST", "/api/v1/models/{id}/analyze", Action::kRead,
      "Replay a version over a past range ({\"from\", \"to\", \"version\"?}): the events it would have raised",
      [services](RequestContext& c) { return Analyze(services, c); });
}

}  // namespace zhizao::api
