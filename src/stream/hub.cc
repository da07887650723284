#include "stream/hub.h"

#include <algorithm>

namespace zhizao::stream {

void Subscription::SetFilter(TagFilter filter) {
  std::lock_guard lock(mu_);
  filter_ = std::move(filter);
  wants_.clear();
}

bool Subscription::WantsLocked(TagId tag) {
  if (tag >= wants_.size()) wants_.resize(tag + 1, -1);
  int8_t& cached = wants_[tag];
  if (cached < 0) cached = (filter_ && filter_(tag)) ? 1 : 0;
  return cached == 1;
}

Subscription::~Subscription() {
  if (live_ != nullptr) live_->Add(-1);
  if (queued_ != nullptr) queued_->Add(-static_cast<double>(queue_.size()));
}

uint64_t Subscription::Offer(const Batch& batch) {
  std::lock_guard lock(mu_);
  if (!filter_) return 0;
  const size_t queued_before = queue_.size();
  uint64_t dropped = 0;
  for (const Point& p : batch.points) {
    if (!WantsLocked(p.tag)) continue;
    LiveSample sample{.tag = p.tag, .status = p.status, .ts_ns = p.ts_ns, .value = p.value};
    if (p.value.type() == DataType::kString) sample.text = std::string(batch.StringOf(p.value));
    queue_.push_back(std::move(sample));
    if (queue_.size() > max_queued_) {
      queue_.pop_front();
      ++dropped;
    }
  }
  dropped_ += dropped;
  if (queued_ != nullptr) queued_->Add(static_cast<double>(queue_.size()) - static_cast<double>(queued_before));
  return dropped;
}

void Subscription::SetNoticesWanted(bool wanted) {
  std::lock_guard lock(mu_);
  notices_wanted_ = wanted;
  if (!wanted) notices_.clear();
}

void Subscription::OfferNotice(const std::string& notice) {
  std::lock_guard lock(mu_);
  if (!notices_wanted_) return;
  notices_.push_back(notice);
  if (notices_.size() > kMaxNotices) notices_.pop_front();
}

Delivery Subscription::Take(size_t max) {
  std::lock_guard lock(mu_);
  Delivery delivery;
  size_t n = std::min(max, queue_.size());
  delivery.samples.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    delivery.samples.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  if (queued_ != nullptr) queued_->Add(-static_cast<double>(n));
  delivery.dropped = std::exchange(dropped_, 0);
  delivery.notices.assign(std::make_move_iterator(notices_.begin()), std::make_move_iterator(notices_.end()));
  notices_.clear();
  return delivery;
}

size_t Subscription::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

Hub::Hub(MetricsRegistry& metrics)
    : published_(metrics.GetCounter("zhizao_stream_batches_total", "Batches offered to live subscribers.")),
      dropped_(metrics.GetCounter("zhizao_stream_dropped_samples_total",
                                  "Samples dropped from full subscriber queues (slow subscribers).")),
      live_(metrics.GetGauge("zhizao_stream_subscriptions", "Live subscriptions (WebSocket clients, detectors).")),
      queued_(metrics.GetGauge("zhizao_stream_queued_samples",
                               "Samples waiting in live subscribers' queues (detectors, WebSocket clients).")) {}

std::shared_ptr<Subscription> Hub::Subscribe(size_t max_queued) {
  auto subscription = std::make_shared<Subscription>(std::max<size_t>(1, max_queued));
  subscription->live_ = &live_;
  subscription->queued_ = &queued_;
  live_.Add(1);
  std::unique_lock lock(mu_);
  std::erase_if(subscriptions_, [](const std::weak_ptr<Subscription>& s) { return s.expired(); });
  subscriptions_.push_back(subscription);
  return subscription;
}

void Hub::Publish(const Batch& batch) {
  std::shared_lock lock(mu_);
  if (subscriptions_.empty()) return;
  published_.Increment();
  for (const std::weak_ptr<Subscription>& weak : subscriptions_) {
    std::shared_ptr<Subscription> subscription = weak.lock();
    if (!subscription) continue;
    if (uint64_t dropped = subscription->Offer(batch)) dropped_.Increment(dropped);
  }
}

void Hub::Notify(const std::string& notice) {
  std::shared_lock lock(mu_);
  for (const std::weak_ptr<Subscription>& weak : subscriptions_) {
    if (std::shared_ptr<Subscription> subscription = weak.lock()) subscription->OfferNotice(notice);
  }
}

}  // namespace zhizao::stream
