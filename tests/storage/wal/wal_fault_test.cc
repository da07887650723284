// Injected I/O failures: a failed write or fsync is reported, sticky, and never acknowledged.
#include <gtest/gtest.h>

#include <cerrno>
#include <set>
#include <thread>

#include "wal_test_util.h"

namespace zhizao::storage {
namespace {

constexpr int kRecords = 30;

// Appends kRecords one by one with a failure armed, and returns those acknowledged.
// Checks that once one Append fails, every later one fails with the same error.
std::vector<std::string> AppendThroughFailure(Wal& wal, Status* first_error) {
  std::vector<std::string> acknowledged;
  for (int i = 0; i < kRecords; ++i) {
    auto at = wal.Append(Payload(i));
    if (at.ok()) {
      EXPECT_TRUE(first_error->ok()) << "record " << i << " acknowledged after a failure";
      acknowledged.push_back(Payload(i));
    } else if (first_error->ok()) {
      *first_error = at.status();
    } else {
      EXPECT_EQ(at.status().ToString(), first_error->ToString()) << "the error is sticky";
    }
  }
  return acknowledged;
}

WalOptions SmallSegments(FaultFs* fs) {
  WalOptions options = TestOptions(fs);
  options.segment_size_bytes = 200;  // rotations, and their fsyncs, among the faults
  return options;
}

// Power loss after the failure: the replay holds exactly the acknowledged records.
void ExpectReplayAfterCrash(FaultFs& fs, const std::vector<std::string>& acknowledged) {
  fs.Crash();
  Replayed replayed;
  auto wal = OpenOrDie(SmallSegments(&fs), &replayed);
  EXPECT_EQ(replayed.payloads, acknowledged);
}

TEST(WalFaultTest, FailedWriteAtEveryNIsStickyAndNeverAcknowledged) {
  for (int n = 1; n <= kRecords + 5; ++n) {
    SCOPED_TRACE("write " + std::to_string(n));
    FaultFs fs;
    Replayed none;
    auto wal = OpenOrDie(SmallSegments(&fs), &none);
    fs.FailWriteAt(n, EIO, /*torn_bytes=*/5);
    Status error;
    std::vector<std::string> acknowledged = AppendThroughFailure(*wal, &error);
    if (n <= kRecords) {
      EXPECT_EQ(error.code(), StatusCode::kIOError);
    }
    EXPECT_EQ(wal->Close().ToString(), error.ToString());
    wal.reset();
    ExpectReplayAfterCrash(fs, acknowledged);
  }
}

TEST(WalFaultTest, FailedFsyncAtEveryNIsStickyAndNeverAcknowledged) {
  for (int n = 1; n <= kRecords + 10; ++n) {
    SCOPED_TRACE("fsync " + std::to_string(n));
    FaultFs fs;
    Replayed none;
    auto wal = OpenOrDie(SmallSegments(&fs), &none);
    fs.FailSyncAt(n);
    Status error;
    std::vector<std::string> acknowledged = AppendThroughFailure(*wal, &error);
    if (!error.ok()) {
      EXPECT_EQ(wal->Sync().ToString(), error.ToString());
      EXPECT_EQ(wal->Rotate().status().ToString(), error.ToString());
    }
    wal.reset();
    ExpectReplayAfterCrash(fs, acknowledged);
  }
}

// A full disk refuses one write, names the segment, and leaves no trace of it: appends go on in
// a new segment once space returns, and a replay holds exactly the acknowledged records, with
// or without a power loss.
TEST(WalFaultTest, NoSpaceAtEveryNIsRetryableAndReplaysTheAcknowledged) {
  for (int n = 1; n <= kRecords; ++n) {
    for (bool crash : {false, true}) {
      SCOPED_TRACE("write " + std::to_string(n) + (crash ? " then power loss" : ""));
      FaultFs fs;
      Replayed none;
      auto wal = OpenOrDie(SmallSegments(&fs), &none);
      fs.FailWriteAt(n, ENOSPC, /*torn_bytes=*/12);
      std::vector<std::string> acknowledged;
      int refused = 0;
      for (int i = 0; i < kRecords; ++i) {
        auto at = wal->Append(Payload(i));
        if (at.ok()) {
          acknowledged.push_back(Payload(i));
          continue;
        }
        ++refused;
        EXPECT_EQ(at.status().code(), StatusCode::kResourceExhausted);
        EXPECT_NE(at.status().message().find(".log: No space left on device"), std::string::npos);
      }
      EXPECT_EQ(refused, 1);
      EXPECT_EQ(acknowledged.size(), static_cast<size_t>(kRecords - 1));
      EXPECT_TRUE(wal->Sync().ok());
      wal.reset();
      if (crash) fs.Crash();
      Replayed replayed;
      auto reopened = OpenOrDie(SmallSegments(&fs), &replayed);
      EXPECT_EQ(replayed.payloads, acknowledged);
      EXPECT_EQ(reopened->recovery_report().dropped_bytes, 0u);
    }
  }
}

TEST(WalFaultTest, ReopenClearsTheStickyError) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  ASSERT_TRUE(wal->Append("kept").ok());
  fs.FailSyncAt(1);
  EXPECT_EQ(wal->Append("lost").status().code(), StatusCode::kIOError);
  wal.reset();
  fs.Crash();
  Replayed replayed;
  wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads, std::vector<std::string>{"kept"});
  EXPECT_TRUE(wal->Append("again").ok());
}

TEST(WalFaultTest, ConcurrentAppendersSeeTheFailureAndReplayExactlyTheAcknowledged) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  fs.FailSyncAt(40);
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string payload = std::to_string(t) + ":" + std::to_string(i);
        if (!wal->Append(payload).ok()) return;  // sticky: nothing later can succeed
        std::lock_guard lock(mu);
        acknowledged.insert(payload);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_FALSE(wal->Append("late").ok());
  wal.reset();
  fs.Crash();
  Replayed replayed;
  auto reopened = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(std::set<std::string>(replayed.payloads.begin(), replayed.payloads.end()), acknowledged);
}

}  // namespace
}  // namespace zhizao::storage
