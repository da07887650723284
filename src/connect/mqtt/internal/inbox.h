// The bounded hand-over between Paho's callback thread and a connector's own thread: MQTT
// messages (drop-oldest when full, bounded in count and bytes) and session events.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace zhizao::connect::mqtt {

struct InboundMessage {
  std::string topic;
  std::string payload;
  int64_t received_ns = 0;
};

enum class SessionEvent : uint8_t {
  kConnected,
  kConnectFailed,    // with the reason
  kTransportFailed,  // the TCP connection or TLS handshake failed; Paho does not say why
  kConnectionLost,
};

struct SessionNotice {
  SessionEvent event;
  std::string detail;  // the broker's or Paho's reason
};

// What one Wait() took out of the inbox.
struct InboxTake {
  std::vector<InboundMessage> messages;
  std::vector<SessionNotice> notices;
  bool stop = false;

  void Clear() {
    messages.clear();
    notices.clear();
  }
};

// Thread-safe.
class Inbox {
 public:
  // REQUIRES: max_messages > 0.
  Inbox(size_t max_messages, size_t max_bytes) : max_messages_(max_messages), max_bytes_(max_bytes) {}

  // Queues the message; when the inbox is full, drops the oldest ones first. Returns how many
  // were dropped.
  size_t Push(InboundMessage message);
  void Post(SessionEvent event, std::string detail);
  // Wakes Wait() for good, until Reopen().
  void Stop();
  // Empties the inbox and clears Stop(), for the next start.
  void Reopen();

  // Waits until something arrives, Stop(), or `deadline`; then moves all notices and up to
  // `max_messages` messages into `take` (cleared first).
  void Wait(std::chrono::steady_clock::time_point deadline, size_t max_messages, InboxTake& take);

 private:
  const size_t max_messages_;
  const size_t max_bytes_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<InboundMessage> messages_;  // GUARDED_BY(mu_)
  size_t bytes_ = 0;                     // GUARDED_BY(mu_)
  std::vector<SessionNotice> notices_;   // GUARDED_BY(mu_)
  bool stop_ = false;                    // GUARDED_BY(mu_)
};

}  // namespace zhizao::connect::mqtt
