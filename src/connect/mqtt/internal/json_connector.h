// The "mqtt" connector: subscribes to the definition's topic filters and stores each JSON
// message as samples of the tags its subscriptions name; with "events", also publishes the
// plant's events (event_forwarder.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "connect/mqtt/internal/event_forwarder.h"
#include "connect/mqtt/internal/json_mapping.h"
#include "connect/mqtt/internal/rate_limited_log.h"
#include "connect/mqtt/internal/session_loop.h"
#include "connect/mqtt/internal/tag_registry.h"
#include "connect/tag_sink.h"

namespace zhizao::connect::mqtt {

// Thread-safe as Connector requires; messages are mapped on the session loop's thread.
class JsonConnector final : public Connector, private SessionHandler {
 public:
  // `events` with `hub`: publish the hub's event notices. REQUIRES: sink and hub outlive the
  // connector.
  JsonConnector(std::string name, BrokerOptions broker, JsonMapper mapper, size_t max_tags, TagSink& sink,
                std::optional<EventsOptions> events = std::nullopt, stream::Hub* hub = nullptr);
  ~JsonConnector() override;

  void Start() override;
  void Stop() override;
  // The tags made from messages so far.
  std::vector<std::string> TagPaths() const override { return tags_.Paths(); }

 private:
  // Plain MQTT topics carry no command semantics: FailedPrecondition.
  Status Write(std::string_view tag_path, const WriteValue& value) override;

  Status OnConnected(MqttSession& session) override;
  void OnMessages(std::vector<InboundMessage>& messages) override;
  void Store(std::vector<MappedSample>& samples);

  TagSink& sink_;
  const JsonMapper mapper_;
  TagRegistry tags_;
  RateLimitedLog log_;
  SessionLoop loop_;
  std::unique_ptr<EventForwarder> events_;  // when the definition has "events"
};

}  // namespace zhizao::connect::mqtt
