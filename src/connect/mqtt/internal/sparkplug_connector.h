// The "sparkplug" connector: a Sparkplug B 3.0 host application. Announces itself with STATE
// (retained, QoS 1, the offline STATE as its MQTT will), follows the edge nodes of its groups
// through SparkplugHost, and writes commands (NCMD/DCMD) for the write gate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "connect/mqtt/internal/rate_limited_log.h"
#include "connect/mqtt/internal/session_loop.h"
#include "connect/mqtt/internal/sparkplug_host.h"
#include "connect/mqtt/internal/tag_registry.h"
#include "connect/tag_sink.h"

namespace zhizao::connect::mqtt {

struct SparkplugOptions {
  std::string host_id = "zhizao";
  std::vector<std::string> groups;  // {"#"} for every group
  size_t max_tags = 100'000;
  HostOptions host;
};

// Thread-safe as Connector requires: messages are handled on the session loop's thread,
// Write() on the write gate's.
class SparkplugConnector final : public Connector, private SessionHandler {
 public:
  // REQUIRES: sink outlives the connector.
  SparkplugConnector(std::string name, BrokerOptions broker, SparkplugOptions options, TagSink& sink);
  ~SparkplugConnector() override;

  void Start() override { loop_.Start(); }
  void Stop() override { loop_.Stop(); }
  // The tags made from BIRTH metrics so far.
  std::vector<std::string> TagPaths() const override { return tags_.Paths(); }

 private:
  // Publishes an NCMD or DCMD (QoS 0, as the specification requires) with the metric's name
  // and type from its BIRTH. NotFound for a tag no BIRTH defined; Unavailable when offline.
  Status Write(std::string_view tag_path, const WriteValue& value) override;

  std::optional<WillMessage> NextWill() override;
  Status OnConnected(MqttSession& session) override;
  void OnConnectionLost() override;
  void OnMessages(std::vector<InboundMessage>& messages) override;
  void OnStopping(MqttSession& session) override;

  std::string StatePayload(bool online) const;
  void Store(Batch& batch);

  const SparkplugOptions options_;
  const std::string state_topic_;
  TagSink& sink_;
  TagRegistry tags_;
  RateLimitedLog log_;
  SparkplugHost host_;
  SessionLoop loop_;
  bool online_ = false;         // owned by the loop's thread
  uint64_t state_ts_ms_ = 0;    // owned by the loop's thread: the will's timestamp, reused by the birth
};

}  // namespace zhizao::connect::mqtt
