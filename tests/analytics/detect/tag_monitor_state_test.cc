#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "analytics/detect/tag_monitor.h"
#include "fuzz_replay.h"
#include "tag_monitor_fuzz_target.h"

namespace zhizao::analytics::detect {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

double Sample(int i, std::mt19937_64& rng) {
  std::normal_distribution<double> noise(0, 1);
  return 50 + 10 * std::sin(i * 0.02) + noise(rng) + (i % 1777 == 0 ? 40 : 0);
}

TagMonitor Fed(int n, const TagMonitorOptions& options = {}) {
  TagMonitor m(options);
  std::mt19937_64 rng(8);
  for (int i = 0; i < n; ++i) m.Update(i * kSecond, Sample(i, rng));
  return m;
}

// Save at several points (mid warm-up, mid calibration, the context detector's block scales
// mid-block, its likelihood stage before and just after it scores, long after, and past the
// likelihood's 8640-average horizon), restore into a fresh monitor, and feed both the same
// continuation: every verdict must be identical.
TEST(TagMonitorState, RestoreGivesIdenticalScores) {
  for (int cut : {5, 120, 290, 303, 415, 700, 4000, 9001}) {
    TagMonitor original;
    std::mt19937_64 rng(8);
    for (int i = 0; i < cut; ++i) original.Update(i * kSecond, Sample(i, rng));
    TagMonitor restored;
    ASSERT_TRUE(restored.Load(original.Save()).ok()) << cut;
    std::mt19937_64 rng_a = rng, rng_b = rng;
    for (int i = cut; i < cut + 3000; ++i) {
      const Verdict a = original.Update(i * kSecond, Sample(i, rng_a));
      const Verdict b = restored.Update(i * kSecond, Sample(i, rng_b));
      ASSERT_EQ(a.score, b.score) << "cut " << cut << " sample " << i;
      ASSERT_EQ(a.onset, b.onset);
      ASSERT_EQ(a.fired, b.fired);
    }
  }
}

TEST(TagMonitorState, TruncatedBlobIsRefusedAndMonitorUnchanged) {
  const std::string blob = Fed(1000).Save();
  TagMonitor m = Fed(10);
  const std::string before = m.Save();
  for (size_t len : {size_t{0}, size_t{3}, size_t{20}, blob.size() / 2, blob.size() - 1}) {
    const Status s = m.Load(blob.substr(0, len));
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << len << " " << s.ToString();
  }
  EXPECT_EQ(m.Save(), before);
}

TEST(TagMonitorState, FlippedByteFailsTheChecksum) {
  std::string blob = Fed(1000).Save();
  blob[blob.size() / 2] ^= 0x40;
  TagMonitor m;
  const Status s = m.Load(blob);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("checksum"), std::string::npos);
}

TEST(TagMonitorState, OtherVersionIsRefusedWithAClearError) {
  std::string blob = Fed(100).Save();
  const uint32_t other = TagMonitor::kStateVersion + 1;
  std::memcpy(blob.data() + 4, &other, sizeof other);
  TagMonitor m;
  const Status s = m.Load(blob);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("version"), std::string::npos);
}

TEST(TagMonitorState, BlobOfTheFormerVersionIsRefusedAsInvalidArgument) {
  // Version 2 blobs (the context block saved even when the detector is off) cannot be read: a
  // live state file of that version is refused cleanly and the monitor starts afresh.
  std::string blob = Fed(100).Save();
  const uint32_t former = 2;
  ASSERT_EQ(TagMonitor::kStateVersion, 3u);
  std::memcpy(blob.data() + 4, &former, sizeof former);
  TagMonitor m;
  const std::string before = m.Save();
  EXPECT_EQ(m.Load(blob).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(m.Save(), before);
}

TEST(TagMonitorState, ADisabledContextDetectorIsNeitherRunNorSaved) {
  TagMonitorOptions without;
  without.enabled &= ~kContext;
  TagMonitor off(without), on;
  std::mt19937_64 rng(8);
  for (int i = 0; i < 2000; ++i) {
    const double x = Sample(i, rng);
    off.Update(i * kSecond, x);
    on.Update(i * kSecond, x);
  }
  const std::string small = off.Save(), full = on.Save();
  EXPECT_LT(small.size() + 16000, full.size()) << "no 16 KiB context table";
  TagMonitor restored(without);
  ASSERT_TRUE(restored.Load(small).ok());
  EXPECT_EQ(restored.Save(), small);
  // The other detectors are unchanged by it: the same verdicts but for the context bit.
  rng.seed(9);
  for (int i = 2000; i < 3000; ++i) {
    const double x = Sample(i, rng);
    const Verdict a = off.Update(i * kSecond, x), b = restored.Update(i * kSecond, x);
    ASSERT_EQ(a.score, b.score) << i;
    ASSERT_EQ(a.fired, b.fired) << i;
  }
}

TEST(TagMonitorState, BlobFromOtherOptionsIsRefused) {
  const std::string blob = Fed(100).Save();
  TagMonitorOptions o;
  o.rest = 10;
  TagMonitor m(o);
  const Status s = m.Load(blob);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("options"), std::string::npos);
}

