#include "connect/mqtt/internal/inbox.h"

namespace zhizao::connect::mqtt {

size_t Inbox::Push(InboundMessage message) {
  size_t size = message.topic.size() + message.payload.size();
  size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    while (!messages_.empty() && (messages_.size() >= max_messages_ || bytes_ + size > max_bytes_)) {
      bytes_ -= messages_.front().topic.size() + messages_.front().payload.size();
      messages_.pop_front();
      ++dropped;
    }
    bytes_ += size;
    messages_.push_back(std::move(message));
  }
  wake_.notify_one();
  return dropped;
}

void Inbox::Post(SessionEvent event, std::string detail) {
  {
    std::lock_guard lock(mu_);
    notices_.push_back({event, std::move(detail)});
  }
  wake_.notify_one();
}

void Inbox::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
}

void Inbox::Reopen() {
  std::lock_guard lock(mu_);
  stop_ = false;
  messages_.clear();
  notices_.clear();
  bytes_ = 0;
}

void Inbox::Wait(std::chrono::steady_clock::time_point deadline, size_t max_messages, InboxTake& take) {
  take.Clear();
  std::unique_lock lock(mu_);
  wake_.wait_until(lock, deadline, [this] { return stop_ || !messages_.empty() || !notices_.empty(); });
  take.stop = stop_;
  take.notices.swap(notices_);
  while (!messages_.empty() && take.messages.size() < max_messages) {
    bytes_ -= messages_.front().topic.size() + messages_.front().payload.size();
    take.messages.push_back(std::move(messages_.front()));
    messages_.pop_front();
  }
}

}  // namespace zhizao::connect::mqtt
