// Replay of damaged logs: torn tails, flipped bits, zero fill, and damage before the tail.
#include <gtest/gtest.h>

#include "storage/wal/internal/record.h"
#include "wal_test_util.h"

namespace zhizao::storage {
namespace {

using wal_internal::kHeaderBytes;

// Writes `count` records into segment 1 and returns the segment's bytes and record ends.
std::string WriteSegment(int count, std::vector<uint64_t>* ends) {
  FaultFs fs;
  Replayed none;
  auto wal = OpenOrDie(TestOptions(&fs), &none);
  for (int i = 0; i < count; ++i) {
    auto at = wal->Append(Payload(i));
    EXPECT_TRUE(at.ok());
    ends->push_back(at->offset + kHeaderBytes + Payload(i).size());
  }
  EXPECT_TRUE(wal->Close().ok());
  return fs.Get(SegmentPath(1));
}

// Fills segments 1..n with `per_segment` records each, as a crash-free run would.
void WriteSegments(FaultFs* fs, int n, int per_segment) {
  Replayed none;
  auto wal = OpenOrDie(TestOptions(fs), &none);
  for (int s = 0; s < n; ++s) {
    if (s > 0) {
      ASSERT_TRUE(wal->Rotate().ok());
    }
    for (int i = 0; i < per_segment; ++i) ASSERT_TRUE(wal->Append(Payload(s * per_segment + i)).ok());
  }
  ASSERT_TRUE(wal->Close().ok());
}

TEST(WalRecoveryTest, TruncatesTornTailAtEveryByteOfTheLastTwoRecords) {
  std::vector<uint64_t> ends;
  const std::string segment = WriteSegment(6, &ends);
  for (uint64_t cut = ends[3]; cut < ends[5]; ++cut) {
    FaultFs fs;
    fs.Put(SegmentPath(1), segment.substr(0, cut));
    Replayed replayed;
    auto wal = OpenOrDie(TestOptions(&fs), &replayed);
    const size_t intact = cut < ends[4] ? 4 : 5;
    ASSERT_EQ(replayed.payloads.size(), intact) << "cut at " << cut;
    for (size_t i = 0; i < intact; ++i) EXPECT_EQ(replayed.payloads[i], Payload(static_cast<int>(i)));
    const WalRecoveryReport& report = wal->recovery_report();
    EXPECT_EQ(report.dropped_bytes, cut - ends[intact - 1]) << "cut at " << cut;
    EXPECT_FALSE(report.mid_log);
    if (report.dropped_bytes > 0) {
      EXPECT_EQ(report.damage, (WalPosition{1, ends[intact - 1]}));
    }
    EXPECT_EQ(fs.Get(SegmentPath(1)).size(), ends[intact - 1]) << "the torn tail is cut off on disk";
  }
}

TEST(WalRecoveryTest, DropsLastRecordWithBadChecksum) {
  std::vector<uint64_t> ends;
  std::string segment = WriteSegment(3, &ends);
  segment[ends[1] + kHeaderBytes + 2] ^= 0x20;
  FaultFs fs;
  fs.Put(SegmentPath(1), segment);
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 2u);
  EXPECT_EQ(wal->recovery_report().damage_reason, "bad record checksum");
  EXPECT_EQ(wal->recovery_report().dropped_bytes, ends[2] - ends[1]);
}

TEST(WalRecoveryTest, DropsRecordWithBadLengthField) {
  std::vector<uint64_t> ends;
  std::string segment = WriteSegment(3, &ends);
  segment[ends[1] + 7] = '\x40';  // length becomes > 1 GiB
  FaultFs fs;
  fs.Put(SegmentPath(1), segment);
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 2u);
  EXPECT_EQ(wal->recovery_report().damage_reason, "bad record length");
  EXPECT_EQ(wal->recovery_report().damage, (WalPosition{1, ends[1]}));
}

TEST(WalRecoveryTest, DropsZeroFilledTail) {
  std::vector<uint64_t> ends;
  std::string segment = WriteSegment(3, &ends) + std::string(8192, '\0');
  FaultFs fs;
  fs.Put(SegmentPath(1), segment);
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 3u);
  EXPECT_EQ(wal->recovery_report().damage_reason, "zero-filled tail");
  EXPECT_EQ(wal->recovery_report().dropped_bytes, 8192u);
  EXPECT_EQ(fs.Get(SegmentPath(1)).size(), ends[2]);
}

