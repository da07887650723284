#include "storage/wal/wal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "wal_test_util.h"

namespace zhizao::storage {
namespace {

TEST(WalTest, RoundTripsRecordsAcrossSegmentsInOrder) {
  FaultFs fs;
  WalOptions options = TestOptions(&fs);
  options.segment_size_bytes = 1000;
  std::vector<WalPosition> appended;
  {
    Replayed none;
    auto wal = OpenOrDie(options, &none);
    for (int i = 0; i < 500; ++i) {
      auto at = wal->Append(Payload(i));
      ASSERT_TRUE(at.ok()) << at.status().ToString();
      appended.push_back(*at);
    }
    EXPECT_GT(wal->current_segment(), 10u);
    ASSERT_TRUE(wal->Close().ok());
  }
  Replayed replayed;
  auto wal = OpenOrDie(options, &replayed);
  ASSERT_EQ(replayed.payloads.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(replayed.payloads[i], Payload(i));
  EXPECT_EQ(replayed.positions, appended);
  EXPECT_TRUE(std::is_sorted(appended.begin(), appended.end()));
  EXPECT_EQ(wal->recovery_report().records, 500u);
  EXPECT_EQ(wal->recovery_report().dropped_bytes, 0u);
}

TEST(WalTest, SegmentsNeverExceedTheirSizeUnlessOneRecordDoes) {
  FaultFs fs;
  WalOptions options = TestOptions(&fs);
  options.segment_size_bytes = 100;
  Replayed none;
  auto wal = OpenOrDie(options, &none);
  ASSERT_TRUE(wal->Append(std::string(40, 'a')).ok());
  ASSERT_TRUE(wal->Append(std::string(40, 'b')).ok());  // 49 + 49 <= 100
  auto big = wal->Append(std::string(300, 'c'));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(*big, (WalPosition{2, 0}));
  auto next = wal->Append("d");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, (WalPosition{3, 0}));
  EXPECT_EQ(fs.Get(SegmentPath(1)).size(), 98u);
}

TEST(WalTest, ReopenStartsANewSegmentAndKeepsTheOldOnes) {
  FaultFs fs;
  Replayed none;
  {
    auto wal = OpenOrDie(TestOptions(&fs), &none);
    ASSERT_TRUE(wal->Append("one").ok());
  }
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads, std::vector<std::string>{"one"});
  EXPECT_EQ(wal->current_segment(), 2u);
  auto at = wal->Append("two");
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(*at, (WalPosition{2, 0}));
}

TEST(WalTest, OpenSyncsWhatAProcessCrashLeftUnsynced) {
  FaultFs fs;
  WalOptions options = TestOptions(&fs);
  options.durability = WalDurability::kNone;
  {
    Replayed none;
    auto wal = OpenOrDie(options, &none);
    ASSERT_TRUE(wal->Append("in the page cache only").ok());
    fs.FailSyncAt(1);  // the process dies: Close cannot sync either
  }
  Replayed replayed;
  auto wal = OpenOrDie(options, &replayed);
  ASSERT_TRUE(wal->Append("newer").ok());
  ASSERT_TRUE(wal->Close().ok());
  fs.Crash();
  Replayed after_power_loss;
  auto reopened = OpenOrDie(options, &after_power_loss);
  EXPECT_EQ(after_power_loss.payloads, (std::vector<std::string>{"in the page cache only", "newer"}));
  EXPECT_EQ(reopened->recovery_report().dropped_bytes, 0u);
}

TEST(WalTest, RejectsOversizedRecord) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  std::string huge(wal_internal::kMaxPayloadBytes + 1, 'x');
  EXPECT_EQ(wal->Append(huge).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(wal->Append("still fine").ok());
}

TEST(WalTest, ReplayErrorFailsOpen) {
  FaultFs fs;
  Replayed none;
  {
    auto wal = OpenOrDie(TestOptions(&fs), &none);
    ASSERT_TRUE(wal->Append("x").ok());
  }
  auto wal = Wal::Open(TestOptions(&fs), [](WalPosition, std::string_view) { return Status::Internal("no"); });
  ASSERT_FALSE(wal.ok());
  EXPECT_NE(wal.status().message().find("segment 00000001.log at offset 0"), std::string::npos)
      << wal.status().message();
}

TEST(WalTest, RotateThenRemoveSegmentsBeforeKeepsLaterRecords) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  ASSERT_TRUE(wal->Append("old 1").ok());
  ASSERT_TRUE(wal->Append("old 2").ok());
  auto rotated = wal->Rotate();
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(*rotated, 2u);
  auto at = wal->Append("new");
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->segment, *rotated);
  ASSERT_TRUE(wal->RemoveSegmentsBefore(*rotated).ok());
  EXPECT_FALSE(fs.Exists(SegmentPath(1)));
  ASSERT_TRUE(wal->Close().ok());

  Replayed replayed;
  auto reopened = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads, std::vector<std::string>{"new"});
}

