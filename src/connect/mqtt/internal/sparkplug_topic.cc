#include "connect/mqtt/internal/sparkplug_topic.h"

#include <array>
#include <utility>

#include "connect/mqtt/internal/topic_filter.h"

namespace zhizao::connect::mqtt {
namespace {

struct TypeName {
  std::string_view name;
  SparkplugType type;
  bool device;
};

constexpr std::array<TypeName, 8> kTypes = {{
    {"NBIRTH", SparkplugType::kNBirth, false},
    {"NDEATH", SparkplugType::kNDeath, false},
    {"DBIRTH", SparkplugType::kDBirth, true},
    {"DDEATH", SparkplugType::kDDeath, true},
    {"NDATA", SparkplugType::kNData, false},
    {"DDATA", SparkplugType::kDData, true},
    {"NCMD", SparkplugType::kNCmd, false},
    {"DCMD", SparkplugType::kDCmd, true},
}};

}  // namespace

std::optional<SparkplugTopic> ParseSparkplugTopic(std::string_view topic) {
  std::vector<std::string_view> levels = TopicLevels(topic);
  if (levels.size() < 3 || levels[0] != kSparkplugNamespace) return std::nullopt;
  for (std::string_view level : levels) {
    if (level.empty()) return std::nullopt;
  }
  SparkplugTopic parsed;
  if (levels[1] == "STATE") {
    if (levels.size() != 3) return std::nullopt;
    parsed.type = SparkplugType::kState;
    parsed.host_id = levels[2];
    return parsed;
  }
  if (levels.size() < 4) return std::nullopt;
  for (const TypeName& t : kTypes) {
    if (levels[2] != t.name) continue;
    if (levels.size() != (t.device ? 5u : 4u)) return std::nullopt;
    parsed.type = t.type;
    parsed.group = levels[1];
    parsed.edge = levels[3];
    if (t.device) parsed.device = levels[4];
    return parsed;
  }
  return std::nullopt;
}

std::string CommandTopic(std::string_view group, std::string_view edge, std::string_view device) {
  std::string topic = std::string(kSparkplugNamespace) + "/" + std::string(group) + (device.empty() ? "/NCMD/" : "/DCMD/") +
                      std::string(edge);
  if (!device.empty()) topic += "/" + std::string(device);
  return topic;
}

std::string StateTopic(std::string_view host_id) {
  return std::string(kSparkplugNamespace) + "/STATE/" + std::string(host_id);
}

}  // namespace zhizao::connect::mqtt
