// The definition of an "opcua" connector, parsed and checked (docs/connectors/opcua.md).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "connect/opcua/client.h"
#include "connect/opcua/types.h"
#include "connect/tag_sink.h"

namespace zhizao::connect::opcua {

struct OpcUaTagConfig {
  TagSpec spec;                     // path, type (when explicit), writable, range, period
  NodeId node;
  bool explicit_type = false;       // "type" given: the catalog type is not taken from the node
  std::chrono::milliseconds sampling{100};
};

struct OpcUaConfig {
  std::string name;
  ClientOptions client;  // endpoint, limits, timeouts, user
  std::chrono::milliseconds publishing{100};
  uint32_t keep_alive_count = 10;
  uint32_t publish_requests = 3;  // Publish requests kept in flight
  uint32_t max_notifications_per_publish = 0;  // 0: the server's choice
  size_t items_per_request = 1000;  // monitored items per CreateMonitoredItems
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  std::vector<OpcUaTagConfig> tags;
};

// InvalidArgument naming the field for a definition that is not a valid opcua connector.
Result<OpcUaConfig> ParseOpcUaConfig(const nlohmann::json& definition);

}  // namespace zhizao::connect::opcua
