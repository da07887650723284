// Publishes the plant's events to MQTT: the notices the analytics put on the live hub (one per
// change of an event: opened, updated, cleared, reopened; api/event_json.h) go out one message
// each, with the JSON that /api/v1/stream sends, on a topic made from the asset's path. A
// listener (a SCADA, a plant's message bus, a phone gateway) follows the alarms without polling.
//
// While the broker is away the notices wait, at most kMaxPending of them (the oldest are dropped
// and counted as an error), and go out in order once it is back. A message that fails three times
// while connected (a topic the broker refuses) is dropped with a counted error, so that it cannot
// hold back the rest.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/mqtt/internal/rate_limited_log.h"
#include "connect/mqtt/internal/session_loop.h"
#include "stream/hub.h"

namespace zhizao::connect::mqtt {

// The "events" field of an "mqtt" connector definition (docs/connectors/mqtt.md).
struct EventsOptions {
  // "{asset}" becomes the event's asset path (its '/' make topic levels; "_" for none).
  std::string topic = "zhizao/events/{asset}";
  int qos = 1;
  bool retain = false;  // true: a new listener gets each asset's latest change at once
};

// InvalidArgument naming the field ("events.topic: ...").
Result<EventsOptions> ParseEventsOptions(const nlohmann::json& events);

// The topic of one notice: the template with its event's asset path.
std::string EventTopic(const std::string& topic_template, const std::string& notice);

// Thread-safe: Start and Stop from the connector's owner; a thread of its own publishes.
class EventForwarder {
 public:
  static constexpr size_t kMaxPending = 10'000;

  // REQUIRES: hub, loop, stats and log outlive the forwarder.
  EventForwarder(EventsOptions options, stream::Hub& hub, SessionLoop& loop, ConnectorStats& stats,
                 RateLimitedLog& log);
  ~EventForwarder();  // Stop()s

  // Subscribes to the hub's notices and starts publishing; what comes while stopped is not sent.
  void Start();
  void Stop();

 private:
  void Run();
  // Publishes what waits, in order, until the broker is away. Owned by the thread.
  void PublishPending();

  const EventsOptions options_;
  stream::Hub& hub_;
  SessionLoop& loop_;
  ConnectorStats& stats_;
  RateLimitedLog& log_;
  std::shared_ptr<stream::Subscription> subscription_;  // set by Start, before the thread
  std::deque<std::string> pending_;                      // owned by the thread
  int head_attempts_ = 0;                                // of pending_.front(); owned by the thread
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
};

}  // namespace zhizao::connect::mqtt
