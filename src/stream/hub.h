// Live fan-out of samples: ingest publishes every batch it stored; subscribers (WebSocket
// clients, detectors, forwarders) take the samples of the tags they chose, from queues of their
// own. Beside samples, the hub carries notices: short JSON messages about the plant (an event
// the analytics opened or cleared) for the subscribers that asked for them.
//
// Publishing never waits for a subscriber: each subscription's queue is bounded, and when a
// subscriber falls behind, its oldest samples are dropped and counted, so that a slow client
// costs a bounded amount of memory and nobody else anything. The metrics say how it goes:
// zhizao_stream_queued_samples (waiting in all queues now) and zhizao_stream_dropped_samples_total.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/batch.h"
#include "common/metrics.h"

namespace zhizao::stream {

// A sample with its own copy of a string value (a Point's string lives in its Batch).
struct LiveSample {
  TagId tag = 0;
  uint32_t status = status_codes::kGood;
  int64_t ts_ns = 0;
  Value value;       // for a string sample, the text is in `text`
  std::string text;
};

// Decides whether a subscription wants a tag's samples. Called once per tag per filter, on a
// publisher's thread, with the subscription's lock held: it must be thread-safe and must not
// call back into the hub. Its answer is cached until the filter is replaced.
using TagFilter = std::function<bool(TagId)>;

// What a subscriber takes from its queue.
struct Delivery {
  std::vector<LiveSample> samples;  // oldest first
  uint64_t dropped = 0;             // samples dropped since the previous Take, queue full
  std::vector<std::string> notices; // oldest first; only for subscriptions that want them
};

// Thread-safe.
class Subscription {
 public:
  explicit Subscription(size_t max_queued) : max_queued_(max_queued) {}
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Replaces the filter; samples already queued stay. A null filter wants nothing.
  void SetFilter(TagFilter filter);

  // Whether notices are queued for this subscription (at most kMaxNotices; the oldest go
  // first). Default: no.
  void SetNoticesWanted(bool wanted);
  static constexpr size_t kMaxNotices = 1000;

  // Up to `max` of the oldest queued samples, the count dropped since the last Take, and every
  // queued notice.
  Delivery Take(size_t max);

  size_t queued() const;

 private:
  friend class Hub;
  // On a publisher's thread; returns how many samples it dropped.
  uint64_t Offer(const Batch& batch);
  void OfferNotice(const std::string& notice);
  bool WantsLocked(TagId tag);

  const size_t max_queued_;
  Gauge* live_ = nullptr;    // the hub's count of subscriptions; set once by Subscribe
  Gauge* queued_ = nullptr;  // the hub's count of queued samples; set once by Subscribe
  mutable std::mutex mu_;
  TagFilter filter_;               // GUARDED_BY(mu_)
  std::vector<int8_t> wants_;      // GUARDED_BY(mu_): by TagId, -1 not asked yet, 0 no, 1 yes
  std::deque<LiveSample> queue_;   // GUARDED_BY(mu_)
  uint64_t dropped_ = 0;           // GUARDED_BY(mu_)
  bool notices_wanted_ = false;    // GUARDED_BY(mu_)
  std::deque<std::string> notices_;  // GUARDED_BY(mu_)
};

// Thread-safe.
class Hub {
 public:
  explicit Hub(MetricsRegistry& metrics);

  // A new subscription that queues at most `max_queued` samples. It receives what is published
  // from now on while the caller holds it; dropping the last reference unsubscribes.
  // REQUIRES: the hub outlives the subscription.
  std::shared_ptr<Subscription> Subscribe(size_t max_queued);

  // Offers the batch's samples to every subscription. Costs one shared lock when nobody listens.
  void Publish(const Batch& batch);
  // Offers a notice (a JSON text) to every subscription that wants notices.
  void Notify(const std::string& notice);

 private:
  std::shared_mutex mu_;
  std::vector<std::weak_ptr<Subscription>> subscriptions_;  // GUARDED_BY(mu_), pruned at Subscribe
  Counter& published_;
  Counter& dropped_;
  Gauge& live_;
  Gauge& queued_;
};

}  // namespace zhizao::stream