TEST(WalTest, FirstSegmentDropsCheckpointedSegmentsAndNumbersNewOnesAfterIt) {
  FaultFs fs;
  Replayed none;
  {
    auto wal = OpenOrDie(TestOptions(&fs), &none);
    ASSERT_TRUE(wal->Append("covered").ok());
    ASSERT_TRUE(wal->Rotate().ok());
    ASSERT_TRUE(wal->Append("live").ok());
  }
  WalOptions options = TestOptions(&fs);
  options.first_segment = 2;
  Replayed replayed;
  auto wal = OpenOrDie(options, &replayed);
  EXPECT_EQ(replayed.payloads, std::vector<std::string>{"live"});
  EXPECT_FALSE(fs.Exists(SegmentPath(1)));
  EXPECT_EQ(wal->current_segment(), 3u);
}

TEST(WalTest, FirstSegmentNumbersAnEmptyLogFromThere) {
  FaultFs fs;
  WalOptions options = TestOptions(&fs);
  options.first_segment = 57;
  Replayed none;
  auto wal = OpenOrDie(options, &none);
  EXPECT_EQ(wal->current_segment(), 57u);
}

TEST(WalTest, RotateOfAnEmptySegmentKeepsIt) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  auto first = wal->Rotate();
  auto second = wal->Rotate();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 1u);
  EXPECT_EQ(*second, 1u);
}

TEST(WalTest, RemoveSegmentsBeforeRefusesTheCurrentSegment) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  ASSERT_TRUE(wal->Append("x").ok());
  EXPECT_EQ(wal->RemoveSegmentsBefore(2).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(wal->RemoveSegmentsBefore(1).ok());
  EXPECT_TRUE(fs.Exists(SegmentPath(1)));
}

TEST(WalTest, ConcurrentAppendersShareFsyncs) {
  FaultFs fs;
  fs.SetSyncDelay(std::chrono::microseconds(50));  // a disk: appenders queue meanwhile
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10'000;
  WalOptions options = TestOptions(&fs);
  options.segment_size_bytes = 256 << 10;
  Replayed none;
  auto wal = OpenOrDie(options, &none);
  const int syncs_before = fs.syncs();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        ASSERT_TRUE(wal->Append(std::to_string(t) + ":" + std::to_string(i)).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LT(fs.syncs() - syncs_before, kThreads * kPerThread) << "no group commit";
  ASSERT_TRUE(wal->Close().ok());

  Replayed replayed;
  auto reopened = OpenOrDie(options, &replayed);
  ASSERT_EQ(replayed.payloads.size(), size_t{kThreads * kPerThread});
  std::vector<int> next(kThreads, 0);  // each thread's records replay in its own order
  for (const std::string& p : replayed.payloads) {
    int t = std::stoi(p.substr(0, p.find(':')));
    EXPECT_EQ(std::stoi(p.substr(p.find(':') + 1)), next[t]++);
  }
}

TEST(WalTest, AlwaysSyncsBeforeAcknowledging) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(wal->Append(Payload(i)).ok());
  EXPECT_EQ(wal->Unsynced().bytes, 0u);
  fs.Crash();
  Replayed replayed;
  auto reopened = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 10u);
}

