#include "app/model_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "app/json_member.h"

namespace zhizao::app {
namespace {

using nlohmann::json;

// A member as text: strings bare, numbers as the server wrote them, missing or null as "-".
std::string Text(const json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// An RFC 3339 time to the second: when a person trained or switched a model, the nanoseconds
// the server keeps only make the line harder to read.
std::string Seconds(const json& time) {
  std::string text = Text(time);
  const size_t dot = text.find('.');
  if (dot == std::string::npos || text.back() != 'Z') return text;
  return text.substr(0, dot) + "Z";
}

std::string Percent(const json& value) {
  if (!value.is_number()) return "-";
  return fmt::format("{:.2f}%", 100 * value.get<double>());
}

// Columns padded to their widest, a dashed line under the header.
std::string Table(std::vector<std::vector<std::string>> rows) {
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::vector<std::string> rule;
  for (size_t width : widths) rule.push_back(std::string(width, '-'));
  rows.insert(rows.begin() + 1, rule);
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

bool HasCard(const json& version) { return Member(version, "card").is_object(); }

std::vector<std::string> VersionRow(const json& v) {
  const json& training = Member(v, "training");
  return {Text(Member(v, "id")),
          Text(Member(v, "version")),
          Text(Member(v, "kind")),
          Text(Member(Member(v, "asset"), "path")),
          Text(Member(training, "rows")),
          Percent(Member(Member(v, "metrics"), "holdout_alarm_rate")),
          HasCard(v) ? "yes" : "no",
          Member(v, "active").is_boolean() && Member(v, "active").get<bool>() ? "ACTIVE" : ""};
}

// The path below `asset`, which is how an engineer standing at the asset names its tags.
std::string ShortPath(const std::string& path, const std::string& asset) {
  if (!asset.empty() && path.size() > asset.size() + 1 && path.compare(0, asset.size(), asset) == 0 &&
      path[asset.size()] == '/') {
    return path.substr(asset.size() + 1);
  }
  return path;
}

}  // namespace

std::string ModelTableText(const json& versions) {
  if (!versions.is_array() || versions.empty()) return "no models\n";
  std::vector<std::vector<std::string>> rows = {
      {"MODEL", "VERSION", "KIND", "ASSET", "ROWS", "HOLDOUT ALARMS", "CARD", "ACTIVE"}};
  for (const json& v : versions) rows.push_back(VersionRow(v));
  return Table(std::move(rows));
}

std::string ModelVersionText(const json& v) {
  const std::string id = Text(Member(v, "id"));
  const std::string version = Text(Member(v, "version"));
  const json& training = Member(v, "training");
  const std::string asset = Text(Member(Member(v, "asset"), "path"));
  std::string out = fmt::format("model {} version {} ({}) on {}\n", id, version, Text(Member(v, "kind")), asset);
  std::string inputs;
  for (const json& path : Member(v, "inputs")) inputs += (inputs.empty() ? "" : ", ") + ShortPath(Text(path), asset);
  out += fmt::format("  inputs:    {}\n", inputs);
  out += fmt::format("  training:  {} rows, {} to {}, every {} ms\n", Text(Member(training, "rows")),
                     Text(Member(training, "from")), Text(Member(training, "to")), Text(Member(training, "step_ms")));
  out += fmt::format("  data:      sha256 {}\n", Text(Member(training, "data_sha256")));
  std::string metrics;
  for (const auto& [name, value] : Member(v, "metrics").items()) {
    // 7190 rather than 7190.0: the server sends every metric as a double.
    metrics += fmt::format("{}{}={}", metrics.empty() ? "" : ", ", name,
                           value.is_number() ? fmt::format("{}", value.get<double>()) : Text(value));
  }
  out += fmt::format("  metrics:   {}\n", metrics);
  out += fmt::format("  holdout:   alarms on {} of normal rows it was not trained on\n",
                     Percent(Member(Member(v, "metrics"), "holdout_alarm_rate")));
  out += fmt::format("  created:   {} by {}\n", Seconds(Member(v, "created_at")), Text(Member(v, "created_by")));
  const json& card = Member(v, "card");
  if (card.is_object()) {
    out += fmt::format("  use:       {}\n", Text(Member(card, "intended_use")));
    out += fmt::format("  limits:    {}\n", Text(Member(card, "limitations")));
    if (!Text(Member(card, "evaluation")).empty()) out += fmt::format("  checked:   {}\n", Text(Member(card, "evaluation")));
    if (!Text(Member(card, "owner")).empty()) out += fmt::format("  owner:     {}\n", Text(Member(card, "owner")));
  } else {
    out += fmt::format(
        "  card:      none; it cannot run until someone writes one:\n"
        "             zhizao model card {} {} --intended-use TEXT --limitations TEXT\n",
        id, version);
  }
  const bool active = Member(v, "active").is_boolean() && Member(v, "active").get<bool>();
  if (active) {
    out += fmt::format("  ACTIVE since {} by {}\n", Seconds(Member(v, "activated_at")), Text(Member(v, "activated_by")));
  } else if (card.is_object()) {
    out += fmt::format("  not active: zhizao model activate {} {}\n", id, version);
  }
  return out;
}

std::string ModelHistoryText(const json& model) {
  std::string out = fmt::format("model {}: active version {}\n\n", Text(Member(model, "id")),
                                Member(model, "active_version").is_null() ? "none" : Text(Member(model, "active_version")));
  out += ModelTableText(Member(model, "versions"));
  const json& activations = Member(model, "activations");
  if (activations.empty()) return out + "\nnever activated\n";
  out += "\nactivation history, oldest first:\n";
  std::vector<std::vector<std::string>> rows = {{"TIME", "ACTION", "VERSION", "BY"}};
  for (const json& a : activations) {
    rows.push_back({Seconds(Member(a, "at")), Text(Member(a, "action")), Text(Member(a, "version")), Text(Member(a, "by"))});
  }
  return out + Table(std::move(rows));
}

std::string EventLineText(const json& event) {
  const std::string asset = Text(Member(Member(event, "asset"), "path"));
  std::string top;
  for (const json& c : Member(event, "contributions")) {
    if (!top.empty()) top += ", ";
    const json& weight = Member(c, "weight");
    top += ShortPath(Text(Member(c, "path")), asset) +
           (weight.is_number() ? fmt::format(" {:.0f}%", 100 * weight.get<double>()) : "");
  }
  const json& score = Member(event, "score");
  return fmt::format("{}  {}  score {}  top: {}  {}", Text(Member(event, "start")),
                     Member(event, "end").is_null() ? std::string("active") : Text(Member(event, "end")),
                     score.is_number() ? fmt::format("{:.2f}", score.get<double>()) : "-", top.empty() ? "-" : top,
                     Text(Member(event, "message")));
}

}  // namespace zhizao::app
