#include "stream/hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace zhizao::stream {
namespace {

Batch Ramp(TagId tag, int n, int64_t t0 = 0) {
  Batch batch;
  for (int i = 0; i < n; ++i) batch.AddFloat64(tag, t0 + i, i);
  return batch;
}

TEST(HubTest, ASubscriberGetsOnlyTheTagsItsFilterWants) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  std::shared_ptr<Subscription> sub = hub.Subscribe(100);
  sub->SetFilter([](TagId tag) { return tag == 2; });
  Batch batch = Ramp(1, 3);
  batch.AddString(2, 10, "running", status_codes::kUncertain);
  batch.AddFloat64(3, 11, 1.0);
  hub.Publish(batch);

  Delivery d = sub->Take(10);
  ASSERT_EQ(d.samples.size(), 1u);
  EXPECT_EQ(d.samples[0].tag, 2u);
  EXPECT_EQ(d.samples[0].text, "running") << "a string sample carries its own text";
  EXPECT_EQ(d.samples[0].status, status_codes::kUncertain);
  EXPECT_EQ(d.dropped, 0u);
}

TEST(HubTest, NoticesReachOnlyTheSubscriptionsThatWantThemAndTheOldestGoFirst) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  std::shared_ptr<Subscription> wants = hub.Subscribe(10);
  std::shared_ptr<Subscription> not_asked = hub.Subscribe(10);
  wants->SetNoticesWanted(true);
  for (size_t i = 0; i < Subscription::kMaxNotices + 2; ++i) hub.Notify("{\"n\":" + std::to_string(i) + "}");
  Delivery d = wants->Take(10);
  ASSERT_EQ(d.notices.size(), Subscription::kMaxNotices);
  EXPECT_EQ(d.notices.front(), "{\"n\":2}");
  EXPECT_TRUE(wants->Take(10).notices.empty());
  EXPECT_TRUE(not_asked->Take(10).notices.empty());
}

TEST(HubTest, TheFilterIsAskedOncePerTagUntilReplaced) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  std::shared_ptr<Subscription> sub = hub.Subscribe(1000);
  int asked = 0;
  sub->SetFilter([&asked](TagId) {
    ++asked;
    return true;
  });
  for (int i = 0; i < 5; ++i) hub.Publish(Ramp(7, 10));
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(sub->Take(1000).samples.size(), 50u);

  sub->SetFilter([](TagId) { return false; });
  hub.Publish(Ramp(7, 10));
  EXPECT_TRUE(sub->Take(1000).samples.empty());
}

TEST(HubTest, ASlowSubscriberLosesItsOldestSamplesAndIsToldHowMany) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  std::shared_ptr<Subscription> slow = hub.Subscribe(100);
  std::shared_ptr<Subscription> fast = hub.Subscribe(1000);
  slow->SetFilter([](TagId) { return true; });
  fast->SetFilter([](TagId) { return true; });
  hub.Publish(Ramp(1, 250));

  Delivery d = slow->Take(1000);
  ASSERT_EQ(d.samples.size(), 100u);
  EXPECT_EQ(d.samples.front().ts_ns, 150) << "the newest 100 are kept";
  EXPECT_EQ(d.samples.back().ts_ns, 249);
  EXPECT_EQ(d.dropped, 150u);
  EXPECT_EQ(slow->Take(1000).dropped, 0u) << "the count is reported once";
  EXPECT_EQ(fast->Take(1000).samples.size(), 250u) << "one slow subscriber costs the others nothing";
  EXPECT_EQ(metrics.GetCounter("zhizao_stream_dropped_samples_total", "").value(), 150u);
}

TEST(HubTest, TheQueuedGaugeCountsWhatWaitsInEveryQueue) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  const Gauge& queued = metrics.GetGauge("zhizao_stream_queued_samples", "");
  std::shared_ptr<Subscription> full = hub.Subscribe(100);
  std::shared_ptr<Subscription> roomy = hub.Subscribe(1000);
  full->SetFilter([](TagId) { return true; });
  roomy->SetFilter([](TagId) { return true; });
  hub.Publish(Ramp(1, 250));
  EXPECT_EQ(queued.value(), 100 + 250) << "what a full queue dropped is not queued";
  roomy->Take(200);
  EXPECT_EQ(queued.value(), 100 + 50);
  full.reset();
  EXPECT_EQ(queued.value(), 50) << "a subscription that goes takes its queue with it";
}

TEST(HubTest, TakeHandsOutInOrderAndInSlices) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  std::shared_ptr<Subscription> sub = hub.Subscribe(100);
  sub->SetFilter([](TagId) { return true; });
  hub.Publish(Ramp(1, 30));
  EXPECT_EQ(sub->queued(), 30u);
  Delivery first = sub->Take(20);
  Delivery second = sub->Take(20);
  ASSERT_EQ(first.samples.size(), 20u);
  ASSERT_EQ(second.samples.size(), 10u);
  EXPECT_EQ(first.samples[19].ts_ns + 1, second.samples[0].ts_ns);
}

TEST(HubTest, DroppingTheSubscriptionUnsubscribes) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  Gauge& live = metrics.GetGauge("zhizao_stream_subscriptions", "");
  {
    std::shared_ptr<Subscription> sub = hub.Subscribe(10);
    sub->SetFilter([](TagId) { return true; });
    EXPECT_EQ(live.value(), 1);
  }
  EXPECT_EQ(live.value(), 0);
  hub.Publish(Ramp(1, 5));  // nobody to offer it to, and no dangling subscription
  EXPECT_EQ(metrics.GetCounter("zhizao_stream_batches_total", "").value(), 1u);
}

TEST(HubTest, PublishersAndSubscribersOnManyThreads) {
  MetricsRegistry metrics;
  Hub hub(metrics);
  std::shared_ptr<Subscription> sub = hub.Subscribe(1'000'000);
  sub->SetFilter([](TagId tag) { return tag % 2 == 0; });
  std::vector<std::thread> publishers;
  for (TagId t = 1; t <= 4; ++t) {
    publishers.emplace_back([&hub, t] {
      for (int i = 0; i < 200; ++i) hub.Publish(Ramp(t, 50, i * 50));
    });
  }
  std::atomic<bool> done{false};
  size_t taken = 0;
  std::thread reader([&] {
    while (!done.load()) taken += sub->Take(1000).samples.size();
  });
  for (std::thread& p : publishers) p.join();
  done = true;
  reader.join();
  taken += sub->Take(1'000'000).samples.size();
  EXPECT_EQ(taken, 2u * 200 * 50);
}

}  // namespace
}  // namespace zhizao::stream
