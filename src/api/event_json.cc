#include "api/event_json.h"

#include "analytics/alerts/limit_alarm.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using catalog::Event;
using nlohmann::json;

// How far either side of an event the link to its data reaches, so the chart shows the lead-in.
constexpr int64_t kContextNs = 10LL * 60 * 1'000'000'000;

json OrNull(int64_t ts_ns) { return ts_ns == 0 ? json(nullptr) : json(FormatRfc3339(ts_ns)); }

// The series route that shows the event's contributing tags around it.
std::string DataLink(const Event& e) {
  std::string tags;
  for (const catalog::Contribution& c : e.contributions) tags += (tags.empty() ? "" : ",") + std::to_string(c.tag_id);
  int64_t end = e.active() ? e.last_ns : e.end_ns;
  return "/api/v1/series/range?tags=" + tags + "&from=" + std::to_string((e.start_ns - kContextNs) / 1'000'000) +
         "&to=" + std::to_string((end + kContextNs) / 1'000'000);
}

// "rule" for the alarms a person configured or a device reported (the live analytics' sensor
// health), "ai" for every learnt detector and model.
std::string_view GeneratedBy(std::string_view detector) {
  return analytics::alerts::IsConfiguredAlarm(detector) || detector == "sensor_failure" ? "rule" : "ai";
}

}  // namespace

json EventToJson(const Event& e) {
  json contributions = json::array();
  for (const catalog::Contribution& c : e.contributions) {
    contributions.push_back({{"tag_id", c.tag_id}, {"path", c.path}, {"weight", c.weight}});
  }
  json out = {{"id", e.id},
              {"asset", {{"id", e.asset_id == 0 ? json(nullptr) : json(e.asset_id)}, {"path", e.asset_path}}},
              {"source", e.source},
              {"detector", e.detector},
              {"model", e.model_id.empty() ? json(nullptr) : json{{"id", e.model_id}, {"version", e.model_version}}},
              {"severity", catalog::SeverityName(e.severity)},
              {"score", e.score},
              {"threshold", e.threshold},
              {"start", FormatRfc3339(e.start_ns)},
              {"end", OrNull(e.end_ns)},
              {"last", FormatRfc3339(e.last_ns)},
              {"active", e.active()},
              {"returns", e.returns},
              {"message", e.message},
              {"contributions", std::move(contributions)},
              {"acknowledged", nullptr},
              {"shelved", nullptr},
              // What learnt detectors and models raise is AI output, and the console and any agent
              // must say so; an alarm on what a person configured (a limit, a discrete alarm) or a
              // device reported is a rule's.
              {"generated_by", GeneratedBy(e.detector)},
              {"data", DataLink(e)}};
  if (e.acknowledged_ns != 0) out["acknowledged"] = {{"by", e.acknowledged_by}, {"time", FormatRfc3339(e.acknowledged_ns)}};
  if (e.shelved_until_ns != 0) out["shelved"] = {{"by", e.shelved_by}, {"until", FormatRfc3339(e.shelved_until_ns)}};
  return out;
}

std::string EventNotice(std::string_view change, const catalog::Event& event) {
  return json{{"type", "event"}, {"change", change}, {"event", EventToJson(event)}}.dump();
}

}  // namespace zhizao::api
