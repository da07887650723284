#include "connect/mqtt/internal/event_forwarder.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace zhizao::connect::mqtt {
namespace {
// How often the hub's notices are taken: an alarm reaches the broker within this.
constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr std::string_view kAssetField = "{asset}";
// Failed tries of one message while connected before it is dropped (a topic the broker refuses).
constexpr int kAttempts = 3;
}  // namespace

Result<EventsOptions> ParseEventsOptions(const nlohmann::json& events) {
  if (!events.is_object()) return Status::InvalidArgument("events must be an object");
  EventsOptions options;
  if (auto it = events.find("topic"); it != events.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Status::InvalidArgument("events.topic must be a non-empty string");
    }
    options.topic = it->get<std::string>();
    if (options.topic.find_first_of("+#") != std::string::npos) {
      return Status::InvalidArgument("events.topic: '" + options.topic + "' holds a wildcard (+ or #)");
    }
  }
  if (auto it = events.find("qos"); it != events.end()) {
    if (!it->is_number_integer() || (it->get<int64_t>() != 0 && it->get<int64_t>() != 1)) {
      return Status::InvalidArgument("events.qos must be 0 or 1");
    }
    options.qos = it->get<int>();
  }
  if (auto it = events.find("retain"); it != events.end()) {
    if (!it->is_boolean()) return Status::InvalidArgument("events.retain must be true or false");
    options.retain = it->get<bool>();
  }
  for (const auto& [key, value] : events.items()) {
    if (key != "topic" && key != "qos" && key != "retain") return Status::InvalidArgument("events." + key + ": unknown field");
  }
  return options;
}

std::string EventTopic(const std::string& topic_template, const std::string& notice) {
  std::string asset;
  nlohmann::json parsed = nlohmann::json::parse(notice, nullptr, /*allow_exceptions=*/false);
  // {"event": {"asset": {"path": ...}}} (api/event_json.h)
  const nlohmann::json::json_pointer path("/event/asset/path");
  if (parsed.is_object() && parsed.contains(path) && parsed[path].is_string()) asset = parsed[path].get<std::string>();
  if (asset.empty()) asset = "_";
  std::string topic = topic_template;
  for (size_t at = topic.find(kAssetField); at != std::string::npos; at = topic.find(kAssetField, at + asset.size())) {
    topic.replace(at, kAssetField.size(), asset);
  }
  return topic;
}

EventForwarder::EventForwarder(EventsOptions options, stream::Hub& hub, SessionLoop& loop, ConnectorStats& stats,
                               RateLimitedLog& log)
    : options_(std::move(options)), hub_(hub), loop_(loop), stats_(stats), log_(log) {}

EventForwarder::~EventForwarder() { Stop(); }

void EventForwarder::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  subscription_ = hub_.Subscribe(/*max_queued=*/1);
  subscription_->SetFilter(nullptr);  // notices only
  subscription_->SetNoticesWanted(true);
  thread_ = std::thread([this] { Run(); });
}

void EventForwarder::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  subscription_.reset();
  pending_.clear();
}

void EventForwarder::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, kPoll, [this] { return stopping_; })) {
    lock.unlock();
    stream::Delivery delivery = subscription_->Take(0);
    size_t dropped = 0;
    for (std::string& notice : delivery.notices) {
      if (pending_.size() == kMaxPending) {
        pending_.pop_front();
        ++dropped;
      }
      pending_.push_back(std::move(notice));
    }
    if (dropped > 0) {
      std::string message = std::to_string(dropped) + " events not published: the broker was away too long";
      log_.Warn(message);
      stats_.RecordError(std::move(message));
    }
    PublishPending();
    lock.lock();
  }
}

void EventForwarder::PublishPending() {
  while (!pending_.empty()) {
    const std::string topic = EventTopic(options_.topic, pending_.front());
    Status published = loop_.Publish(topic, pending_.front(), options_.qos, options_.retain);
    if (published.ok()) {
      stats_.RecordWrite();
    } else if (stats_.Snapshot().state != ConnectorState::kRunning || ++head_attempts_ < kAttempts) {
      return;  // the broker is away, or this try failed: keep it for the next round
    } else {
      std::string message = "event not published to '" + topic + "': " + published.message();
      log_.Warn(message);
      stats_.RecordError(std::move(message));
    }
    head_attempts_ = 0;
    pending_.pop_front();
  }
}

}  // namespace zhizao::connect::mqtt
