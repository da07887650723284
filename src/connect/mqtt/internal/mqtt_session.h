// The one place that talks to Paho: an MQTT client that connects asynchronously, reports the
// outcome and every message to an Inbox, and publishes and subscribes. Paho's exceptions stop
// here and become Status values.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/mqtt/internal/broker_options.h"
#include "connect/mqtt/internal/inbox.h"
#include "connect/mqtt/internal/rate_limited_log.h"

namespace mqtt {
class async_client;
class token;
}

namespace zhizao::connect::mqtt {

struct WillMessage {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retained = true;
};

// Thread-safe (Paho's async client is): the connector's thread drives it, the write gate's
// thread publishes commands.
class MqttSession {
 public:
  // Makes the client without connecting. REQUIRES: inbox, stats and log outlive the session.
  static Result<std::unique_ptr<MqttSession>> Create(const BrokerOptions& options, Inbox& inbox, ConnectorStats& stats,
                                                     RateLimitedLog& log);
  ~MqttSession();  // drops the connection and any connect in flight; no callback runs after
  MqttSession(const MqttSession&) = delete;
  MqttSession& operator=(const MqttSession&) = delete;

  // Starts connecting; the inbox receives kConnected, kConnectFailed (with the cause: a TLS file
  // that CheckTlsFiles refused, the broker's refusal such as "not authorized"), or
  // kTransportFailed; and kConnectionLost when an established connection drops.
  void StartConnect(const std::optional<WillMessage>& will);
  // After kTransportFailed: why the TCP connection or the TLS handshake failed (ProbeBrokerConnection).
  // Blocks for up to a second.
  std::string DiagnoseTransportFailure() const;

  // Each blocks for at most `timeout`. Unavailable when not connected or on a broker refusal.
  Status Subscribe(const std::vector<std::string>& filters, int qos, std::chrono::milliseconds timeout);
  Status Publish(const std::string& topic, const std::string& payload, int qos, bool retained,
                 std::chrono::milliseconds timeout);
  void Disconnect(std::chrono::milliseconds timeout);

 private:
  class Listener;
  MqttSession(const BrokerOptions& options, Inbox& inbox, ConnectorStats& stats, RateLimitedLog& log);
  void OnMessage(const std::string& topic, const std::string& payload);
  void OnConnectFailed(const ::mqtt::token& token);  // on Paho's thread

  const BrokerOptions options_;
  Inbox& inbox_;
  ConnectorStats& stats_;
  RateLimitedLog& log_;
  std::unique_ptr<Listener> connect_listener_;
  std::unique_ptr<::mqtt::async_client> client_;
};

}  // namespace zhizao::connect::mqtt
