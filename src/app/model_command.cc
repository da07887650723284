// `zhizao model ...` and `zhizao analyze`: clients of a running server's model registry
// (/api/v1/models, see src/api/model_routes.cc). Times go to the server as typed: it reads
// RFC 3339, epoch milliseconds and now-1h alike.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "app/client_common.h"
#include "app/commands.h"
#include "app/json_member.h"
#include "app/model_text.h"

namespace zhizao::app {
namespace {

using nlohmann::json;

struct ApiCall {
  std::string method;
  std::string target;
  std::optional<json> body;
};

std::string ModelPath(const std::string& id) { return "/api/v1/models/" + UrlEncode(id); }

// The card the flags give, none when they give no card field. Errors: InvalidArgument when only
// some are given: a card needs both the intended use and the limitations.
Result<std::optional<json>> CardOf(const ModelFlags& flags) {
  if (flags.intended_use.empty() && flags.limitations.empty() && flags.evaluation.empty() && flags.owner.empty()) {
    return std::optional<json>();
  }
  if (flags.intended_use.empty() || flags.limitations.empty()) {
    return Status::InvalidArgument("a model card needs both --intended-use and --limitations");
  }
  json card = {{"intended_use", flags.intended_use}, {"limitations", flags.limitations}};
  if (!flags.evaluation.empty()) card["evaluation"] = flags.evaluation;
  if (!flags.owner.empty()) card["owner"] = flags.owner;
  return std::optional<json>(std::move(card));
}

// "--tags 'flow, discharge_pressure'" means what "--tags flow,discharge_pressure" means.
json TagList(const std::vector<std::string>& tags) {
  json list = json::array();
  for (const std::string& tag : tags) {
    const size_t first = tag.find_first_not_of(" \t");
    if (first != std::string::npos) list.push_back(tag.substr(first, tag.find_last_not_of(" \t") - first + 1));
  }
  return list;
}

// --method rul: a fleet, a cycle and failures given as "asset@time" (docs/analytics/registry.md).
Result<json> RulTrainBody(const ModelFlags& flags) {
  if (flags.assets.empty() || flags.cycle.empty() || flags.failures.empty() || !flags.asset.empty()) {
    return Status::InvalidArgument("--method rul needs --assets, --cycle and --failure (not --asset)");
  }
  json failures = json::array();
  for (const std::string& f : flags.failures) {
    const size_t at = f.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == f.size()) {
      return Status::InvalidArgument("--failure " + f + ": expected asset@time, e.g. demo/P1@2026-11-20T08:00:00Z");
    }
    failures.push_back({{"asset", f.substr(0, at)}, {"at", f.substr(at + 1)}});
  }
  json body = {{"id", flags.id}, {"method", "rul"}, {"assets", TagList(flags.assets)}, {"tags", TagList(flags.tags)},
               {"from", flags.from}, {"to", flags.to}, {"cycle", flags.cycle}, {"failures", std::move(failures)}};
  if (flags.window > 0) body["window"] = flags.window;
  if (flags.rul_cap > 0) body["rul_cap"] = flags.rul_cap;
  return body;
}

Result<ApiCall> TrainCall(const ModelFlags& flags) {
  if (flags.method == "rul") {
    ZZ_ASSIGN_OR_RETURN(json body, RulTrainBody(flags));
    ZZ_ASSIGN_OR_RETURN(std::optional<json> card, CardOf(flags));
    if (card) body["card"] = std::move(*card);
    return ApiCall{"POST", "/api/v1/models", std::move(body)};
  }
  if (flags.asset.empty()) return Status::InvalidArgument("--asset is required (or --method rul with --assets)");
  json body = {{"id", flags.id},     {"asset", flags.asset}, {"tags", TagList(flags.tags)},
               {"from", flags.from}, {"to", flags.to}};
  if (!flags.step.empty()) body["step"] = flags.step;
  if (!flags.method.empty()) body["method"] = flags.method;
  ZZ_ASSIGN_OR_RETURN(std::optional<json> card, CardOf(flags));
  if (card) body["card"] = std::move(*card);
  return ApiCall{"POST", "/api/v1/models", std::move(body)};
}

// The request of a `zhizao model` action. Errors: InvalidArgument for a usage mistake.
Result<ApiCall> CallOf(const ModelFlags& flags) {
  const std::string& a = flags.action;
  if (a == "train") return TrainCall(flags);
  if (a == "list") {
    std::string query;
    if (!flags.asset.empty()) query += "asset=" + UrlEncode(flags.asset);
    if (flags.active_only) query += std::string(query.empty() ? "" : "&") + "active=true";
    return ApiCall{"GET", "/api/v1/models" + (query.empty() ? "" : "?" + query), std::nullopt};
  }
  if (a == "show" && flags.version == 0) return ApiCall{"GET", ModelPath(flags.id), std::nullopt};
  if (a == "show") return ApiCall{"GET", ModelPath(flags.id) + "/versions/" + std::to_string(flags.version), std::nullopt};
  if (a == "card") {
    ZZ_ASSIGN_OR_RETURN(std::optional<json> card, CardOf(flags));
    if (!card) return Status::InvalidArgument("give the card: --intended-use TEXT --limitations TEXT");
    return ApiCall{"PUT", ModelPath(flags.id) + "/versions/" + std::to_string(flags.version) + "/card", std::move(card)};
  }
  if (a == "activate") return ApiCall{"POST", ModelPath(flags.id) + "/activate", json{{"version", flags.version}}};
  if (a == "rollback" || a == "deactivate") return ApiCall{"POST", ModelPath(flags.id) + "/" + a, json::object()};
  return Status::InvalidArgument("unknown action '" + a + "'");
}

struct Reply {
  int status = 0;
  std::string body;
  json doc;
};

// Sends the call; the reply when the server answered 2xx with JSON.
// Errors: those of HttpClient::Send and CheckReply (the server's message); Internal for a body
// that is not JSON.
Result<Reply> Send(HttpClient& client, const ApiCall& call) {
  HttpRequestSpec request{.method = call.method, .target = call.target};
  if (call.body) {
    request.body = call.body->dump();
    request.content_type = "application/json";
  }
  ZZ_ASSIGN_OR_RETURN(HttpReply reply, client.Send(request));
  ZZ_RETURN_IF_ERROR(CheckReply(reply, client.url()));
  json doc = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Internal("the server's answer to " + call.target + " is not JSON");
  return Reply{reply.status, std::move(reply.body), std::move(doc)};
}

// A training the server did not finish within its wait answers 202 with a job: follow it until
// it finished, and take its result (or its error) as the answer.
Result<Reply> FollowJob(HttpClient& client, Reply accepted) {
  const json& id = Member(accepted.doc, "id");
  if (!id.is_number_unsigned()) return Status::Internal("the server's 202 names no job");
  std::fprintf(stderr, "training runs on the server as job %s; waiting for it\n", id.dump().c_str());
  const ApiCall poll{"GET", "/api/v1/jobs/" + id.dump(), std::nullopt};
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ZZ_ASSIGN_OR_RETURN(Reply job, Send(client, poll));
    const json& state = Member(job.doc, "state");
    if (state == "succeeded") {
      json result = Member(job.doc, "result");
      return Reply{201, result.dump(), std::move(result)};
    }
    if (state == "failed" || state == "cancelled") {
      const json& error = Member(job.doc, "error");
      const json& status = Member(error, "status");
      HttpReply refusal{.status = status.is_number_integer() ? status.get<int>() : 500,
                        .body = json{{"error", error}}.dump()};
      return CheckReply(refusal, client.url());
    }
    if (state != "queued" && state != "running") {
      return Status::Internal("job " + id.dump() + " is in a state this client does not know: " + state.dump());
    }
  }
}

