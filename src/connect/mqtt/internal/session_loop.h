// The thread of an MQTT connector: keeps one broker session up (connect, back off, reconnect,
// report state and counters) and hands the messages it receives, in batches, to a handler.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connect/connector.h"
#include "connect/mqtt/internal/broker_options.h"
#include "connect/mqtt/internal/inbox.h"
#include "connect/mqtt/internal/mqtt_session.h"
#include "connect/mqtt/internal/rate_limited_log.h"

namespace zhizao::connect::mqtt {

// What a connector does with its session. Called on the loop's thread only.
class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  // The will of the next connect, if any.
  virtual std::optional<WillMessage> NextWill() { return std::nullopt; }
  // Right after the broker accepted the connection: subscribe, announce. An error drops the
  // connection, which is retried after the backoff.
  virtual Status OnConnected(MqttSession& session) = 0;
  virtual void OnConnectionLost() {}
  // Messages in arrival order, several at a time when they come fast.
  virtual void OnMessages(std::vector<InboundMessage>& messages) = 0;
  // Before the final disconnect of Stop(), while still connected.
  virtual void OnStopping(MqttSession&) {}
};

// Thread-safe.
class SessionLoop {
 public:
  // Messages handed to the handler at once, at most.
  static constexpr size_t kMaxBatchMessages = 256;

  // REQUIRES: stats, log and handler outlive the loop.
  SessionLoop(BrokerOptions options, ConnectorStats& stats, RateLimitedLog& log, SessionHandler& handler);
  ~SessionLoop();  // Stop()s

  // Starts the thread: state connecting, then running. REQUIRES: stopped.
  void Start();
  // Disconnects and joins; state stopped. Returns within about a second. Idempotent.
  void Stop();

  // Publishes on the current session. Unavailable while there is none or it is down.
  Status Publish(const std::string& topic, const std::string& payload, int qos, bool retained);

  const BrokerOptions& options() const { return options_; }

 private:
  void Run();
  // Reacts to a connect outcome or a lost connection.
  void Handle(const SessionNotice& notice);
  void ScheduleRetry(std::string reason);

  const BrokerOptions options_;
  ConnectorStats& stats_;
  RateLimitedLog& log_;
  SessionHandler& handler_;
  Inbox inbox_;
  std::thread thread_;

  std::mutex session_mu_;
  std::unique_ptr<MqttSession> session_;  // GUARDED_BY(session_mu_) for others; the loop's own from Start to Stop

  // Owned by the loop's thread.
  bool up_ = false;
  bool connecting_ = false;
  bool ever_up_ = false;
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_attempt_;
};

}  // namespace zhizao::connect::mqtt
