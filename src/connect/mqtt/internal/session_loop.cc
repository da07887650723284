#include "connect/mqtt/internal/session_loop.h"

#include <spdlog/spdlog.h>

namespace zhizao::connect::mqtt {
namespace {
constexpr std::chrono::seconds kRequestTimeout{5};
}  // namespace

SessionLoop::SessionLoop(BrokerOptions options, ConnectorStats& stats, RateLimitedLog& log, SessionHandler& handler)
    : options_(std::move(options)),
      stats_(stats),
      log_(log),
      handler_(handler),
      inbox_(options_.queue_messages, options_.queue_bytes) {}

SessionLoop::~SessionLoop() { Stop(); }

void SessionLoop::Start() {
  inbox_.Reopen();
  {
    std::lock_guard lock(session_mu_);
    Result<std::unique_ptr<MqttSession>> session = MqttSession::Create(options_, inbox_, stats_, log_);
    if (!session.ok()) {
      stats_.RecordError(session.status().message());
      stats_.SetState(ConnectorState::kFailed);
      return;
    }
    session_ = std::move(*session);
  }
  up_ = connecting_ = ever_up_ = false;
  backoff_ = options_.reconnect_min;
  next_attempt_ = std::chrono::steady_clock::now();
  stats_.SetState(ConnectorState::kConnecting);
  thread_ = std::thread([this] { Run(); });
}

void SessionLoop::Stop() {
  inbox_.Stop();
  if (thread_.joinable()) thread_.join();
  std::unique_ptr<MqttSession> session;
  {
    std::lock_guard lock(session_mu_);
    session = std::move(session_);
  }
  session.reset();
  stats_.SetState(ConnectorState::kStopped);
}

Status SessionLoop::Publish(const std::string& topic, const std::string& payload, int qos, bool retained) {
  std::lock_guard lock(session_mu_);
  if (!session_) return Status::Unavailable("the connector is stopped");
  return session_->Publish(topic, payload, qos, retained, kRequestTimeout);
}

void SessionLoop::Run() {
  InboxTake take;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (!up_ && !connecting_ && now >= next_attempt_) {
      connecting_ = true;
      session_->StartConnect(handler_.NextWill());
    }
    auto deadline = (!up_ && !connecting_) ? next_attempt_ : now + std::chrono::seconds(1);
    inbox_.Wait(deadline, kMaxBatchMessages, take);
    if (take.stop) break;
    for (const SessionNotice& notice : take.notices) Handle(notice);
    if (!take.messages.empty()) handler_.OnMessages(take.messages);
  }
  if (up_) handler_.OnStopping(*session_);
  session_->Disconnect(std::chrono::milliseconds(500));
}

void SessionLoop::Handle(const SessionNotice& notice) {
  switch (notice.event) {
    case SessionEvent::kConnected: {
      connecting_ = false;
      Status ready = handler_.OnConnected(*session_);
      if (!ready.ok()) {
        session_->Disconnect(std::chrono::milliseconds(500));
        ScheduleRetry("connected to " + options_.uri + " but " + ready.message());
        return;
      }
      up_ = true;
      backoff_ = options_.reconnect_min;
      if (ever_up_) stats_.RecordReconnect();
      ever_up_ = true;
      stats_.SetState(ConnectorState::kRunning);
      spdlog::info("connector {}: connected to {}", log_.connector(), options_.uri);
      return;
    }
    case SessionEvent::kConnectFailed:
      connecting_ = false;
      ScheduleRetry("cannot connect to " + options_.uri + ": " + notice.detail);
      return;
    case SessionEvent::kTransportFailed: {
      connecting_ = false;
      std::string why = session_->DiagnoseTransportFailure();
      ScheduleRetry("cannot connect to " + options_.uri + ": " + (why.empty() ? notice.detail : why));
      return;
    }
    case SessionEvent::kConnectionLost:
      if (!up_) return;
      up_ = false;
      stats_.SetState(ConnectorState::kConnecting);
      handler_.OnConnectionLost();
      backoff_ = options_.reconnect_min;
      ScheduleRetry("lost the connection to " + options_.uri + ": " + (notice.detail.empty() ? "closed" : notice.detail));
      return;
  }
}

void SessionLoop::ScheduleRetry(std::string reason) {
  stats_.RecordError(reason);
  log_.Warn(reason + "; retrying in " + std::to_string(backoff_.count()) + " ms");
  stats_.SetState(ConnectorState::kConnecting);
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
}

}  // namespace zhizao::connect::mqtt
