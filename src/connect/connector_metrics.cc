#include "connect/connector_metrics.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace zhizao::connect {
namespace {

constexpr ConnectorState kStates[] = {ConnectorState::kStopped, ConnectorState::kConnecting, ConnectorState::kRunning,
                                      ConnectorState::kFailed};

// A label value as Prometheus' text format wants it: backslash, quote and newline escaped.
std::string LabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

struct Named {
  std::string labels;  // connector="...",type="..."
  const ConnectorStatus* status;
};

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void RenderCounter(std::string& out, const std::vector<Named>& all, std::string_view name, std::string_view help,
             uint64_t ConnectorStatus::*field) {
  Family(out, name, "counter", help);
  for (const Named& n : all) fmt::format_to(std::back_inserter(out), "{}{{{}}} {}\n", name, n.labels, n.status->*field);
}

void RenderTiming(std::string& out, const std::vector<Named>& all, std::string_view name, std::string_view help,
            TimingSummary ConnectorStatus::*field) {
  Family(out, name, "gauge", help);
  for (const Named& n : all) {
    const TimingSummary& t = n.status->*field;
    if (t.count == 0) continue;
    for (auto [quantile, value] : {std::pair{"0.5", t.p50_ms}, std::pair{"0.99", t.p99_ms}, std::pair{"1", t.max_ms}}) {
      fmt::format_to(std::back_inserter(out), "{}{{{},quantile=\"{}\"}} {}\n", name, n.labels, quantile, value / 1000);
    }
  }
}

struct CounterFamily {
  std::string_view name;
  std::string_view help;
  uint64_t ConnectorStatus::*field;
};
constexpr CounterFamily kCounters[] = {
    {"zhizao_connector_samples_total", "Samples handed to ingest, of any quality.", &ConnectorStatus::samples},
    {"zhizao_connector_bad_samples_total", "Samples of bad or uncertain quality.", &ConnectorStatus::bad_samples},
    {"zhizao_connector_reads_total", "Requests answered (polls, publish responses, messages).", &ConnectorStatus::reads},
    {"zhizao_connector_errors_total", "Errors (each also in the status' last_error).", &ConnectorStatus::errors},
    {"zhizao_connector_reconnects_total", "Connections made again after one was lost.", &ConnectorStatus::reconnects},
    {"zhizao_connector_writes_total", "Writes to equipment sent through the write gate.", &ConnectorStatus::writes},
    {"zhizao_connector_overruns_total", "Periodic work that missed its deadline or skipped a period.",
     &ConnectorStatus::overruns},
};

}  // namespace

std::string RenderConnectorMetrics(const ConnectorManager& connectors) {
  const std::vector<ConnectorInfo> list = connectors.List();
  std::vector<Named> all;
  for (const ConnectorInfo& info : list) {
    const std::string name = info.definition.value("name", std::string());
    const std::string type = info.definition.value("type", std::string());
    all.push_back({fmt::format("connector=\"{}\",type=\"{}\"", LabelValue(name), LabelValue(type)), &info.status});
  }
  std::string out;
  Family(out, "zhizao_connector_state", "gauge", "1 for the connector's state (stopped, connecting, running, failed).");
  for (const Named& n : all) {
    for (ConnectorState state : kStates) {
      fmt::format_to(std::back_inserter(out), "zhizao_connector_state{{{},state=\"{}\"}} {}\n", n.labels,
                     ConnectorStateName(state), n.status->state == state ? 1 : 0);
    }
  }
  for (const auto& [name, help, field] : kCounters) RenderCounter(out, all, name, help, field);
  RenderTiming(out, all, "zhizao_connector_latency_seconds",
         "Request to reply over the last 4,096 requests: p50, p99 and (quantile 1) the maximum.",
         &ConnectorStatus::latency);
  RenderTiming(out, all, "zhizao_connector_jitter_seconds",
         "|actual period - configured period| of periodic work over the last 4,096 periods: p50, p99 and the maximum.",
         &ConnectorStatus::jitter);
  return out;
}

}  // namespace zhizao::connect
