// Sparkplug B topics (specification 3.0, chapter 4): spBv1.0/<group>/<type>/<edge>[/<device>]
// and spBv1.0/STATE/<host_id>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zhizao::connect::mqtt {

inline constexpr std::string_view kSparkplugNamespace = "spBv1.0";

enum class SparkplugType : uint8_t { kNBirth, kNDeath, kDBirth, kDDeath, kNData, kDData, kNCmd, kDCmd, kState };

struct SparkplugTopic {
  SparkplugType type = SparkplugType::kNData;
  std::string_view group;    // empty for STATE
  std::string_view edge;     // empty for STATE
  std::string_view device;   // empty for node messages and STATE
  std::string_view host_id;  // STATE only
};

// Views into `topic`; nullopt when it is not a Sparkplug B topic of a known message type with
// the levels that type needs (a device for D*, none for N*), each level non-empty.
std::optional<SparkplugTopic> ParseSparkplugTopic(std::string_view topic);

// "spBv1.0/<group>/NCMD/<edge>", or ".../DCMD/<edge>/<device>" when device is not empty.
std::string CommandTopic(std::string_view group, std::string_view edge, std::string_view device);

// "spBv1.0/STATE/<host_id>".
std::string StateTopic(std::string_view host_id);

}  // namespace zhizao::connect::mqtt