std::string ModelText(const ModelFlags& flags, const json& doc) {
  const std::string& a = flags.action;
  const std::string version = doc.contains("version") ? doc["version"].dump() : "?";
  if (a == "train") return "trained a new version\n" + ModelVersionText(doc);
  if (a == "list") return ModelTableText(Member(doc, "models"));
  if (a == "show") return flags.version == 0 ? ModelHistoryText(doc) : ModelVersionText(doc);
  if (a == "card") return "card written\n" + ModelVersionText(doc);
  if (a == "activate") return fmt::format("model {} version {} is active: the live analytics run it\n", flags.id, version);
  if (a == "rollback") return fmt::format("model {} rolled back: version {} is active again\n", flags.id, version);
  return fmt::format("model {} version {} stopped: no version of it runs live\n", flags.id, version);
}

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!text.empty() && text.back() != '\n') std::fputc('\n', stdout);
}

std::string AnalyzeText(const json& doc) {
  const json& events = Member(doc, "events");
  const json& model = Member(doc, "model");
  std::string out = fmt::format("model {} version {}: {} rows scored, {} event{}\n",
                                model.is_string() ? model.get<std::string>() : model.dump(),
                                Member(doc, "version").dump(), Member(doc, "rows_scored").dump(), events.size(),
                                events.size() == 1 ? "" : "s");
  for (const json& event : events) out += EventLineText(event) + "\n";
  return out;
}

}  // namespace

int RunModel(const ModelFlags& flags) {
  const std::string command = "model " + flags.action;
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report(command, client.status(), kExitUsage);
  Result<ApiCall> call = CallOf(flags);
  if (!call.ok()) return Report(command, call.status(), kExitUsage);
  Result<Reply> reply = Send(**client, *call);
  if (reply.ok() && reply->status == 202) reply = FollowJob(**client, std::move(reply).value());
  if (!reply.ok()) return Report(command, reply.status(), kExitFailure);
  Print(flags.json ? reply->body : ModelText(flags, reply->doc));
  return kExitOk;
}

int RunAnalyze(const AnalyzeFlags& flags) {
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report("analyze", client.status(), kExitUsage);
  json body = {{"from", flags.from}, {"to", flags.to}};
  if (flags.version > 0) body["version"] = flags.version;
  ApiCall call{"POST", ModelPath(flags.model) + "/analyze", std::move(body)};
  Result<Reply> reply = Send(**client, call);
  if (!reply.ok()) return Report("analyze", reply.status(), kExitFailure);
  Print(flags.json ? reply->body : AnalyzeText(reply->doc));
  return kExitOk;
}

}  // namespace zhizao::app