TEST(TagMonitorState, BlobFromOtherContextScalesOrLikelihoodIsRefused) {
  const std::string blob = Fed(500).Save();
  TagMonitorOptions scales;
  scales.context.scales = 2;
  TagMonitorOptions likelihood;
  likelihood.context.lik.short_window = 5;
  for (const TagMonitorOptions& o : {scales, likelihood}) {
    TagMonitor m(o);
    EXPECT_EQ(m.Load(blob).code(), StatusCode::kInvalidArgument);
  }
}

// The context table's size is an option: a state holds 2^table_bits bytes of it, restores
// exactly with the same size, and is refused (never misread) by a monitor of another size, in
// both directions and whether the table is allocated yet (after the warm-up) or not.
TEST(TagMonitorState, BlobFromAnotherContextTableSizeIsRefused) {
  TagMonitorOptions small;
  small.context.table_bits = 12;
  for (int cut : {100, 1000}) {
    TagMonitor a(small), b;
    std::mt19937_64 rng(8);
    for (int i = 0; i < cut; ++i) {
      const double x = Sample(i, rng);
      a.Update(i * kSecond, x);
      b.Update(i * kSecond, x);
    }
    const std::string blob_small = a.Save(), blob_default = b.Save();
    EXPECT_EQ(blob_small.size() + (16384 - 4096), blob_default.size()) << cut;
    TagMonitor into_default, into_small(small);
    const Status s = into_default.Load(blob_small);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << cut;
    EXPECT_NE(s.message().find("options"), std::string::npos) << s.ToString();
    EXPECT_EQ(into_small.Load(blob_default).code(), StatusCode::kInvalidArgument) << cut;
    ASSERT_TRUE(into_small.Load(blob_small).ok()) << cut;
    for (int i = cut; i < cut + 1000; ++i) {
      const double x = Sample(i, rng);
      ASSERT_EQ(a.Update(i * kSecond, x).score, into_small.Update(i * kSecond, x).score) << cut << " " << i;
    }
  }
}

// States saved before the option existed had 14 bits: the default, stated or not, still reads
// them (the fingerprint leaves a 14-bit table out of the hash).
TEST(TagMonitorState, DefaultTableSizeStatedExplicitlyReadsTheSameState) {
  TagMonitorOptions stated;
  stated.context.table_bits = 14;
  TagMonitor m(stated);
  const std::string blob = Fed(1000).Save();
  ASSERT_TRUE(m.Load(blob).ok());
  EXPECT_EQ(m.Save(), blob);
}

TEST(TagMonitorState, BadMagicIsRefused) {
  std::string blob = Fed(100).Save();
  blob[0] = 'X';
  TagMonitor m;
  EXPECT_EQ(m.Load(blob).code(), StatusCode::kCorruption);
}

// The libFuzzer target, replayed on mutated real blobs in every build.
TEST(TagMonitorState, FuzzReplayOfMutatedBlobsNeverCrashes) {
  TagMonitorOptions small_table;
  small_table.context.table_bits = 10;  // as in the fuzz target
  const std::vector<std::string> seeds = {Fed(0).Save(), Fed(50).Save(), Fed(305).Save(), Fed(2000).Save(),
                                          Fed(50, small_table).Save(), Fed(2000, small_table).Save()};
  fuzz_replay::Mutated(seeds, std::string("\0\1\xff\x7f", 4), 300, [](const std::string& input) {
    FuzzTagMonitorLoad(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  });
}

}  // namespace
}  // namespace zhizao::analytics::detect
