// The framing of pipelined reads (internal/mbap.h): requests byte for byte as the Modbus TCP
// guide gives them, and every way a reply can lie refused before anything is trusted.
#include "connect/modbus/internal/mbap.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

namespace zhizao::connect::modbus {
namespace {

std::vector<uint16_t> registers(kMaxReadRegisters);
std::vector<uint8_t> bits(kMaxReadBits);

// A reply views its frame's bytes: the frames parsed stay here for the test's length.
std::deque<std::vector<uint8_t>> parsed_frames;

Result<ReplyFrame> Parse(std::vector<uint8_t> frame) {
  const std::vector<uint8_t>& kept = parsed_frames.emplace_back(std::move(frame));
  Result<size_t> bytes = FrameBytes(kept);
  if (!bytes.ok()) return bytes.status();
  EXPECT_EQ(*bytes, kept.size());
  return ParseReplyFrame(kept);
}

TEST(MbapTest, EncodesReadRequests) {
  // Modbus Application Protocol 6.3: read holding registers 108-110 is 03 006B 0003.
  EXPECT_EQ(EncodeReadRequest(0x1234, 17, RegisterKind::kHolding, 0x006B, 3),
            (std::array<uint8_t, 12>{0x12, 0x34, 0, 0, 0, 6, 17, 0x03, 0x00, 0x6B, 0x00, 0x03}));
  EXPECT_EQ(EncodeReadRequest(1, 1, RegisterKind::kCoil, 19, 19)[7], 0x01);
  EXPECT_EQ(EncodeReadRequest(1, 1, RegisterKind::kDiscreteInput, 196, 22)[7], 0x02);
  EXPECT_EQ(EncodeReadRequest(1, 1, RegisterKind::kInput, 8, 1)[7], 0x04);
}

TEST(MbapTest, UnpacksRegistersAndBits) {
  // 6.3's reply: 022B 0000 0064.
  Result<ReplyFrame> reply = Parse({0x12, 0x34, 0, 0, 0, 9, 17, 0x03, 6, 0x02, 0x2B, 0x00, 0x00, 0x00, 0x64});
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->transaction_id, 0x1234);
  ASSERT_TRUE(UnpackReadReply(*reply, RegisterKind::kHolding, 3, registers, bits).ok());
  EXPECT_EQ(registers[0], 555);
  EXPECT_EQ(registers[1], 0);
  EXPECT_EQ(registers[2], 100);

  // 6.1's reply for coils 20-38: CD 6B 05, least significant bit first.
  reply = Parse({0, 1, 0, 0, 0, 6, 1, 0x01, 3, 0xCD, 0x6B, 0x05});
  ASSERT_TRUE(reply.ok());
  ASSERT_TRUE(UnpackReadReply(*reply, RegisterKind::kCoil, 19, registers, bits).ok());
  const uint8_t expected[19] = {1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1};
  for (size_t i = 0; i < 19; ++i) EXPECT_EQ(bits[i], expected[i]) << "coil " << 20 + i;
}

TEST(MbapTest, AnExceptionToTheRightFunctionIsNoError) {
  Result<ReplyFrame> reply = Parse({0, 1, 0, 0, 0, 3, 1, 0x83, 0x02});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->exception, 0x02);
  EXPECT_TRUE(UnpackReadReply(*reply, RegisterKind::kHolding, 3, registers, bits).ok());
  EXPECT_FALSE(UnpackReadReply(*reply, RegisterKind::kInput, 3, registers, bits).ok());
  // Codes beyond 0B are no exception the protocol knows: libmodbus drops the connection on them.
  reply = Parse({0, 1, 0, 0, 0, 3, 1, 0x83, 0x0C});
  ASSERT_TRUE(reply.ok());
  Status unknown = UnpackReadReply(*reply, RegisterKind::kHolding, 3, registers, bits);
  EXPECT_NE(unknown.message().find("exception code 12 is not one of 1 to 11"), std::string::npos) << unknown.ToString();
}

TEST(MbapTest, RefusesLyingHeadersBeforeWaitingForTheirBytes) {
  for (uint16_t length : {0, 1, 255, 0xFFFF}) {
    const std::vector<uint8_t> header = {0, 1, 0, 0, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length), 1};
    Result<size_t> bytes = FrameBytes(header);
    ASSERT_FALSE(bytes.ok()) << length;
    EXPECT_NE(bytes.status().message().find("MBAP length is " + std::to_string(length)), std::string::npos);
  }
  EXPECT_FALSE(FrameBytes(std::vector<uint8_t>{0, 1, 0, 1, 0, 3, 1}).ok()) << "protocol id 1";
  EXPECT_EQ(FrameBytes(std::vector<uint8_t>{0, 1, 0, 0, 0, 254, 1}).value(), kMaxAduBytes);
}

TEST(MbapTest, RefusesMalformedReplies) {
  EXPECT_FALSE(Parse({0, 1, 0, 0, 0, 4, 1, 0x83, 0x02, 0x00}).ok()) << "an exception with two codes";
  EXPECT_FALSE(Parse({0, 1, 0, 0, 0, 2, 1, 0x03}).ok()) << "no byte count";
  EXPECT_FALSE(Parse({0, 1, 0, 0, 0, 5, 1, 0x03, 4, 0x00, 0x01}).ok()) << "byte count beyond the frame";
  EXPECT_FALSE(Parse({0, 1, 0, 0, 0, 5, 1, 0x03, 1, 0x00, 0x01}).ok()) << "byte count short of the frame";
}

TEST(MbapTest, RefusesRepliesToAnotherRequest) {
  Result<ReplyFrame> reply = Parse({0, 1, 0, 0, 0, 5, 1, 0x03, 2, 0x00, 0x01});
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(UnpackReadReply(*reply, RegisterKind::kHolding, 1, registers, bits).ok());
  Status other_function = UnpackReadReply(*reply, RegisterKind::kInput, 1, registers, bits);
  EXPECT_NE(other_function.message().find("for function 3, not 4"), std::string::npos);
  Status other_count = UnpackReadReply(*reply, RegisterKind::kHolding, 2, registers, bits);
  EXPECT_NE(other_count.message().find("holds 2 bytes of values, not 4"), std::string::npos);
  // 9 coils take 2 bytes, 8 take 1.
  reply = Parse({0, 1, 0, 0, 0, 5, 1, 0x01, 2, 0xFF, 0x01});
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(UnpackReadReply(*reply, RegisterKind::kCoil, 9, registers, bits).ok());
  EXPECT_FALSE(UnpackReadReply(*reply, RegisterKind::kCoil, 8, registers, bits).ok());
}

}  // namespace
}  // namespace zhizao::connect::modbus
