// The broker fields shared by the "mqtt" and "sparkplug" connector definitions
// (docs/connectors/mqtt.md lists each with its default).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "common/status.h"

namespace zhizao::connect::mqtt {

struct TlsOptions {
  std::string ca_file;    // PEM; empty: the system's trust store
  std::string cert_file;  // PEM client certificate; empty: none
  std::string key_file;   // PEM private key of cert_file
  bool insecure_skip_verify = false;
};

struct BrokerOptions {
  std::string uri;  // "tcp://host:port" or "ssl://host:port"
  std::string client_id;
  int version = 4;  // 4: MQTT 3.1.1; 5: MQTT 5
  int qos = 1;      // of the subscriptions: 0 or 1
  bool clean_session = true;
  std::optional<TlsOptions> tls;  // set exactly when uri is ssl://
  std::string username;
  std::string password;
  std::chrono::seconds keep_alive{10};
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  size_t queue_messages = 10'000;      // messages held for the connector's thread
  size_t queue_bytes = 64 << 20;       // bytes of topics and payloads held
  size_t max_message_bytes = 4 << 20;  // larger messages are refused
};

// Reads the broker fields of `definition`; `default_client_id` when it has no "client_id".
// InvalidArgument naming the field.
Result<BrokerOptions> ParseBrokerOptions(const nlohmann::json& definition, std::string default_client_id);

}  // namespace zhizao::connect::mqtt