TEST(WalRecoveryTest, CorruptionInAnOlderSegmentStopsReplayThereAndSetsLaterSegmentsAside) {
  FaultFs fs;
  WriteSegments(&fs, 3, 4);
  std::string second = fs.Get(SegmentPath(2));
  const uint64_t third_size = fs.Get(SegmentPath(3)).size();
  const uint64_t second_record = kHeaderBytes + Payload(4).size();
  second[second_record + kHeaderBytes] ^= 0x01;
  fs.Put(SegmentPath(2), second);

  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 5u);  // segment 1 and the first record of segment 2
  const WalRecoveryReport& report = wal->recovery_report();
  EXPECT_TRUE(report.mid_log);
  EXPECT_EQ(report.damage, (WalPosition{2, second_record}));
  EXPECT_EQ(report.dropped_bytes, second.size() - second_record + third_size);
  EXPECT_EQ(report.set_aside, std::vector<std::string>{"00000003.log"});
  EXPECT_EQ(fs.Get(SegmentPath(3) + ".corrupt").size(), third_size);
  EXPECT_EQ(fs.Get(SegmentPath(2)).size(), second_record);
  EXPECT_EQ(wal->current_segment(), 3u);  // numbering stays contiguous

  ASSERT_TRUE(wal->Append("after repair").ok());
  ASSERT_TRUE(wal->Close().ok());
  Replayed again;
  auto reopened = OpenOrDie(TestOptions(&fs), &again);
  EXPECT_EQ(again.payloads.size(), 6u);
  EXPECT_EQ(again.payloads.back(), "after repair");
  EXPECT_EQ(reopened->recovery_report().dropped_bytes, 0u);
}

TEST(WalRecoveryTest, FailPolicyRefusesMidLogCorruptionAndChangesNothing) {
  FaultFs fs;
  WriteSegments(&fs, 3, 4);
  std::string first = fs.Get(SegmentPath(1));
  first[kHeaderBytes + 1] ^= 0x01;
  fs.Put(SegmentPath(1), first);
  WalOptions options = TestOptions(&fs);
  options.recovery = WalRecoveryPolicy::kFailOnCorruption;
  Replayed replayed;
  auto wal = Wal::Open(options, replayed.Fn());
  ASSERT_EQ(wal.status().code(), StatusCode::kCorruption);
  EXPECT_NE(wal.status().message().find("bad record checksum in segment 00000001.log at offset 0"),
            std::string::npos)
      << wal.status().message();
  EXPECT_EQ(fs.Get(SegmentPath(1)), first);
  EXPECT_TRUE(fs.Exists(SegmentPath(3)));
  EXPECT_FALSE(fs.Exists(SegmentPath(4)));
}

TEST(WalRecoveryTest, FailPolicyStillRepairsTornTailOfLastSegment) {
  FaultFs fs;
  WriteSegments(&fs, 2, 4);
  std::string last = fs.Get(SegmentPath(2));
  fs.Put(SegmentPath(2), last.substr(0, last.size() - 3));
  WalOptions options = TestOptions(&fs);
  options.recovery = WalRecoveryPolicy::kFailOnCorruption;
  Replayed replayed;
  auto wal = OpenOrDie(options, &replayed);
  EXPECT_EQ(replayed.payloads.size(), 7u);
  EXPECT_EQ(wal->recovery_report().damage_reason, "truncated record");
}

TEST(WalRecoveryTest, TornTailFollowedOnlyByEmptySegmentsIsATail) {
  FaultFs fs;
  WriteSegments(&fs, 2, 4);
  std::string last = fs.Get(SegmentPath(2));
  fs.Put(SegmentPath(2), last.substr(0, last.size() - 3));
  fs.Put(SegmentPath(3), "");
  WalOptions options = TestOptions(&fs);
  options.recovery = WalRecoveryPolicy::kFailOnCorruption;
  Replayed replayed;
  auto wal = OpenOrDie(options, &replayed);
  EXPECT_EQ(replayed.payloads.size(), 7u);
  EXPECT_FALSE(wal->recovery_report().mid_log);
  EXPECT_TRUE(wal->recovery_report().set_aside.empty());
  EXPECT_FALSE(fs.Exists(SegmentPath(3) + ".corrupt"));
}

TEST(WalRecoveryTest, MissingSegmentIsAGap) {
  FaultFs fs;
  WriteSegments(&fs, 3, 2);
  ASSERT_TRUE(fs.Remove(SegmentPath(2)).ok());
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 2u);
  const WalRecoveryReport& report = wal->recovery_report();
  EXPECT_TRUE(report.mid_log);
  EXPECT_EQ(report.damage_reason, "missing segment 00000002.log");
  EXPECT_EQ(report.set_aside, std::vector<std::string>{"00000003.log"});
  EXPECT_EQ(wal->current_segment(), 2u);
}

TEST(WalRecoveryTest, IgnoresFilesThatAreNotSegments) {
  FaultFs fs;
  WriteSegments(&fs, 1, 2);
  fs.Put(std::string(kDir) + "/00000009.log.corrupt", "junk");
  fs.Put(std::string(kDir) + "/LOCK", "");
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 2u);
  EXPECT_EQ(wal->recovery_report().dropped_bytes, 0u);
}

TEST(WalRecoveryTest, StartsAfterRemovedPrefix) {
  FaultFs fs;
  WriteSegments(&fs, 3, 2);
  ASSERT_TRUE(fs.Remove(SegmentPath(1)).ok());
  Replayed replayed;
  auto wal = OpenOrDie(TestOptions(&fs), &replayed);
  EXPECT_EQ(replayed.payloads.size(), 4u);
  EXPECT_EQ(replayed.positions.front(), (WalPosition{2, 0}));
}

}  // namespace
}  // namespace zhizao::storage
