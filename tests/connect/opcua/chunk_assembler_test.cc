#include "connect/opcua/chunk_assembler.h"

#include <gtest/gtest.h>

#include "connect/opcua/binary_writer.h"

namespace zhizao::connect::opcua {
namespace {

std::string Chunk(char chunk_type, uint32_t sequence, uint32_t request_id, std::string_view body) {
  BinaryWriter w;
  w.Raw("MSG");
  w.U8(static_cast<uint8_t>(chunk_type));
  w.U32(static_cast<uint32_t>(24 + body.size()));
  w.U32(7);
  w.U32(1);
  w.U32(sequence);
  w.U32(request_id);
  w.Raw(body);
  return w.Take();
}

TEST(ChunkAssemblerTest, JoinsChunksOfOneRequestAndInterleavedOthers) {
  ChunkAssembler assembler(1 << 20, 16);
  EXPECT_FALSE(assembler.Add(Chunk('C', 10, 1, "ab"))->has_value());
  auto other = assembler.Add(Chunk('F', 11, 2, "zz"));
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->body, "zz");
  EXPECT_FALSE(assembler.Add(Chunk('C', 12, 1, "cd"))->has_value());
  auto done = assembler.Add(Chunk('F', 13, 1, "e"));
  ASSERT_TRUE(done.ok() && done->has_value()) << done.status().ToString();
  EXPECT_EQ((*done)->body, "abcde");
  EXPECT_EQ((*done)->chunk_count, 3u);
  EXPECT_EQ((*done)->channel_id, 7u);
}

TEST(ChunkAssemblerTest, ReportsAnAbortWithItsReason) {
  ChunkAssembler assembler(1 << 20, 16);
  ASSERT_TRUE(assembler.Add(Chunk('C', 1, 5, "partial")).ok());
  BinaryWriter abort;
  abort.U32(0x80080000);
  abort.String("too big");
  auto done = assembler.Add(Chunk('A', 2, 5, abort.bytes()));
  ASSERT_TRUE(done.ok() && done->has_value());
  EXPECT_TRUE((*done)->aborted);
  EXPECT_EQ((*done)->abort_status, 0x80080000u);
  EXPECT_EQ((*done)->abort_reason, "too big");
}

TEST(ChunkAssemblerTest, RefusesGapsLimitsAndTooManyMessagesInFlight) {
  ChunkAssembler gap(1 << 20, 16);
  ASSERT_TRUE(gap.Add(Chunk('F', 1, 1, "")).ok());
  EXPECT_EQ(gap.Add(Chunk('F', 3, 2, "")).status().code(), StatusCode::kCorruption);

  ChunkAssembler wrap(1 << 20, 16);
  ASSERT_TRUE(wrap.Add(Chunk('F', 4294967000u, 1, "")).ok());
  EXPECT_TRUE(wrap.Add(Chunk('F', 1, 2, "")).ok());

  ChunkAssembler size(10, 16);
  ASSERT_TRUE(size.Add(Chunk('C', 1, 1, "123456")).ok());
  EXPECT_NE(size.Add(Chunk('C', 2, 1, "123456")).status().message().find("exceeds 10 bytes"), std::string::npos);

  ChunkAssembler count(1 << 20, 2);
  ASSERT_TRUE(count.Add(Chunk('C', 1, 1, "")).ok());
  ASSERT_TRUE(count.Add(Chunk('C', 2, 1, "")).ok());
  EXPECT_NE(count.Add(Chunk('C', 3, 1, "")).status().message().find("exceeds 2 chunks"), std::string::npos);

  ChunkAssembler flight(1 << 20, 16);
  for (uint32_t i = 0; i < ChunkAssembler::kMaxPartialMessages; ++i) ASSERT_TRUE(flight.Add(Chunk('C', i + 1, i, "")).ok());
  EXPECT_NE(flight.Add(Chunk('C', ChunkAssembler::kMaxPartialMessages + 1, 99, "")).status().message().find("in flight"),
            std::string::npos);

  ChunkAssembler truncated(1 << 20, 16);
  EXPECT_FALSE(truncated.Add(Chunk('F', 1, 1, "").substr(0, 20)).ok());
}

}  // namespace
}  // namespace zhizao::connect::opcua