TEST(WalTest, IntervalReportsUnsyncedBytesAndSyncsWhenDue) {
  FaultFs fs;
  ManualClock clock(1'000 * kNanosPerSecond);
  WalOptions options = TestOptions(&fs);
  options.durability = WalDurability::kInterval;
  options.sync_interval = std::chrono::milliseconds(100);
  options.clock = &clock;
  Replayed none;
  auto wal = OpenOrDie(options, &none);
  const int syncs = fs.syncs();
  ASSERT_TRUE(wal->Append("abc").ok());
  clock.AdvanceNs(30 * kNanosPerMilli);
  ASSERT_TRUE(wal->Append("defg").ok());
  EXPECT_EQ(fs.syncs(), syncs);
  WalSyncLag lag = wal->Unsynced();
  EXPECT_EQ(lag.bytes, 2 * wal_internal::kHeaderBytes + 7);
  EXPECT_EQ(lag.age_ns, 30 * kNanosPerMilli);

  ASSERT_TRUE(wal->SyncIfDue().ok());  // 30 ms old: not yet
  EXPECT_EQ(fs.syncs(), syncs);
  clock.AdvanceNs(70 * kNanosPerMilli);
  ASSERT_TRUE(wal->SyncIfDue().ok());
  EXPECT_EQ(fs.syncs(), syncs + 1);
  EXPECT_EQ(wal->Unsynced().bytes, 0u);

  ASSERT_TRUE(wal->Append("h").ok());  // the next append after the interval syncs itself
  clock.AdvanceNs(100 * kNanosPerMilli);
  ASSERT_TRUE(wal->Append("i").ok());
  EXPECT_EQ(fs.syncs(), syncs + 2);
  EXPECT_EQ(wal->Unsynced().bytes, 0u);
}

TEST(WalTest, IntervalLosesOnlyUnsyncedRecordsOnPowerLoss) {
  FaultFs fs;
  ManualClock clock;
  WalOptions options = TestOptions(&fs);
  options.durability = WalDurability::kInterval;
  options.clock = &clock;
  Replayed none;
  auto wal = OpenOrDie(options, &none);
  ASSERT_TRUE(wal->Append("synced").ok());
  ASSERT_TRUE(wal->Sync().ok());
  ASSERT_TRUE(wal->Append("lost").ok());
  fs.Crash();
  Replayed replayed;
  auto reopened = OpenOrDie(options, &replayed);
  EXPECT_EQ(replayed.payloads, std::vector<std::string>{"synced"});
}

TEST(WalTest, NoneSyncsOnlyAtRotateAndClose) {
  FaultFs fs;
  WalOptions options = TestOptions(&fs);
  options.durability = WalDurability::kNone;
  Replayed none;
  auto wal = OpenOrDie(options, &none);
  const int syncs = fs.syncs();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(wal->Append(Payload(i)).ok());
  EXPECT_EQ(fs.syncs(), syncs);
  EXPECT_GT(wal->Unsynced().bytes, 0u);
  ASSERT_TRUE(wal->Rotate().ok());
  EXPECT_EQ(fs.syncs(), syncs + 1);
  ASSERT_TRUE(wal->Append("after").ok());
  ASSERT_TRUE(wal->Close().ok());
  EXPECT_EQ(fs.syncs(), syncs + 2);
  fs.Crash();
  Replayed replayed;
  auto reopened = OpenOrDie(options, &replayed);
  EXPECT_EQ(replayed.payloads.size(), 101u);
}

TEST(WalTest, CloseRefusesLaterAppends) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  ASSERT_TRUE(wal->Close().ok());
  EXPECT_EQ(wal->Append("x").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(wal->Close().ok());
}

TEST(WalTest, WorksOnARealDirectory) {
  std::string dir = ::testing::TempDir() + "wal_test_real_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  WalOptions options;
  options.dir = dir + "/wal";
  options.segment_size_bytes = 4096;
  {
    Replayed none;
    auto wal = OpenOrDie(options, &none);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(wal->Append(Payload(i)).ok());
    auto rotated = wal->Rotate();
    ASSERT_TRUE(rotated.ok());
    ASSERT_TRUE(wal->Append("after rotate").ok());
    ASSERT_TRUE(wal->RemoveSegmentsBefore(*rotated - 1).ok());
  }
  Replayed replayed;
  auto wal = OpenOrDie(options, &replayed);
  ASSERT_FALSE(replayed.payloads.empty());
  EXPECT_EQ(replayed.payloads.back(), "after rotate");
  EXPECT_FALSE(std::filesystem::exists(options.dir + "/00000001.log"));
  wal.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zhizao::storage
