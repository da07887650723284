#include "storage/wal/internal/record.h"

#include <gtest/gtest.h>

namespace zhizao::storage::wal_internal {
namespace {

std::string Frame(std::string_view payload) {
  char header[kHeaderBytes];
  EncodeHeader(payload, header);
  return std::string(header, kHeaderBytes) + std::string(payload);
}

TEST(RecordReaderTest, ReadsRecordsInOrderWithOffsets) {
  std::string segment = Frame("a") + Frame("") + Frame("ccc");
  RecordReader reader(segment);
  std::string_view payload;
  ASSERT_TRUE(reader.Next(&payload));
  EXPECT_EQ(payload, "a");
  EXPECT_EQ(reader.record_offset(), 0u);
  ASSERT_TRUE(reader.Next(&payload));
  EXPECT_EQ(payload, "");
  EXPECT_EQ(reader.record_offset(), 10u);
  ASSERT_TRUE(reader.Next(&payload));
  EXPECT_EQ(payload, "ccc");
  EXPECT_FALSE(reader.Next(&payload));
  EXPECT_EQ(reader.end(), ScanEnd::kClean);
  EXPECT_EQ(reader.valid_end(), segment.size());
}

ScanEnd EndOf(const std::string& segment, uint64_t* valid_end) {
  RecordReader reader(segment);
  std::string_view payload;
  while (reader.Next(&payload)) {
  }
  *valid_end = reader.valid_end();
  return reader.end();
}

TEST(RecordReaderTest, StopsAtBadChecksum) {
  std::string segment = Frame("first") + Frame("second");
  segment[segment.size() - 1] ^= 0x01;
  uint64_t valid_end = 0;
  EXPECT_EQ(EndOf(segment, &valid_end), ScanEnd::kBadChecksum);
  EXPECT_EQ(valid_end, kHeaderBytes + 5);
}

TEST(RecordReaderTest, StopsAtBadLength) {
  std::string good = Frame("first");
  std::string bad = Frame("second");
  bad[7] = '\x7f';  // length byte 3: 2 GiB
  uint64_t valid_end = 0;
  EXPECT_EQ(EndOf(good + bad, &valid_end), ScanEnd::kBadLength);
  EXPECT_EQ(valid_end, good.size());
  bad = Frame("second");
  bad[4] = 3;  // shorter than the payload: the CRC no longer matches
  EXPECT_EQ(EndOf(good + bad, &valid_end), ScanEnd::kBadChecksum);
  bad[4] = 60;  // longer than what is left
  EXPECT_EQ(EndOf(good + bad, &valid_end), ScanEnd::kTruncated);
}

TEST(RecordReaderTest, StopsAtBadType) {
  std::string segment = Frame("first");
  segment[8] = 2;
  uint64_t valid_end = 1;
  EXPECT_EQ(EndOf(segment, &valid_end), ScanEnd::kBadType);
  EXPECT_EQ(valid_end, 0u);
}

TEST(RecordReaderTest, RecognisesZeroFilledTail) {
  std::string segment = Frame("first") + std::string(4096, '\0');
  uint64_t valid_end = 0;
  EXPECT_EQ(EndOf(segment, &valid_end), ScanEnd::kZeroFilled);
  EXPECT_EQ(valid_end, kHeaderBytes + 5);
  EXPECT_EQ(EndOf(Frame("first") + std::string(3, '\0'), &valid_end), ScanEnd::kZeroFilled);
}

TEST(RecordReaderTest, ZerosFollowedByDataAreNotAZeroTail) {
  std::string segment = Frame("first") + std::string(100, '\0') + "x";
  uint64_t valid_end = 0;
  EXPECT_EQ(EndOf(segment, &valid_end), ScanEnd::kBadType);
}

TEST(SegmentFileNameTest, FormatsAndParses) {
  EXPECT_EQ(SegmentFileName(1), "00000001.log");
  EXPECT_EQ(SegmentFileName(123456789), "123456789.log");
  uint64_t segment = 0;
  ASSERT_TRUE(ParseSegmentFileName("00000042.log", &segment));
  EXPECT_EQ(segment, 42u);
  ASSERT_TRUE(ParseSegmentFileName("123456789.log", &segment));
  EXPECT_EQ(segment, 123456789u);
  for (const char* bad : {"42.log", "0000042.log", "000000042.log", "00000042.log.corrupt", "0000004x.log",
                          "00000042.LOG", "+0000042.log", "LOCK"}) {
    EXPECT_FALSE(ParseSegmentFileName(bad, &segment)) << bad;
  }
}

}  // namespace
}  // namespace zhizao::storage::wal_internal
